import { buildReport, type ReportInput } from '../../../lambdas/region-ops/report';

const base = { reason: 'deploy 42', startedAtEpochMs: 0, failure: null, details: {} };

describe('the SyncRegion report', () => {
  it('names the workflow and region in the subject and says the region keeps the previous version after a restore', () => {
    const report = buildReport({ ...base, operation: 'sync', outcome: 'rolled back', region: 'sa-east-1' }, 300_000);
    expect(report.subject).toBe('kubecdn SyncRegion sa-east-1 rolled back');
    expect(report.message).toContain('SyncRegion sa-east-1: rolled back after 5 min 0 s.');
    expect(report.message).toContain('the region keeps serving the previous version');
  });

  it('says why nothing changed in a skipped region and when it gets the current workload', () => {
    const report = buildReport({ ...base, operation: 'sync', outcome: 'skipped', region: 'eu-west-1' }, 1_000);
    expect(report.subject).toBe('kubecdn SyncRegion eu-west-1 skipped');
    expect(report.message).toContain('its next StartRegion applies the current workload');
  });

  it('asks for a check of the Deployment, not a StopRegion, when the restore failed', () => {
    const report = buildReport({ ...base, operation: 'sync', outcome: 'rollback failed', region: 'eu-west-1' }, 1_000);
    expect(report.message).toContain('run SyncRegion again');
    expect(report.message).not.toContain('StopRegion');
  });
});

describe('the RolloutWorkload report', () => {
  const results = [
    { region: 'eu-west-1', outcome: 'succeeded' },
    { region: 'ap-northeast-1', outcome: 'skipped' },
    { region: 'ap-south-1', outcome: 'failed', error: 'States.TaskFailed', cause: 'RolloutFailed: progress deadline exceeded' },
  ];
  const halted: ReportInput = {
    ...base,
    operation: 'rollout',
    outcome: 'halted',
    region: 'version v2',
    details: { results, regions: ['eu-west-1', 'ap-northeast-1', 'ap-south-1', 'sa-east-1', 'us-east-1'] },
  };

  it('lists every region reached, one line each, with the cause of a failure', () => {
    const lines = buildReport(halted, 600_000).message.split('\n');
    expect(lines).toContain('  eu-west-1: succeeded');
    expect(lines).toContain('  ap-northeast-1: skipped');
    expect(lines).toContain('  ap-south-1: failed: RolloutFailed: progress deadline exceeded');
  });

  it('after a halt, names the regions not reached, says they keep the previous version and how to continue', () => {
    const report = buildReport(halted, 600_000);
    expect(report.subject).toBe('kubecdn RolloutWorkload version v2 halted');
    expect(report.message).toContain('Not reached: sa-east-1, us-east-1; they keep serving the previous version.');
    expect(report.message).toContain('run RolloutWorkload again (or deploy a new version) to continue');
    // The lists are written out as lines, not dumped as JSON.
    expect(report.message).not.toContain('"region"');
  });

  it('without the planned list, still says that regions not listed were not reached', () => {
    const report = buildReport({ ...halted, details: { results } }, 600_000);
    expect(report.message).toContain('Regions not listed above were not reached; they keep serving the previous version.');
  });

  it('reports a full roll-out without the halt advice', () => {
    const report = buildReport(
      { ...base, operation: 'rollout', outcome: 'succeeded', region: 'version v2', details: { results: results.slice(0, 2) } },
      60_000,
    );
    expect(report.subject).toBe('kubecdn RolloutWorkload version v2 succeeded');
    expect(report.message).toBe(
      'RolloutWorkload version v2: succeeded after 1 min 0 s.\nReason: deploy 42\nRegions:\n  eu-west-1: succeeded\n  ap-northeast-1: skipped',
    );
  });

  it('keeps the subject to one line of at most 100 characters', () => {
    const report = buildReport({ ...halted, region: `version ${'v'.repeat(64)}\nx` }, 0);
    expect(report.subject.length).toBeLessThanOrEqual(100);
    expect(report.subject).not.toMatch(/\n/);
  });
});
