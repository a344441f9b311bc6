import type { Command } from 'commander';
import { configuredRegions, DEFAULT_CONFIG_PATH, loadConfigFile } from '../core/config';
import { EXIT_OK } from './exit-codes';
import { reportInputProblems } from './input-problems';
import { type CommandContext, type CommandIo, writeJson } from './io';
import { jsonOption } from './shared-options';

/** `kubecdn validate --json` on a valid file (an invalid one prints cli/input-problems.ts's InputProblemsJson). */
export interface ValidateJson {
  readonly file: string;
  readonly valid: true;
  readonly homeRegion: string;
  readonly alwaysOn: readonly string[];
  readonly scalable: readonly string[];
}

export function registerValidate(program: Command, context: CommandContext): void {
  program
    .command('validate')
    .summary('check a config file without synthesizing')
    .description(
      `Checks a kubecdn config file against its schema and cross-field rules, offline, and lists every problem ` +
        `as <file>: <json path>: <what is wrong>. Exit 0 when valid, 1 when not.`,
    )
    .argument('[path]', `the config file to check (default: ${DEFAULT_CONFIG_PATH})`)
    .addOption(jsonOption('the verdict (and the problems of an invalid file)'))
    .action((path: string | undefined, options: { json?: boolean }) => {
      context.exitCode = runValidate(path ?? DEFAULT_CONFIG_PATH, options.json === true, context.io);
    });
}

export function runValidate(file: string, json: boolean, io: CommandIo): number {
  try {
    const { config } = loadConfigFile(file);
    if (json) {
      const result: ValidateJson = {
        file,
        valid: true,
        homeRegion: config.homeRegion,
        alwaysOn: config.alwaysOn,
        scalable: config.scalable,
      };
      writeJson(io, result);
    } else {
      io.out(
        `${file}: valid: ${config.alwaysOn.length} always-on and ${config.scalable.length} scalable region(s) ` +
          `(${configuredRegions(config).join(', ')}); control plane in ${config.homeRegion}\n`,
      );
    }
    return EXIT_OK;
  } catch (error) {
    return reportInputProblems(error, io, json);
  }
}
