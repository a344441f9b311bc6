/**
 * The `https` section of regions.json: how viewers reach the edge. Every region's network load
 * balancer terminates TLS on 443 with a certificate for `dns.domainName` (and
 * `dns.alternateNames`): by default one that kubecdn requests from ACM in the region's network
 * stack, DNS-validated in the hosted zone (public ACM certificates cost nothing), or one the
 * operator names per region.
 */
import { z } from 'zod';
import { regionCodeSchema } from './region-code';

// An ACM certificate ARN; the region inside it must be the region it is given for (cross-field-rules.ts).
const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate\/[0-9a-f-]{36}$/;

export { acceptsTls12, TLS_SECURITY_POLICIES, type TlsSecurityPolicy } from './tls-policies';
import { TLS_SECURITY_POLICIES } from './tls-policies';

const hstsSchema = z.strictObject({
  maxAgeSeconds: z
    .number({ error: 'expected the HSTS max-age in seconds (a whole number from 300 to 63072000)' })
    .int({ error: 'expected the HSTS max-age in seconds (a whole number from 300 to 63072000)' })
    .min(300, { error: 'expected an HSTS max-age of at least 300 seconds' })
    .max(63072000, { error: 'expected an HSTS max-age of at most 63072000 seconds (two years)' })
    .default(31536000),
  includeSubDomains: z.boolean({ error: 'expected true or false' }).default(false),
  preload: z.boolean({ error: 'expected true or false' }).default(false),
});

export const httpsSchema = z.strictObject({
  /**
   * Certificates the operator already has, by region (an ACM ARN in that region, covering
   * `dns.domainName`). Regions not listed get a certificate kubecdn requests from ACM.
   */
  certificateArns: z
    .partialRecord(
      regionCodeSchema,
      z
        .string({ error: 'expected an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>"' })
        .regex(ACM_CERTIFICATE_ARN, {
          error: 'expected an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>"',
        }),
    )
    .prefault({})
    .meta({
      description: 'Existing ACM certificates by region; other regions get one kubecdn requests, DNS-validated in the hosted zone.',
    }),
  /** The load balancer's TLS negotiation policy: TLS 1.2 minimum, 1.3 preferred. */
  securityPolicy: z
    .enum(TLS_SECURITY_POLICIES, { error: `expected one of ${TLS_SECURITY_POLICIES.join(', ')} (TLS 1.2 minimum)` })
    .default('ELBSecurityPolicy-TLS13-1-2-Res-2021-06'),
  /** true: port 80 answers every request with a permanent redirect to https; false: port 80 serves too. */
  redirectHttp: z.boolean({ error: 'expected true (redirect http to https) or false (serve http too)' }).default(true),
  /** Strict-Transport-Security on https responses; off unless given (browsers remember it for max-age). */
  hsts: hstsSchema.optional(),
});

export type HttpsSettings = z.output<typeof httpsSchema>;
