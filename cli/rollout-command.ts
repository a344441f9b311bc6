/** `kubecdn rollout`: run RolloutWorkload of the deployed control stack. */
import { type Command, Option } from 'commander';
import type { CommandContext } from './io';
import { once } from './shared-options';
import { runWorkflowCommand } from './workflow-command';
import { type WorkflowCommandOptions, addWorkflowOptions, checkConfiguredRegion, regionsOption } from './workflow-command-options';

interface RolloutOptions extends WorkflowCommandOptions {
  readonly label?: string;
  readonly regions?: string[];
}

export function registerRollout(program: Command, context: CommandContext): void {
  const rollout = program
    .command('rollout')
    .summary('apply the deployed workload to the serving regions (RolloutWorkload)')
    .description(
      'Starts the RolloutWorkload workflow of the deployed control stack: the deployed workload is applied to every ' +
        'serving region, wave by wave (scalable regions first), halting at the first wave that fails.',
    )
    .addOption(
      new Option(
        '--label <version>',
        'what is rolled out, for the report and the history: 1-64 letters, digits, ".", "_" or "-" (default: manual)',
      ).argParser(once((text) => text)),
    )
    .addOption(regionsOption());
  addWorkflowOptions(rollout).action((options: RolloutOptions, command: Command) =>
    runWorkflowCommand(command, options, context, (config) => {
      for (const region of options.regions ?? []) checkConfiguredRegion(command, config, region);
      return {
        workflow: 'RolloutWorkload',
        input: {
          ...(options.label !== undefined ? { version: options.label } : {}),
          ...(options.regions !== undefined ? { regions: options.regions } : {}),
        },
        validate: (deployed, input, clock) => {
          const { validateRolloutInput } =
            require('../lambdas/region-ops/rollout-input') as typeof import('../lambdas/region-ops/rollout-input');
          return validateRolloutInput(deployed, input, clock);
        },
        subject: options.label ?? 'manual',
      };
    }),
  );
}
