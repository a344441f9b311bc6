/**
 * `kubecdn status`: every region's phase, demand, the rule holding it, the execution in flight, its
 * cluster's Kubernetes version and an estimated cost, from the autoscaler's own reads
 * (lambdas/autoscaler/read-and-decide.ts) and the month's StartRegion/StopRegion executions.
 */
import { type Command, Option } from 'commander';
import { type CostModel, DEFAULT_COST_MODEL } from '../core/simulator/cost-model';
import { readCostModelFile } from '../core/simulator/read-cost-model-file';
import { startOfUtcMonth } from '../core/operations/region-cost-estimate';
import { EXIT_FAILURE, EXIT_OK } from './exit-codes';
import { reportInputProblems } from './input-problems';
import { type CommandContext, writeJson } from './io';
import { configOption, existingFile, jsonOption, once } from './shared-options';
import { formatStatus, type HistoryReading, statusReport } from './status-report';
import { DEFAULT_CONFIG, loadDeployedConfig } from './workflow-command-options';

interface StatusOptions {
  readonly config: string;
  readonly model?: string;
  readonly json?: boolean;
}

export function registerStatus(program: Command, context: CommandContext): void {
  program
    .command('status')
    .summary("show every region's phase, demand, the rule holding it, work in flight and estimated cost")
    .description(
      "Reads what the autoscaler reads (demand, clusters, DNS records, workflows) and this month's StartRegion and " +
        'StopRegion executions, and shows each configured region (and any no longer configured that still serves): ' +
        'its phase, the demand of the periods the autoscaler looks at against its thresholds, the rule holding it, ' +
        "the execution in flight, the cluster's Kubernetes version, and an estimated cost today and this month. " +
        'Changes nothing. Uses the standard AWS credential chain.',
    )
    .addOption(configOption(`the kubecdn config file (regions.json) of the deployment (default: ${DEFAULT_CONFIG})`))
    .addOption(
      new Option('--model <model.json>', "prices overriding the cost model's defaults (see examples/models/)").argParser(
        once(existingFile),
      ),
    )
    .addOption(jsonOption('the regions, costs and warnings'))
    .action(async (options: StatusOptions) => {
      const config = loadDeployedConfig(options, context.io);
      if (!config) {
        context.exitCode = EXIT_FAILURE;
        return;
      }
      let model: CostModel;
      try {
        model = options.model ? readCostModelFile(options.model) : DEFAULT_COST_MODEL;
      } catch (error) {
        context.exitCode = reportInputProblems(error, context.io, options.json === true);
        return;
      }
      const { liveDeps, liveSettingOrReport, liveTickPlan } =
        require('./live-autoscaler-reads') as typeof import('./live-autoscaler-reads');
      const { listRegionExecutions } = require('./execution-history') as typeof import('./execution-history');
      const setting = await liveSettingOrReport('status', config, context);
      if (!setting) return;
      const now = Date.now();
      const deps = liveDeps(config, setting.stateMachines, setting.overrideTable);
      const [plan, history] = await Promise.all([
        liveTickPlan(deps, config, now),
        listRegionExecutions(deps.sfn, setting.stateMachines, startOfUtcMonth(now)).catch((error: unknown): HistoryReading => ({
          error: `${(error as Error).name}: ${(error as Error).message}`,
        })),
      ]);
      const report = statusReport({
        plan,
        config,
        configPath: options.config ?? DEFAULT_CONFIG,
        digests: setting.digests,
        history,
        model,
        now,
      });
      if (options.json) writeJson(context.io, report);
      else context.io.out(formatStatus(report));
      context.exitCode = EXIT_OK;
    });
}
