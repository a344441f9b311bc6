/**
 * "Address range → nearest configured region", reduced from a city-level geolocation database
 * for one deployed region list. Consecutive networks whose nearest region is the same collapse
 * into one range, which is what makes the table small enough to ship with the edge workload.
 *
 * Stored as range starts: entry i covers starts[i] up to starts[i + 1] - 1 (the last one up to
 * the top of the address space). An entry's region is an index into `regions`, or UNATTRIBUTED
 * for addresses the database does not have or cannot place: those are never guessed.
 */
import { nearestRegion } from '../demand/nearest-region';
import { formatAddress, MAX_ADDRESS, parseIpAddress } from './ip-address';
import type { GeoRow } from './mmdb';

export const UNATTRIBUTED = -1;

export interface RegionTable {
  readonly regions: readonly string[];
  /** Ascending; the first is always 0 so every address falls in some entry. */
  readonly starts: readonly bigint[];
  /** Same length as starts: a region index or UNATTRIBUTED. */
  readonly regionIndexes: readonly number[];
}

export class RegionTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionTableError';
  }
}

/**
 * Builds the table from database rows (any order, none overlapping) for `regions`. A row
 * without both coordinates, and any address no row covers, is unattributed.
 */
export function buildRegionTable(rows: Iterable<GeoRow>, regions: readonly string[]): RegionTable {
  if (regions.length === 0) throw new RegionTableError('regions: at least one region is needed');
  if (new Set(regions).size !== regions.length) throw new RegionTableError(`regions: listed more than once in ${regions.join(', ')}`);
  const indexOf = new Map(regions.map((region, i) => [region, i]));
  // Many rows share a city: look each location up once.
  const regionAt = new Map<string, number>();
  const regionOf = (row: GeoRow): number => {
    if (row.latitude === undefined || row.longitude === undefined) return UNATTRIBUTED;
    const key = `${row.latitude},${row.longitude}`;
    let index = regionAt.get(key);
    if (index === undefined) {
      index = indexOf.get(nearestRegion({ latitude: row.latitude, longitude: row.longitude }, regions))!;
      regionAt.set(key, index);
    }
    return index;
  };

  const sorted = inAddressOrder(rows);
  const starts: bigint[] = [];
  const regionIndexes: number[] = [];
  const append = (start: bigint, index: number): void => {
    if (regionIndexes.length > 0 && regionIndexes[regionIndexes.length - 1] === index) return;
    starts.push(start);
    regionIndexes.push(index);
  };
  let next = 0n; // first address not yet covered
  for (const row of sorted) {
    if (row.first < 0n || row.last > MAX_ADDRESS || row.first > row.last) {
      throw new RegionTableError(`row ${formatAddress(row.first)}–${formatAddress(row.last)}: not a valid address range`);
    }
    if (row.first < next)
      throw new RegionTableError(`row ${formatAddress(row.first)}–${formatAddress(row.last)} overlaps the row before it`);
    if (row.first > next) append(next, UNATTRIBUTED);
    append(row.first, regionOf(row));
    next = row.last + 1n;
  }
  if (next <= MAX_ADDRESS) append(next, UNATTRIBUTED);
  return { regions: [...regions], starts, regionIndexes };
}

function inAddressOrder(rows: Iterable<GeoRow>): GeoRow[] {
  const list = [...rows];
  // Database readers already yield rows in order; sorting millions of bigint keys is only paid when not.
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.first < list[i - 1]!.first) return list.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  }
  return list;
}

/** The region serving `address` (IPv4, IPv6 or IPv4-mapped IPv6 text); undefined when unattributed or malformed. */
export function regionForAddress(table: RegionTable, address: string): string | undefined {
  const position = parseIpAddress(address);
  if (position === undefined) return undefined;
  // Binary search for the last start at or below the position.
  const { starts } = table;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid]! <= position) low = mid;
    else high = mid - 1;
  }
  const index = table.regionIndexes[low] ?? UNATTRIBUTED;
  return index === UNATTRIBUTED ? undefined : table.regions[index];
}
