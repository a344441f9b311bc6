import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type KubeCdnConfig, loadConfigFile } from '../core/config';
import {
  assembleDemand,
  type DemandDatapoints,
  demandMetricQueries,
  demandMetricsRegions,
  type DemandWindow,
} from '../core/demand/demand-queries';
import { formatTraceCsv, MINUTE_MS, traceFromMinuteSeries } from '../core/traces';
import { EXIT_FAILURE, EXIT_OK, usageError } from './exit-codes';
import { reportInputProblems } from './input-problems';
import { type CommandContext, type CommandIo, writeJson } from './io';
import { configOption, required, jsonOption, numberIn, once, outputFile } from './shared-options';
import { traceSummary } from './trace-summary';

export interface FromCloudWatchOptions {
  readonly config: string;
  readonly days: number;
  readonly out: string;
  readonly json?: boolean;
}

export function registerTraceFromCloudWatch(trace: Command, context: CommandContext): void {
  trace
    .command('from-cloudwatch')
    .usage('--config <regions.json> --days <n> --out <file.csv|-> [options]')
    .summary('export the deployed demand metric as a trace')
    .description(
      'Reads the demand metric the autoscaler reads (per-minute Sum per configured region) from CloudWatch and ' +
        'writes it as a trace, missing minutes left empty. Uses the standard AWS credential chain.',
    )
    .addOption(required(configOption('the kubecdn config file (regions.json) of the deployment')))
    .addOption(
      // CloudWatch keeps one-minute datapoints for 15 days, then only five-minute ones.
      required(
        new Option('--days <n>', 'how many days back from now, 1 to 15 (CloudWatch keeps one-minute data for 15 days)').argParser(
          once(numberIn('a whole number of days from 1 to 15 (CloudWatch keeps one-minute data for 15 days)', 1, 15, true)),
        ),
      ),
    )
    .addOption(required(new Option('--out <file.csv|->', 'where to write the CSV; - for standard output').argParser(once(outputFile))))
    .addOption(jsonOption('the summary of the written trace (not with --out -)'))
    .action(async (options: FromCloudWatchOptions, command: Command) => {
      if (options.json && options.out === '-')
        usageError(command, '--json describes a written file; with --out - standard output is the CSV');
      context.exitCode = await runTraceFromCloudWatch(options, context.io);
    });
}

/** Exports the demand metric the autoscaler reads (per-minute Sum per configured region) as a trace. */
export async function runTraceFromCloudWatch(options: FromCloudWatchOptions, io: CommandIo): Promise<number> {
  const json = options.json === true;
  let config: KubeCdnConfig;
  try {
    config = loadConfigFile(options.config).config;
  } catch (error) {
    return reportInputProblems(error, io, json);
  }
  // The newest minute whose datapoints have arrived (the autoscaler waits the same lag).
  const end = Math.floor((Date.now() - config.demand.lagSeconds * 1000) / MINUTE_MS) * MINUTE_MS;
  const periods = options.days * 24 * 60;
  const window: DemandWindow = { start: end - periods * MINUTE_MS, end, periodSeconds: 60, periods };
  const queries = demandMetricQueries(config);
  // Loaded here, not at the top: every other command (simulate above all) starts faster without the
  // AWS SDK. With require, which the bundle the binary runs keeps lazy (and Jest resolves too); an
  // import() of an extensionless TypeScript path would fail outside Jest.
  const { CloudWatchClient } = require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch');
  const { readMetricsRegion } = require('../lambdas/autoscaler/demand-reader') as typeof import('../lambdas/autoscaler/demand-reader');
  const readings = new Map<string, Map<string, DemandDatapoints>>();
  for (const metricsRegion of demandMetricsRegions(config)) {
    try {
      readings.set(metricsRegion, await readMetricsRegion(new CloudWatchClient({ region: metricsRegion }), queries, window));
    } catch (error) {
      io.err(
        `kubecdn trace from-cloudwatch: cannot read the demand metric in ${metricsRegion}: ${(error as Error).name}: ${(error as Error).message}\n`,
      );
      return EXIT_FAILURE;
    }
  }
  const trace = traceFromMinuteSeries(window.start, assembleDemand(queries, window, readings));
  const csv = formatTraceCsv(trace);
  if (options.out === '-') {
    io.out(csv);
    return EXIT_OK;
  }
  writeFileSync(options.out, csv);
  const summary = traceSummary(options.out, trace);
  if (json) writeJson(io, summary);
  else {
    io.out(
      `${options.out}: ${summary.minutes} minutes x ${summary.regions.length} region(s) from ${summary.start}, ${summary.missingValues} missing value(s)\n`,
    );
  }
  return EXIT_OK;
}
