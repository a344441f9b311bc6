/**
 * The edge's "address range → nearest configured region" table, made at synth for the deployed
 * config's regions: the geolocation database (lib/geo-database.ts) reduced by core/geo, encoded
 * (region-table-codec.ts) and gzipped. The edge agent gunzips it with node:zlib.
 *
 * Reading the real database takes most of a minute, so the result is cached on disk, keyed by
 * the database (its source, file sizes and modification times), the region list and
 * TABLE_BUILD_VERSION. The cache lives in node_modules/.cache/kubecdn (removed with
 * node_modules); KUBECDN_CACHE_DIR names another folder, or `off` to build every time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildRegionTable } from '../core/geo/region-table';
import { encodeRegionTable } from '../core/geo/region-table-codec';
import { mmdbRows, type GeoRow } from '../core/geo/mmdb';
import { locateGeoDatabase, type GeoDatabase } from './geo-database';

/**
 * Bump when what a database and region list turn into changes (core/geo's reading, the nearest
 * region rule, the codec, the compression): cached tables of an older build are then not reused.
 */
export const TABLE_BUILD_VERSION = 1;

export const CACHE_DIR_VARIABLE = 'KUBECDN_CACHE_DIR';
const DEFAULT_CACHE_DIR = join(__dirname, '..', 'node_modules', '.cache', 'kubecdn');

/** gzip's OS byte: zlib writes its build platform's, so it is fixed for the same bytes everywhere. */
const GZIP_OS_BYTE_OFFSET = 9;
const GZIP_OS_UNIX = 3;

export interface EdgeRegionTable {
  /** The regions the table attributes to, sorted: the config's order does not change the table. */
  readonly regions: readonly string[];
  /** The encoded table, gzipped (level 9): what ships, in ConfigMap parts. */
  readonly gzip: Buffer;
  /**
   * Hex SHA-256 of the encoded table before compression: what the table says, whatever zlib
   * build compressed it. The workload version covers this.
   */
  readonly contentSha256: string;
  /** Where the networks came from: `<package>@<version>` or a folder. */
  readonly source: string;
}

export interface EdgeRegionTableBuild extends EdgeRegionTable {
  readonly networks: number;
  readonly entries: number;
  readonly encodedBytes: number;
}

/** Rows of two address-ordered sources, in address order (the IPv4 file's rows sit inside the IPv6 space). */
export function* inAddressOrder(a: Iterator<GeoRow>, b: Iterator<GeoRow>): Generator<GeoRow> {
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value.first <= y.value.first)) {
      yield x.value as GeoRow;
      x = a.next();
    } else {
      yield y.value;
      y = b.next();
    }
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function gzip(encoded: Uint8Array): Buffer {
  const compressed = gzipSync(encoded, { level: 9 });
  compressed[GZIP_OS_BYTE_OFFSET] = GZIP_OS_UNIX;
  return compressed;
}

function sortedRegions(regions: readonly string[]): string[] {
  return [...new Set(regions)].sort();
}

/** Reads the database and builds the table, with what it measured; no cache. */
export function buildEdgeRegionTable(database: GeoDatabase, regions: readonly string[]): EdgeRegionTableBuild {
  const [v4, v6] = database.files.map((file) => new Uint8Array(readFileSync(file.path)));
  let networks = 0;
  const counted = function* (rows: Iterable<GeoRow>): Generator<GeoRow> {
    for (const row of rows) {
      networks++;
      yield row;
    }
  };
  const sorted = sortedRegions(regions);
  const table = buildRegionTable(counted(inAddressOrder(mmdbRows(v4!), mmdbRows(v6!))), sorted);
  const encoded = encodeRegionTable(table);
  return {
    regions: sorted,
    gzip: gzip(encoded),
    contentSha256: sha256(encoded),
    source: database.source,
    networks,
    entries: table.starts.length,
    encodedBytes: encoded.length,
  };
}

function cacheKey(database: GeoDatabase, regions: readonly string[]): string {
  const identity = {
    build: TABLE_BUILD_VERSION,
    source: database.source,
    files: database.files.map((file) => ({ name: basename(file.path), size: file.size, mtimeMs: file.mtimeMs })),
    regions,
  };
  return sha256(Buffer.from(JSON.stringify(identity))).slice(0, 32);
}

/** Tables already made in this process, by cache key: tests synthesize many apps. */
const made = new Map<string, EdgeRegionTable>();

/** The cache entry for the regions and the database in `env`; undefined with the cache off. */
function cacheFile(database: GeoDatabase, regions: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  const cacheDir = env[CACHE_DIR_VARIABLE] ?? DEFAULT_CACHE_DIR;
  if (cacheDir.trim() === '') throw new Error(`${CACHE_DIR_VARIABLE} is set but empty; name a folder, or "off"`);
  return cacheDir === 'off' ? undefined : join(cacheDir, `edge-region-table-${cacheKey(database, regions)}.gz`);
}

/** The table from the disk cache, or undefined when it has none (or a damaged one) for these regions and this database. */
export function cachedEdgeRegionTable(regions: readonly string[], env: NodeJS.ProcessEnv = process.env): EdgeRegionTable | undefined {
  const database = locateGeoDatabase(env);
  const sorted = sortedRegions(regions);
  const file = cacheFile(database, sorted, env);
  if (!file) return undefined;
  let compressed: Buffer;
  try {
    compressed = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    // gunzip checks the CRC: a damaged entry is rebuilt, not shipped.
    return { regions: sorted, gzip: compressed, contentSha256: sha256(gunzipSync(compressed)), source: database.source };
  } catch {
    return undefined;
  }
}

/** Keeps a table built from the database in `env` in the disk cache (nothing with the cache off). */
export function cacheEdgeRegionTable(table: EdgeRegionTable, env: NodeJS.ProcessEnv = process.env): void {
  const file = cacheFile(locateGeoDatabase(env), table.regions, env);
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  // Written whole under a temporary name, then renamed: a parallel synth never reads half a file.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, table.gzip);
  renameSync(partial, file);
}

/**
 * The table for `regions` from the database synth is set to read (see lib/geo-database.ts),
 * from this process's tables, the disk cache, or built (and cached).
 */
export function edgeRegionTable(regions: readonly string[], env: NodeJS.ProcessEnv = process.env): EdgeRegionTable {
  const database = locateGeoDatabase(env);
  const sorted = sortedRegions(regions);
  const key = cacheKey(database, sorted);
  const known = made.get(key);
  if (known) return known;
  let table = cachedEdgeRegionTable(sorted, env);
  if (!table) {
    const { regions: built, gzip: compressed, contentSha256, source } = buildEdgeRegionTable(database, sorted);
    table = { regions: built, gzip: compressed, contentSha256, source };
    cacheEdgeRegionTable(table, env);
  }
  made.set(key, table);
  return table;
}
