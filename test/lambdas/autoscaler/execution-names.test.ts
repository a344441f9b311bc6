import fc from 'fast-check';
import { AWS_REGION_CODES } from '../../../core/regions';
import { executionName, MAX_EXECUTION_NAME_LENGTH, parseExecutionName } from '../../../lambdas/autoscaler/execution-names';

describe('execution names', () => {
  it('show the action, the region and the tick time in UTC', () => {
    expect(executionName('start', 'eu-west-1', Date.parse('2026-11-25T20:05:00Z'))).toBe('start-eu-west-1-20261125T200500Z');
    expect(executionName('stop', 'ap-southeast-7', Date.parse('2026-01-02T03:04:05.678Z'))).toBe('stop-ap-southeast-7-20260102T030405Z');
  });

  it('are valid Step Functions names for every region and time, and read back to their region and action', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('start' as const, 'stop' as const),
        fc.constantFrom(...AWS_REGION_CODES),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }),
        (action, region, time) => {
          const name = executionName(action, region, time.getTime());
          expect(name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
          expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(parseExecutionName(name)).toEqual({ action, region });
        },
      ),
    );
  });

  it('are the same for the same tick, so a retried invocation cannot start a region twice', () => {
    const tick = Date.parse('2026-11-25T20:05:00Z');
    expect(executionName('start', 'eu-west-1', tick)).toBe(executionName('start', 'eu-west-1', tick));
    expect(executionName('start', 'eu-west-1', tick)).not.toBe(executionName('start', 'eu-west-1', tick + 60_000));
  });

  it('do not claim names made by hand', () => {
    expect(parseExecutionName('0d9e6c1a-8f1e-4c5b-9a55-3f1f3a1b2c3d')).toBeUndefined();
    expect(parseExecutionName('start-eu-west-1')).toBeUndefined();
    expect(parseExecutionName('restart-eu-west-1-20261125T200500Z')).toBeUndefined();
  });
});
