import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadConfigFile } from '../core/config';
import { type CostModel, DEFAULT_COST_MODEL } from '../core/simulator/cost-model';
import { readCostModelFile } from '../core/simulator/read-cost-model-file';
import { formatReportTable } from '../core/simulator/report-table';
import { simulateWithTimelines } from '../core/simulator/simulate';
import { chartSpec } from '../core/simulator/chart-spec';
import { renderChartSvg } from '../core/simulator/render-chart';
import { readTraceFile } from '../core/traces';
import { EXIT_OK } from './exit-codes';
import { reportInputProblems } from './input-problems';
import { type CommandContext, type CommandIo, writeJson } from './io';
import { configOption, required, existingFile, jsonOption, once, outputFile } from './shared-options';

export interface SimulateOptions {
  readonly config: string;
  readonly trace: string;
  readonly json?: boolean;
  readonly model?: string;
  readonly plot?: string;
}

function chartFile(path: string): string {
  if (!path.endsWith('.svg') && !path.endsWith('.vl.json')) {
    throw new InvalidArgumentError('expected a file name ending in .svg (chart) or .vl.json (its Vega-Lite spec)');
  }
  return outputFile(path);
}

export function registerSimulate(program: Command, context: CommandContext): void {
  program
    .command('simulate')
    .usage('--config <regions.json> --trace <trace.csv> [options]')
    .summary('replay a demand trace through the autoscaler and compare with the optimum')
    .description(
      'Replays a demand trace minute by minute through the decision code the autoscaler Lambda runs, with a model ' +
        'of AWS lead times and prices, and prints the cost and the demand served beside three baselines: every ' +
        'region always on, the always-on list only, and the clairvoyant optimum. Offline.',
    )
    .addOption(required(configOption('the kubecdn config file (regions.json) whose regions and thresholds are replayed')))
    .addOption(
      required(
        new Option('--trace <trace.csv>', 'the demand trace: CSV timestamp,region,requests, one row per region per minute').argParser(
          once(existingFile),
        ),
      ),
    )
    .addOption(
      new Option('--model <model.json>', 'lead times and prices overriding the defaults (see examples/models/)').argParser(
        once(existingFile),
      ),
    )
    .addOption(
      new Option(
        '--plot <chart.svg|chart.vl.json>',
        'also write a chart of each region: an SVG, or its Vega-Lite spec (.vl.json)',
      ).argParser(once(chartFile)),
    )
    .addOption(jsonOption("the report (the simulator's own fields)"))
    .action(async (options: SimulateOptions) => {
      context.exitCode = await runSimulate(options, context.io);
    });
}

/** Exit code 0 after printing the report, 1 when a file it reads is invalid (every problem printed). */
export async function runSimulate(options: SimulateOptions, io: CommandIo): Promise<number> {
  const json = options.json === true;
  try {
    const { config } = loadConfigFile(options.config);
    const model: CostModel = options.model ? readCostModelFile(options.model) : DEFAULT_COST_MODEL;
    const trace = readTraceFile(options.trace);
    const { report, timelines } = simulateWithTimelines({ config, trace, model });
    if (options.plot) {
      const spec = chartSpec(config, trace, timelines, report);
      writeFileSync(options.plot, options.plot.endsWith('.svg') ? await renderChartSvg(spec) : `${JSON.stringify(spec)}\n`);
    }
    // The report goes out as the simulator returns it: its fields are the simulator's to define.
    if (json) writeJson(io, report);
    else io.out(formatReportTable(report, `kubecdn simulate: ${basename(options.config)} on ${basename(options.trace)}`));
    return EXIT_OK;
  } catch (error) {
    return reportInputProblems(error, io, json);
  }
}
