import { mountedConfigMap } from '../support/next-workload';
import { scenario } from './scenario';

describe('StartRegion', () => {
  it('brings a stopped region to serving from the exact README input', async () => {
    const s = scenario();
    const run = await s.succeed('StartRegion', '{"region":"eu-west-1"}');

    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(s.world.clusterStatus(cluster)).toBe('ACTIVE');
    expect(cluster.tags).toEqual({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-1' });
    expect(cluster.input).toMatchObject({
      version: '1.34',
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
        // The purge sidecar's identity and what it may do.
        '/api/v1/namespaces/kubecdn-edge/serviceaccounts/edge-purge',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/kubecdn-edge/roles/edge-purge',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/kubecdn-edge/rolebindings/edge-purge',
      ]),
    );
    // The ConfigMap is named by its content: find it through the Deployment's volume.
    const nginxConf = (
      mountedConfigMap(cluster, '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx').data as Record<string, string>
    )['nginx.conf']!;
    expect(nginxConf).toContain('proxy_pass https://origin.example.com;');
    expect(nginxConf).toContain('location = /healthz {');
    expect(nginxConf).not.toContain('{{');

    const [lb] = s.world.liveLoadBalancers('eu-west-1');
    expect(s.world.loadBalancerState(lb!)).toBe('active');
    const [check] = [...s.world.healthChecks.values()];
    expect(check!.tags).toMatchObject({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': 'eu-west-1' });
    expect(check!.config).toMatchObject({ Type: 'HTTP', FullyQualifiedDomainName: lb!.dnsName, Port: 80, ResourcePath: '/healthz' });
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
