/**
 * The `kubecdn` command tree. Settings given here before any command is added (output through the
 * caller's streams, errors thrown instead of exiting, suggestions for typos) are inherited by every
 * command and subcommand, so each command file only declares its own arguments, options and action.
 */
import { Command } from 'commander';
import { version } from '../package.json';
import type { CommandContext } from './io';
import { checkRequiredOptions } from './shared-options';
import { registerKubeconfig } from './kubeconfig-command';
import { registerPlan } from './plan-command';
import { registerOverride } from './override-command';
import { registerPurge } from './purge-command';
import { registerRegionCommands } from './region-commands';
import { registerRollout } from './rollout-command';
import { registerUpgrade } from './upgrade-command';
import { registerSimulate } from './simulate-command';
import { registerStatus } from './status-command';
import { registerTrace } from './trace-command';
import { registerValidate } from './validate-command';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure: an input file is invalid, AWS refused or could not be reached
  2  usage: unknown command or option, missing or malformed option value
  130 interrupted (Ctrl-C) while following a workflow, which keeps running

Run "kubecdn <command> --help" for a command's options.`;

export function buildProgram(context: CommandContext): Command {
  const program = new Command('kubecdn')
    .description('Operate and tune kubecdn, the self-hosted multi-region CDN whose regions start and stop by themselves.')
    .version(version, '-V, --version', 'print the kubecdn version')
    .helpOption('-h, --help', 'show this help')
    .configureOutput({ writeOut: (text) => context.io.out(text), writeErr: (text) => context.io.err(text) })
    // Errors, --help and --version throw a CommanderError instead of ending the process; main maps it to an exit code.
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    // Options after a command are that command's: `override clear <region> --config x` is clear's --config, not override's.
    .enablePositionalOptions()
    .hook('preAction', (_program, actionCommand) => checkRequiredOptions(actionCommand));
  registerValidate(program, context);
  registerSimulate(program, context);
  registerTrace(program, context);
  registerRegionCommands(program, context);
  registerPurge(program, context);
  registerRollout(program, context);
  registerUpgrade(program, context);
  registerKubeconfig(program, context);
  registerStatus(program, context);
  registerPlan(program, context);
  registerOverride(program, context);
  return program;
}
