/**
 * Reads every network out of a MaxMind DB (MMDB v2) file, the format the geolocation package
 * ships (docs/geolocation.md), as rows of (first address, last address, latitude, longitude).
 *
 * Only what building the region table needs: the search tree is walked depth first (so rows
 * come out in address order) and each network's data record is decoded for its "latitude" and
 * "longitude" keys. Works on bytes, not files, so the core stays free of the file system.
 */
import { ipv4ToAddress } from './ip-address';

export interface GeoRow {
  readonly first: bigint;
  readonly last: bigint;
  /** Absent when the database knows the network but not where it is: counted as unattributed. */
  readonly latitude?: number;
  readonly longitude?: number;
}

export interface MmdbMetadata {
  readonly ipVersion: 4 | 6;
  readonly nodeCount: number;
  readonly recordSize: 24 | 28 | 32;
  readonly databaseType: string;
  readonly buildEpoch: number;
}

export class MmdbError extends Error {
  constructor(message: string) {
    super(`MaxMind DB: ${message}`);
    this.name = 'MmdbError';
  }
}

const METADATA_MARKER = [0xab, 0xcd, 0xef, ...Array.from('MaxMind.com', (c) => c.charCodeAt(0))];
// The spec caps the metadata section at 128 KiB, so the marker is searched for only there.
const METADATA_MAX_BYTES = 128 * 1024;
const DATA_SECTION_SEPARATOR_BYTES = 16;

type MmdbValue = string | number | bigint | boolean | Uint8Array | MmdbValue[] | { [key: string]: MmdbValue } | null;

/** Decodes MMDB data-section values starting at `base` (pointers are relative to it). */
class Decoder {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly base: number,
  ) {}

  /** The value at `offset` (relative to base) and the offset just after it. */
  decode(offset: number): [MmdbValue, number] {
    const b = this.bytes;
    let at = this.base + offset;
    const ctrl = this.byte(at++);
    let type = ctrl >> 5;
    if (type === 1) return this.pointer(ctrl, at);
    if (type === 0) type = 7 + this.byte(at++);
    let size = ctrl & 0x1f;
    if (size === 29) size = 29 + this.byte(at++);
    else if (size === 30) {
      size = 285 + this.uint(at, 2);
      at += 2;
    } else if (size === 31) {
      size = 65821 + this.uint(at, 3);
      at += 3;
    }
    const next = (value: MmdbValue, length: number): [MmdbValue, number] => [value, at + length - this.base];
    switch (type) {
      case 2:
        this.need(at, size);
        return next(new TextDecoder().decode(b.subarray(at, at + size)), size);
      case 3:
        if (size !== 8) throw new MmdbError(`a double of ${size} bytes at ${at}`);
        this.need(at, 8);
        return next(new DataView(b.buffer, b.byteOffset + at, 8).getFloat64(0), 8);
      case 15:
        if (size !== 4) throw new MmdbError(`a float of ${size} bytes at ${at}`);
        this.need(at, 4);
        return next(new DataView(b.buffer, b.byteOffset + at, 4).getFloat32(0), 4);
      case 4:
        this.need(at, size);
        return next(b.subarray(at, at + size), size);
      case 5:
      case 6:
      case 9:
      case 10:
        return next(this.bigUint(at, size), size);
      case 8: {
        const v = Number(this.bigUint(at, size));
        // int32 is stored in up to 4 bytes; only a full 4-byte value can be negative.
        return next(size === 4 && v >= 2 ** 31 ? v - 2 ** 32 : v, size);
      }
      case 7: {
        const map: { [key: string]: MmdbValue } = {};
        let cursor = at - this.base;
        for (let i = 0; i < size; i++) {
          const [key, afterKey] = this.decode(cursor);
          if (typeof key !== 'string') throw new MmdbError(`a map key that is not a string at ${this.base + cursor}`);
          const [value, afterValue] = this.decode(afterKey);
          map[key] = value;
          cursor = afterValue;
        }
        return [map, cursor];
      }
      case 11: {
        const list: MmdbValue[] = [];
        let cursor = at - this.base;
        for (let i = 0; i < size; i++) {
          const [value, after] = this.decode(cursor);
          list.push(value);
          cursor = after;
        }
        return [list, cursor];
      }
      case 14:
        return next(size !== 0, 0);
      case 12:
      case 13:
        return next(null, 0);
      default:
        throw new MmdbError(`unknown data type ${type} at ${at - 1}`);
    }
  }

  private pointer(ctrl: number, at: number): [MmdbValue, number] {
    const ss = (ctrl >> 3) & 3;
    const vvv = ctrl & 7;
    let target: number;
    let length: number;
    if (ss === 0) [target, length] = [vvv * 2 ** 8 + this.uint(at, 1), 1];
    else if (ss === 1) [target, length] = [vvv * 2 ** 16 + this.uint(at, 2) + 2048, 2];
    else if (ss === 2) [target, length] = [vvv * 2 ** 24 + this.uint(at, 3) + 526336, 3];
    else [target, length] = [this.uint(at, 4), 4];
    // The spec forbids a pointer to a pointer; refusing it also rules out pointer loops.
    if (this.byte(this.base + target) >> 5 === 1) throw new MmdbError(`a pointer to a pointer at ${at - 1}`);
    // The value pointed at is what counts; decoding resumes after the pointer itself.
    return [this.decode(target)[0], at + length - this.base];
  }

  private byte(at: number): number {
    this.need(at, 1);
    return this.bytes[at]!;
  }

  private uint(at: number, length: number): number {
    this.need(at, length);
    let v = 0;
    for (let i = 0; i < length; i++) v = v * 256 + this.bytes[at + i]!;
    return v;
  }

  private bigUint(at: number, length: number): number | bigint {
    this.need(at, length);
    if (length <= 6) return this.uint(at, length);
    let v = 0n;
    for (let i = 0; i < length; i++) v = (v << 8n) | BigInt(this.bytes[at + i]!);
    return v;
  }

  private need(at: number, length: number): void {
    if (at < 0 || at + length > this.bytes.length) throw new MmdbError(`data runs past the end of the file at ${at}`);
  }
}

function findMetadataStart(bytes: Uint8Array): number {
  const lowest = Math.max(0, bytes.length - METADATA_MAX_BYTES);
  // The last marker counts: the data section could contain the same bytes by chance.
  for (let i = bytes.length - METADATA_MARKER.length; i >= lowest; i--) {
    let match = true;
    for (let j = 0; j < METADATA_MARKER.length && match; j++) match = bytes[i + j] === METADATA_MARKER[j];
    if (match) return i + METADATA_MARKER.length;
  }
  throw new MmdbError('no metadata marker (not a MaxMind DB file)');
}

export function readMetadata(bytes: Uint8Array): MmdbMetadata {
  const start = findMetadataStart(bytes);
  const [raw] = new Decoder(bytes, start).decode(0);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) {
    throw new MmdbError('metadata is not a map');
  }
  const field = (name: string): MmdbValue => {
    if (!(name in raw)) throw new MmdbError(`metadata has no ${name}`);
    return raw[name]!;
  };
  const major = Number(field('binary_format_major_version'));
  if (major !== 2) throw new MmdbError(`binary_format_major_version ${major} (only 2 is read)`);
  const ipVersion = Number(field('ip_version'));
  if (ipVersion !== 4 && ipVersion !== 6) throw new MmdbError(`ip_version ${ipVersion} (must be 4 or 6)`);
  const recordSize = Number(field('record_size'));
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) throw new MmdbError(`record_size ${recordSize} (must be 24, 28 or 32)`);
  const nodeCount = Number(field('node_count'));
  if (!Number.isInteger(nodeCount) || nodeCount <= 0) throw new MmdbError(`node_count ${nodeCount}`);
  const treeBytes = (nodeCount * recordSize) / 4;
  if (treeBytes + DATA_SECTION_SEPARATOR_BYTES > start) throw new MmdbError(`node_count ${nodeCount} does not fit the file`);
  const databaseType = field('database_type');
  return {
    ipVersion,
    recordSize,
    nodeCount,
    databaseType: typeof databaseType === 'string' ? databaseType : '',
    buildEpoch: Number(field('build_epoch')),
  };
}

function coordinate(record: MmdbValue, key: 'latitude' | 'longitude', limit: number): number | undefined {
  if (record === null || typeof record !== 'object' || Array.isArray(record) || record instanceof Uint8Array) return undefined;
  // DB-IP files keep coordinates at the top level; GeoLite2-style files nest them under "location".
  const holder = key in record ? record : record.location;
  if (holder === null || typeof holder !== 'object' || Array.isArray(holder) || holder instanceof Uint8Array) return undefined;
  const value = holder[key];
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined;
}

/**
 * Every network in the file that has a data record, in ascending address order. Networks of an
 * IPv4 file are placed at their IPv4-mapped IPv6 positions (see ip-address.ts). MaxMind's own
 * IPv6 files also reach their IPv4 tree through ::ffff:0:0/96 and 2002::/16; those networks come
 * out at those positions too, so such a file is used alone, not beside a separate IPv4 file.
 */
export function* mmdbRows(bytes: Uint8Array): Generator<GeoRow> {
  const meta = readMetadata(bytes);
  const { nodeCount, recordSize } = meta;
  const nodeBytes = recordSize / 4;
  const dataBase = nodeCount * nodeBytes + DATA_SECTION_SEPARATOR_BYTES;
  const decoder = new Decoder(bytes, dataBase);
  const depth = meta.ipVersion === 4 ? 32 : 128;
  // Many networks share one record (a city): decode each record once.
  const coordinatesAt = new Map<number, { latitude?: number; longitude?: number }>();

  const record = (node: number, right: boolean): number => {
    const at = node * nodeBytes;
    // In bounds: node < node_count, and readMetadata checked the tree fits the file.
    const b = (offset: number): number => bytes[at + offset]!;
    if (recordSize === 24) return right ? b(3) * 65536 + b(4) * 256 + b(5) : b(0) * 65536 + b(1) * 256 + b(2);
    if (recordSize === 28) {
      return right ? (b(3) & 0x0f) * 2 ** 24 + b(4) * 65536 + b(5) * 256 + b(6) : (b(3) >> 4) * 2 ** 24 + b(0) * 65536 + b(1) * 256 + b(2);
    }
    return right ? b(4) * 2 ** 24 + b(5) * 65536 + b(6) * 256 + b(7) : b(0) * 2 ** 24 + b(1) * 65536 + b(2) * 256 + b(3);
  };

  // Explicit stack of networks still to visit: a subtree (value < nodeCount) or a data record.
  // The right child is pushed first so the left one (lower addresses) comes out first.
  const stack: [number, bigint, number][] = [[0, 0n, 0]];
  while (stack.length > 0) {
    const [value, prefix, length] = stack.pop()!;
    if (value < nodeCount) {
      if (length >= depth) throw new MmdbError(`the search tree is deeper than ${depth} bits`);
      for (const right of [true, false]) {
        const child = record(value, right);
        // A record equal to node_count means "no data for this network": nothing to visit.
        if (child !== nodeCount) stack.push([child, (prefix << 1n) | (right ? 1n : 0n), length + 1]);
      }
      continue;
    }
    const hostBits = BigInt(depth - length);
    const firstRaw = prefix << hostBits;
    const lastRaw = firstRaw | ((1n << hostBits) - 1n);
    const dataOffset = value - nodeCount - DATA_SECTION_SEPARATOR_BYTES;
    let where = coordinatesAt.get(dataOffset);
    if (where === undefined) {
      const [data] = decoder.decode(dataOffset);
      where = { latitude: coordinate(data, 'latitude', 90), longitude: coordinate(data, 'longitude', 180) };
      coordinatesAt.set(dataOffset, where);
    }
    const [first, last] = meta.ipVersion === 4 ? [ipv4ToAddress(Number(firstRaw)), ipv4ToAddress(Number(lastRaw))] : [firstRaw, lastRaw];
    yield where.latitude !== undefined && where.longitude !== undefined
      ? { first, last, latitude: where.latitude, longitude: where.longitude }
      : { first, last };
  }
}
