/**
 * The region table as the pod receives it: the gzipped encoded table (core/geo/region-table-codec)
 * cut into parts, one per ConfigMap `edge-region-table-<i>` (a ConfigMap holds at most 1 MiB),
 * projected into one directory as files `part-<i>`, beside `sha256` (hex of the whole gzipped
 * table) and `parts` (how many there are) from `edge-region-table-0`. Every check is made before
 * the table is used: a table cut short or mixed from two versions must not place viewers wrongly.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeRegionTable } from '../core/geo/region-table-codec';
import type { RegionTable } from '../core/geo/region-table';

/** As many parts as the Deployment projects (edge-region-table-0 … -7). */
export const MAX_TABLE_PARTS = 8;
/** Far more than a table for every AWS region (the 8-region table is ~2.5 MB): a bound against a gzip bomb. */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

export type RegionTableLoad = { readonly ok: true; readonly table: RegionTable } | { readonly ok: false; readonly reason: string };

/** The table from its parts, in order, and the expected sha256 (hex) of their concatenation. */
export function regionTableFromParts(parts: readonly Uint8Array[], sha256: string): RegionTableLoad {
  const gzipped = Buffer.concat(parts);
  const actual = createHash('sha256').update(gzipped).digest('hex');
  if (actual !== sha256.toLowerCase()) {
    return { ok: false, reason: `the parts' sha256 is ${actual}, expected ${sha256} (parts from different versions, or cut short)` };
  }
  let bytes: Buffer;
  try {
    bytes = gunzipSync(gzipped, { maxOutputLength: MAX_TABLE_BYTES });
  } catch (error) {
    return { ok: false, reason: `the table does not gunzip: ${(error as Error).message}` };
  }
  try {
    return { ok: true, table: decodeRegionTable(bytes) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

async function text(dir: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Reads `sha256`, `parts` and `part-0` … from `dir`; says what is missing or wrong instead of throwing. */
export async function loadRegionTable(dir: string): Promise<RegionTableLoad> {
  const sha256 = await text(dir, 'sha256');
  const partsText = await text(dir, 'parts');
  if (sha256 === undefined || partsText === undefined) {
    return { ok: false, reason: `${dir} has no sha256 or parts file (ConfigMap edge-region-table-0 missing)` };
  }
  if (!/^[0-9a-fA-F]{64}$/.test(sha256))
    return { ok: false, reason: `${join(dir, 'sha256')} is not a hex sha256: "${sha256.slice(0, 80)}"` };
  const count = /^\d{1,2}$/.test(partsText) ? Number(partsText) : NaN;
  if (!(count >= 1 && count <= MAX_TABLE_PARTS)) {
    return {
      ok: false,
      reason: `${join(dir, 'parts')} must be a number of parts from 1 to ${MAX_TABLE_PARTS}, got "${partsText.slice(0, 80)}"`,
    };
  }
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    try {
      parts.push(await readFile(join(dir, `part-${i}`)));
    } catch (error) {
      return {
        ok: false,
        reason: `part ${i} of ${count} cannot be read (ConfigMap edge-region-table-${i} missing?): ${(error as Error).message}`,
      };
    }
  }
  return regionTableFromParts(parts, sha256);
}
