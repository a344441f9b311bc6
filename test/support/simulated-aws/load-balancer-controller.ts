/**
 * The simulated load balancer controller's reading of a LoadBalancer Service: which controller
 * takes it (by loadBalancerClass and the cluster's compute mode), and the listeners and target
 * health check its annotations ask for. A Service the controller cannot build (no such
 * certificate, a port that is not a number) gets no load balancer, as with the real controllers,
 * which only report an event; the reason is kept in world.loadBalancerProblems for the tests.
 */
import type { SimCluster, SimListener, SimLoadBalancer } from './world';

const ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-';

/** EKS Auto Mode's own load balancing, and the AWS Load Balancer Controller (which a managed-nodegroup cluster's operator installs). */
const AUTO_MODE_CLASS = 'eks.amazonaws.com/nlb';
const LOAD_BALANCER_CONTROLLER_CLASS = 'service.k8s.aws/nlb';
/** The controller's default when the Service names no policy (its documentation). */
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

interface ServicePort {
  readonly name?: string;
  readonly port?: unknown;
  readonly targetPort?: unknown;
}

export type LoadBalancerBuild =
  | { readonly ok: true; readonly spec: Pick<SimLoadBalancer, 'listeners' | 'targetHealthCheck'> }
  | { readonly ok: false; readonly problem: string }
  /** No controller in this cluster handles the Service's class: nothing happens at all. */
  | { readonly ok: false; readonly unhandled: true };

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function stringMap(value: string | undefined): Map<string, string> {
  return new Map(list(value).map((pair) => pair.split('=', 2) as [string, string]));
}

/** What the controller would build for this Service in this cluster. */
export function buildLoadBalancer(
  cluster: SimCluster,
  service: { metadata?: { annotations?: Record<string, string> }; spec?: { loadBalancerClass?: string; ports?: ServicePort[] } },
  certificates: ReadonlySet<string>,
): LoadBalancerBuild {
  const autoMode = (cluster.input.computeConfig as { enabled?: boolean } | undefined)?.enabled === true;
  const handled = autoMode ? AUTO_MODE_CLASS : LOAD_BALANCER_CONTROLLER_CLASS;
  if (service.spec?.loadBalancerClass !== handled) return { ok: false, unhandled: true };

  const annotations = service.metadata?.annotations ?? {};
  const annotation = (name: string) => annotations[`${ANNOTATION}${name}`];
  const certificate = annotation('ssl-cert');
  const sslPorts = list(annotation('ssl-ports'));
  const targetGroup = stringMap(annotation('target-group-attributes'));
  const listeners: SimListener[] = [];
  for (const port of service.spec?.ports ?? []) {
    if (typeof port.port !== 'number' || typeof port.targetPort !== 'number')
      return { ok: false, problem: `port ${port.name ?? '?'}: port and targetPort must be numbers` };
    // Without ssl-ports, every port gets TLS once a certificate is given (the controller's rule).
    const tls =
      certificate !== undefined && (sslPorts.length === 0 || sslPorts.includes(String(port.port)) || sslPorts.includes(port.name ?? ''));
    if (tls && (!certificates.has(certificate) || certificate.split(':')[3] !== cluster.region))
      return { ok: false, problem: `CertificateNotFound: "${certificate}" is not an issued ACM certificate in ${cluster.region}` };
    listeners.push({
      port: port.port,
      protocol: tls ? 'TLS' : 'TCP',
      ...(tls ? { certificateArn: certificate, sslPolicy: annotation('ssl-negotiation-policy') ?? DEFAULT_SSL_POLICY } : {}),
      targetPort: port.targetPort,
      proxyProtocolV2: targetGroup.get('proxy_protocol_v2.enabled') === 'true',
    });
  }
  return {
    ok: true,
    spec: {
      listeners,
      targetHealthCheck: {
        protocol: (annotation('healthcheck-protocol') ?? 'tcp').toUpperCase(),
        port: annotation('healthcheck-port') ?? 'traffic-port',
        path: annotation('healthcheck-path'),
      },
    },
  };
}
