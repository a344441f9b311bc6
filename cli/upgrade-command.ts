/** `kubecdn upgrade`: run UpgradeClusters of the deployed control stack. */
import type { Command } from 'commander';
import type { CommandContext } from './io';
import { runWorkflowCommand } from './workflow-command';
import { type WorkflowCommandOptions, addWorkflowOptions, checkConfiguredRegion, regionsOption } from './workflow-command-options';

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
    .addOption(regionsOption());
  addWorkflowOptions(upgrade).action((options: UpgradeOptions, command: Command) =>
    runWorkflowCommand(command, options, context, (config) => {
      for (const region of options.regions ?? []) checkConfiguredRegion(command, config, region);
      return {
        workflow: 'UpgradeClusters',
        input: options.regions !== undefined ? { regions: options.regions } : {},
        validate: (deployed, input, clock) => {
          const { validateUpgradeInput } =
            require('../lambdas/region-ops/upgrade-input') as typeof import('../lambdas/region-ops/upgrade-input');
          return validateUpgradeInput(deployed, input, clock);
        },
        subject: config.cluster.kubernetesVersion,
      };
    }),
  );
}
