/**
 * What a region costs and how long it takes to change state: the simulator's model of AWS.
 *
 * Every default is a public figure (us-east-1, on-demand, list price) with its source beside it.
 * A `--model` JSON file overrides any of them, globally or per region (prices differ by region;
 * São Paulo is dearer than Virginia). Lead times are whole minutes because the simulator steps
 * one minute at a time.
 *
 * Billing by phase, per region:
 * - running: control plane + compute + load balancer + health check (HTTPS, unless the TLS policy
 *   is TLS 1.3 only, which Route 53's checkers cannot speak).
 * - cold start: the control plane bills from CreateCluster; nodes, the NLB and the health check
 *   only exist once the cluster is ACTIVE, so the later minutes bill the full running rate.
 * - cold stop: the DNS record is withdrawn first (TTL + INSYNC) and the NLB deleted, with
 *   everything still up; then only the control plane remains while the cluster is deleted.
 * - warm standby (config.standby = warm): the control plane is kept, the workload scaled to zero,
 *   its load balancer and DNS record removed, so standby bills the control plane alone and a warm
 *   start skips cluster creation. Warm starts and stops bill the full rate while they run.
 * - stopped (cold): nothing.
 */
import type { KubeCdnConfig } from '../config';
import { acceptsTls12 } from '../config/tls-policies';

export interface LeadTimes {
  /** CreateCluster until ACTIVE. */
  readonly clusterCreateMinutes: number;
  /** Nodes launched and the edge pods ready (Auto Mode provisions nodes on demand). */
  readonly workloadReadyMinutes: number;
  /** The workload's NLB provisioned and its targets healthy. */
  readonly loadBalancerReadyMinutes: number;
  /** The latency record upserted and Route 53 INSYNC. */
  readonly dnsChangeMinutes: number;
  /** On stop: the record withdrawn, then TTL + INSYNC so resolvers stop sending viewers. */
  readonly dnsDrainMinutes: number;
  /** On stop: the load balancer Services deleted and the NLB gone. */
  readonly loadBalancerDeleteMinutes: number;
  /** DeleteCluster until the cluster is gone. */
  readonly clusterDeleteMinutes: number;
}

export interface Prices {
  /** EKS control plane, USD per cluster-hour. */
  readonly eksControlPlanePerHour: number;
  /** Nodes serving the edge workload while a region runs. */
  readonly nodeCount: number;
  /** On-demand price of one node, USD per hour. */
  readonly nodeInstancePerHour: number;
  /** EKS Auto Mode management fee per node, USD per hour (only when config.cluster.mode is "auto"). */
  readonly autoModeFeePerNodeHour: number;
  /** Network Load Balancer, USD per hour (capacity units are traffic-driven and left out). */
  readonly nlbPerHour: number;
  /** Route 53 health check on an AWS endpoint, USD per month: the basic check. */
  readonly healthCheckPerMonth: number;
  /** Route 53's optional HTTPS feature, USD per month, on top of the basic check while the check is HTTPS. */
  readonly healthCheckHttpsPerMonth: number;
}

export interface CostModel {
  readonly leadTimes: LeadTimes;
  readonly prices: Prices;
  /** Price overrides by region code. */
  readonly perRegion: Readonly<Record<string, Partial<Prices>>>;
}

/** AWS bills monthly items by the hour over a 730-hour month (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

export const DEFAULT_LEAD_TIMES: LeadTimes = {
  // "Cluster provisioning takes several minutes"; about 10 minutes is typical for a new EKS control
  // plane (https://docs.aws.amazon.com/eks/latest/userguide/create-cluster.html; issue 5 uses ~10).
  clusterCreateMinutes: 10,
  // Auto Mode launches a node for pending pods in about a minute (Karpenter-style provisioning,
  // https://docs.aws.amazon.com/eks/latest/userguide/automode.html); the nginx edge image is small.
  workloadReadyMinutes: 1,
  // An NLB is "provisioning" for a couple of minutes before targets register healthy
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html).
  loadBalancerReadyMinutes: 2,
  // Route 53 propagates changes to its authoritative servers "within 60 seconds"
  // (https://aws.amazon.com/route53/faqs/, GetChange INSYNC).
  dnsChangeMinutes: 1,
  // TTL 60 s (config default) + INSYNC up to 60 s before the region may stop serving.
  dnsDrainMinutes: 2,
  // Deleting the Services and waiting for the NLB to disappear; about as long as creating it.
  loadBalancerDeleteMinutes: 2,
  // DeleteCluster takes about as long as CreateCluster (issue 5: teardown about 10 minutes).
  clusterDeleteMinutes: 10,
};

export const DEFAULT_PRICES: Prices = {
  // $0.10 per cluster per hour, standard support (https://aws.amazon.com/eks/pricing/).
  eksControlPlanePerHour: 0.1,
  // Two nodes so the edge survives a node failure (the config's default nodeGroup.desiredSize).
  nodeCount: 2,
  // m7i.large on-demand, Linux, us-east-1: $0.1008 per hour (https://aws.amazon.com/ec2/pricing/on-demand/).
  nodeInstancePerHour: 0.1008,
  // Auto Mode adds a management fee of about 12% of the instance's on-demand price:
  // 0.12 × $0.1008 ≈ $0.0121 per hour for m7i.large (https://aws.amazon.com/eks/pricing/, "EKS Auto Mode").
  autoModeFeePerNodeHour: 0.0121,
  // $0.0225 per NLB-hour, us-east-1 (https://aws.amazon.com/elasticloadbalancing/pricing/). Its TLS
  // listener bills no more by the hour; TLS traffic is counted in TLS capacity units, which (like
  // all capacity units) are traffic-driven and left out.
  nlbPerHour: 0.0225,
  // $0.50 per month for a basic health check of an AWS endpoint (https://aws.amazon.com/route53/pricing/).
  // The page also lists up to 50 AWS-endpoint checks free of this basic fee; left out, so estimates err high.
  healthCheckPerMonth: 0.5,
  // $1.00 per month per optional health check feature on an AWS endpoint, HTTPS being one
  // (https://aws.amazon.com/route53/pricing/): a region's check is HTTPS unless its TLS policy is
  // TLS 1.3 only (lambdas/region-ops/dns.ts, viewerHealthCheck). ACM public certificates are free.
  healthCheckHttpsPerMonth: 1,
};

export const DEFAULT_COST_MODEL: CostModel = { leadTimes: DEFAULT_LEAD_TIMES, prices: DEFAULT_PRICES, perRegion: {} };

/** One region's costs per simulated minute and its transition lengths, derived once per run. */
export interface RegionCostProfile {
  readonly region: string;
  readonly warm: boolean;
  /** USD per minute while serving. */
  readonly runningPerMinute: number;
  /** USD per minute while stopped: the control plane for warm standby, nothing for cold. */
  readonly stoppedPerMinute: number;
  /** USD for each minute of a start, in order; its length is the start's lead time. */
  readonly startMinuteCosts: Float64Array;
  /** USD for each minute of a stop, in order; its length is the stop's duration. */
  readonly stopMinuteCosts: Float64Array;
}

export function pricesFor(model: CostModel, region: string): Prices {
  return { ...model.prices, ...model.perRegion[region] };
}

export function startMinutes(leadTimes: LeadTimes, warm: boolean): number {
  const afterCluster = leadTimes.workloadReadyMinutes + leadTimes.loadBalancerReadyMinutes + leadTimes.dnsChangeMinutes;
  return warm ? afterCluster : leadTimes.clusterCreateMinutes + afterCluster;
}

export function stopMinutes(leadTimes: LeadTimes, warm: boolean): number {
  const beforeCluster = leadTimes.dnsDrainMinutes + leadTimes.loadBalancerDeleteMinutes;
  return warm ? beforeCluster : beforeCluster + leadTimes.clusterDeleteMinutes;
}

export function regionCostProfile(model: CostModel, config: KubeCdnConfig, region: string): RegionCostProfile {
  const prices = pricesFor(model, region);
  const warm = config.standby[region] === 'warm';
  const autoModeFee = config.cluster.mode === 'auto' ? prices.autoModeFeePerNodeHour : 0;
  const healthCheckPerMonth =
    prices.healthCheckPerMonth + (acceptsTls12(config.https.securityPolicy) ? prices.healthCheckHttpsPerMonth : 0);
  const controlPlanePerHour = prices.eksControlPlanePerHour;
  const runningPerHour =
    controlPlanePerHour +
    prices.nodeCount * (prices.nodeInstancePerHour + autoModeFee) +
    prices.nlbPerHour +
    healthCheckPerMonth / HOURS_PER_MONTH;
  const runningPerMinute = runningPerHour / 60;
  const controlPlanePerMinute = controlPlanePerHour / 60;
  const { leadTimes } = model;

  const startCosts = new Float64Array(startMinutes(leadTimes, warm)).fill(runningPerMinute);
  if (!warm) startCosts.fill(controlPlanePerMinute, 0, leadTimes.clusterCreateMinutes);
  const stopCosts = new Float64Array(stopMinutes(leadTimes, warm)).fill(runningPerMinute);
  if (!warm) stopCosts.fill(controlPlanePerMinute, leadTimes.dnsDrainMinutes + leadTimes.loadBalancerDeleteMinutes);

  return {
    region,
    warm,
    runningPerMinute,
    stoppedPerMinute: warm ? controlPlanePerMinute : 0,
    startMinuteCosts: startCosts,
    stopMinuteCosts: stopCosts,
  };
}
