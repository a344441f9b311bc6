import { MAX_PURGE_PATHS, pathProblem, purgeTargets, validatePurgeInput } from '../../../lambdas/region-ops/purge-input';
import { validConfig } from '../../support/configs';

const nowMs = Date.UTC(2026, 0, 5, 9, 0, 0, 250);
// Always-on us-east-1; scalable eu-west-1 and ap-northeast-1 (see test/support/configs.ts).
const config = validConfig();
const validate = (input: unknown) => validatePurgeInput(config, input, { nowMs });

describe('validatePurgeInput', () => {
  it('splits paths into exact paths and prefixes (the "*" dropped), for every configured region, with the request time', () => {
    expect(validate({ paths: ['/img/logo.png', '/css/*'] })).toEqual({
      operation: 'purge',
      region: '2 paths',
      reason: 'manual purge',
      paths: ['/img/logo.png'],
      prefixes: ['/css/'],
      everything: false,
      regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
      requestedAt: '2026-01-05T09:00:00.250Z',
      nowEpochSeconds: 1767603600,
      startedAtEpochMs: nowMs,
    });
  });

  it('purges everything with "everything": true, and takes a reason', () => {
    expect(validate({ everything: true, reason: 'bad deploy of the origin' })).toMatchObject({
      region: 'everything',
      reason: 'bad deploy of the origin',
      paths: [],
      prefixes: [],
      everything: true,
    });
  });

  it('takes "/*" (every path, like everything) and counts a repeated path once', () => {
    expect(validate({ paths: ['/*', '/a', '/a'] })).toMatchObject({ region: '2 paths', paths: ['/a'], prefixes: ['/'] });
    expect(validate({ paths: ['/a'] }).region).toBe('1 path');
  });

  it(`takes ${MAX_PURGE_PATHS} paths and refuses one more`, () => {
    const many = Array.from({ length: MAX_PURGE_PATHS + 1 }, (_, i) => `/p/${i}`);
    expect(validate({ paths: many.slice(0, MAX_PURGE_PATHS) }).paths).toHaveLength(MAX_PURGE_PATHS);
    expect(() => validate({ paths: many })).toThrow(`$.paths: expected at most ${MAX_PURGE_PATHS} paths per purge`);
  });

  it.each([
    ['an empty request', {}, 'invalid PurgeCache input: $: nothing to purge: expected "paths" or "everything": true'],
    ['both paths and everything', { paths: ['/a'], everything: true }, '$: expected either "paths" or "everything": true, not both'],
    ['"everything": false', { everything: false }, '$.everything: expected true, or leave it out and pass "paths"'],
    ['"everything" not a boolean', { everything: 'yes' }, '$.everything: expected true'],
    ['paths not a list', { paths: '/a' }, '$.paths: expected a list of paths'],
    ['a path without a leading "/"', { paths: ['/a', 'b'] }, '$.paths[1]: "b" does not start with "/"'],
    ['a path with a space', { paths: ['/a b'] }, '$.paths[0]: "/a b" contains a space'],
    ['a path with a tab', { paths: ['/a\tb'] }, 'contains a space, a control character'],
    ['a path with a bidi override', { paths: ['/a\u202Eb'] }, 'invisible format character'],
    ['a "*" inside a path', { paths: ['/*.png'] }, '"*" is only allowed as the last character'],
    ['a "*" twice at the end', { paths: ['/a/**'] }, '"*" is only allowed as the last character'],
    ['a fragment', { paths: ['/a#top'] }, 'without a query or fragment'],
    ['a path that is too long', { paths: [`/${'a'.repeat(1024)}`] }, 'is 1025 characters long; expected at most 1024'],
    [
      'paths that add up to too much',
      { paths: Array.from({ length: 20 }, (_, i) => `/${i}/${'a'.repeat(1000)}`) },
      '$.paths: the paths add up to 20070 characters; expected at most 16384 in one purge',
    ],
    ['an unknown field', { paths: ['/a'], force: true }, 'Unrecognized key: "force"'],
    ['a reason on two lines', { paths: ['/a'], reason: 'two\nlines' }, '$.reason: contains a control character'],
    [
      'a JSON string instead of an object',
      '{"paths":["/a"]}',
      'expected a JSON object such as {"paths": ["/img/logo.png", "/css/*"]} or {"everything": true}',
    ],
    ['null', null, 'expected a JSON object'],
  ] as [string, unknown, string][])('refuses %s, naming the field', (_what, input, message) => {
    expect(() => validate(input)).toThrow(message);
    try {
      validate(input);
    } catch (error) {
      expect((error as Error).name).toBe('InvalidInput');
    }
  });
});

describe('pathProblem and purgeTargets', () => {
  it('accepts a path as nginx keys it, percent-encoded characters included', () => {
    for (const path of ['/', '/img/logo.png', '/a%20b', '/caf%C3%A9', '/css/*', '/*']) expect(pathProblem(path)).toBeUndefined();
  });

  it('keeps the order given', () => {
    expect(purgeTargets(['/b', '/a*', '/a', '/c*'])).toEqual({ paths: ['/b', '/a'], prefixes: ['/a', '/c'], everything: false });
    expect(purgeTargets(undefined)).toEqual({ paths: [], prefixes: [], everything: true });
  });
});
