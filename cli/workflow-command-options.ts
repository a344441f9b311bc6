/**
 * What the commands that start workflows (start, stop, purge, rollout, upgrade) share: their options, the
 * config they read, and how an input the workflow would refuse becomes a usage error before
 * anything is sent. Each input is checked by the workflow's own validator (lambdas/region-ops), so
 * the command refuses exactly what the execution's first step would.
 */
import { type Command, Option } from 'commander';
import { type KubeCdnConfig, loadConfigFile } from '../core/config';
import { editDistance } from '../core/regions';
import { usageError } from './exit-codes';
import { reportInputProblems } from './input-problems';
import type { CommandIo } from './io';
import { configOption, jsonOption, once } from './shared-options';

export const DEFAULT_CONFIG = 'config/regions.json';

export interface WorkflowCommandOptions {
  readonly config: string;
  readonly reason?: string;
  readonly wait?: boolean;
  readonly json?: boolean;
}

/** --config, --reason, --wait and --json, in that order, after the command's own options. */
export function addWorkflowOptions(command: Command): Command {
  return command
    .addOption(configOption(`the kubecdn config file (regions.json) of the deployment (default: ${DEFAULT_CONFIG})`))
    .addOption(new Option('--reason <text>', 'why, one line: logged and notified with the operation').argParser(once((text) => text)))
    .addOption(
      new Option(
        '--wait',
        'follow the execution until it ends: a line per step entered, the failing step and its cause on failure (exit 1); Ctrl-C stops following, not the execution',
      ),
    )
    .addOption(jsonOption('the execution (and with --wait its status and output)'));
}

/** --regions of the workflows over many regions (rollout, upgrade): a comma-separated list, given once. */
export function regionsOption(): Option {
  return new Option(
    '--regions <a,b,...>',
    'only these configured regions, in this order (default: scalable regions, then always-on)',
  ).argParser(once((text) => text.split(',').map((region) => region.trim())));
}

/** The config, or undefined after reporting its problems (the caller exits 1). */
export function loadDeployedConfig(options: WorkflowCommandOptions, io: CommandIo): KubeCdnConfig | undefined {
  try {
    return loadConfigFile(options.config ?? DEFAULT_CONFIG).config;
  } catch (error) {
    reportInputProblems(error, io, options.json === true);
    return undefined;
  }
}

/** A usage error for a region the config does not list, with the nearest configured one when there is one close. */
export function checkConfiguredRegion(command: Command, config: KubeCdnConfig, region: string): void {
  const configured = [...config.alwaysOn, ...config.scalable];
  if (configured.includes(region)) return;
  const nearest = configured
    .map((candidate) => ({ candidate, distance: editDistance(region.toLowerCase(), candidate) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const hint = nearest && nearest.distance <= 3 ? `; did you mean "${nearest.candidate}"?` : '';
  usageError(command, `"${region}" is not a configured region (configured: ${configured.join(', ')})${hint}`);
}

/** Runs the workflow's validator; what it refuses is a usage error carrying its message (which names the field). */
export function checkWorkflowInput(command: Command, validate: () => unknown): void {
  try {
    validate();
  } catch (error) {
    usageError(command, (error as Error).message);
  }
}
