import { httpsSchema } from '../../../core/config/https-schema';
import { hstsHeaderValue, httpsPlaceholders } from '../../../lambdas/region-ops/edge-https-placeholders';

describe('the https placeholders', () => {
  it('redirect http and send no HSTS by default', () => {
    expect(httpsPlaceholders(httpsSchema.parse({}))).toEqual({ HTTP_REDIRECT: 1, HSTS: '' });
  });

  it('serve http when the redirect is off', () => {
    expect(httpsPlaceholders(httpsSchema.parse({ redirectHttp: false })).HTTP_REDIRECT).toBe(0);
  });

  it('write Strict-Transport-Security with only the options asked for', () => {
    expect(hstsHeaderValue({ maxAgeSeconds: 600, includeSubDomains: false, preload: false })).toBe('max-age=600');
    expect(hstsHeaderValue({ maxAgeSeconds: 63072000, includeSubDomains: true, preload: true })).toBe(
      'max-age=63072000; includeSubDomains; preload',
    );
    expect(hstsHeaderValue({ maxAgeSeconds: 31536000, includeSubDomains: false, preload: true })).toBe('max-age=31536000; preload');
    expect(hstsHeaderValue(undefined)).toBe('');
  });
});
