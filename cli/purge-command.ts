/** `kubecdn purge <path>...` and `kubecdn purge --everything`: run PurgeCache of the deployed control stack. */
import { type Command, Option } from 'commander';
import { usageError } from './exit-codes';
import type { CommandContext } from './io';
import { runWorkflowCommand } from './workflow-command';
import { type WorkflowCommandOptions, addWorkflowOptions } from './workflow-command-options';

interface PurgeOptions extends WorkflowCommandOptions {
  readonly everything?: boolean;
}

export function registerPurge(program: Command, context: CommandContext): void {
  const purge = program
    .command('purge')
    .argument(
      '[path...]',
      'paths to purge as they follow the host in a URL, without the query ("/img/logo.png"); a trailing * makes a prefix ("/css/*")',
    )
    .summary('remove cached objects from every serving region (PurgeCache)')
    .description(
      'Starts the PurgeCache workflow of the deployed control stack: every edge pod of every serving region drops ' +
        'the cached objects of the paths given (every variant of each, whatever the host or query), or everything.',
    )
    .addOption(new Option('--everything', 'empty every cache instead of naming paths'));
  addWorkflowOptions(purge).action(async (paths: string[], options: PurgeOptions, command: Command) => {
    if (options.everything && paths.length > 0)
      usageError(command, 'give paths or --everything, not both (--everything already covers every path)');
    if (!options.everything && paths.length === 0) usageError(command, 'nothing to purge: give one or more paths, or --everything');
    await runWorkflowCommand(command, options, context, () => ({
      workflow: 'PurgeCache',
      input: options.everything ? { everything: true } : { paths },
      validate: (config, input, clock) => {
        const { validatePurgeInput } = require('../lambdas/region-ops/purge-input') as typeof import('../lambdas/region-ops/purge-input');
        return validatePurgeInput(config, input, clock);
      },
      subject: options.everything ? 'everything' : `${paths.length}-paths`,
    }));
  });
}
