/**
 * The simulated load balancer controllers' reading of a LoadBalancer Service: which controller
 * takes it (by loadBalancerClass and what the cluster runs), and the listeners and target health
 * check its annotations ask for. A Service the controller cannot build (no such certificate, a
 * port that is not a number) gets no load balancer, as with the real controllers, which only
 * report a Warning event on the Service; the reason is also kept in world.loadBalancerProblems.
 *
 * EKS Auto Mode clusters serve `eks.amazonaws.com/nlb` themselves. Other clusters serve
 * `service.k8s.aws/nlb` only while the AWS Load Balancer Controller runs in them: a Deployment
 * installLoadBalancerController puts there (the operator's Helm install), labelled as its chart
 * labels it, with at least one replica available. A Service no controller serves gets nothing at
 * all, and is taken up when a controller that serves it becomes available.
 */
import { attachLiveStatus, deploymentStatus, isDeployment, recordDeploymentChange } from './deployments';
import type { SimCluster, SimListener, SimLoadBalancer, SimulatedAws } from './world';

const ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-';

/** EKS Auto Mode's own load balancing, and the AWS Load Balancer Controller (which a managed-nodegroup cluster's operator installs). */
const AUTO_MODE_CLASS = 'eks.amazonaws.com/nlb';
const LOAD_BALANCER_CONTROLLER_CLASS = 'service.k8s.aws/nlb';
/** The controller's default when the Service names no policy (its documentation). */
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

interface ServicePort {
  readonly name?: string;
  readonly port?: unknown;
  readonly targetPort?: unknown;
}

export type LoadBalancerBuild =
  | { readonly ok: true; readonly spec: Pick<SimLoadBalancer, 'listeners' | 'targetHealthCheck'> }
  | { readonly ok: false; readonly problem: string }
  /** No controller in this cluster handles the Service's class: nothing happens at all. */
  | { readonly ok: false; readonly unhandled: true };

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function stringMap(value: string | undefined): Map<string, string> {
  return new Map(list(value).map((pair) => pair.split('=', 2) as [string, string]));
}

/** The label the controller's Helm chart and release manifests put on its Deployment and pods. */
const CONTROLLER_NAME_LABEL = 'app.kubernetes.io/name';
const CONTROLLER_NAME = 'aws-load-balancer-controller';
export const LOAD_BALANCER_CONTROLLER_IMAGE = 'public.ecr.aws/eks/aws-load-balancer-controller:v2.13.0';

/**
 * The operator's `helm install aws-load-balancer-controller eks/aws-load-balancer-controller -n
 * kube-system`: the controller's Deployment (two replicas, as the chart's default), rolling out on
 * the simulated clock like any Deployment (its image in world.brokenImages: it never gets a
 * replica available, as a controller without its IAM permissions crash-loops).
 */
export function installLoadBalancerController(world: SimulatedAws, cluster: SimCluster): void {
  const namespace = '/api/v1/namespaces/kube-system';
  if (!cluster.objects.has(namespace))
    cluster.objects.set(namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  const key = `/apis/apps/v1/namespaces/kube-system/deployments/${CONTROLLER_NAME}`;
  const labels = { [CONTROLLER_NAME_LABEL]: CONTROLLER_NAME, 'app.kubernetes.io/instance': CONTROLLER_NAME };
  const deployment: Record<string, unknown> = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: CONTROLLER_NAME, namespace: 'kube-system', labels: { ...labels, 'app.kubernetes.io/managed-by': 'Helm' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { serviceAccountName: CONTROLLER_NAME, containers: [{ name: CONTROLLER_NAME, image: LOAD_BALANCER_CONTROLLER_IMAGE }] },
      },
    },
  };
  recordDeploymentChange(world, cluster, key, cluster.objects.get(key), deployment);
  attachLiveStatus(world, cluster, key, deployment);
  cluster.objects.set(key, deployment);
}

/** Whether the AWS Load Balancer Controller runs in the cluster now: a Deployment of it with a replica available. */
export function loadBalancerControllerAvailable(world: SimulatedAws, cluster: SimCluster): boolean {
  return [...cluster.objects].some(
    ([key, object]) =>
      isDeployment(object) &&
      (object.metadata as { labels?: Record<string, string> }).labels?.[CONTROLLER_NAME_LABEL] === CONTROLLER_NAME &&
      deploymentStatus(world, cluster, key, object).availableReplicas > 0,
  );
}

/** The load balancer class the cluster has a controller for now, if any. */
function servedClass(world: SimulatedAws, cluster: SimCluster): string | undefined {
  const autoMode = (cluster.input.computeConfig as { enabled?: boolean } | undefined)?.enabled === true;
  if (autoMode) return AUTO_MODE_CLASS;
  return loadBalancerControllerAvailable(world, cluster) ? LOAD_BALANCER_CONTROLLER_CLASS : undefined;
}

/** What the cluster's controller would build for this Service now. */
export function buildLoadBalancer(
  world: SimulatedAws,
  cluster: SimCluster,
  service: { metadata?: { annotations?: Record<string, string> }; spec?: { loadBalancerClass?: string; ports?: ServicePort[] } },
): LoadBalancerBuild {
  const served = servedClass(world, cluster);
  if (served === undefined || service.spec?.loadBalancerClass !== served) return { ok: false, unhandled: true };
  const certificates = world.certificates;

  const annotations = service.metadata?.annotations ?? {};
  const annotation = (name: string) => annotations[`${ANNOTATION}${name}`];
  const certificate = annotation('ssl-cert');
  const sslPorts = list(annotation('ssl-ports'));
  const targetGroup = stringMap(annotation('target-group-attributes'));
  const listeners: SimListener[] = [];
  for (const port of service.spec?.ports ?? []) {
    if (typeof port.port !== 'number' || typeof port.targetPort !== 'number')
      return { ok: false, problem: `port ${port.name ?? '?'}: port and targetPort must be numbers` };
    // Without ssl-ports, every port gets TLS once a certificate is given (the controller's rule).
    const tls =
      certificate !== undefined && (sslPorts.length === 0 || sslPorts.includes(String(port.port)) || sslPorts.includes(port.name ?? ''));
    if (tls && (!certificates.has(certificate) || certificate.split(':')[3] !== cluster.region))
      return { ok: false, problem: `CertificateNotFound: "${certificate}" is not an issued ACM certificate in ${cluster.region}` };
    listeners.push({
      port: port.port,
      protocol: tls ? 'TLS' : 'TCP',
      ...(tls ? { certificateArn: certificate, sslPolicy: annotation('ssl-negotiation-policy') ?? DEFAULT_SSL_POLICY } : {}),
      targetPort: port.targetPort,
      proxyProtocolV2: targetGroup.get('proxy_protocol_v2.enabled') === 'true',
    });
  }
  return {
    ok: true,
    spec: {
      listeners,
      targetHealthCheck: {
        protocol: (annotation('healthcheck-protocol') ?? 'tcp').toUpperCase(),
        port: annotation('healthcheck-port') ?? 'traffic-port',
        path: annotation('healthcheck-path'),
      },
    },
  };
}
