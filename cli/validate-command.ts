import { parseArgs } from 'node:util';
import { ConfigError, configuredRegions, DEFAULT_CONFIG_PATH, loadConfigFile } from '../core/config';
import { type CommandIo, UsageError } from './io';

export const VALIDATE_USAGE = `kubecdn validate [path]   check a regions.json (default ${DEFAULT_CONFIG_PATH}) without synthesizing`;

/** Exit code 0 when the file is valid, 1 when it is not (every problem printed). */
export function runValidate(args: readonly string[], io: CommandIo): number {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError(`expected at most one path, got ${positionals.length}`);
  const file = positionals[0] ?? DEFAULT_CONFIG_PATH;
  try {
    const { config } = loadConfigFile(file);
    io.out(
      `${file}: valid: ${config.alwaysOn.length} always-on and ${config.scalable.length} scalable region(s) ` +
        `(${configuredRegions(config).join(', ')}); control plane in ${config.homeRegion}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${error.message}\n${error.problems.length} problem(s) found.\n`);
    return 1;
  }
}
