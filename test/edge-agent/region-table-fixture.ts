/**
 * The region table as the pod's projected volume holds it, from the fixture geolocation databases
 * and the example config's regions: gzipped, cut into parts, with the sha256 and the part count.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildRegionTable, type RegionTable } from '../../core/geo/region-table';
import { encodeRegionTable } from '../../core/geo/region-table-codec';
import { EXAMPLE_REGIONS, fixtureRows } from '../core/geo/fixtures/example-data';

export const fixtureTable = (): RegionTable => buildRegionTable(fixtureRows(), EXAMPLE_REGIONS);

export interface TableFiles {
  readonly parts: Buffer[];
  readonly sha256: string;
}

/** The gzipped encoded table cut into `count` parts of about equal size. */
export function tableFiles(count: number, table: RegionTable = fixtureTable()): TableFiles {
  const gzipped = gzipSync(encodeRegionTable(table));
  const size = Math.ceil(gzipped.length / count);
  const parts = Array.from({ length: count }, (_, i) => gzipped.subarray(i * size, (i + 1) * size));
  return { parts, sha256: createHash('sha256').update(gzipped).digest('hex') };
}

/** A directory laid out as the Deployment projects the table: part-<i>, sha256, parts. */
export function writeTableDir(files: TableFiles, dir = mkdtempSync(join(tmpdir(), 'kubecdn-region-table-'))): string {
  mkdirSync(dir, { recursive: true });
  files.parts.forEach((part, i) => writeFileSync(join(dir, `part-${i}`), part));
  writeFileSync(join(dir, 'sha256'), files.sha256);
  writeFileSync(join(dir, 'parts'), String(files.parts.length));
  return dir;
}
