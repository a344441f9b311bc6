/**
 * The TLS policies an edge's load balancer may use, and what each means for its health checks.
 * Apart from the https schema so that code deciding from a deployed config (the autoscaler's cost
 * estimate) reads them without loading the schema library at cold start.
 */
/** NLB TLS policies with TLS 1.2 as the floor, 1.3 preferred; older policies allow TLS 1.0/1.1. */
export const TLS_SECURITY_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
] as const;

export type TlsSecurityPolicy = (typeof TLS_SECURITY_POLICIES)[number];

/**
 * Whether a policy accepts TLS 1.2 (all but the TLS 1.3-only one). Route 53's HTTPS health
 * checkers speak TLS 1.0 to 1.2 only (API reference, HealthCheckConfig Type), so a region behind a
 * TLS 1.3-only listener is health-checked over plain HTTP instead.
 */
export function acceptsTls12(policy: TlsSecurityPolicy): boolean {
  return policy !== 'ELBSecurityPolicy-TLS13-1-3-2021-06';
}
