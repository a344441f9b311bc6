/**
 * Options several commands share, defined once so they read and behave the same everywhere: the
 * config file, an AWS region, --json. Each value is checked as commander parses it, so a bad one is
 * a usage error (exit 2) naming the option, before the command does anything.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { isAwsRegion, suggestRegion } from '../core/regions';
import { usageError } from './exit-codes';

const REQUIRED = new WeakSet<Option>();

/**
 * Marks an option the command cannot run without. Not commander's makeOptionMandatory: commander
 * checks mandatory options before unknown ones, so `--conf` for `--config` would be reported as
 * "--config not specified" instead of the typo with its suggestion. checkRequiredOptions runs after.
 */
export function required(option: Option): Option {
  REQUIRED.add(option);
  return option;
}

/** Run before every action (program.ts): a usage error naming the first required option not given. */
export function checkRequiredOptions(command: Command): void {
  for (const option of command.options) {
    if (REQUIRED.has(option) && command.getOptionValue(option.attributeName()) === undefined) {
      usageError(command, `required option '${option.flags}' not specified`);
    }
  }
}

/** Commander keeps the last of a repeated option; a repeated file or number is more likely a slip than an override. */
export function once<T>(parse: (value: string) => T): (value: string, previous: T | undefined) => T {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError('the option is given more than once');
    return parse(value);
  };
}

export function existingFile(path: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) throw new InvalidArgumentError('no such file');
  return path;
}

/** A file to write: its folder must exist (nothing is created behind the operator's back); `-` is standard output. */
export function outputFile(path: string): string {
  if (path !== '-' && !existsSync(dirname(path))) throw new InvalidArgumentError('its folder does not exist');
  return path;
}

/** A plain decimal number in [min, max] (whole when asked): no exponents, signs or hex a typo could produce. */
export function numberIn(what: string, min: number, max: number, whole: boolean): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || (whole && !Number.isInteger(n)) || n < min || n > max) {
      throw new InvalidArgumentError(`expected ${what}`);
    }
    return n;
  };
}

export function awsRegion(text: string): string {
  if (isAwsRegion(text)) return text;
  const hint = suggestRegion(text);
  throw new InvalidArgumentError(`"${text}" is not an AWS region code${hint ? `; did you mean "${hint}"?` : ''}`);
}

/** --json: the command's result as one JSON object on standard output (shapes in the README). */
export function jsonOption(what: string): Option {
  return new Option('--json', `print ${what} as one JSON object on standard output instead of text`);
}

/** --config: the kubecdn config file the command reads. */
export function configOption(description = 'the kubecdn config file (regions.json) to read'): Option {
  return new Option('--config <regions.json>', description).argParser(once(existingFile));
}

/** --region: one AWS region, checked against the region catalog (with a suggestion for a typo). */
export function regionOption(description: string): Option {
  return new Option('--region <code>', description).argParser(once(awsRegion));
}
