/** `kubecdn start <region>` and `kubecdn stop <region>`: run StartRegion or StopRegion of the deployed control stack. */
import { type Command, Option } from 'commander';
import { EXIT_FAILURE, usageError } from './exit-codes';
import type { CommandContext } from './io';
import {
  type WorkflowCommandOptions,
  addWorkflowOptions,
  checkConfiguredRegion,
  checkWorkflowInput,
  loadDeployedConfig,
} from './workflow-command-options';
import { runWorkflow } from './workflow-execution';

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

async function runRegionCommand(
  operation: 'start' | 'stop',
  region: string,
  options: RegionCommandOptions,
  command: Command,
  context: CommandContext,
): Promise<void> {
  const config = loadDeployedConfig(options, context.io);
  if (!config) {
    context.exitCode = EXIT_FAILURE;
    return;
  }
  checkConfiguredRegion(command, config, region);
  // The validator would say "force": true, the workflow's field; the operator's word is the flag.
  if (operation === 'stop' && config.alwaysOn.includes(region) && !options.force && !options.decommission) {
    usageError(command, `${region} is always on; pass --force to stop it anyway`);
  }
  const input = {
    region,
    ...(options.force ? { force: true } : {}),
    // Implies force in the workflow; sent alone, as the README's raw form does.
    ...(options.decommission ? { decommission: true } : {}),
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
  };
  // Loaded here: the validators' modules pull in parts of the AWS SDK, which no other command should wait for.
  const { validateWorkflowInput } =
    require('../lambdas/region-ops/workflow-input') as typeof import('../lambdas/region-ops/workflow-input');
  checkWorkflowInput(command, () => validateWorkflowInput(config, input, { operation, lockSeconds: 1, nowMs: Date.now() }));
  context.exitCode = await runWorkflow(
    {
      config,
      workflow: operation === 'start' ? 'StartRegion' : 'StopRegion',
      input,
      subject: region,
      wait: options.wait === true,
      json: options.json === true,
      command: `kubecdn ${operation}`,
    },
    context.io,
  );
}
