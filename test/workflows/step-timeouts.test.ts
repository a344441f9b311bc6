import { scenario } from './scenario';

/** A step's every attempt times out: 1 try plus the 4 retries of Lambda-level errors. */
const PAST_THE_RETRIES = 5;

describe('a step that times out on every attempt', () => {
  it('fails a start with a cause and notification naming the state and its step', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    s.harness.lambdaFaults.push({ step: 'applyWorkload', when: 'before', times: PAST_THE_RETRIES });

    const run = await s.run('StartRegion', { region: 'eu-west-1' });

    expect(run).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    expect(run.cause).toContain('Apply workload (region-ops step applyWorkload) timed out');
    expect(s.resources('eu-west-1')).toEqual([]);
    const notice = s.world.notifications.at(-1)!;
    expect(notice.subject).toBe('kubecdn StartRegion eu-west-1 rolled back');
    expect(notice.message).toContain('Failed with Sandbox.Timedout: Apply workload (region-ops step applyWorkload) timed out');
  });

  it('fails a stop with a cause naming the state and its step, and the lock released', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    s.harness.lambdaFaults.push({ step: 'deleteCluster', when: 'before', times: PAST_THE_RETRIES });

    const run = await s.run('StopRegion', { region: 'eu-west-1' });

    expect(run).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    expect(run.cause).toContain('Delete cluster (region-ops step deleteCluster) timed out');
    expect(s.world.lockItems.size).toBe(0);
    expect(s.world.notifications.at(-1)!.message).toContain('Delete cluster (region-ops step deleteCluster) timed out');
  });
});
