/**
 * The edge region table for the reference config's regions, from the real geolocation database
 * (the npm package, unless KUBECDN_GEO_DATABASE_DIR says otherwise): what a synth without a cached
 * table pays, what a synth with one pays, and what ships (lib/edge-region-table.ts,
 * lambdas/region-ops/edge-file-manifests.ts). The cache used is a fresh temporary folder, so the
 * project's own cache neither helps nor changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeRegionTable } from '../core/geo/region-table-codec';
import { regionTableParts } from '../lambdas/region-ops/edge-file-manifests';
import { buildEdgeRegionTable, cachedEdgeRegionTable, cacheEdgeRegionTable } from '../lib/edge-region-table';
import { locateGeoDatabase } from '../lib/geo-database';
import { timed } from './timing';

export interface RegionTableMeasurement {
  readonly regions: readonly string[];
  /** `<package>@<version>` or the folder read. */
  readonly source: string;
  readonly databaseBytes: number;
  /** Reading both files and building, encoding and gzipping the table: a synth with no cached table. */
  readonly buildMs: number;
  /** Reading the cached table back (and checking it): a later synth. */
  readonly cacheHitMs: number;
  /** Decoding the encoded table, as the agent does once at start (gunzip included). */
  readonly decodeMs: number;
  readonly networks: number;
  readonly entries: number;
  readonly encodedBytes: number;
  readonly gzipBytes: number;
  /** How the gzip travels in region-ops' code. */
  readonly base64Characters: number;
  readonly parts: number;
  readonly largestPartBytes: number;
}

/** Builds the table once (most of a minute on the real database) and reads it back once; `gzip` is what region-ops would carry. */
export function benchEdgeRegionTable(
  regions: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { measurement: RegionTableMeasurement; gzip: Buffer } {
  const database = locateGeoDatabase(env);
  const { result: built, ms: buildMs } = timed(() => buildEdgeRegionTable(database, regions));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubecdn-bench-cache-'));
  try {
    const cacheEnv = { ...env, KUBECDN_CACHE_DIR: cacheDir };
    cacheEdgeRegionTable(built, cacheEnv);
    const { result: cached, ms: cacheHitMs } = timed(() => cachedEdgeRegionTable(regions, cacheEnv));
    if (!cached?.gzip.equals(built.gzip)) throw new Error('the cached table is not the one built');
    const { result: decoded, ms: decodeMs } = timed(() => decodeRegionTable(gunzipSync(cached.gzip)));
    if (decoded.starts.length !== built.entries) throw new Error('the decoded table has another entry count');
    const parts = regionTableParts(built.gzip);
    const measurement = {
      regions: built.regions,
      source: built.source,
      databaseBytes: database.files.reduce((sum, file) => sum + file.size, 0),
      buildMs,
      cacheHitMs,
      decodeMs,
      networks: built.networks,
      entries: built.entries,
      encodedBytes: built.encodedBytes,
      gzipBytes: built.gzip.length,
      base64Characters: built.gzip.toString('base64').length,
      parts: parts.length,
      largestPartBytes: Math.max(...parts.map((part) => part.length)),
    };
    return { measurement, gzip: built.gzip };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
