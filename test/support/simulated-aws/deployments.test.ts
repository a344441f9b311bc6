/** The simulated API server, Deployment controller and Route 53 health checkers, judged by what a real cluster and Route 53 would report. */
import { GetHealthCheckStatusCommand, Route53Client } from '@aws-sdk/client-route-53';
import { takeRefusedRequests } from '../aws-requests/checked-requests';
import type { KubernetesApi } from '../../../lambdas/region-ops/kubernetes-api';
import { clusterWithApi as simulatedClusterWithApi } from './cluster-with-api';
import type { InstalledMocks } from './install-mocks';
import { installLoadBalancerController, LOAD_BALANCER_CONTROLLER_IMAGE } from './load-balancer-controller';
import { LEAD_TIMES_MS } from './world';

const NS = '/api/v1/namespaces/kubecdn-edge';
const DEPLOYMENT = '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx';
const SERVICE = '/api/v1/namespaces/kubecdn-edge/services/edge';
const GOOD = 'public.ecr.aws/nginx/nginx:1.27';
const BAD = 'public.ecr.aws/nginx/nginx:9.99-broken';

let mocks: InstalledMocks | undefined;
afterEach(() => mocks?.restore());

/** A cluster as clusterWithApi makes it; a node-group cluster's AWS Load Balancer Controller runs unless told otherwise. */
async function clusterWithApi(options: { loadBalancerController?: boolean } = {}) {
  const made = await simulatedClusterWithApi({ loadBalancerController: options.loadBalancerController !== false });
  mocks = made.mocks;
  return made;
}

function deploymentWith(image: string, replicas = 2) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'edge-nginx', namespace: 'kubecdn-edge' },
    spec: {
      replicas,
      progressDeadlineSeconds: 300,
      selector: { matchLabels: { app: 'edge' } },
      template: { metadata: { labels: { app: 'edge' } }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  };
}

interface ReadDeployment {
  metadata: { generation: number };
  spec: { replicas: number; template: unknown };
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    availableReplicas: number;
    conditions: { type: string; status: string; reason: string }[];
  };
}

async function read(api: KubernetesApi): Promise<ReadDeployment> {
  const response = await api.request('GET', DEPLOYMENT);
  expect(response.status).toBe(200);
  return response.body as ReadDeployment;
}

const apply = (api: KubernetesApi, body: unknown, manager = 'kubecdn-region-workflow') =>
  api.request('PATCH', `${DEPLOYMENT}?fieldManager=${manager}&force=true`, body);

const progressing = (d: ReadDeployment) => d.status.conditions.find((c) => c.type === 'Progressing');

describe('the simulated Deployment controller', () => {
  it('rolls a new Deployment out after podsReady: generation 1 observed, every replica updated and available', async () => {
    const { world, api } = await clusterWithApi();
    expect((await apply(api, deploymentWith(GOOD))).status).toBe(201);
    world.advance(2_000);
    expect((await read(api)).status).toMatchObject({ observedGeneration: 1, updatedReplicas: 1, availableReplicas: 0 });
    world.advance(LEAD_TIMES_MS.podsReady);
    const done = await read(api);
    expect(done.metadata.generation).toBe(1);
    expect(done.status).toMatchObject({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(progressing(done)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('bumps the generation only when the spec changes, and shows the old status until the change is observed', async () => {
    const { world, api } = await clusterWithApi();
    await apply(api, deploymentWith(GOOD));
    world.advance(LEAD_TIMES_MS.podsReady);
    await apply(api, deploymentWith(GOOD));
    expect((await read(api)).metadata.generation).toBe(1);
    await apply(api, deploymentWith('public.ecr.aws/nginx/nginx:1.28'));
    const justChanged = await read(api);
    expect(justChanged.metadata.generation).toBe(2);
    expect(justChanged.status).toMatchObject({ observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 });
    world.advance(2_000);
    // A surge pod of the new template beside the two old ones, which keep serving.
    expect((await read(api)).status).toMatchObject({ observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 });
    world.advance(LEAD_TIMES_MS.podsReady);
    expect((await read(api)).status).toMatchObject({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
  });

  it('never readies a broken image: the old pods keep serving, and the progress deadline is exceeded', async () => {
    const { world, cluster, api } = await clusterWithApi();
    world.brokenImages.add(BAD);
    await apply(api, deploymentWith(GOOD));
    world.advance(LEAD_TIMES_MS.podsReady);
    await apply(api, deploymentWith(BAD));
    world.advance(299_000);
    const stuck = await read(api);
    expect(stuck.status).toMatchObject({ observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 });
    expect(progressing(stuck)).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    world.advance(2_000);
    const failed = await read(api);
    expect(failed.status).toMatchObject({ updatedReplicas: 1, availableReplicas: 2 });
    expect(progressing(failed)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    // The stored object shows the same live status (tests read cluster.objects directly).
    expect((cluster.objects.get(DEPLOYMENT) as unknown as ReadDeployment).status).toMatchObject({
      updatedReplicas: 1,
      availableReplicas: 2,
    });
  });

  it('never readies pods that mount a ConfigMap the cluster does not hold, and unreadies them when a mounted one is deleted', async () => {
    const { world, api } = await clusterWithApi();
    const withConfig = (configMap: string) => {
      const d = deploymentWith(GOOD);
      (d.spec.template.spec as Record<string, unknown>).volumes = [{ name: 'config', configMap: { name: configMap } }];
      return d;
    };
    const createConfigMap = (name: string) =>
      api.request('PATCH', `${NS}/configmaps/${name}?fieldManager=t`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    expect((await createConfigMap('conf-a')).status).toBe(201);
    await apply(api, withConfig('conf-a'));
    world.advance(LEAD_TIMES_MS.podsReady);
    expect((await read(api)).status).toMatchObject({ updatedReplicas: 2, availableReplicas: 2 });

    // A roll-out to a template whose ConfigMap is missing is stuck like a broken image: the old pods serve.
    await apply(api, withConfig('conf-missing'));
    world.advance(301_000);
    const stuck = await read(api);
    expect(stuck.status).toMatchObject({ updatedReplicas: 1, availableReplicas: 2 });
    expect(progressing(stuck)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });

    // Back on conf-a, rolled out; then conf-a is deleted under it: no pod of that template is ready any more.
    await apply(api, withConfig('conf-a'));
    world.advance(LEAD_TIMES_MS.podsReady);
    expect((await read(api)).status).toMatchObject({ availableReplicas: 2 });
    expect((await api.request('DELETE', `${NS}/configmaps/conf-a`)).status).toBe(200);
    expect((await read(api)).status).toMatchObject({ replicas: 2, availableReplicas: 0 });
  });

  it('lists ConfigMaps of a namespace by label selector: key=value and bare key terms, joined by commas', async () => {
    const { api } = await clusterWithApi();
    const labels: Record<string, Record<string, string>> = {
      ours: { 'app.kubernetes.io/part-of': 'kubecdn', 'kubecdn.io/config-name': 'edge' },
      'ours-unnamed': { 'app.kubernetes.io/part-of': 'kubecdn' },
      'other-project': { 'app.kubernetes.io/part-of': 'other', 'kubecdn.io/config-name': 'edge' },
      unlabelled: {},
    };
    for (const [name, l] of Object.entries(labels))
      await api.request('PATCH', `${NS}/configmaps/${name}?fieldManager=t`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, labels: l },
      });
    const names = async (selector?: string) => {
      const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
      const response = await api.request('GET', `${NS}/configmaps${query}`);
      expect(response.status).toBe(200);
      return (response.body as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).sort();
    };
    expect(await names()).toEqual(['kube-root-ca.crt', 'other-project', 'ours', 'ours-unnamed', 'unlabelled']);
    expect(await names('app.kubernetes.io/part-of=kubecdn')).toEqual(['ours', 'ours-unnamed']);
    expect(await names('kubecdn.io/config-name')).toEqual(['other-project', 'ours']);
    expect(await names('app.kubernetes.io/part-of=kubecdn,kubecdn.io/config-name')).toEqual(['ours']);
    expect((await api.request('GET', '/api/v1/namespaces/elsewhere/configmaps')).body).toMatchObject({ items: [] });
  });

  it('takes a JSON-patch restore of the previous template, which then rolls out normally', async () => {
    const { world, api } = await clusterWithApi();
    world.brokenImages.add(BAD);
    await apply(api, deploymentWith(GOOD));
    world.advance(LEAD_TIMES_MS.podsReady);
    const previous = (await read(api)).spec.template;
    await apply(api, deploymentWith(BAD));
    world.advance(400_000);

    const restore = await api.request(
      'PATCH',
      `${DEPLOYMENT}?fieldManager=kubecdn-restore`,
      [{ op: 'replace', path: '/spec/template', value: previous }],
      'application/json-patch+json',
    );

    expect(restore.status).toBe(200);
    world.advance(LEAD_TIMES_MS.podsReady);
    const restored = await read(api);
    expect(restored.spec.template).toEqual(previous);
    expect(restored.metadata.generation).toBe(3);
    expect(restored.status).toMatchObject({ observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(progressing(restored)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it.each([
    ['a merge patch', [{}], 'application/merge-patch+json', 415],
    ['a JSON patch of another path', [{ op: 'replace', path: '/spec/replicas', value: 3 }], 'application/json-patch+json', 422],
    ['a JSON patch that is not a list', { op: 'replace' }, 'application/json-patch+json', 400],
    ['a template without containers', [{ op: 'replace', path: '/spec/template', value: { spec: {} } }], 'application/json-patch+json', 422],
    [
      'a template whose labels miss the selector',
      [{ op: 'replace', path: '/spec/template', value: { metadata: { labels: {} }, spec: { containers: [{ name: 'n', image: GOOD }] } } }],
      'application/json-patch+json',
      422,
    ],
  ])('refuses %s as a real API server would', async (_what, body, patchType, status) => {
    const { world, api } = await clusterWithApi();
    await apply(api, deploymentWith(GOOD));
    world.advance(LEAD_TIMES_MS.podsReady);
    const response = await api.request('PATCH', `${DEPLOYMENT}?fieldManager=kubecdn-restore`, body, patchType as never);
    expect(response.status).toBe(status);
    expect((await read(api)).metadata.generation).toBe(1);
  });

  it('refuses force on a JSON patch and a JSON patch of a Deployment that does not exist', async () => {
    const { api } = await clusterWithApi();
    const patch = [{ op: 'replace', path: '/spec/template', value: deploymentWith(GOOD).spec.template }];
    expect((await api.request('PATCH', `${DEPLOYMENT}?fieldManager=x`, patch, 'application/json-patch+json')).status).toBe(404);
    await apply(api, deploymentWith(GOOD));
    expect((await api.request('PATCH', `${DEPLOYMENT}?fieldManager=x&force=true`, patch, 'application/json-patch+json')).status).toBe(400);
  });

  it('still takes the warm-standby replicas patch: a new generation that settles at zero pods', async () => {
    const { world, api } = await clusterWithApi();
    await apply(api, deploymentWith(GOOD));
    world.advance(LEAD_TIMES_MS.podsReady);
    const response = await apply(
      api,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge-nginx', namespace: 'kubecdn-edge' }, spec: { replicas: 0 } },
      'kubecdn-warm-standby',
    );
    expect(response.status).toBe(200);
    world.advance(LEAD_TIMES_MS.podsReady);
    const standby = await read(api);
    expect(standby.metadata.generation).toBe(2);
    expect(standby.status).toMatchObject({ observedGeneration: 2, replicas: 0, updatedReplicas: 0, availableReplicas: 0 });
  });
});

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000001';

/** The edge Service as this repository's manifest asks for it, for a cluster without Auto Mode. */
function edgeService(change: (annotations: Record<string, string>) => void = () => {}) {
  const annotations: Record<string, string> = {
    'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': CERTIFICATE,
    'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
    'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'proxy_protocol_v2.enabled=true',
  };
  change(annotations);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'edge', namespace: 'kubecdn-edge', annotations },
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: 'service.k8s.aws/nlb',
      ports: [
        { name: 'https', port: 443, targetPort: 8080, protocol: 'TCP' },
        { name: 'http', port: 80, targetPort: 8081, protocol: 'TCP' },
      ],
    },
  };
}

describe('the simulated load balancer controller', () => {
  it('builds a TLS listener on the ssl port and a plain one on the other, both with PROXY protocol v2', async () => {
    const { world, api } = await clusterWithApi();
    world.certificates.add(CERTIFICATE);
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    expect(world.liveLoadBalancers('eu-west-1')[0]!.listeners).toEqual([
      {
        port: 443,
        protocol: 'TLS',
        certificateArn: CERTIFICATE,
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
        targetPort: 8080,
        proxyProtocolV2: true,
      },
      { port: 80, protocol: 'TCP', targetPort: 8081, proxyProtocolV2: true },
    ]);
  });

  it('changes the listeners of the existing load balancer in place when the Service changes', async () => {
    const { world, api } = await clusterWithApi();
    world.certificates.add(CERTIFICATE);
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    const [before] = world.liveLoadBalancers('eu-west-1');
    const policy = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
    await api.request(
      'PATCH',
      `${SERVICE}?fieldManager=t`,
      edgeService((a) => (a['service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy'] = policy)),
    );
    expect(world.liveLoadBalancers('eu-west-1').map((l) => l.arn)).toEqual([before!.arn]);
    expect(before!.listeners[0]!.sslPolicy).toBe(policy);
  });

  it('builds no load balancer for a certificate that is not issued in the cluster region, and says why', async () => {
    const { world, api } = await clusterWithApi();
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    expect(world.liveLoadBalancers('eu-west-1')).toEqual([]);
    expect(world.loadBalancerProblems).toEqual([expect.stringContaining(`CertificateNotFound: "${CERTIFICATE}"`)]);
  });

  it('leaves a Service of a class no controller in the cluster handles alone (Auto Mode class on a node-group cluster)', async () => {
    const { world, api } = await clusterWithApi();
    world.certificates.add(CERTIFICATE);
    const service = edgeService();
    service.spec.loadBalancerClass = 'eks.amazonaws.com/nlb';
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, service);
    expect(world.liveLoadBalancers('eu-west-1')).toEqual([]);
    expect(world.loadBalancerProblems).toEqual([]);
  });

  it('leaves the Service of a node-group cluster alone until the AWS Load Balancer Controller runs, then builds its load balancer', async () => {
    const { world, cluster, api } = await clusterWithApi({ loadBalancerController: false });
    world.certificates.add(CERTIFICATE);
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    world.advance(10 * 60_000);
    await api.request('GET', SERVICE);
    expect(world.liveLoadBalancers('eu-west-1')).toEqual([]);

    installLoadBalancerController(world, cluster);
    await api.request('GET', SERVICE);
    expect(world.liveLoadBalancers('eu-west-1')).toEqual([]); // its pods are not ready yet
    world.advance(LEAD_TIMES_MS.podsReady);
    await api.request('GET', SERVICE);
    expect(world.liveLoadBalancers('eu-west-1').map((l) => l.listeners.map((x) => `${x.port}/${x.protocol}`))).toEqual([
      ['443/TLS', '80/TCP'],
    ]);
  });

  it('builds nothing while the installed controller has no replica available (its image never starts)', async () => {
    const { world, cluster, api } = await clusterWithApi({ loadBalancerController: false });
    world.certificates.add(CERTIFICATE);
    world.brokenImages.add(LOAD_BALANCER_CONTROLLER_IMAGE);
    installLoadBalancerController(world, cluster);
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    world.advance(30 * 60_000);
    const listed = await api.request(
      'GET',
      `/apis/apps/v1/deployments?labelSelector=${encodeURIComponent('app.kubernetes.io/name=aws-load-balancer-controller')}`,
    );
    expect((listed.body as { items: { metadata: { namespace: string }; status: { availableReplicas: number } }[] }).items).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ namespace: 'kube-system' }),
        status: expect.objectContaining({ availableReplicas: 0 }),
      }),
    ]);
    expect(world.liveLoadBalancers('eu-west-1')).toEqual([]);
  });

  it('reports a load balancer it cannot build as a Warning event on the Service, counted up when it tries again', async () => {
    const { api } = await clusterWithApi();
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    const selector = encodeURIComponent('involvedObject.kind=Service,involvedObject.name=edge,type=Warning');
    const events = await api.request('GET', `${NS}/events?fieldSelector=${selector}`);
    expect((events.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        involvedObject: expect.objectContaining({ kind: 'Service', name: 'edge' }),
        type: 'Warning',
        reason: 'FailedDeployModel',
        message: expect.stringContaining(`CertificateNotFound: "${CERTIFICATE}"`),
        count: 2,
      }),
    ]);
    const other = encodeURIComponent('involvedObject.kind=Service,involvedObject.name=other');
    expect(((await api.request('GET', `${NS}/events?fieldSelector=${other}`)).body as { items: unknown[] }).items).toEqual([]);
  });
});

describe('the simulated API server', () => {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'edge-purge', namespace: 'kubecdn-edge' } };
  const ROLES = '/apis/rbac.authorization.k8s.io/v1/namespaces/kubecdn-edge/roles';

  it('stores an object only at the path a real server serves its kind at', async () => {
    const { api, cluster } = await clusterWithApi();
    expect((await api.request('PATCH', `${ROLES}/edge-purge?fieldManager=t`, role)).status).toBe(201);
    expect(cluster.objects.get(`${ROLES}/edge-purge`)).toMatchObject(role);
    const binding = { ...role, kind: 'RoleBinding' };
    const misplaced = [
      // the kind of another resource
      [`${ROLES}/edge-purge?fieldManager=t`, binding],
      // the core group instead of rbac.authorization.k8s.io
      [`${NS}/roles/edge-purge?fieldManager=t`, role],
      // another namespace than the object's
      ['/apis/rbac.authorization.k8s.io/v1/namespaces/other/roles/edge-purge?fieldManager=t', role],
    ] as const;
    for (const [path, body] of misplaced) {
      const response = await api.request('PATCH', path, body);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body).toMatchObject({ message: expect.stringContaining('belongs at') });
    }
    const unknown = { ...role, apiVersion: 'rbac.authorization.k8s.io/v1beta1' };
    expect(
      (
        await api.request(
          'PATCH',
          `/apis/rbac.authorization.k8s.io/v1beta1/namespaces/kubecdn-edge/roles/edge-purge?fieldManager=t`,
          unknown,
        )
      ).status,
    ).toBe(404);
    expect([...cluster.objects.keys()].filter((k) => k.includes('role'))).toEqual([`${ROLES}/edge-purge`]);
  });

  it('publishes the cluster CA into every new namespace, as kube-controller-manager does (projected token volumes mount it)', async () => {
    const { api } = await clusterWithApi();
    const response = await api.request('GET', `${NS}/configmaps/kube-root-ca.crt`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ data: { 'ca.crt': expect.stringContaining('BEGIN CERTIFICATE') } });
  });
});

describe('the simulated Route 53 health checkers', () => {
  async function servingRegion() {
    const setup = await clusterWithApi();
    const { world, api } = setup;
    await apply(api, deploymentWith(GOOD));
    world.certificates.add(CERTIFICATE);
    await api.request('PATCH', `${SERVICE}?fieldManager=t`, edgeService());
    world.advance(LEAD_TIMES_MS.loadBalancerProvision);
    const lb = world.liveLoadBalancers('eu-west-1')[0]!;
    world.healthChecks.set('hc-1', {
      id: 'hc-1',
      callerReference: 'r',
      config: { Type: 'HTTPS', FullyQualifiedDomainName: lb.dnsName, Port: 443, EnableSNI: true },
      tags: {},
    });
    return setup;
  }
  const statuses = async () =>
    (
      (await new Route53Client({ region: 'us-east-1' }).send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-1' })))
        .HealthCheckObservations ?? []
    ).map((o) => o.StatusReport?.Status?.split(':')[0]);

  it('report Success from all 8 checkers while the load balancer is live and a workload pod is available', async () => {
    await servingRegion();
    expect(await statuses()).toEqual(Array(8).fill('Success'));
  });

  it('report Failure for a faulted region, a workload scaled to zero, or a load balancer being deleted', async () => {
    const { world, api } = await servingRegion();
    world.unhealthyRegions.add('eu-west-1');
    expect(await statuses()).toEqual(Array(8).fill('Failure'));
    world.unhealthyRegions.delete('eu-west-1');
    await apply(
      api,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge-nginx', namespace: 'kubecdn-edge' }, spec: { replicas: 0 } },
      'kubecdn-warm-standby',
    );
    world.advance(LEAD_TIMES_MS.podsReady);
    expect(await statuses()).toEqual(Array(8).fill('Failure'));
    await apply(api, deploymentWith(GOOD));
    world.advance(LEAD_TIMES_MS.podsReady);
    expect(await statuses()).toEqual(Array(8).fill('Success'));
    await api.request('DELETE', SERVICE);
    expect(await statuses()).toEqual(Array(8).fill('Failure'));
  });

  it('report Failure for an HTTPS check on a port without a TLS listener, or on a TLS 1.3-only listener', async () => {
    const { world, api } = await servingRegion();
    const check = world.healthChecks.get('hc-1')!;
    world.healthChecks.set('hc-1', { ...check, config: { ...check.config, Port: 80 } });
    expect(await statuses()).toEqual(Array(8).fill('Failure'));
    world.healthChecks.set('hc-1', check);
    await api.request(
      'PATCH',
      `${SERVICE}?fieldManager=t`,
      edgeService(
        (a) => (a['service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy'] = 'ELBSecurityPolicy-TLS13-1-3-2021-06'),
      ),
    );
    expect(await statuses()).toEqual(Array(8).fill('Failure'));
  });

  it('keep reporting Success while a broken image rolls, since the old pods still serve', async () => {
    const { world, api } = await servingRegion();
    world.brokenImages.add(BAD);
    await apply(api, deploymentWith(BAD));
    world.advance(600_000);
    expect(await statuses()).toEqual(Array(8).fill('Success'));
  });

  it('answer NoSuchHealthCheck for an unknown id and refuse a malformed request', async () => {
    await servingRegion();
    const client = new Route53Client({ region: 'us-east-1' });
    await expect(client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'nope' }))).rejects.toMatchObject({
      name: 'NoSuchHealthCheck',
    });
    await expect(client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-1', Id: 'x' } as never))).rejects.toMatchObject({
      name: 'MalformedRequest',
    });
    expect(takeRefusedRequests()).toEqual([
      'mocked SDK request real AWS would reject: GetHealthCheckStatus$.Id: not a member of GetHealthCheckStatusRequest (members: HealthCheckId)',
    ]);
  });
});
