/**
 * The workflows' own cost in time and state transitions, on the simulated clock: elapsed time
 * minus the AWS operations on the critical path (lead times in simulated-aws/world.ts). What
 * remains is poll granularity (an operation finishing just after a check waits a full interval),
 * the Lambda invocations (400 ms each, simulated) and the lock/notify tasks. Set
 * KUBECDN_REPORT_OVERHEAD=1 to print the table.
 */
import { LEAD_TIMES_MS } from '../support/simulated-aws/world';
import { synthesizeWorkflows, WorkflowHarness, type WorkflowRunResult } from '../support/asl-runner';
import { NEXT_IMAGE, workloadWithImage } from '../support/next-workload';
import { putOnOldHttpCheck } from '../support/old-health-check';
import { scenario } from './scenario';

const rows: string[] = [];
afterAll(() => {
  if (process.env.KUBECDN_REPORT_OVERHEAD)
    console.log(['operation | transitions | Lambda calls | elapsed | AWS critical path | overhead', ...rows].join('\n'));
});

function record(name: string, run: WorkflowRunResult, criticalPathMs: number): number {
  const overhead = run.elapsedMs - criticalPathMs;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  rows.push(`${name} | ${run.transitions} | ${run.lambdaInvocations} | ${s(run.elapsedMs)} | ${s(criticalPathMs)} | ${s(overhead)}`);
  return overhead;
}

describe('workflow overhead beyond the AWS operations it waits for', () => {
  const ttl = 60_000;

  it('cold start: under one poll interval per wait plus Lambda time', async () => {
    const s = scenario();
    const run = await s.succeed('StartRegion', { region: 'eu-west-1' });
    const overhead = record(
      'cold start',
      run,
      LEAD_TIMES_MS.clusterCreate + LEAD_TIMES_MS.loadBalancerProvision + LEAD_TIMES_MS.dnsPropagation,
    );
    expect(overhead).toBeGreaterThanOrEqual(0);
    expect(overhead).toBeLessThan(30_000 + 15_000 + 10_000 + run.lambdaInvocations * 400 + 1_000);
    // 20 cluster polls of 3 states each dominate; a guard against loops that spin without waiting.
    expect(run.transitions).toBeLessThan(150);
  });

  it('warm start: the cluster is kept, so only the load balancer and DNS are waited for', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    const run = await s.succeed('StartRegion', { region: 'eu-west-1' });
    const overhead = record('warm start', run, LEAD_TIMES_MS.loadBalancerProvision + LEAD_TIMES_MS.dnsPropagation);
    expect(overhead).toBeLessThan(15_000 + 10_000 + run.lambdaInvocations * 400 + 1_000);
  });

  it('cold stop: DNS, TTL, load balancer and cluster deletion', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const run = await s.succeed('StopRegion', { region: 'eu-west-1' });
    const overhead = record(
      'cold stop',
      run,
      LEAD_TIMES_MS.dnsPropagation + ttl + LEAD_TIMES_MS.loadBalancerDelete + LEAD_TIMES_MS.clusterDelete,
    );
    expect(overhead).toBeLessThan(10_000 + 15_000 + 30_000 + run.lambdaInvocations * 400 + 1_000);
  });

  it('warm stop: DNS, TTL and load balancer deletion', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const run = await s.succeed('StopRegion', { region: 'eu-west-1' });
    const overhead = record('warm stop', run, LEAD_TIMES_MS.dnsPropagation + ttl + LEAD_TIMES_MS.loadBalancerDelete);
    expect(overhead).toBeLessThan(10_000 + 15_000 + run.lambdaInvocations * 400 + 1_000);
  });

  it('sync of a serving region to a new workload version: the pods roll out, then one health check', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const next = new WorkflowHarness(s.world, s.config, synthesizeWorkflows(s.config, { manifestsDir: workloadWithImage(NEXT_IMAGE) }));
    const run = await next.run('SyncRegion', { region: 'eu-west-1' });
    expect(run.status).toBe('SUCCEEDED');
    const overhead = record('sync (new version)', run, LEAD_TIMES_MS.podsReady);
    expect(overhead).toBeLessThan(15_000 + run.lambdaInvocations * 400 + 1_000);
  });

  it('sync that also replaces an HTTP health check: the new check’s first observations, then the record move', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    putOnOldHttpCheck(s.world, s.config.name, s.config.dns.domainName, 'eu-west-1');
    const next = new WorkflowHarness(s.world, s.config, synthesizeWorkflows(s.config, { manifestsDir: workloadWithImage(NEXT_IMAGE) }));
    const run = await next.run('SyncRegion', { region: 'eu-west-1' });
    expect(run.status).toBe('SUCCEEDED');
    // Route 53's checkers look every 30 s: a new check has no observation before that.
    const overhead = record(
      'sync (new version, health check replaced)',
      run,
      LEAD_TIMES_MS.podsReady + 30_000 + LEAD_TIMES_MS.dnsPropagation,
    );
    expect(overhead).toBeLessThan(15_000 + 10_000 + run.lambdaInvocations * 400 + 1_000);
  });
});
