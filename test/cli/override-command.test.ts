/**
 * kubecdn override through the real binary, against the loopback AWS stand-in: the item written
 * is one the autoscaler's reader obeys, each set and clear is told to the operations topic, and
 * what the operator got wrong is refused (exit 2) before anything is sent.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { loadConfigFile } from '../../core/config';
import { readOverrides } from '../../lambdas/autoscaler/override-reader';
import { overrideItem } from '../../lambdas/shared/region-override-item';
import { minimalConfigInput, writeConfigFile } from '../support/configs';
import { runKubecdn } from '../support/run-kubecdn';
import { OVERRIDE_TABLE, type StandInWorld, workflowAwsStandIn, workflowOutputs } from '../support/workflow-aws-stand-in';

jest.setTimeout(60_000);

const FAKE_AWS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_MAX_ATTEMPTS: '1' };
const CONFIG = writeConfigFile({ ...minimalConfigInput(), homeRegion: 'eu-west-1' });
const config = loadConfigFile(CONFIG).config;
const CALLER = 'arn:aws:sts::123456789012:assumed-role/Operators/ana';
const TOPIC = workflowOutputs('eu-west-1').OperationsTopicArn;

let world: StandInWorld & { tables: Record<string, Record<string, Record<string, AttributeValue>>> };
let standIn: Awaited<ReturnType<typeof workflowAwsStandIn>>;

beforeEach(async () => {
  world = {
    outputs: { ...workflowOutputs('eu-west-1'), RegionOverrideTableName: OVERRIDE_TABLE },
    history: [],
    pageSize: 100,
    tables: { [OVERRIDE_TABLE]: {} },
    callerArn: CALLER,
  };
  standIn = await workflowAwsStandIn(world);
});
afterEach(() => standIn.close());

function kubecdn(...args: string[]) {
  return runKubecdn([...args, '--config', CONFIG], { env: { ...FAKE_AWS, AWS_ENDPOINT_URL: standIn.endpoint } });
}

const stored = () => world.tables[OVERRIDE_TABLE]!;
const published = () => standIn.requests.filter((r) => r.operation === 'Publish').map((r) => r.input);

function existing(region: string, pin: 'on' | 'off', expiresAt: number, reason = 'earlier') {
  stored()[region] = overrideItem({
    region,
    pin,
    expiresAt,
    reason,
    setBy: 'arn:aws:iam::123456789012:user/bo',
    setAt: '2026-11-29T01:00:00.000Z',
  });
}

describe('kubecdn override <region> on|off', () => {
  it('writes an item the autoscaler obeys, tells the operations topic, and says what happens and when it lapses', async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = await kubecdn('override', 'ap-northeast-1', 'on', '--for', '1h30m', '--reason', 'launch in Tokyo');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(standIn.requests.map((r) => [r.operation, r.region])).toEqual([
      ['DescribeStacks', 'eu-west-1'],
      ['GetCallerIdentity', 'eu-west-1'],
      ['PutItem', 'eu-west-1'],
      ['Publish', 'eu-west-1'],
    ]);
    const item = stored()['ap-northeast-1']!;
    const expiresAt = Number(item.expiresAt!.N);
    expect(expiresAt - before).toBeGreaterThanOrEqual(5400);
    expect(expiresAt - before).toBeLessThanOrEqual(5400 + 60);
    expect(item).toMatchObject({ pin: { S: 'on' }, reason: { S: 'launch in Tokyo' }, setBy: { S: CALLER } });

    const now = (expiresAt - 5400) * 1000;
    const reading = await readOverrides(
      { dynamodb: { send: async () => ({ Items: Object.values(stored()) }) } as never, overrideTable: OVERRIDE_TABLE },
      config,
      now,
    );
    expect(reading.overrides).toEqual({ 'ap-northeast-1': { pin: 'on', until: expiresAt * 1000, reason: 'launch in Tokyo' } });

    const until = new Date(expiresAt * 1000).toISOString().slice(11, 16);
    expect(result.stdout).toContain(`ap-northeast-1 pinned on until ${until}`);
    expect(result.stdout).toContain("The autoscaler's next tick (within 1m) starts ap-northeast-1 unless it is running");
    expect(result.stdout).toContain('It lapses by itself in 1h30m; end it earlier with: kubecdn override clear ap-northeast-1\n');
    expect(published()).toEqual([
      {
        TopicArn: TOPIC,
        Subject: 'kubecdn: ap-northeast-1 pinned on for 1h30m',
        Message: expect.stringMatching(
          new RegExp(`^${CALLER} pinned ap-northeast-1 on until .* \\(for 1h30m\\): launch in Tokyo\\. The autoscaler`),
        ),
        'MessageAttributes.entry.1.Name': 'severity',
        'MessageAttributes.entry.1.Value.DataType': 'String',
        'MessageAttributes.entry.1.Value.StringValue': 'warning',
        'MessageAttributes.entry.2.Name': 'operation',
        'MessageAttributes.entry.2.Value.DataType': 'String',
        'MessageAttributes.entry.2.Value.StringValue': 'override',
        'MessageAttributes.entry.3.Name': 'region',
        'MessageAttributes.entry.3.Value.DataType': 'String',
        'MessageAttributes.entry.3.Value.StringValue': 'ap-northeast-1',
      },
    ]);
  });

  it('with --json prints the override and the one it replaced', async () => {
    existing('eu-west-1', 'on', 1_900_000_000);
    const result = await kubecdn('override', 'eu-west-1', 'off', '--for', '2d', '--json');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, Record<string, unknown> | boolean>;
    expect(printed).toEqual({
      override: expect.objectContaining({ region: 'eu-west-1', pin: 'off', reason: '', setBy: CALLER, expiresAtIso: expect.any(String) }),
      replaced: expect.objectContaining({
        region: 'eu-west-1',
        pin: 'on',
        expiresAt: 1_900_000_000,
        setBy: 'arn:aws:iam::123456789012:user/bo',
      }),
      notified: true,
    });
    expect(stored()['eu-west-1']!.pin).toEqual({ S: 'off' });
  });

  it('pins an always-on region off only with --force', async () => {
    const refused = await kubecdn('override', 'us-east-1', 'off', '--for', '30m');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error: us-east-1 is always on; pass --force to pin it off anyway');
    expect(standIn.requests).toEqual([]);
    const forced = await kubecdn('override', 'us-east-1', 'off', '--for', '30m', '--force');
    expect(forced.code).toBe(0);
    expect(stored()['us-east-1']!.pin).toEqual({ S: 'off' });
  });

  it.each([
    [
      ['ap-northaest-1', 'on', '--for', '2h'],
      'error: "ap-northaest-1" is not a configured region (configured: us-east-1, eu-west-1, ap-northeast-1); did you mean "ap-northeast-1"?',
    ],
    [['eu-west-1', 'up', '--for', '2h'], 'error: expected on or off after the region, not "up"'],
    [['eu-west-1', 'on'], "error: required option '--for <duration>' not specified (e.g. --for 2h)"],
    [['eu-west-1', 'on', '--for', '90'], `'90' is invalid. "90": expected a duration such as 30m, 2h, 1d or 1h30m`],
    [['eu-west-1', 'on', '--for', '30m2h'], `'30m2h' is invalid. "30m2h": expected a duration such as 30m, 2h, 1d or 1h30m`],
    [['eu-west-1', 'on', '--for', '0m'], `'0m' is invalid. "0m": expected at least 1m`],
    [['eu-west-1', 'on', '--for', '7d1m'], `'7d1m' is invalid. "7d1m" is longer than the 7d an override may last`],
    [
      ['eu-west-1', 'on', '--for', '2h', '--reason', 'two\nlines'],
      "option '--reason <text>' argument 'two\nlines' is invalid. expected one line of plain text",
    ],
  ])('refuses %j with exit 2, sending nothing', async (args, message) => {
    const result = await kubecdn('override', ...args);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
    expect(standIn.requests).toEqual([]);
  });

  it('keeps the override and exits 0 with a warning when the operations topic refuses the notice', async () => {
    world.publishRefused = 'AuthorizationError';
    const result = await kubecdn('override', 'eu-west-1', 'on', '--for', '2h', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ notified: false });
    expect(result.stderr).toMatch(
      /^warning: the change is made, but the operations topic could not be told: AuthorizationErrorException: /,
    );
    expect(stored()['eu-west-1']).toBeDefined();
  });

  it('exits 1 with the cause and writes nothing when STS cannot say who is calling', async () => {
    world.callerRefused = 'ExpiredToken';
    const result = await kubecdn('override', 'eu-west-1', 'on', '--for', '2h');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'kubecdn override: cannot set the override of eu-west-1: CallerIdentityError: STS GetCallerIdentity failed: ExpiredToken: The security token included in the request is expired\n',
    );
    expect(stored()).toEqual({});
  });

  it('exits 1 naming the missing output when the deployed control stack predates overrides', async () => {
    world.outputs = workflowOutputs('eu-west-1');
    const result = await kubecdn('override', 'eu-west-1', 'on', '--for', '2h');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "kubecdn override: the control stack kubecdn-control in eu-west-1 (the config's homeRegion) has no output RegionOverrideTableName; deploy this version of kubecdn first\n",
    );
  });
});

describe('kubecdn override clear', () => {
  it('deletes the override and tells the operations topic who cleared it', async () => {
    existing('eu-west-1', 'off', 1_900_000_000, 'bad node image');
    const result = await kubecdn('override', 'clear', 'eu-west-1');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(stored()['eu-west-1']).toBeUndefined();
    expect(result.stdout).toMatch(
      /^Cleared the override of eu-west-1, pinned off until 2030-03-17T17:46:40Z \(set by arn:aws:iam::123456789012:user\/bo/,
    );
    expect(published()).toEqual([
      expect.objectContaining({
        Subject: 'kubecdn: override of eu-west-1 cleared',
        Message: expect.stringMatching(new RegExp(`^${CALLER} cleared the override of eu-west-1, pinned off .*reason: bad node image\\)`)),
      }),
    ]);
  });

  it('says there is nothing to clear, and tells nobody, when the region has no override', async () => {
    const result = await kubecdn('override', 'clear', 'ap-northeast-1', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ region: 'ap-northeast-1', cleared: null, notified: false });
    expect(published()).toEqual([]);
  });
});

describe('kubecdn override list', () => {
  it('lists the overrides in force, those lapsed, and those ignored with why', async () => {
    existing('eu-west-1', 'on', 1_900_000_000, 'launch');
    existing('ap-northeast-1', 'off', 1_000_000_000);
    existing('sa-east-1', 'on', 1_900_000_000);
    const text = await kubecdn('override', 'list');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toEqual([
      expect.stringMatching(/^eu-west-1 pinned on until 2030-03-17T17:46:40Z \(set by .*, reason: launch\); \d+d\w* left$/),
      'ap-northeast-1 lapsed at 2001-09-09T01:46:40Z: no longer obeyed (the autoscaler removes it at its next tick)',
      'sa-east-1 ignored: not a region of the config (alwaysOn or scalable); the override is ignored',
      '',
    ]);
    expect(standIn.requests.find((r) => r.operation === 'Scan')?.input).toEqual({ TableName: OVERRIDE_TABLE, ConsistentRead: true });
    const json = JSON.parse((await kubecdn('override', 'list', '--json')).stdout) as Record<string, unknown[]>;
    expect(json.overrides).toEqual([expect.objectContaining({ region: 'eu-west-1', pin: 'on' })]);
    expect(json.lapsed).toEqual([expect.objectContaining({ region: 'ap-northeast-1' })]);
  });
});
