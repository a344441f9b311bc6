/**
 * The `https` section as the edge's {{HTTP_REDIRECT}} and {{HSTS}} placeholders (config/workload/README.md).
 * Pure, like every placeholder value.
 */
import type { HttpsSettings } from '../../core/config/https-schema';

/** The Strict-Transport-Security value for `https.hsts`, or '' (nginx adds no header with an empty value). */
export function hstsHeaderValue(hsts: HttpsSettings['hsts']): string {
  if (!hsts) return '';
  return [`max-age=${hsts.maxAgeSeconds}`, hsts.includeSubDomains ? 'includeSubDomains' : '', hsts.preload ? 'preload' : '']
    .filter(Boolean)
    .join('; ');
}

export function httpsPlaceholders(https: HttpsSettings): Record<string, string | number> {
  return {
    HTTP_REDIRECT: https.redirectHttp ? 1 : 0,
    HSTS: hstsHeaderValue(https.hsts),
  };
}
