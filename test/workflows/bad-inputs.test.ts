import { scenario } from './scenario';

/** Each of these fails in the first state, with the cause naming the problem, and no AWS call at all. */
const cases: [string, unknown, string][] = [
  [
    'an unknown region',
    { region: 'eu-west-3' },
    '$.region: "eu-west-3" is not a configured region; expected one of: us-east-1, eu-west-1, ap-northeast-1',
  ],
  ['a misspelled region', { region: 'eu-wset-1' }, '"eu-wset-1" is not a configured region'],
  ['a missing region', {}, '$.region: is required'],
  ['a region of the wrong type', { region: 42 }, '$.region: expected an AWS region code such as "eu-west-1"'],
  ['force of the wrong type', { region: 'eu-west-1', force: 'yes' }, '$.force: expected true or false'],
  ['reason of the wrong type', { region: 'eu-west-1', reason: ['a'] }, '$.reason: expected free text'],
  ['an unexpected field', { region: 'eu-west-1', regoin: 'eu-west-1' }, 'Unrecognized key: "regoin"'],
  ['a region with a double quote', { region: 'eu-west-1"' }, 'contains a quote, slash, backslash or control character'],
  ['a region with a single quote', { region: "eu-west-1'; DROP" }, 'contains a quote, slash, backslash or control character'],
  ['a region with a slash', { region: '../eu-west-1' }, 'contains a quote, slash, backslash or control character'],
  ['a region with a backslash', { region: 'eu-west-1\\' }, 'contains a quote, slash, backslash or control character'],
  ['a region with a newline', { region: 'eu-west-1\n' }, 'contains a quote, slash, backslash or control character'],
  ['a region with a NUL', { region: 'eu-west-1\u0000' }, 'contains a quote, slash, backslash or control character'],
  ['a reason with a control character', { region: 'eu-west-1', reason: 'ok\u001b[31m' }, '$.reason: contains a control character'],
  [
    'a reason with a bidi override',
    { region: 'eu-west-1', reason: 'stop \u202Etrats' },
    '$.reason: contains the invisible format character U+202E (bidi override, zero-width, ...)',
  ],
  [
    'a reason with a zero-width space',
    { region: 'eu-west-1', reason: 'eu\u200B-west-1 quiet' },
    '$.reason: contains the invisible format character U+200B',
  ],
  [
    'a region with a zero-width space',
    { region: 'eu-west-1\u200B' },
    '$.region: "eu-west-1\\u{200B}" contains a quote, slash, backslash or control character, or an invisible format character',
  ],
  ['a reason that is too long', { region: 'eu-west-1', reason: 'x'.repeat(257) }, '$.reason: expected at most 256 characters'],
  ['a bare JSON string', '"eu-west-1"', 'expected a JSON object such as {"region": "eu-west-1"}'],
  ['an array', ['eu-west-1'], 'expected a JSON object such as {"region": "eu-west-1"}'],
  ['null', null, 'expected a JSON object such as {"region": "eu-west-1"}'],
];

describe.each(['StartRegion', 'StopRegion'] as const)('%s rejects bad input before any AWS call', (workflow) => {
  it.each(cases)('%s', async (_what, input, cause) => {
    const s = scenario();
    const run = await s.run(workflow, input);
    expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(run.cause).toContain(cause);
    expect(run.cause).toContain(`invalid ${workflow} input`);
    expect(run.path).toEqual(['Validate input', 'Input rejected']);
    expect(s.world.calls).toEqual([]);
    expect(s.world.lockItems.size).toBe(0);
    expect(s.world.notifications).toEqual([]);
  });
});

it('accepts the exact input string from the README, with optional force and reason', async () => {
  const s = scenario();
  await s.succeed('StartRegion', '{"region":"us-east-1"}');
  await s.succeed('StartRegion', '{"region":"eu-west-1"}');
  const stop = await s.succeed('StopRegion', '{"region":"eu-west-1","force":false,"reason":"quiet for 15 minutes"}');
  expect(stop.status).toBe('SUCCEEDED');
  expect(s.world.notifications.at(-1)!.message).toContain('Reason: quiet for 15 minutes');
});
