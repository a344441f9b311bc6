import { defaultRolloutOrder, rolloutWaves, validateRolloutInput } from '../../../lambdas/region-ops/rollout-input';
import { validConfig } from '../../support/configs';

const nowMs = Date.UTC(2026, 0, 5, 9, 0, 0);
const options = { lockSeconds: 7200, nowMs };
// Always-on us-east-1; scalable eu-west-1 and ap-northeast-1 (see test/support/configs.ts).
const config = validConfig();

describe('validateRolloutInput', () => {
  it('fills the defaults: every configured region, scalable ones first, one region per wave', () => {
    expect(validateRolloutInput(config, {}, options)).toEqual({
      operation: 'rollout',
      region: 'version manual',
      version: 'manual',
      reason: 'manual roll-out',
      regions: ['eu-west-1', 'ap-northeast-1', 'us-east-1'],
      waves: [['eu-west-1'], ['ap-northeast-1'], ['us-east-1']],
      waveCount: 3,
      regionsAtOnce: 1,
      nowEpochSeconds: 1767603600,
      lockExpiresAtEpochSeconds: 1767603600 + 7200,
      startedAtEpochMs: nowMs,
    });
  });

  it('keeps the order of the regions it is given and names the version in the report target', () => {
    const input = validateRolloutInput(config, { version: 'v1.4.2', reason: 'deploy 42', regions: ['us-east-1', 'eu-west-1'] }, options);
    expect(input).toMatchObject({
      region: 'version v1.4.2',
      version: 'v1.4.2',
      reason: 'deploy 42',
      regions: ['us-east-1', 'eu-west-1'],
      waves: [['us-east-1'], ['eu-west-1']],
      waveCount: 2,
    });
  });

  it('cuts the regions into waves of workload.rolloutRegionsAtOnce', () => {
    const wide = validConfig((c) => {
      c.scalable = ['eu-west-1', 'ap-northeast-1', 'sa-east-1'];
      c.workload = { ...c.workload, rolloutRegionsAtOnce: 2 };
    });
    expect(validateRolloutInput(wide, {}, options)).toMatchObject({
      regions: ['eu-west-1', 'ap-northeast-1', 'sa-east-1', 'us-east-1'],
      waves: [
        ['eu-west-1', 'ap-northeast-1'],
        ['sa-east-1', 'us-east-1'],
      ],
      waveCount: 2,
      regionsAtOnce: 2,
    });
  });

  it.each([
    ['a version with a space', { version: 'v 2' }, '$.version: expected 1-64 letters, digits, ".", "_" or "-"'],
    ['a version with a slash', { version: 'release/2' }, '$.version: expected 1-64 letters, digits, ".", "_" or "-"'],
    ['an empty version', { version: '' }, '$.version: expected 1-64 letters, digits, ".", "_" or "-"'],
    ['a version longer than 64 characters', { version: 'v'.repeat(65) }, '$.version: expected 1-64 letters, digits, ".", "_" or "-"'],
    ['a numeric version', { version: 2 }, '$.version: expected 1-64 letters, digits, ".", "_" or "-"'],
    ['a reason over two lines', { reason: 'a\nb' }, '$.reason: contains a control character'],
    ['a reason with a bidi override', { reason: 'v2 \u202Ekcab' }, '$.reason: contains the invisible format character U+202E'],
    ['a reason with a zero-width space', { reason: 'v\u200B2' }, '$.reason: contains the invisible format character U+200B'],
    ['a reason of 257 characters', { reason: 'r'.repeat(257) }, '$.reason: expected at most 256 characters'],
    [
      'an empty region list',
      { regions: [] },
      '$.regions: expected at least one configured region; leave "regions" out to roll out to every configured region',
    ],
    ['regions as a string', { regions: 'eu-west-1' }, '$.regions: expected a list of configured regions such as ["eu-west-1"]'],
    [
      'an unconfigured region',
      { regions: ['eu-west-1', 'sa-east-1'] },
      '$.regions[1]: "sa-east-1" is not a configured region; expected one of',
    ],
    ['a region listed twice', { regions: ['eu-west-1', 'us-east-1', 'eu-west-1'] }, '$.regions: lists "eu-west-1" more than once'],
    ['a field it does not take', { version: 'v2', force: true }, 'Unrecognized key: "force"'],
    ['an input that is not an object', ['eu-west-1'], '$: expected a JSON object such as {"version": "v1.4.2"'],
  ])('refuses %s, naming the field and what it expects', (_what, input, message) => {
    expect(() => validateRolloutInput(config, input, options)).toThrow(
      expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining(message) }),
    );
    expect(() => validateRolloutInput(config, input, options)).toThrow(/^invalid RolloutWorkload input: /);
  });
});

describe('roll-out order and waves', () => {
  it('puts scalable regions before always-on ones, each in config order', () => {
    const c = validConfig((input) => {
      input.alwaysOn = ['us-east-1', 'eu-central-1'];
      input.scalable = ['ap-south-1', 'eu-west-1'];
    });
    expect(defaultRolloutOrder(c)).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1', 'eu-central-1']);
  });

  it('chunks in order, with a shorter last wave', () => {
    expect(rolloutWaves(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(rolloutWaves(['a', 'b'], 10)).toEqual([['a', 'b']]);
    expect(() => rolloutWaves(['a'], 0)).toThrow(RangeError);
  });
});
