/** An ACTIVE simulated cluster in eu-west-1 with namespace kubecdn-edge, and its API as the workflow role sees it. */
import { eksToken } from '../../../lambdas/region-ops/eks-token';
import type { KubernetesApi } from '../../../lambdas/region-ops/kubernetes-api';
import { installSimulatedAws, type InstalledMocks } from './install-mocks';
import { simulatedKubernetesApi } from './kubernetes';
import { installLoadBalancerController } from './load-balancer-controller';
import { LEAD_TIMES_MS, SimulatedAws, type SimCluster } from './world';

export const WORKFLOW_PRINCIPAL = 'arn:aws:iam::123456789012:role/workflow';
const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export interface ClusterWithApi {
  readonly world: SimulatedAws;
  readonly cluster: SimCluster;
  readonly api: KubernetesApi;
  /** The SDK mocks installed for the world: restore them after the test. */
  readonly mocks: InstalledMocks;
}

/**
 * The cluster's access entry lets the workflow role in as cluster admin. With
 * `loadBalancerController`, the AWS Load Balancer Controller runs in it (installed and ready), as
 * a node-group cluster needs for its LoadBalancer Services.
 */
export async function clusterWithApi(options: { loadBalancerController?: boolean } = {}): Promise<ClusterWithApi> {
  const world = new SimulatedAws('Z0123456789EXAMPLE0');
  const mocks = installSimulatedAws(world);
  const cluster: SimCluster = {
    name: 'kubecdn-eu-west-1',
    region: 'eu-west-1',
    arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/kubecdn-eu-west-1',
    input: {},
    createdAt: world.now - LEAD_TIMES_MS.clusterCreate,
    failsCreation: false,
    endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
    vpcConfig: {
      subnetIds: [],
      securityGroupIds: [],
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    version: '1.34',
    updates: new Map(),
    tags: {},
    accessEntries: new Map([[WORKFLOW_PRINCIPAL, { policies: new Set([ADMIN]) }]]),
    nodegroups: new Map(),
    podIdentityAssociations: new Map(),
    addons: new Map(),
    objects: new Map(),
  };
  world.clusters.set(`eu-west-1/${cluster.name}`, cluster);
  const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
  const token = await eksToken(cluster.name, 'eu-west-1', credentials, new Date(world.now));
  const api = simulatedKubernetesApi(world, cluster.endpoint, token, WORKFLOW_PRINCIPAL, []);
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubecdn-edge' } };
  const created = await api.request('PATCH', '/api/v1/namespaces/kubecdn-edge?fieldManager=t', namespace);
  if (created.status !== 201) throw new Error(`the simulated API server refused the namespace: ${created.status}`);
  if (options.loadBalancerController) {
    installLoadBalancerController(world, cluster);
    world.advance(LEAD_TIMES_MS.podsReady);
  }
  return { world, cluster, api, mocks };
}
