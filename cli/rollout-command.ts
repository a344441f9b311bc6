/** `kubecdn rollout`: run RolloutWorkload of the deployed control stack. */
import { type Command, Option } from 'commander';
import { EXIT_FAILURE } from './exit-codes';
import type { CommandContext } from './io';
import {
  type WorkflowCommandOptions,
  addWorkflowOptions,
  checkConfiguredRegion,
  checkWorkflowInput,
  loadDeployedConfig,
} from './workflow-command-options';
import { runWorkflow } from './workflow-execution';
import { once } from './shared-options';

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
    .addOption(
      new Option(
        '--regions <a,b,...>',
        'only these configured regions, in this order (default: scalable regions, then always-on)',
      ).argParser(once((text) => text.split(',').map((region) => region.trim()))),
    );
  addWorkflowOptions(rollout).action(async (options: RolloutOptions, command: Command) => {
    const config = loadDeployedConfig(options, context.io);
    if (!config) {
      context.exitCode = EXIT_FAILURE;
      return;
    }
    for (const region of options.regions ?? []) checkConfiguredRegion(command, config, region);
    const input = {
      ...(options.label !== undefined ? { version: options.label } : {}),
      ...(options.regions !== undefined ? { regions: options.regions } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
    };
    // Loaded here: the validators' modules pull in parts of the AWS SDK, which no other command should wait for.
    const { validateRolloutInput } = require('../lambdas/region-ops/rollout-input') as typeof import('../lambdas/region-ops/rollout-input');
    checkWorkflowInput(command, () => validateRolloutInput(config, input, { lockSeconds: 1, nowMs: Date.now() }));
    context.exitCode = await runWorkflow(
      {
        config,
        workflow: 'RolloutWorkload',
        input,
        subject: options.label ?? 'manual',
        wait: options.wait === true,
        json: options.json === true,
        command: 'kubecdn rollout',
      },
      context.io,
    );
  });
}
