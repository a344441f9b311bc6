import { purgeLines, purgeOutcome, type RegionPurgeResult } from '../../../lambdas/region-ops/purge-report';
import { buildReport } from '../../../lambdas/region-ops/report';

const purged: RegionPurgeResult = {
  region: 'us-east-1',
  outcome: 'purged',
  pods: [
    { pod: 'edge-nginx-1', removed: 3, scanned: 10 },
    { pod: 'edge-nginx-2', removed: 2, scanned: 8 },
  ],
};
const skipped: RegionPurgeResult = {
  region: 'ap-northeast-1',
  outcome: 'skipped',
  reason: 'cluster kubecdn-ap-northeast-1 is absent (stopped)',
};
const busy: RegionPurgeResult = {
  region: 'eu-west-1',
  outcome: 'busy',
  error: 'RegionBusy',
  cause: 'eu-west-1 is busy: stop of eu-west-1 by execution X holds its lock; run PurgeCache again once it is done',
};
const failed: RegionPurgeResult = {
  region: 'sa-east-1',
  outcome: 'failed',
  error: 'RegionOperationFailed',
  // A Lambda error's Cause, as a Catch records it.
  cause: JSON.stringify({ errorType: 'RegionOperationFailed', errorMessage: 'purgeRegion: listing the edge pods: HTTP 500: boom' }),
};

describe('purgeOutcome', () => {
  it('succeeds when every region was purged or skipped, summing what was removed', () => {
    expect(purgeOutcome([purged, skipped])).toEqual({
      failed: false,
      failure: null,
      removed: 5,
      purged: ['us-east-1'],
      skipped: ['ap-northeast-1'],
      busy: [],
      failedRegions: [],
    });
  });

  it('fails with RegionBusy when regions were only busy, naming them and saying a re-run finishes the job', () => {
    const outcome = purgeOutcome([purged, busy, skipped]);
    expect(outcome.failure).toEqual({
      Error: 'RegionBusy',
      Cause:
        'not purged: eu-west-1. eu-west-1 is busy: stop of eu-west-1 by execution X holds its lock; run PurgeCache again once it is done. The other serving regions were purged; run PurgeCache again with the same input to purge the rest.',
    });
  });

  it('fails with PurgeFailed when a region failed, with the readable cause', () => {
    const outcome = purgeOutcome([purged, busy, failed]);
    expect(outcome).toMatchObject({ failed: true, busy: ['eu-west-1'], failedRegions: ['sa-east-1'] });
    expect(outcome.failure!.Error).toBe('PurgeFailed');
    expect(outcome.failure!.Cause).toContain('not purged: eu-west-1, sa-east-1.');
    expect(outcome.failure!.Cause).toContain('sa-east-1 failed: purgeRegion: listing the edge pods: HTTP 500: boom');
  });
});

describe('the PurgeCache notification', () => {
  it('says what was purged, and per region and pod what was removed or why not', () => {
    const report = buildReport(
      {
        operation: 'purge',
        outcome: 'failed',
        region: '2 paths',
        reason: 'manual purge',
        startedAtEpochMs: 0,
        failure: purgeOutcome([purged, busy, skipped]).failure,
        details: { results: [purged, busy, skipped], request: { paths: ['/img/logo.png'], prefixes: ['/css/'], everything: false } },
      },
      12_000,
    );
    expect(report.subject).toBe('kubecdn PurgeCache 2 paths failed');
    expect(report.message.split('\n')).toEqual([
      'PurgeCache 2 paths: failed after 12 s.',
      'Reason: manual purge',
      expect.stringMatching(/^Failed with RegionBusy: not purged: eu-west-1\. /),
      'Purged: /img/logo.png /css/*',
      'Objects removed: 5',
      'Regions:',
      '  us-east-1: purged, 5 objects removed by 2 pods',
      '    edge-nginx-1: 3 removed of 10 cached objects',
      '    edge-nginx-2: 2 removed of 8 cached objects',
      '  eu-west-1: busy: eu-west-1 is busy: stop of eu-west-1 by execution X holds its lock; run PurgeCache again once it is done',
      '  ap-northeast-1: skipped: cluster kubecdn-ap-northeast-1 is absent (stopped)',
    ]);
  });

  it('lists the pods that answered with an error and those that never answered', () => {
    const lines = purgeLines([
      {
        region: 'eu-west-1',
        outcome: 'failed',
        error: 'PurgeTimeout',
        cause: 'edge pods b did not answer',
        pods: [{ pod: 'a', error: 'EACCES' }],
        waiting: ['b'],
      },
    ]);
    expect(lines).toEqual([
      'Objects removed: 0',
      'Regions:',
      '  eu-west-1: failed: edge pods b did not answer',
      '    a: error: EACCES',
      '    b: no answer',
    ]);
  });
});
