/** `kubecdn upgrade`: run UpgradeClusters of the deployed control stack. */
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

interface UpgradeOptions extends WorkflowCommandOptions {
  readonly regions?: string[];
}

export function registerUpgrade(program: Command, context: CommandContext): void {
  const upgrade = program
    .command('upgrade')
    .summary('bring the clusters to the deployed Kubernetes version (UpgradeClusters)')
    .description(
      'Starts the UpgradeClusters workflow of the deployed control stack: every running and warm-standby cluster is ' +
        'brought to cluster.kubernetesVersion, one region and one minor version at a time (scalable regions first), ' +
        'halting at the first failure. A deploy that raises the version starts it; run it by hand to continue after a halt.',
    )
    .addOption(
      new Option(
        '--regions <a,b,...>',
        'only these configured regions, in this order (default: scalable regions, then always-on)',
      ).argParser(once((text) => text.split(',').map((region) => region.trim()))),
    );
  addWorkflowOptions(upgrade).action(async (options: UpgradeOptions, command: Command) => {
    const config = loadDeployedConfig(options, context.io);
    if (!config) {
      context.exitCode = EXIT_FAILURE;
      return;
    }
    for (const region of options.regions ?? []) checkConfiguredRegion(command, config, region);
    const input = {
      ...(options.regions !== undefined ? { regions: options.regions } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
    };
    // Loaded here: the validators' modules pull in parts of the AWS SDK, which no other command should wait for.
    const { validateUpgradeInput } = require('../lambdas/region-ops/upgrade-input') as typeof import('../lambdas/region-ops/upgrade-input');
    checkWorkflowInput(command, () => validateUpgradeInput(config, input, { lockSeconds: 1, nowMs: Date.now() }));
    context.exitCode = await runWorkflow(
      {
        config,
        workflow: 'UpgradeClusters',
        input,
        subject: config.cluster.kubernetesVersion,
        wait: options.wait === true,
        json: options.json === true,
        command: 'kubecdn upgrade',
      },
      context.io,
    );
  });
}
