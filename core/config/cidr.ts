/** IPv4 CIDR parsing for config validation, with messages that say how to fix the block. */
export interface ParsedCidr {
  readonly problem?: string;
}

const OCTET = /^(0|[1-9]\d{0,2})$/;

export function parseIpv4Cidr(value: string): ParsedCidr {
  const example = 'expected an IPv4 CIDR block such as "203.0.113.0/24"';
  const [address, prefixText, ...rest] = value.split('/');
  if (address === undefined || prefixText === undefined || rest.length > 0)
    return { problem: `"${value}" is not a CIDR block; ${example}` };
  const octets = address.split('.');
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o) && Number(o) <= 255)) {
    return { problem: `"${value}" has an invalid IPv4 address; ${example}` };
  }
  if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
    return { problem: `"${value}" has an invalid prefix length; expected /0 to /32` };
  }
  const prefix = Number(prefixText);
  const ip = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const network = ip - (ip % size);
  if (network !== ip) {
    const canonical = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    return { problem: `"${value}" has host bits set; did you mean "${canonical}/${prefix}"?` };
  }
  return {};
}
