import { InvalidInput, NoSuchHealthCheck } from '@aws-sdk/client-route-53';
import { scenario } from './scenario';

describe('StopRegion', () => {
  /** us-east-1 (always on) and eu-west-1 serving. */
  async function twoServing() {
    const s = scenario();
    await s.succeed('StartRegion', '{"region":"us-east-1"}');
    await s.succeed('StartRegion', '{"region":"eu-west-1"}');
    return s;
  }

  it('leaves nothing in the region: no record, load balancer or listener, cluster, health check or lock', async () => {
    const s = await twoServing();
    // Serving: the load balancer's TLS and plain listeners, and the HTTPS health check on 443.
    expect(s.resources('eu-west-1')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^listener k8s-.*:443 \(TLS\)$/),
        expect.stringMatching(/^listener k8s-.*:80 \(TCP\)$/),
        expect.stringMatching(/^health check /),
      ]),
    );
    expect([...s.world.healthChecks.values()].map((c) => [c.config.Type, c.config.Port])).toEqual([
      ['HTTPS', 443],
      ['HTTPS', 443],
    ]);
    const run = await s.succeed('StopRegion', '{"region":"eu-west-1"}');

    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.resources('us-east-1')).not.toEqual([]); // the other region is untouched
    expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toEqual(['us-east-1']);
    expect(s.world.records.has('www.example.com.|CNAME|')).toBe(true);
    expect(s.world.notifications.at(-1)).toMatchObject({ subject: 'kubecdn StopRegion eu-west-1 succeeded' });
    expect(s.world.notifications.at(-1)!.message).toContain('leftovers: []');
    expect(s.world.notifications.at(-1)!.attributes).toEqual({ severity: 'info', operation: 'stop', region: 'eu-west-1' });
    expect(run.elapsedMs).toBeGreaterThan(6 * 60_000); // cluster deletion
  });

  it('removes the DNS record and waits for INSYNC plus the TTL before touching the load balancer', async () => {
    const s = await twoServing();
    const from = s.world.calls.length;
    const requestsBefore = s.harness.kubernetesRequests.length;
    const run = await s.succeed('StopRegion', { region: 'eu-west-1' });

    const calls = s.world.calls.slice(from);
    const recordDeleted = calls.find((c) => c.operation === 'ChangeResourceRecordSets')!;
    const insync = calls.find((c) => c.operation === 'GetChange' && s.world.now >= 0 && c.at >= recordDeleted.at + 60_000)!;
    const serviceDelete = s.harness.kubernetesRequests
      .slice(requestsBefore)
      .findIndex((r) => r.method === 'DELETE' && r.path.includes('/services/'));
    expect(serviceDelete).toBeGreaterThanOrEqual(0);
    const firstElbCheck = calls.find((c) => c.operation === 'DescribeLoadBalancers')!;
    expect(insync).toBeDefined();
    expect(firstElbCheck.at).toBeGreaterThanOrEqual(insync.at + s.config.dns.recordTtlSeconds * 1000);
    expect(run.path.indexOf('Wait for resolver caches')).toBeGreaterThan(run.path.indexOf('Check DNS record removal'));
    expect(run.path.indexOf('Delete load-balancer Services')).toBeGreaterThan(run.path.indexOf('Wait for resolver caches'));
  });

  it('waits until the load balancer is really gone before deleting the cluster', async () => {
    const s = await twoServing();
    const from = s.world.calls.length;
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    const calls = s.world.calls.slice(from);
    const deleteCluster = calls.find((c) => c.operation === 'DeleteCluster')!;
    const lastElb = calls.filter((c) => c.operation === 'DescribeLoadBalancers').at(-1)!;
    expect(lastElb.at).toBeLessThan(deleteCluster.at);
    expect(s.world.liveLoadBalancers('eu-west-1')).toEqual([]);
  });

  it('is a no-op for a stopped region', async () => {
    const s = await twoServing();
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    const from = s.world.calls.length;
    const again = await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.callsSince(from).filter((c) => /Delete|Change|Create/.test(c) && c !== 'route53:ChangeTagsForResource')).toEqual([]);
    expect(again.path).not.toContain('Wait for resolver caches');
  });

  it('refuses to stop an always-on region without force, before any AWS call', async () => {
    const s = await twoServing();
    const from = s.world.calls.length;
    const run = await s.run('StopRegion', { region: 'us-east-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'StopRefused' });
    expect(run.cause).toContain('us-east-1 is always on; pass "force": true');
    expect(s.callsSince(from)).toEqual([]);
    expect(s.world.lockItems.size).toBe(0);
  });

  it('never stops the last serving region, even with force; the lock is released and the region keeps serving', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    const before = s.resources('us-east-1');
    const run = await s.run('StopRegion', { region: 'us-east-1', force: true, reason: 'maintenance' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'StopRefused' });
    expect(run.cause).toContain('us-east-1 is the last region serving cdn.example.com');
    expect(s.resources('us-east-1')).toEqual(before);
    expect(s.world.lockItems.size).toBe(0);
    expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn StopRegion us-east-1 failed');
    expect(s.world.notifications.at(-1)!.message).toContain('Reason: maintenance');
  });

  it('stops an always-on region with force while another region serves', async () => {
    const s = await twoServing();
    await s.succeed('StopRegion', { region: 'us-east-1', force: true });
    expect(s.resources('us-east-1')).toEqual([]);
    expect(s.world.latencyRecords('cdn.example.com').map((r) => r.SetIdentifier)).toEqual(['eu-west-1']);
  });
});

describe('warm standby', () => {
  const warm = () => scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));

  it('stop keeps the control plane but removes the record, load balancer, health check and pods', async () => {
    const s = warm();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });

    expect(s.resources('eu-west-1')).toEqual(['cluster kubecdn-eu-west-1 (ACTIVE)']);
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(
      (cluster.objects.get('/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx')!.spec as { replicas: number }).replicas,
    ).toBe(0);
    expect(cluster.objects.has('/apis/autoscaling/v2/namespaces/kubecdn-edge/horizontalpodautoscalers/edge-nginx')).toBe(false);
    expect(cluster.objects.has('/api/v1/namespaces/kubecdn-edge/services/edge')).toBe(false);
  });

  it('start skips cluster creation and scales the workload back up, in minutes', async () => {
    const s = warm();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    const cold = await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    const from = s.world.calls.length;
    const warmStart = await s.succeed('StartRegion', { region: 'eu-west-1' });

    expect(s.callsSince(from)).not.toContain('eks:CreateCluster');
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(
      (cluster.objects.get('/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx')!.spec as { replicas: number }).replicas,
    ).toBe(2);
    expect(cluster.objects.has('/apis/autoscaling/v2/namespaces/kubecdn-edge/horizontalpodautoscalers/edge-nginx')).toBe(true);
    expect(
      s.world
        .latencyRecords('cdn.example.com')
        .map((r) => r.SetIdentifier)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);
    expect(warmStart.elapsedMs).toBeLessThan(cold.elapsedMs / 2);
  });
});

describe('warm standby with a managed node group', () => {
  it('stop scales the node group to zero (only the control plane bills); start scales it back to the configured size', async () => {
    const s = scenario((c) => {
      c.standby = { 'eu-west-1': 'warm' };
      c.cluster = { mode: 'managed-nodegroup', nodeGroup: { minSize: 1, desiredSize: 2, maxSize: 4 } };
    });
    // The operator installs the AWS Load Balancer Controller in every new cluster, as this mode needs.
    s.world.loadBalancerControllerInNewClusters = true;
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(s.world.nodegroups(cluster).map((g) => g.scaling)).toEqual([{ minSize: 0, desiredSize: 0, maxSize: 4 }]);

    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const [group] = s.world.nodegroups(cluster);
    expect(group!.scaling).toEqual({ minSize: 1, desiredSize: 2, maxSize: 4 });
    expect(s.world.nodegroupStatus(group!)).toBe('ACTIVE');
  });
});

describe('a health check whose tagging failed after its creation', () => {
  const notYetKnown = () => new NoSuchHealthCheck({ $metadata: { httpStatusCode: 404 }, message: 'No health check exists with the ID' });

  it('is tagged on a retry when Route 53 does not know it yet, and a stop deletes it: nothing left', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    s.world.inject({ service: 'route53', operation: 'ChangeTagsForResource', error: notYetKnown, times: 1 });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const checks = [...s.world.healthChecks.values()].filter((c) => c.callerReference.startsWith('kubecdn-eu-west-1-'));
    expect(checks.map((c) => c.tags['kubecdn:region'])).toEqual(['eu-west-1']);

    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.healthChecks.size).toBe(1);
  });

  it('is deleted by the rollback when tagging fails for good: nothing left, nothing billed', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    s.world.inject({
      service: 'route53',
      operation: 'ChangeTagsForResource',
      error: () => new InvalidInput({ $metadata: { httpStatusCode: 400 }, message: 'tag refused' }),
    });
    const run = await s.run('StartRegion', { region: 'eu-west-1' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(s.resources('eu-west-1')).toEqual([]);
    expect(s.world.healthChecks.size).toBe(1);
  });
});

describe("StopRegion and the edge pods' Pod Identity association", () => {
  const edgeAssociations = (s: ReturnType<typeof scenario>, region: string) => [
    ...(s.world.cluster(region, `kubecdn-${region}`)?.podIdentityAssociations.values() ?? []),
  ];

  it('a cold stop removes the association before it deletes the cluster', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(edgeAssociations(s, 'eu-west-1')).toHaveLength(1);
    const from = s.world.calls.length;
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    const calls = s.callsSince(from);
    expect(calls).toContain('eks:DeletePodIdentityAssociation');
    expect(calls.indexOf('eks:DeletePodIdentityAssociation')).toBeLessThan(calls.indexOf('eks:DeleteCluster'));
    expect(s.resources('eu-west-1')).toEqual([]);
  });

  it('a warm stop removes it and keeps the control plane and, on managed node groups, the agent add-on', async () => {
    const s = scenario((c) => {
      c.standby = { 'eu-west-1': 'warm' };
      c.cluster = { mode: 'managed-nodegroup', nodeGroup: { minSize: 1, desiredSize: 2, maxSize: 4 } };
    });
    s.world.loadBalancerControllerInNewClusters = true;
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(edgeAssociations(s, 'eu-west-1')).toEqual([]);
    expect(s.resources('eu-west-1')).toEqual([
      'cluster kubecdn-eu-west-1 (ACTIVE)',
      'nodegroup kubecdn-eu-west-1-edge',
      'add-on eks-pod-identity-agent (ACTIVE)',
    ]);

    // The next start makes it again; the add-on is there already.
    const from = s.world.calls.length;
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(edgeAssociations(s, 'eu-west-1')).toHaveLength(1);
    expect(s.callsSince(from)).not.toContain('eks:CreateAddon');
  });

  it('an association already gone (removed by hand) is no reason to fail', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.podIdentityAssociations.clear();
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual(['cluster kubecdn-eu-west-1 (ACTIVE)']);
  });
});
