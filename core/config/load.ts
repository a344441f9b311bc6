/** Reads a regions.json from disk and validates it; the only config code that touches the file system. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './errors';
import type { KubeCdnConfig } from './schema';
import { validateConfig } from './validate';

export const DEFAULT_CONFIG_PATH = 'config/regions.json';

export interface LoadedConfig {
  readonly config: KubeCdnConfig;
  /** The file it came from, as given. */
  readonly file: string;
  /** The workload manifests folder, resolved against the config file's folder. */
  readonly manifestsDir: string;
}

/** Throws ConfigError listing every problem; never returns a config that failed a rule. */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(file, [{ path: '$', message: `cannot read the config file: ${reason}` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [{ path: '$', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  const result = validateConfig(raw);
  if (!result.ok) throw new ConfigError(file, result.problems);

  const manifestsDir = resolve(dirname(file), result.config.workload.manifestsDir);
  if (!existsSync(manifestsDir) || !statSync(manifestsDir).isDirectory()) {
    throw new ConfigError(file, [
      {
        path: '$.workload.manifestsDir',
        message: `expected a folder of Kubernetes manifests relative to the config file; ${manifestsDir} does not exist`,
      },
    ]);
  }
  return { config: result.config, file, manifestsDir };
}
