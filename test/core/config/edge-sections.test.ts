import { validateConfig } from '../../../core/config';
import { minimalConfigInput, validConfig } from '../../support/configs';

/** The config as an operator might mistype it. */
type Input = Record<string, unknown> & { alwaysOn: string[]; dns: Record<string, unknown> };

function problemsOf(change: (input: Input) => void): { path: string; message: string }[] {
  const input = minimalConfigInput() as unknown as Input;
  change(input);
  const result = validateConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems.map((p) => ({ path: p.path, message: p.message }));
}

const ARN = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0f0e0d0c-1b2a-4c3d-8e9f-a0b1c2d3e4f5`;

describe('the https section', () => {
  it('defaults to certificates kubecdn requests, a TLS 1.2 floor with 1.3 preferred, http redirected and no HSTS', () => {
    expect(validConfig().https).toEqual({
      certificateArns: {},
      securityPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
      redirectHttp: true,
    });
  });

  it('fills HSTS defaults when HSTS is asked for', () => {
    const config = validConfig((input) => Object.assign(input, { https: { hsts: {} } }));
    expect(config.https.hsts).toEqual({ maxAgeSeconds: 31536000, includeSubDomains: false, preload: false });
  });

  it('refuses a certificate from another region, naming the region it is in', () => {
    const problems = problemsOf((input) => {
      input.https = { certificateArns: { [input.alwaysOn[0] as string]: ARN('eu-west-3') } };
    });
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringContaining('this one is in eu-west-3') })]);
    expect(problems[0]?.path).toContain('certificateArns');
  });

  it('refuses a certificate for a region that is not configured', () => {
    const problems = problemsOf((input) => {
      input.https = { certificateArns: { 'ca-central-1': ARN('ca-central-1') } };
    });
    expect(problems).toEqual([expect.objectContaining({ message: '"ca-central-1" is not a configured region (alwaysOn or scalable)' })]);
  });

  it('refuses a security policy that allows TLS below 1.2', () => {
    const problems = problemsOf((input) => {
      input.https = { securityPolicy: 'ELBSecurityPolicy-2016-08' };
    });
    expect(problems[0]?.message).toContain('TLS 1.2 minimum');
  });

  it('refuses an alternate name that repeats the domain name', () => {
    const problems = problemsOf((input) => {
      input.dns.alternateNames = [input.dns.domainName];
    });
    expect(problems[0]?.message).toContain('already covered');
  });
});

describe('the cache section', () => {
  it("defaults to a careful operator's choices", () => {
    expect(validConfig().cache).toEqual({
      defaultTtlSeconds: 3600,
      maxTtlSeconds: 604800,
      honourOriginHeaders: true,
      queryStringKey: 'all',
      bypassPathPrefixes: [],
      sizeMebibytes: 2048,
      staleWhileRevalidateSeconds: 60,
      staleIfErrorSeconds: 86400,
      originConnectTimeoutSeconds: 5,
      originReadTimeoutSeconds: 30,
      coalesceRequests: true,
    });
  });

  it('accepts an allow-list of query parameters for the cache key', () => {
    expect(validConfig((input) => Object.assign(input, { cache: { queryStringKey: ['v', 'lang'] } })).cache.queryStringKey).toEqual([
      'v',
      'lang',
    ]);
  });

  it('refuses a default TTL longer than the maximum', () => {
    const problems = problemsOf((input) => {
      input.cache = { defaultTtlSeconds: 7200, maxTtlSeconds: 3600 };
    });
    expect(problems).toEqual([{ path: expect.stringContaining('defaultTtlSeconds'), message: expect.stringContaining('(3600)') }]);
  });

  it.each([
    [{ queryStringKey: 'some' }, 'queryStringKey', 'expected "all", "none" or a list'],
    [{ queryStringKey: ['a b'] }, 'queryStringKey', 'query parameter name'],
    [{ bypassPathPrefixes: ['api/'] }, 'bypassPathPrefixes', 'starting with "/"'],
    [{ bypassPathPrefixes: ['/a;b'] }, 'bypassPathPrefixes', 'starting with "/"'],
    [{ sizeMebibytes: 10 }, 'sizeMebibytes', 'at least 64 MiB'],
    [{ originReadTimeoutSeconds: 0 }, 'originReadTimeoutSeconds', 'from 1 to 300'],
    [{ staleIfErrorSeconds: -1 }, 'staleIfErrorSeconds', 'from 0 to 604800'],
    [{ ttl: 5 }, 'ttl', 'unknown field'],
  ])('refuses %j, naming the field', (cache, field, message) => {
    const problems = problemsOf((input) => {
      input.cache = cache;
    });
    expect(problems[0]?.path).toContain(field);
    expect(problems[0]?.message).toContain(message);
  });
});
