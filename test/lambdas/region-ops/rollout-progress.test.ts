import { readableChildCause, rolloutProgress } from '../../../lambdas/region-ops/rollout-progress';

/** What a Catch on a startExecution.sync:2 task stores: the child's DescribeExecution output as the Cause. */
function childFailure(error: string, cause: string): string {
  return JSON.stringify({
    ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-SyncRegion:x',
    Status: 'FAILED',
    Error: error,
    Cause: cause,
    StartDate: 1767603600000,
    StopDate: 1767603900000,
  });
}

describe('rolloutProgress', () => {
  it('goes on after a wave whose regions all succeeded or were skipped', () => {
    expect(
      rolloutProgress({
        waveIndex: 0,
        results: [],
        waveResults: [
          { region: 'eu-west-1', outcome: 'succeeded' },
          { region: 'ap-northeast-1', outcome: 'skipped' },
        ],
      }),
    ).toEqual({
      waveIndex: 1,
      results: [
        { region: 'eu-west-1', outcome: 'succeeded' },
        { region: 'ap-northeast-1', outcome: 'skipped' },
      ],
      halted: false,
      failed: [],
    });
  });

  it('halts after a wave with a failed or rolled-back region, naming those regions, and keeps earlier waves’ results first', () => {
    const progress = rolloutProgress({
      waveIndex: 1,
      results: [{ region: 'eu-west-1', outcome: 'succeeded' }],
      waveResults: [
        { region: 'sa-east-1', outcome: 'rolled back' },
        { region: 'ap-south-1', outcome: 'failed', error: 'States.TaskFailed', cause: 'boom' },
        { region: 'ap-northeast-1', outcome: 'succeeded' },
      ],
    });
    expect(progress.waveIndex).toBe(2);
    expect(progress.halted).toBe(true);
    expect(progress.failed).toEqual(['sa-east-1', 'ap-south-1']);
    expect(progress.results.map((r) => r.region)).toEqual(['eu-west-1', 'sa-east-1', 'ap-south-1', 'ap-northeast-1']);
  });

  it('stores a failed child execution’s cause as its Error and readable Cause', () => {
    const lambdaCause = JSON.stringify({
      errorType: 'RegionOperationFailed',
      errorMessage: 'workloadRollout: kubecdn-edge/edge-nginx: 1 of 2 updated, 2 available; progress deadline exceeded',
      trace: ['at x'],
    });
    const progress = rolloutProgress({
      waveIndex: 0,
      results: [],
      waveResults: [
        { region: 'ap-south-1', outcome: 'failed', error: 'States.TaskFailed', cause: childFailure('RolloutFailed', lambdaCause) },
      ],
    });
    expect(progress.results).toEqual([
      {
        region: 'ap-south-1',
        outcome: 'failed',
        error: 'States.TaskFailed',
        cause: 'RolloutFailed: workloadRollout: kubecdn-edge/edge-nginx: 1 of 2 updated, 2 available; progress deadline exceeded',
      },
    ]);
    // Already readable: a later wave passes it through unchanged.
    expect(rolloutProgress({ waveIndex: 1, results: progress.results, waveResults: [] }).results).toEqual(progress.results);
  });
});

describe('readableChildCause', () => {
  it('reads the child’s Error and Cause, a Lambda error’s message inside the Cause, a bare status, or leaves text alone', () => {
    expect(readableChildCause(childFailure('RolloutFailed', 'the Deployment did not roll out'))).toBe(
      'RolloutFailed: the Deployment did not roll out',
    );
    expect(readableChildCause(JSON.stringify({ Status: 'TIMED_OUT' }))).toBe('the SyncRegion execution ended TIMED_OUT');
    expect(readableChildCause(JSON.stringify({ Status: 'ABORTED', Error: 'States.Aborted' }))).toBe('States.Aborted');
    expect(readableChildCause(JSON.stringify({ errorType: 'Retryable', errorMessage: 'throttled' }))).toBe('throttled');
    expect(readableChildCause('plain words')).toBe('plain words');
    expect(readableChildCause('42')).toBe('42');
    expect(readableChildCause(undefined)).toBeUndefined();
  });
});
