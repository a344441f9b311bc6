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
      removed: false,
      decommission: false,
      reason: 'manual start',
      standby: 'warm',
      alwaysOn: false,
      clusterMode: 'auto',
      recordTtlSeconds: 60,
      nowEpochSeconds: 1767603600,
      lockExpiresAtEpochSeconds: 1767603600 + 7200,
      startedAtEpochMs: 1767603600000,
      startedBy: null,
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

describe('validateWorkflowInput for a region removed from the config', () => {
  // eu-west-2 was scalable and warm in an earlier config; it is in neither list any more.
  const config = validConfig((c) => (c.standby = { 'eu-west-1': 'warm' }));
  const stop = { operation: 'stop' as const, lockSeconds: 7200, nowMs: Date.UTC(2026, 0, 5, 9, 0, 0) };
  const start = { ...stop, operation: 'start' as const };

  it('accepts a stop of an unconfigured AWS region with "removed": true, torn down cold, with a default reason', () => {
    expect(validateWorkflowInput(config, { region: 'eu-west-2', removed: true }, stop)).toMatchObject({
      region: 'eu-west-2',
      removed: true,
      standby: 'cold',
      alwaysOn: false,
      reason: 'removed from the config',
    });
  });

  it('refuses a stop of an unconfigured region without the flag, and says how to remove it', () => {
    expect(() => validateWorkflowInput(config, { region: 'eu-west-2' }, stop)).toThrow(
      expect.objectContaining({
        name: 'InvalidInput',
        message: expect.stringContaining(
          '$.region: "eu-west-2" is not a configured region; expected one of: us-east-1, eu-west-1, ap-northeast-1; to drain and stop a region removed from the config, pass "removed": true',
        ),
      }),
    );
  });

  it('refuses "removed": true for a region that is still configured, so a configured warm region is never torn down cold by mistake', () => {
    expect(() => validateWorkflowInput(config, { region: 'eu-west-1', removed: true }, stop)).toThrow(
      expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining('$.region: "eu-west-1" is still configured') }),
    );
  });

  it('refuses "removed": true for something that is not an AWS region', () => {
    expect(() => validateWorkflowInput(config, { region: 'eu-west-9', removed: true }, stop)).toThrow(
      expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining('"eu-west-9" is not an AWS region code') }),
    );
  });

  it('never starts a removed region, with or without the flag', () => {
    expect(() => validateWorkflowInput(config, { region: 'eu-west-2', removed: true }, start)).toThrow(
      expect.objectContaining({
        name: 'InvalidInput',
        message: expect.stringMatching(
          /\$\.region: "eu-west-2" is not a configured region.*\$\.removed: StartRegion does not take "removed": true; a region removed from the config can only be stopped/,
        ),
      }),
    );
    expect(() => validateWorkflowInput(config, { region: 'eu-west-2' }, start)).toThrow(
      expect.objectContaining({ name: 'InvalidInput', message: expect.not.stringContaining('"removed": true') }),
    );
  });

  it('treats "removed": false like no flag', () => {
    expect(validateWorkflowInput(config, { region: 'eu-west-1', removed: false }, stop)).toMatchObject({ removed: false, standby: 'warm' });
  });
});

describe('validateWorkflowInput for SyncRegion', () => {
  const config = validConfig((c) => (c.standby = { 'eu-west-1': 'warm' }));
  const sync = { operation: 'sync' as const, lockSeconds: 3600, nowMs: Date.UTC(2026, 0, 5, 9, 0, 0) };
  const rollout = 'arn:aws:states:us-east-1:123456789012:execution:kubecdn-RolloutWorkload:rollout-3f2a9c1b7e04-1a2b3c4d';

  it('knows a sync started by a roll-out (Step Functions names the parent), which only a sync accepts', () => {
    const input = { region: 'eu-west-1', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: rollout };
    expect(validateWorkflowInput(config, input, sync).startedBy).toBe(rollout);
    expect(() => validateWorkflowInput(config, input, { ...sync, operation: 'start' })).toThrow(
      /AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID/,
    );
  });

  it('takes a configured region and gives the same shape as a start or stop, with its own default reason', () => {
    expect(validateWorkflowInput(config, { region: 'eu-west-1' }, sync)).toEqual({
      operation: 'sync',
      region: 'eu-west-1',
      force: false,
      removed: false,
      decommission: false,
      reason: 'manual sync',
      standby: 'warm',
      alwaysOn: false,
      clusterMode: 'auto',
      recordTtlSeconds: 60,
      nowEpochSeconds: 1767603600,
      lockExpiresAtEpochSeconds: 1767603600 + 3600,
      startedAtEpochMs: 1767603600000,
      startedBy: null,
    });
    expect(validateWorkflowInput(config, { region: 'us-east-1', reason: 'roll-out v2' }, sync)).toMatchObject({
      region: 'us-east-1',
      alwaysOn: true,
      reason: 'roll-out v2',
    });
  });

  it.each([
    ['force', { region: 'eu-west-1', force: true }, '$.force: SyncRegion takes only "region" and "reason"'],
    ['force, even false', { region: 'eu-west-1', force: false }, '$.force: SyncRegion takes only "region" and "reason"'],
    ['removed', { region: 'eu-west-1', removed: true }, '$.removed: SyncRegion takes only "region" and "reason"'],
    ['an unconfigured region', { region: 'sa-east-1' }, '$.region: "sa-east-1" is not a configured region; expected one of: us-east-1'],
    ['a missing region', {}, '$.region: is required'],
    ['a reason over two lines', { region: 'eu-west-1', reason: 'a\nb' }, '$.reason: contains a control character'],
    [
      'a reason with a bidi override',
      { region: 'eu-west-1', reason: 'fine \u202Edelor' },
      '$.reason: contains the invisible format character U+202E',
    ],
    [
      'a reason with zero-width spaces and a bidi override',
      { region: 'eu-west-1', reason: 'a\u200Bb\u200Bc\u202E' },
      '$.reason: contains the invisible format characters U+200B, U+202E',
    ],
    ['an unknown field', { region: 'eu-west-1', version: 'v2' }, 'Unrecognized key: "version"'],
    [
      'a parent that is not an execution ARN',
      { region: 'eu-west-1', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: 'rollout' },
      '$.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: expected the ARN of the execution that started this one',
    ],
  ])('refuses %s, naming the field', (_what, input, message) => {
    expect(() => validateWorkflowInput(config, input, sync)).toThrow(
      expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining(`invalid SyncRegion input: `) }),
    );
    expect(() => validateWorkflowInput(config, input, sync)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    );
  });

  it('does not offer "removed" for an unconfigured region, since a sync never tears down', () => {
    expect(() => validateWorkflowInput(config, { region: 'sa-east-1' }, sync)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('removed') }),
    );
  });
});

describe('validateWorkflowInput with "decommission": true', () => {
  const config = validConfig((c) => (c.standby = { 'eu-west-1': 'warm' }));
  const stop = { operation: 'stop' as const, lockSeconds: 7200, nowMs: Date.UTC(2026, 0, 5, 9, 0, 0) };

  it('accepts a stop of any configured region, implying force and a cold teardown, with a default reason', () => {
    expect(validateWorkflowInput(config, { region: 'us-east-1', decommission: true }, stop)).toMatchObject({
      decommission: true,
      force: true,
      standby: 'cold',
      reason: 'decommission',
    });
    expect(validateWorkflowInput(config, { region: 'eu-west-1', decommission: true }, stop)).toMatchObject({
      decommission: true,
      standby: 'cold',
    });
  });

  it('is never implied: a forced stop does not decommission', () => {
    expect(validateWorkflowInput(config, { region: 'us-east-1', force: true }, stop).decommission).toBe(false);
  });

  it('refuses "force": false beside it, naming both fields', () => {
    expect(() => validateWorkflowInput(config, { region: 'eu-west-1', decommission: true, force: false }, stop)).toThrow(
      expect.objectContaining({
        name: 'InvalidInput',
        message: expect.stringContaining('$.force: "decommission": true implies "force": true; drop "force": false (or "decommission")'),
      }),
    );
  });

  it('is refused by StartRegion and SyncRegion, and must be a boolean', () => {
    expect(() => validateWorkflowInput(config, { region: 'eu-west-1', decommission: true }, { ...stop, operation: 'start' })).toThrow(
      expect.objectContaining({
        name: 'InvalidInput',
        message: expect.stringContaining('$.decommission: StartRegion does not take "decommission": true; decommissioning is a StopRegion'),
      }),
    );
    expect(() => validateWorkflowInput(config, { region: 'eu-west-1', decommission: true }, { ...stop, operation: 'sync' })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('$.decommission: SyncRegion takes only "region" and "reason"') }),
    );
    expect(() => validateWorkflowInput(config, { region: 'eu-west-1', decommission: 'yes' }, stop)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('$.decommission: expected true or false') }),
    );
  });

  it('applies to a region removed from the config as well', () => {
    expect(validateWorkflowInput(config, { region: 'eu-west-2', removed: true, decommission: true }, stop)).toMatchObject({
      removed: true,
      decommission: true,
      force: true,
    });
  });
});
