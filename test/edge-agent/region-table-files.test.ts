/** The region table read from the projected volume: the fixture table, whole, cut short, or mixed up. */
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { regionForAddress } from '../../core/geo/region-table';
import { loadRegionTable, regionTableFromParts } from '../../edge-agent/region-table-files';
import { ViewerRegions } from '../../edge-agent/viewer-regions';
import { fixtureTable, tableFiles, writeTableDir } from './region-table-fixture';

describe('loading the region table from its ConfigMap files', () => {
  const dirs: string[] = [];
  const dirOf = (parts: number) => {
    const dir = writeTableDir(tableFiles(parts));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('reads back the table that was cut into parts, in one part or several', async () => {
    for (const parts of [1, 3, 8]) {
      const loaded = await loadRegionTable(dirOf(parts));
      expect(loaded).toEqual({ ok: true, table: fixtureTable() });
    }
  });

  it('places known viewers once loaded, and none before', async () => {
    const dir = dirOf(2);
    const regions = new ViewerRegions(dir);
    expect(regions.attribute('3.0.0.5')).toBeUndefined();
    expect(regions.regions).toBeUndefined();
    expect(await regions.ensureLoaded()).toMatchObject({ ok: true });
    expect([regions.attribute('3.0.0.5'), regions.attribute('2a00:1450::1'), regions.attribute('192.0.2.1')]).toEqual([
      'us-east-1',
      'eu-central-1',
      undefined,
    ]);
    // Loaded once: later calls read nothing.
    expect(await regions.ensureLoaded()).toBeUndefined();
  });

  it('refuses parts whose sha256 is not the one given (parts of two versions), saying so', async () => {
    const dir = dirOf(3);
    writeFileSync(join(dir, 'part-1'), tableFiles(3, { ...fixtureTable(), regions: [...fixtureTable().regions].reverse() }).parts[1]!);
    const loaded = await loadRegionTable(dir);
    expect(loaded).toMatchObject({ ok: false, reason: expect.stringMatching(/sha256 is [0-9a-f]{64}, expected [0-9a-f]{64}/) });
  });

  it('refuses a table with a part missing, naming its ConfigMap', async () => {
    const dir = dirOf(3);
    unlinkSync(join(dir, 'part-2'));
    expect(await loadRegionTable(dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/part 2 of 3 .*edge-region-table-2/) });
  });

  it('refuses a directory without the first ConfigMap, and a wrong part count', async () => {
    const dir = dirOf(1);
    writeFileSync(join(dir, 'parts'), '9');
    expect(await loadRegionTable(dir)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/parts must be a number of parts from 1 to 8, got "9"/),
    });
    unlinkSync(join(dir, 'sha256'));
    expect(await loadRegionTable(dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/no sha256 or parts file/) });
  });

  it('refuses bytes that match their sha256 but are no gzipped table', () => {
    const notGzip = Buffer.from('not gzip');
    expect(regionTableFromParts([notGzip], createHash('sha256').update(notGzip).digest('hex'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not gunzip/),
    });
    const notTable = gzipSync('KCDNGEO9');
    expect(regionTableFromParts([notTable], createHash('sha256').update(notTable).digest('hex'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/format marker/),
    });
  });

  it('attributes with the same answers as the table it was built from', async () => {
    const loaded = await loadRegionTable(dirOf(4));
    if (!loaded.ok) throw new Error(loaded.reason);
    for (const address of ['8.8.8.8', '31.13.1.1', '2400:cb00::1', '2804::1', '198.51.100.20']) {
      expect(regionForAddress(loaded.table, address)).toBe(regionForAddress(fixtureTable(), address));
    }
  });
});
