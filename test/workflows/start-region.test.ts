import { mountedConfigMap } from '../support/next-workload';
import { putOnOldHttpCheck } from '../support/old-health-check';
import { runRegionOpsStep } from '../support/region-ops-steps';
import { scenario } from './scenario';

describe('StartRegion', () => {
  it('brings a stopped region to serving from the exact README input', async () => {
    const s = scenario();
    const run = await s.succeed('StartRegion', '{"region":"eu-west-1"}');

    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(s.world.clusterStatus(cluster)).toBe('ACTIVE');
    expect(cluster.tags).toEqual({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-1' });
    expect(cluster.input).toMatchObject({
      version: '1.35',
      computeConfig: { enabled: true, nodePools: ['general-purpose', 'system'] },
      kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
      storageConfig: { blockStorage: { enabled: true } },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      resourcesVpcConfig: { subnetIds: ['subnet-0a9', 'subnet-0b9', 'subnet-0c9'] },
    });
    expect([...cluster.accessEntries.keys()]).toEqual([s.harness.synthesized.regionOpsEnvironment.WORKFLOW_ROLE_ARN]);
    expect([...cluster.objects.keys()]).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/kubecdn-edge',
        '/api/v1/namespaces/kubecdn-edge/services/edge',
        '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx',
        '/apis/autoscaling/v2/namespaces/kubecdn-edge/horizontalpodautoscalers/edge-nginx',
        '/apis/policy/v1/namespaces/kubecdn-edge/poddisruptionbudgets/edge-nginx',
        // The pod's identity (Kubernetes: the purge sidecar's; AWS, through Pod Identity: the metrics agent's) and what purge may do.
        '/api/v1/namespaces/kubecdn-edge/serviceaccounts/edge',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/kubecdn-edge/roles/edge-purge',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/kubecdn-edge/rolebindings/edge-purge',
      ]),
    );
    // The ConfigMap is named by its content: find it through the Deployment's volume.
    const nginxConf = (
      mountedConfigMap(cluster, '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx').data as Record<string, string>
    )['nginx.conf']!;
    expect(nginxConf).toContain('set $edge_origin "https://origin.example.com";');
    expect(nginxConf).toContain('location = /healthz {');
    expect(nginxConf).not.toContain('{{');

    // The Service asks for TLS on 443 with the certificate the network stack published, plain HTTP
    // on the service port, PROXY protocol v2 on both and target checks on the health port.
    const certificateArn = s.world.networks.get('eu-west-1')!.certificateArn;
    const service = cluster.objects.get('/api/v1/namespaces/kubecdn-edge/services/edge') as {
      metadata: { annotations: Record<string, string> };
      spec: Record<string, unknown>;
    };
    expect(service.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': certificateArn,
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
      'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'proxy_protocol_v2.enabled=true',
      'service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol': 'http',
      'service.beta.kubernetes.io/aws-load-balancer-healthcheck-port': '8082',
      'service.beta.kubernetes.io/aws-load-balancer-healthcheck-path': '/healthz',
    });
    expect(service.spec).toMatchObject({
      loadBalancerClass: 'eks.amazonaws.com/nlb',
      ports: [
        { name: 'https', port: 443, targetPort: 8080, protocol: 'TCP' },
        { name: 'http', port: 80, targetPort: 8081, protocol: 'TCP' },
      ],
    });

    const [lb] = s.world.liveLoadBalancers('eu-west-1');
    expect(s.world.loadBalancerState(lb!)).toBe('active');
    expect(lb!.listeners).toEqual([
      expect.objectContaining({ port: 443, protocol: 'TLS', certificateArn, targetPort: 8080, proxyProtocolV2: true }),
      expect.objectContaining({ port: 80, protocol: 'TCP', targetPort: 8081, proxyProtocolV2: true }),
    ]);
    expect(lb!.targetHealthCheck).toEqual({ protocol: 'HTTP', port: '8082', path: '/healthz' });
    // Route 53 checks the region as viewers reach it: HTTPS on 443, through the TLS listener.
    const [check] = [...s.world.healthChecks.values()];
    expect(check!.tags).toMatchObject({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-1' });
    expect(check!.config).toMatchObject({
      Type: 'HTTPS',
      FullyQualifiedDomainName: lb!.dnsName,
      Port: 443,
      ResourcePath: '/healthz',
      EnableSNI: true,
    });
    expect(s.world.latencyRecords('cdn.example.com')).toEqual([
      {
        Name: 'cdn.example.com.',
        Type: 'A',
        SetIdentifier: 'eu-west-1',
        Region: 'eu-west-1',
        HealthCheckId: check!.id,
        AliasTarget: { DNSName: lb!.dnsName, HostedZoneId: 'Z2IFOLAFXWLO4F', EvaluateTargetHealth: true },
      },
    ]);
    expect(s.world.changeStatus([...s.world.changes.keys()].pop()!)).toBe('INSYNC');
    expect(s.world.lockItems.size).toBe(0);
    expect(s.world.notifications).toEqual([expect.objectContaining({ subject: 'kubecdn StartRegion eu-west-1 succeeded' })]);
    expect(s.world.notifications[0]!.message).toContain('Reason: manual start');
    // A routine start: info, which the default e-mail filter (warnings and errors) leaves out.
    expect(s.world.notifications[0]!.attributes).toEqual({ severity: 'info', operation: 'start', region: 'eu-west-1' });
    // Cluster creation dominates: 10 simulated minutes, then load balancer and DNS.
    expect(run.elapsedMs).toBeGreaterThan(10 * 60_000);
  });

  it('is a no-op for a region that is already serving: nothing created, nothing changed', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const before = s.resources('eu-west-1');
    const record = s.world.latencyRecords('cdn.example.com');
    const from = s.world.calls.length;

    const again = await s.succeed('StartRegion', { region: 'eu-west-1', reason: 'operator re-run' });

    expect(s.resources('eu-west-1')).toEqual(before);
    expect(s.world.latencyRecords('cdn.example.com')).toEqual(record);
    const calls = s.callsSince(from);
    expect(calls).not.toContain('eks:CreateCluster');
    expect(calls.filter((c) => c === 'route53:CreateHealthCheck')).toHaveLength(1); // answered with the existing check
    expect(s.world.healthChecks.size).toBe(1);
    expect(again.elapsedMs).toBeLessThan(3 * 60_000);
  });

  it('replaces the HTTP health check an earlier version made with an HTTPS one, and deletes the old one', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    putOnOldHttpCheck(s.world, 'kubecdn', 'cdn.example.com', 'eu-west-1');

    await s.succeed('StartRegion', { region: 'eu-west-1', reason: 're-run after an upgrade' });

    const checks = [...s.world.healthChecks.values()];
    expect(checks.map((c) => c.config.Type)).toEqual(['HTTPS']);
    expect(s.world.latencyRecords('cdn.example.com')[0]!.HealthCheckId).toBe(checks[0]!.id);
    expect(s.resources('eu-west-1').filter((r) => r.startsWith('health check'))).toEqual([`health check ${checks[0]!.id}`]);
  });

  it('checks a region behind a TLS 1.3-only listener over plain HTTP, which Route 53 can speak, and serves it', async () => {
    const s = scenario((c) => (c.https = { securityPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' }));
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const [lb] = s.world.liveLoadBalancers('eu-west-1');
    expect(lb!.listeners.find((l) => l.port === 443)).toMatchObject({ protocol: 'TLS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' });
    const [check] = [...s.world.healthChecks.values()];
    expect(check!.config).toMatchObject({ Type: 'HTTP', Port: 80, ResourcePath: '/healthz' });
    expect(check!.config).not.toHaveProperty('EnableSNI');
    expect(await runRegionOpsStep(s, { step: 'healthCheckStatus', region: 'eu-west-1' })).toMatchObject({ healthy: true });
  });

  it('fails at the first step that needs the network when its parameter predates the certificate, naming the field', async () => {
    const s = scenario();
    const key = 'eu-west-1//kubecdn/network';
    const {
      certificateArn: _dropped,
      vpcCidr: _alsoDropped,
      ...older
    } = JSON.parse(s.world.parameters.get(key)!) as Record<string, unknown>;
    s.world.parameters.set(key, JSON.stringify(older));
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(
      /^ensureCluster: \/kubecdn\/network in eu-west-1 is not what this version's network stack publishes \(.*certificateArn.*vpcCidr.*\); deploy the app again \(cdk deploy\)$/,
    );
  });

  it('passes a fresh idempotency token per execution, so a start after a stop creates a new cluster', async () => {
    const s = scenario((c) => (c.alwaysOn = ['us-east-1']));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual([]);
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(s.world.clusterStatus(s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!)).toBe('ACTIVE');
    const tokens = s.world.calls
      .filter((c) => c.operation === 'CreateCluster' && c.region === 'eu-west-1')
      .map((c) => (c.input as { clientRequestToken: string }).clientRequestToken);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('creates a managed node group, tagged and sized from the config, when cluster.mode says so', async () => {
    const s = scenario(
      (c) =>
        (c.cluster = { mode: 'managed-nodegroup', nodeGroup: { instanceTypes: ['m7g.large'], minSize: 1, desiredSize: 2, maxSize: 3 } }),
    );
    // The operator installs the AWS Load Balancer Controller in every new cluster, as this mode needs.
    s.world.loadBalancerControllerInNewClusters = true;
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(cluster.input.computeConfig).toBeUndefined();
    const [group] = s.world.nodegroups(cluster);
    expect(group!.name).toBe('kubecdn-eu-west-1-edge');
    expect(s.world.nodegroupStatus(group!)).toBe('ACTIVE');
    expect(group!.input).toMatchObject({
      instanceTypes: ['m7g.large'],
      scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 },
      capacityType: 'ON_DEMAND',
    });
    expect(group!.tags).toEqual({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-1' });
  });
});

it('waits for a cluster still being deleted (a stop that failed part-way), then creates a new one', async () => {
  const s = scenario();
  await s.succeed('StartRegion', { region: 'us-east-1' });
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  s.harness.lambdaFaults.push({ step: 'deleteCluster', when: 'after', times: 1 }, { step: 'deleteCluster', when: 'fail', times: 1 });
  const stop = await s.run('StopRegion', { region: 'eu-west-1' });
  expect(stop.status).toBe('FAILED');
  const old = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
  expect(s.world.clusterStatus(old)).toBe('DELETING');

  const run = await s.succeed('StartRegion', { region: 'eu-west-1' });
  const fresh = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
  expect(fresh).not.toBe(old);
  expect(s.world.clusterStatus(fresh)).toBe('ACTIVE');
  expect(run.path.filter((state) => state === 'Ensure cluster')).toHaveLength(2);
});

describe("the edge pods' AWS identity (EKS Pod Identity)", () => {
  const managedNodegroup = () =>
    scenario((c) => (c.cluster = { mode: 'managed-nodegroup', nodeGroup: { minSize: 1, desiredSize: 2, maxSize: 3 } }));
  const associations = (s: ReturnType<typeof scenario>, region: string) =>
    [...(s.world.cluster(region, `kubecdn-${region}`)?.podIdentityAssociations.values() ?? [])].map((a) => ({
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: a.roleArn,
      tags: a.tags,
    }));

  it('associates the edge service account with the edge agent role before the workload is applied; Auto Mode needs no add-on', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const roleArn = s.harness.synthesized.regionOpsEnvironment.EDGE_AGENT_ROLE_ARN!;
    // The control stack's edge agent role, as the region-ops function is told it.
    expect(roleArn).toMatch(/^arn:aws:iam::123456789012:role\/EdgeAgentRole/);
    expect(associations(s, 'eu-west-1')).toEqual([
      { namespace: 'kubecdn-edge', serviceAccount: 'edge', roleArn, tags: { 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-1' } },
    ]);
    expect(s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.addons.size).toBe(0);
    const steps = s.harness.stepCalls;
    expect(steps.indexOf('ensurePodIdentity')).toBeGreaterThan(steps.indexOf('grantAccess'));
    expect(steps.indexOf('ensurePodIdentity')).toBeLessThan(steps.indexOf('applyWorkload'));
    expect(steps.filter((step) => step === 'ensurePodIdentity')).toHaveLength(1);
  });

  it('installs the Pod Identity agent add-on on managed node groups and applies the workload only once it is ACTIVE', async () => {
    const s = managedNodegroup();
    s.world.loadBalancerControllerInNewClusters = true;
    const run = await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    const [addon] = s.world.addons(cluster);
    expect(addon).toMatchObject({ name: 'eks-pod-identity-agent', tags: { 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-1' } });
    expect(s.world.addonStatus(addon!)).toBe('ACTIVE');
    expect(associations(s, 'eu-west-1')).toHaveLength(1);
    // Polled: created at the first check, ACTIVE a few checks later, then the workload.
    const steps = s.harness.stepCalls;
    expect(steps.filter((step) => step === 'ensurePodIdentity').length).toBeGreaterThan(1);
    expect(steps.lastIndexOf('ensurePodIdentity')).toBeLessThan(steps.indexOf('applyWorkload'));
    expect(s.world.calls.filter((c) => c.operation === 'CreateAddon')).toHaveLength(1);
    expect(run.path).toContain('Wait: Edge pod identity ready');
  });

  it('a re-run finds the association and changes nothing; one naming another role is pointed back at the edge agent role', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const roleArn = s.harness.synthesized.regionOpsEnvironment.EDGE_AGENT_ROLE_ARN!;
    let from = s.world.calls.length;
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const podIdentityCalls = (since: number) =>
      s.callsSince(since).filter((call) => call.includes('PodIdentity') || call.includes('Addon'));
    expect(podIdentityCalls(from)).toEqual(['eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation']);

    // Say a redeploy replaced the role: the association still names the old one.
    const [association] = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.podIdentityAssociations.values();
    association!.roleArn = 'arn:aws:iam::123456789012:role/kubecdn-control-EdgeAgentRoleOld';
    from = s.world.calls.length;
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(podIdentityCalls(from)).toEqual([
      'eks:ListPodIdentityAssociations',
      'eks:DescribePodIdentityAssociation',
      'eks:UpdatePodIdentityAssociation',
    ]);
    expect(associations(s, 'eu-west-1').map((a) => a.roleArn)).toEqual([roleArn]);
  });

  it('SyncRegion puts back an association removed by hand, before it applies the workload', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.podIdentityAssociations.clear();
    await s.succeed('SyncRegion', { region: 'eu-west-1' });
    expect(associations(s, 'eu-west-1')).toHaveLength(1);
    const steps = s.harness.stepCalls;
    expect(steps.lastIndexOf('ensurePodIdentity')).toBeLessThan(steps.lastIndexOf('applyWorkload'));
  });

  it('an add-on that ends CREATE_FAILED rolls the start back, naming its health issue; the next start creates it afresh', async () => {
    const s = managedNodegroup();
    s.world.loadBalancerControllerInNewClusters = true;
    s.world.failNextAddonCreation = true;
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'RegionOperationFailed' });
    expect(run.cause).toContain('ensurePodIdentity: add-on eks-pod-identity-agent of kubecdn-eu-west-1 is CREATE_FAILED');
    expect(run.cause).toContain('InsufficientNumberOfReplicas');
    expect(s.resources('eu-west-1')).toEqual([]);

    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual(
      expect.arrayContaining([
        'add-on eks-pod-identity-agent (ACTIVE)',
        expect.stringMatching(/^pod identity association kubecdn-edge\/edge → /),
      ]),
    );
  });
});
