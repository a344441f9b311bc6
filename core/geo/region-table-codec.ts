/**
 * The shipped form of a region table: compact bytes, built at synth time and read by the edge.
 *
 *   "KCDNGEO1"                              8 bytes, format and version
 *   varint region count, then per region:   varint byte length, UTF-8 region code
 *   varint entry count, then per entry:     1 byte region (0 = unattributed, i + 1 = regions[i]),
 *                                           1 byte shift, varint ((start - previous start) >> shift)
 *
 * Starts are delta-encoded: neighbouring ranges are close together. Networks are CIDR blocks,
 * so a delta is usually a multiple of a large power of two (an IPv6 /48 step is 2^80): storing
 * its trailing zero bits as a shift keeps such an entry at 3–4 bytes instead of 13. Varints are
 * unsigned LEB128. The first entry's delta is its start, always 0.
 */
import { MAX_ADDRESS } from './ip-address';
import { RegionTable, RegionTableError, UNATTRIBUTED } from './region-table';

const MAGIC = 'KCDNGEO1';
const MAX_REGIONS = 255;

export function encodeRegionTable(table: RegionTable): Uint8Array {
  if (table.regions.length > MAX_REGIONS) throw new RegionTableError(`regions: at most ${MAX_REGIONS} can be encoded`);
  const out: number[] = [];
  for (const c of MAGIC) out.push(c.charCodeAt(0));
  writeVarint(out, BigInt(table.regions.length));
  for (const region of table.regions) {
    const bytes = new TextEncoder().encode(region);
    writeVarint(out, BigInt(bytes.length));
    out.push(...bytes);
  }
  writeVarint(out, BigInt(table.starts.length));
  let previous = 0n;
  table.starts.forEach((start, i) => {
    const index = table.regionIndexes[i] ?? UNATTRIBUTED;
    out.push(index === UNATTRIBUTED ? 0 : index + 1);
    const delta = start - previous;
    const shift = trailingZeroBits(delta);
    out.push(shift);
    writeVarint(out, delta >> BigInt(shift));
    previous = start;
  });
  return Uint8Array.from(out);
}

/** Reads a table back, checking everything: the bytes arrive from outside the process. */
export function decodeRegionTable(bytes: Uint8Array): RegionTable {
  const reader = new ByteReader(bytes);
  const magic = String.fromCharCode(...reader.take(MAGIC.length, 'format marker'));
  if (magic !== MAGIC) throw new RegionTableError(`region table: format marker is "${magic}", expected "${MAGIC}"`);
  const regionCount = reader.count('region count');
  if (regionCount === 0 || regionCount > MAX_REGIONS)
    throw new RegionTableError(`region table: region count ${regionCount} (1 to ${MAX_REGIONS})`);
  const regions: string[] = [];
  for (let i = 0; i < regionCount; i++) {
    const length = reader.count(`region ${i} length`);
    regions.push(new TextDecoder('utf-8', { fatal: true }).decode(reader.take(length, `region ${i} code`)));
  }
  const entryCount = reader.count('entry count');
  if (entryCount === 0) throw new RegionTableError('region table: entry count is 0 (the first entry, at address 0, is always present)');
  const starts: bigint[] = [];
  const regionIndexes: number[] = [];
  let start = 0n;
  for (let i = 0; i < entryCount; i++) {
    const code = reader.byte(`entry ${i} region`);
    if (code > regionCount) throw new RegionTableError(`region table: entry ${i} region ${code} (the table has ${regionCount} regions)`);
    const shift = reader.byte(`entry ${i} shift`);
    if (shift > 127) throw new RegionTableError(`region table: entry ${i} shift ${shift} (at most 127)`);
    const delta = reader.varint(`entry ${i} start`) << BigInt(shift);
    if (i === 0 ? delta !== 0n : delta === 0n) {
      throw new RegionTableError(`region table: entry ${i} start ${i === 0 ? 'is not 0' : 'does not follow the previous one'}`);
    }
    start += delta;
    if (start > MAX_ADDRESS) throw new RegionTableError(`region table: entry ${i} start is beyond the IPv6 address space`);
    starts.push(start);
    regionIndexes.push(code === 0 ? UNATTRIBUTED : code - 1);
  }
  if (!reader.atEnd()) throw new RegionTableError('region table: bytes left over after the last entry');
  return { regions, starts, regionIndexes };
}

/** Trailing zero bits of a delta; 0 for 0 (only the first entry's delta is 0). */
function trailingZeroBits(value: bigint): number {
  if (value === 0n) return 0;
  let bits = 0;
  while (((value >> BigInt(bits)) & 1n) === 0n) bits++;
  return bits;
}

function writeVarint(out: number[], value: bigint): void {
  let v = value;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

class ByteReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  take(length: number, field: string): Uint8Array {
    if (this.at + length > this.bytes.length) throw new RegionTableError(`region table: ends inside the ${field}`);
    const slice = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }

  byte(field: string): number {
    return this.take(1, field)[0]!;
  }

  varint(field: string): bigint {
    let value = 0n;
    // 19 groups of 7 bits cover 128 bits; anything longer is corrupt, not a bigger number.
    for (let shift = 0n; shift < 133n; shift += 7n) {
      const byte = this.byte(field);
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new RegionTableError(`region table: the ${field} is longer than any address`);
  }

  count(field: string): number {
    const value = this.varint(field);
    if (value > BigInt(this.bytes.length)) throw new RegionTableError(`region table: ${field} ${value} is more than the table could hold`);
    return Number(value);
  }

  atEnd(): boolean {
    return this.at === this.bytes.length;
  }
}
