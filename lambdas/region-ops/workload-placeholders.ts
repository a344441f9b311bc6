/**
 * The values the workload manifests' {{NAME}} placeholders take in one region (config/workload/README.md
 * lists them). Pure, so the tests that run the edge's nginx render exactly what a region gets.
 */
import type { KubeCdnConfig } from '../../core/config';
import { accessLogGroupName } from '../../core/edge-metrics/access-log-group';
import { cachePlaceholders } from './edge-cache-placeholders';
import { originPlaceholders } from './edge-origin-placeholders';
import { httpsPlaceholders } from './edge-https-placeholders';
import type { PlaceholderValues } from './kubernetes-manifests';

/** What a region's network stack provides the edge. */
export interface RegionEdgeNetwork {
  /** The ACM certificate the load balancer's TLS listener presents: the config's for the region, else the network stack's. */
  readonly certificateArn: string;
  /** The region VPC's primary CIDR: the only addresses whose PROXY protocol header nginx believes, and where its DNS server is. */
  readonly vpcCidr: string;
}

/** The Service's loadBalancerClass for each cluster mode: Auto Mode's own, or the AWS Load Balancer Controller's. */
const LOAD_BALANCER_CLASS = { auto: 'eks.amazonaws.com/nlb', 'managed-nodegroup': 'service.k8s.aws/nlb' } as const;

export function workloadPlaceholders(config: KubeCdnConfig, region: string, network: RegionEdgeNetwork): PlaceholderValues {
  return {
    PROJECT: config.name,
    REGION: region,
    DOMAIN_NAME: config.dns.domainName,
    SERVICE_PORT: config.workload.servicePort,
    HEALTH_CHECK_PATH: config.workload.healthCheckPath,
    CERTIFICATE_ARN: network.certificateArn,
    TLS_SECURITY_POLICY: config.https.securityPolicy,
    LOAD_BALANCER_CLASS: LOAD_BALANCER_CLASS[config.cluster.mode],
    VPC_CIDR: network.vpcCidr,
    // The edge metrics agent's: where it sends metrics and sampled access-log lines, and how many.
    METRICS_REGION: config.homeRegion,
    ACCESS_LOG_GROUP: accessLogGroupName(config.name),
    // A string, never a number: it is an environment variable's value.
    ACCESS_LOG_SAMPLE_RATE: String(config.edgeMonitoring.accessLogs.sampleRate),
    ...originPlaceholders(config.workload.originUrl, network.vpcCidr),
    ...httpsPlaceholders(config.https),
    ...cachePlaceholders(config.cache),
  };
}
