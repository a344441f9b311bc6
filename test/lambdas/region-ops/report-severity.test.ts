import { buildReport, reportSeverity, type ReportInput } from '../../../lambdas/region-ops/report';

const base: ReportInput = {
  operation: 'start',
  outcome: 'succeeded',
  region: 'eu-west-1',
  reason: 'autoscaler: demand',
  startedAtEpochMs: 0,
  failure: null,
  details: {},
};

describe('the severity of a notification', () => {
  it('is info for routine outcomes: a start or stop that succeeded, a sync skipped', () => {
    expect(reportSeverity({ ...base })).toBe('info');
    expect(reportSeverity({ ...base, operation: 'stop', details: { leftovers: [] } })).toBe('info');
    expect(reportSeverity({ ...base, operation: 'sync', outcome: 'skipped' })).toBe('info');
    expect(reportSeverity({ ...base, operation: 'purge' })).toBe('info');
  });

  it('is warning for a failure that left the region serving, or nothing changed', () => {
    expect(reportSeverity({ ...base, outcome: 'failed, kept serving' })).toBe('warning');
    expect(reportSeverity({ ...base, outcome: 'failed' })).toBe('warning');
    expect(reportSeverity({ ...base, operation: 'sync', outcome: 'failed' })).toBe('warning');
    expect(reportSeverity({ ...base, operation: 'purge', outcome: 'failed' })).toBe('warning');
  });

  it('is warning for a stop that succeeded but whose sweep found tagged resources left', () => {
    expect(reportSeverity({ ...base, operation: 'stop', details: { leftovers: ['arn:aws:ec2:eu-west-1:1:volume/vol-1'] } })).toBe(
      'warning',
    );
  });

  it('is error when someone has to act: a stop that failed midway, a rollback, a failed rollback, a halted roll-out', () => {
    expect(reportSeverity({ ...base, operation: 'stop', outcome: 'failed' })).toBe('error');
    expect(reportSeverity({ ...base, outcome: 'rolled back' })).toBe('error');
    expect(reportSeverity({ ...base, outcome: 'rollback failed' })).toBe('error');
    expect(reportSeverity({ ...base, operation: 'sync', outcome: 'rolled back' })).toBe('error');
    expect(reportSeverity({ ...base, operation: 'rollout', outcome: 'halted' })).toBe('error');
  });

  it('comes with the report the workflows publish', () => {
    expect(buildReport({ ...base, outcome: 'rolled back' }, 60_000).severity).toBe('error');
  });
});
