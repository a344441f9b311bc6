/**
 * IP addresses as points on one 128-bit line, so IPv4 and IPv6 ranges live in a single sorted
 * table. IPv4 a.b.c.d is placed at its IPv4-mapped IPv6 address ::ffff:a.b.c.d: that is the same
 * host a dual-stack listener reports, so "1.2.3.4" and "::ffff:1.2.3.4" find the same range.
 */

export const MAX_ADDRESS = (1n << 128n) - 1n;
const IPV4_MAPPED_BASE = 0xffffn << 32n;

/** The position of an IPv4 address given as a 32-bit number. */
export function ipv4ToAddress(value: number): bigint {
  return IPV4_MAPPED_BASE + BigInt(value >>> 0);
}

/**
 * Parses a textual IPv4 (dotted quad) or IPv6 address (RFC 4291 text forms, including "::"
 * compression and a trailing dotted quad) into its position; undefined for anything malformed.
 * Zone ids ("%eth0"), prefixes ("/24"), brackets and leading zeros in dotted quads are refused:
 * access logs never carry them for a viewer, and a leading zero is ambiguous (octal or decimal).
 */
export function parseIpAddress(text: string): bigint | undefined {
  if (text.includes(':')) return parseIpv6(text);
  const v4 = parseIpv4(text);
  return v4 === undefined ? undefined : ipv4ToAddress(v4);
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const [before = '', after, ...more] = text.split('::');
  if (more.length > 0) return undefined;
  const compressed = after !== undefined;
  const head = before === '' ? [] : before.split(':');
  const tail = after === undefined || after === '' ? [] : after.split(':');
  const groups: number[] = [];
  const all = [...head, ...tail];
  for (const [i, part] of all.entries()) {
    // A dotted quad may only end the text, never precede "::".
    const endsText = i === all.length - 1 && (!compressed || tail.length > 0);
    if (endsText && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  const headGroups = groups.length - (tail.length === 0 ? 0 : groupCount(tail));
  if (compressed) {
    // "::" stands for at least one group of zeros.
    if (groups.length > 7) return undefined;
    groups.splice(headGroups, 0, ...new Array<number>(8 - groups.length).fill(0));
  } else if (groups.length !== 8) {
    return undefined;
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** How many 16-bit groups a list of textual parts makes (a dotted quad makes two). */
function groupCount(parts: readonly string[]): number {
  return parts.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
}

/** Text of a position, for error messages and tests: IPv4-mapped positions print as a dotted quad. */
export function formatAddress(address: bigint): string {
  if (address >> 32n === 0xffffn) {
    const v = Number(address & 0xffffffffn);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((address >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}
