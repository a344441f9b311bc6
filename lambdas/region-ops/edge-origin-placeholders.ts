/**
 * The origin as the edge's {{ORIGIN_*}} and {{DNS_RESOLVER}} placeholders (config/workload/README.md).
 * Pure, like every placeholder value.
 */
import { parseIpv4Cidr } from '../../core/config/cidr';

/**
 * The Amazon DNS server of a VPC: the base of its primary IPv4 CIDR plus two (10.64.0.2 for
 * 10.64.0.0/16). It answers every instance and pod in the VPC, needs no configuration, and
 * caches each answer for its TTL; the origin hop asks it again whenever a TTL has passed.
 */
export function amazonDnsServer(vpcCidr: string): string {
  const { problem } = parseIpv4Cidr(vpcCidr);
  if (problem) throw new Error(`vpcCidr: ${problem}`);
  const [address, prefix] = vpcCidr.split('/') as [string, string];
  // The VPC's first four addresses are AWS's; a block of fewer than four has no DNS server address.
  if (Number(prefix) > 30) throw new Error(`vpcCidr: "${vpcCidr}" is too small for a VPC; expected a prefix of /30 or shorter`);
  const base = address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const server = base + 2;
  return [24, 16, 8, 0].map((shift) => Math.floor(server / 2 ** shift) % 256).join('.');
}

export function originPlaceholders(originUrl: string, vpcCidr: string): Record<string, string> {
  let origin: URL;
  try {
    origin = new URL(originUrl);
  } catch {
    throw new Error(`workload.originUrl: "${originUrl}" is not a URL; expected one such as "https://origin.example.com"`);
  }
  return {
    ORIGIN_URL: originUrl.replace(/\/$/, ''),
    ORIGIN_HOST: origin.host,
    ORIGIN_HOSTNAME: origin.hostname,
    DNS_RESOLVER: amazonDnsServer(vpcCidr),
  };
}
