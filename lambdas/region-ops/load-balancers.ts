/** The workload's network load balancer as ELB sees it: ready with its alias zone, or really gone. */
import {
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';

async function allLoadBalancers(elb: ElasticLoadBalancingV2Client): Promise<LoadBalancer[]> {
  const all: LoadBalancer[] = [];
  let marker: string | undefined;
  do {
    const page = await elb.send(new DescribeLoadBalancersCommand({ Marker: marker, PageSize: 400 }));
    all.push(...(page.LoadBalancers ?? []));
    marker = page.NextMarker;
  } while (marker);
  return all;
}

const sameName = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** What the Route 53 alias needs, once the load balancer is active. */
export interface LoadBalancerTarget {
  readonly dnsName: string;
  readonly canonicalHostedZoneId: string;
}

/** The load balancer behind `dnsName` if ELB reports it active; undefined while it is provisioning. */
export async function activeLoadBalancer(elb: ElasticLoadBalancingV2Client, dnsName: string): Promise<LoadBalancerTarget | undefined> {
  const match = (await allLoadBalancers(elb)).find((lb) => sameName(lb.DNSName, dnsName));
  if (match?.State?.Code !== 'active' || !match.CanonicalHostedZoneId || !match.DNSName) return undefined;
  return { dnsName: match.DNSName, canonicalHostedZoneId: match.CanonicalHostedZoneId };
}

/** How many of these load balancers ELB still has (any state); 0 means the deletion really finished. */
export async function remainingLoadBalancers(elb: ElasticLoadBalancingV2Client, dnsNames: readonly string[]): Promise<number> {
  if (dnsNames.length === 0) return 0;
  const existing = await allLoadBalancers(elb);
  return dnsNames.filter((name) => existing.some((lb) => sameName(lb.DNSName, name))).length;
}
