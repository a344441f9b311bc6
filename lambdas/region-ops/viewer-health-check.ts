/**
 * The Route 53 health check the config wants for every region: pure (no AWS), so the workload
 * version (lib/workload-version.ts) can include it.
 */
import { acceptsTls12, type TlsSecurityPolicy } from '../../core/config/tls-policies';

export interface ViewerHealthCheck {
  /** The viewers' protocol where Route 53 can speak it. */
  readonly protocol: 'HTTPS' | 'HTTP';
  readonly port: number;
  readonly path: string;
}

/** The HTTPS port of every region's load balancer (config/workload/20-service.yaml). */
export const VIEWER_HTTPS_PORT = 443;

/**
 * How Route 53 checks a region: as viewers reach it, over HTTPS on 443 through the load
 * balancer's TLS listener, so a missing or broken certificate or listener takes the region out
 * of DNS. Route 53's HTTPS checkers speak TLS 1.2 at most, so with a TLS 1.3-only policy the
 * check uses the plain-HTTP listener (`workload.servicePort`) instead, which answers the health
 * path even when it redirects everything else.
 */
export function viewerHealthCheck(config: {
  readonly https: { readonly securityPolicy: TlsSecurityPolicy };
  readonly workload: { readonly servicePort: number; readonly healthCheckPath: string };
}): ViewerHealthCheck {
  return acceptsTls12(config.https.securityPolicy)
    ? { protocol: 'HTTPS', port: VIEWER_HTTPS_PORT, path: config.workload.healthCheckPath }
    : { protocol: 'HTTP', port: config.workload.servicePort, path: config.workload.healthCheckPath };
}
