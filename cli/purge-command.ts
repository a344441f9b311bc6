/** `kubecdn purge <path>...` and `kubecdn purge --everything`: run PurgeCache of the deployed control stack. */
import { type Command, Option } from 'commander';
import { EXIT_FAILURE, usageError } from './exit-codes';
import type { CommandContext } from './io';
import { type WorkflowCommandOptions, addWorkflowOptions, checkWorkflowInput, loadDeployedConfig } from './workflow-command-options';
import { runWorkflow } from './workflow-execution';

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
    const config = loadDeployedConfig(options, context.io);
    if (!config) {
      context.exitCode = EXIT_FAILURE;
      return;
    }
    const input = {
      ...(options.everything ? { everything: true } : { paths }),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
    };
    // Loaded here: the validators' modules pull in parts of the AWS SDK, which no other command should wait for.
    const { validatePurgeInput } = require('../lambdas/region-ops/purge-input') as typeof import('../lambdas/region-ops/purge-input');
    checkWorkflowInput(command, () => validatePurgeInput(config, input, { nowMs: Date.now() }));
    context.exitCode = await runWorkflow(
      {
        config,
        workflow: 'PurgeCache',
        input,
        subject: options.everything ? 'everything' : `${paths.length}-paths`,
        wait: options.wait === true,
        json: options.json === true,
        command: 'kubecdn purge',
      },
      context.io,
    );
  });
}
