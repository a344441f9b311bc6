import { validateWorkflowInput } from '../../../lambdas/region-ops/workflow-input';
import { validConfig } from '../../support/configs';

describe('validateWorkflowInput', () => {
  const config = validConfig((c) => (c.standby = { 'eu-west-1': 'warm' }));
  const options = { operation: 'start' as const, lockSeconds: 7200, nowMs: Date.UTC(2026, 0, 5, 9, 0, 0) };

  it('fills defaults and derives what the workflow needs from the config', () => {
    expect(validateWorkflowInput(config, { region: 'eu-west-1' }, options)).toEqual({
      operation: 'start',
      region: 'eu-west-1',
      force: false,
      reason: 'manual start',
      standby: 'warm',
      alwaysOn: false,
      clusterMode: 'auto',
      recordTtlSeconds: 60,
      nowEpochSeconds: 1767603600,
      lockExpiresAtEpochSeconds: 1767603600 + 7200,
      startedAtEpochMs: 1767603600000,
    });
  });

  it('treats an always-on region as cold (it is never kept warm) and refuses to stop it without force', () => {
    expect(validateWorkflowInput(config, { region: 'us-east-1' }, options)).toMatchObject({ alwaysOn: true, standby: 'cold' });
    expect(() => validateWorkflowInput(config, { region: 'us-east-1' }, { ...options, operation: 'stop' })).toThrow(
      expect.objectContaining({ name: 'StopRefused', message: 'us-east-1 is always on; pass "force": true to stop it anyway' }),
    );
    expect(validateWorkflowInput(config, { region: 'us-east-1', force: true }, { ...options, operation: 'stop' }).force).toBe(true);
  });

  it('reports every problem at once, each with its JSON path, as InvalidInput', () => {
    expect(() => validateWorkflowInput(config, { region: 'mars-1', force: 1, extra: true }, options)).toThrow(
      expect.objectContaining({
        name: 'InvalidInput',
        message: expect.stringMatching(
          /\$\.region: "mars-1" is not a configured region.*\$\.force: expected true or false.*Unrecognized key: "extra"/,
        ),
      }),
    );
  });
});
