/** `kubecdn start <region>` and `kubecdn stop <region>`: run StartRegion or StopRegion of the deployed control stack. */
import { type Command, Option } from 'commander';
import { usageError } from './exit-codes';
import type { CommandContext } from './io';
import { runWorkflowCommand } from './workflow-command';
import { type WorkflowCommandOptions, addWorkflowOptions, checkConfiguredRegion } from './workflow-command-options';

interface RegionCommandOptions extends WorkflowCommandOptions {
  readonly force?: boolean;
  readonly decommission?: boolean;
}

export function registerRegionCommands(program: Command, context: CommandContext): void {
  const start = program
    .command('start')
    .argument('<region>', 'a region of the config (alwaysOn or scalable)')
    .summary('start a region now (StartRegion)')
    .description(
      'Starts the StartRegion workflow of the deployed control stack (<name>-control in homeRegion) for one configured ' +
        'region: cluster, workload, load balancer, health check, DNS record. Uses the standard AWS credential chain.',
    );
  addWorkflowOptions(start).action((region: string, options: RegionCommandOptions, command: Command) =>
    runRegionCommand('start', region, options, command, context),
  );

  const stop = program
    .command('stop')
    .argument('<region>', 'a region of the config (alwaysOn or scalable)')
    .summary('stop a region now (StopRegion)')
    .description(
      'Starts the StopRegion workflow of the deployed control stack for one configured region: DNS record first, ' +
        'then load balancer, nodes and cluster (kept with warm standby). The last serving region is never stopped.',
    )
    .addOption(new Option('--force', 'stop an always-on region too (refused without it)'))
    .addOption(
      new Option(
        '--decommission',
        'only to take the whole CDN down (README, Cleanup): a cold teardown even of an always-on or the last serving region',
      ),
    );
  addWorkflowOptions(stop).action((region: string, options: RegionCommandOptions, command: Command) =>
    runRegionCommand('stop', region, options, command, context),
  );
}

function runRegionCommand(
  operation: 'start' | 'stop',
  region: string,
  options: RegionCommandOptions,
  command: Command,
  context: CommandContext,
): Promise<void> {
  return runWorkflowCommand(command, options, context, (config) => {
    checkConfiguredRegion(command, config, region);
    // The validator would say "force": true, the workflow's field; the operator's word is the flag.
    if (operation === 'stop' && config.alwaysOn.includes(region) && !options.force && !options.decommission) {
      usageError(command, `${region} is always on; pass --force to stop it anyway`);
    }
    return {
      workflow: operation === 'start' ? 'StartRegion' : 'StopRegion',
      input: {
        region,
        ...(options.force ? { force: true } : {}),
        // Implies force in the workflow; sent alone, as the README's raw form does.
        ...(options.decommission ? { decommission: true } : {}),
      },
      validate: (deployed, input, clock) => {
        const { validateWorkflowInput } =
          require('../lambdas/region-ops/workflow-input') as typeof import('../lambdas/region-ops/workflow-input');
        return validateWorkflowInput(deployed, input, { ...clock, operation });
      },
      subject: region,
    };
  });
}
