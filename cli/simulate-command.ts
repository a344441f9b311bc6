import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfigFile } from '../core/config';
import { type CostModel, DEFAULT_COST_MODEL } from '../core/simulator/cost-model';
import { readCostModelFile } from '../core/simulator/read-cost-model-file';
import { formatReportTable } from '../core/simulator/report-table';
import { simulateWithTimelines } from '../core/simulator/simulate';
import { chartSpec } from '../core/simulator/chart-spec';
import { renderChartSvg } from '../core/simulator/render-chart';
import { readTraceFile, TraceError } from '../core/traces';
import { type CommandIo, UsageError } from './io';

export const SIMULATE_USAGE =
  'kubecdn simulate --config <regions.json> --trace <trace.csv> [--json] [--model <model.json>] [--plot <chart.svg|chart.vl.json>]   replay a trace through the autoscaler and compare with the optimum';

const existingFile = (flag: string) =>
  z.string({ error: `${flag} is required` }).refine((path) => existsSync(path) && statSync(path).isFile(), {
    error: (issue) => `${flag}: no such file: ${String(issue.input)}`,
  });

const argsSchema = z.strictObject({
  config: existingFile('--config'),
  trace: existingFile('--trace'),
  json: z.boolean().default(false),
  model: existingFile('--model').optional(),
  plot: z
    .string()
    .refine((path) => path.endsWith('.svg') || path.endsWith('.vl.json'), {
      error: (issue) => `--plot: expected a file name ending in .svg (chart) or .vl.json (its Vega-Lite spec), got ${String(issue.input)}`,
    })
    .refine((path) => existsSync(dirname(path)), { error: (issue) => `--plot: the folder of ${String(issue.input)} does not exist` })
    .optional(),
});

/** Exit code 0 after printing the report, 1 when a file it reads is invalid (every problem printed). */
export async function runSimulate(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    allowPositionals: true,
    tokens: true,
    options: {
      config: { type: 'string' },
      trace: { type: 'string' },
      json: { type: 'boolean' },
      model: { type: 'string' },
      plot: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; files are given with --config and --trace`);
  rejectRepeatedOptions(tokens);
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  const options = parsed.data;
  try {
    const { config } = loadConfigFile(options.config);
    const model: CostModel = options.model ? readCostModelFile(options.model) : DEFAULT_COST_MODEL;
    const trace = readTraceFile(options.trace);
    const { report, timelines } = simulateWithTimelines({ config, trace, model });
    if (options.plot) {
      const spec = chartSpec(config, trace, timelines);
      writeFileSync(options.plot, options.plot.endsWith('.svg') ? await renderChartSvg(spec) : `${JSON.stringify(spec)}\n`);
    }
    if (options.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else io.out(formatReportTable(report, `kubecdn simulate: ${basename(options.config)} on ${basename(options.trace)}`));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${error.message}\n${error.problems.length} problem(s) found.\n`);
      return 1;
    }
    if (error instanceof TraceError) {
      io.err(`${error.message}\n${error.problems.length + error.omitted} problem(s) found.\n`);
      return 1;
    }
    throw error;
  }
}

type ArgTokens = ReturnType<typeof parseArgs>['tokens'];

/** parseArgs keeps the last of a repeated option; a repeated file flag is more likely a mistake than an override. */
export function rejectRepeatedOptions(tokens: ArgTokens): void {
  const seen = new Set<string>();
  for (const token of tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
}
