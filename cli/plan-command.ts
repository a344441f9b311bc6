/**
 * `kubecdn plan`: what the autoscaler would do at this minute and why, from the same reads and the
 * same decision function the Lambda runs (lambdas/autoscaler/read-and-decide.ts), changing nothing.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EXIT_FAILURE, EXIT_OK } from './exit-codes';
import { type CommandContext, writeJson } from './io';
import { formatPlan, planReport } from './plan-report';
import { configOption, jsonOption, once } from './shared-options';
import { DEFAULT_CONFIG, loadDeployedConfig } from './workflow-command-options';

interface PlanOptions {
  readonly config: string;
  readonly at?: number;
  readonly json?: boolean;
}

/** A time to decide at: ISO 8601 with a zone, not in the future (no demand has been measured there yet). */
export function pastInstant(text: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(ms)) {
    throw new InvalidArgumentError('expected an ISO 8601 time with its zone, e.g. 2026-11-29T18:00Z');
  }
  if (ms > Date.now() + 60_000) throw new InvalidArgumentError('it is in the future, where no demand has been measured yet');
  return ms;
}

export function registerPlan(program: Command, context: CommandContext): void {
  program
    .command('plan')
    .summary('show what the autoscaler would do now, and why, changing nothing')
    .description(
      "Runs the autoscaler's own reads (demand in CloudWatch, each region's cluster, DNS record and workflows) and its " +
        "decision code with the local config, and prints each region's decision and reason. Starts and stops nothing. " +
        'Warns when the local config is not the deployed one. Uses the standard AWS credential chain.',
    )
    .addOption(configOption(`the kubecdn config file (regions.json) of the deployment (default: ${DEFAULT_CONFIG})`))
    .addOption(
      new Option(
        '--at <time>',
        'decide at this past minute instead of now (ISO 8601, e.g. 2026-11-29T18:00Z): demand up to then; region states are read as they are now',
      ).argParser(once(pastInstant)),
    )
    .addOption(jsonOption('the decisions and warnings'))
    .action(async (options: PlanOptions) => {
      const config = loadDeployedConfig(options, context.io);
      if (!config) {
        context.exitCode = EXIT_FAILURE;
        return;
      }
      const { liveDeps, liveSettingOrReport, liveTickPlan } =
        require('./live-autoscaler-reads') as typeof import('./live-autoscaler-reads');
      const at = options.at ?? Date.now();
      const setting = await liveSettingOrReport('plan', config, context);
      if (!setting) return;
      const plan = await liveTickPlan(liveDeps(config, setting.stateMachines, setting.overrideTable), config, at);
      const report = planReport({ plan, config, configPath: options.config ?? DEFAULT_CONFIG, digests: setting.digests, at });
      if (options.json) writeJson(context.io, report);
      else context.io.out(formatPlan(report));
      context.exitCode = EXIT_OK;
    });
}
