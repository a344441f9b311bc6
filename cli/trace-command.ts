import { existsSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, type KubeCdnConfig, loadConfigFile } from '../core/config';
import {
  assembleDemand,
  type DemandDatapoints,
  demandMetricQueries,
  demandMetricsRegions,
  type DemandWindow,
} from '../core/demand/demand-queries';
import { isAwsRegion, suggestRegion } from '../core/regions';
import {
  DEFAULT_SYNTHESIS,
  formatTraceCsv,
  formatUtcMinute,
  MINUTE_MS,
  readTraceFile,
  synthesizeTrace,
  TraceError,
  traceFromMinuteSeries,
} from '../core/traces';
import { type CommandIo, UsageError } from './io';
import { rejectRepeatedOptions } from './simulate-command';

export const TRACE_USAGE =
  'kubecdn trace synth --seed <n> --days <n> --out <file.csv|-> [--regions a,b,...] [--start YYYY-MM-DD] [--peak <rpm>] ' +
  '[--flash-crowds-per-week <n>] [--gaps-per-week <n>]   write a synthetic demand trace\n' +
  '  kubecdn trace check <trace.csv>   validate a trace and summarise it\n' +
  '  kubecdn trace from-cloudwatch --config <regions.json> --days <1-15> --out <file.csv|->   export the deployed demand metric as a trace';

/** The regions of the reference scenario, biggest audience first. */
export const DEFAULT_SYNTH_REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'sa-east-1',
  'ap-south-1',
];

const numberArg = (flag: string, what: string, check: (n: number) => boolean) =>
  z.string().refine((text) => /^\d+(\.\d+)?$/.test(text) && check(Number(text)), {
    error: (issue) => `${flag}: expected ${what}, got "${String(issue.input)}"`,
  });

const synthArgsSchema = z.strictObject({
  seed: numberArg('--seed', 'a whole number from 0 to 4294967295', (n) => Number.isInteger(n) && n <= 0xffffffff).optional(),
  days: numberArg('--days', 'a whole number of days from 1 to 366', (n) => Number.isInteger(n) && n >= 1 && n <= 366).optional(),
  out: z.string().optional(),
  regions: z.string().optional(),
  start: z
    .string()
    .refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {
      error: (issue) => `--start: expected a date such as 2026-11-02 (UTC midnight), got "${String(issue.input)}"`,
    })
    .optional(),
  peak: numberArg('--peak', 'requests per minute from 1 to 1e9', (n) => n >= 1 && n <= 1e9).optional(),
  'flash-crowds-per-week': numberArg('--flash-crowds-per-week', 'a number from 0 to 1000', (n) => n <= 1000).optional(),
  'gaps-per-week': numberArg('--gaps-per-week', 'a number from 0 to 1000', (n) => n <= 1000).optional(),
});

export async function runTrace(args: readonly string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'synth') return runSynth(rest, io);
  if (sub === 'check') return runCheck(rest, io);
  if (sub === 'from-cloudwatch') return runFromCloudWatch(rest, io);
  throw new UsageError(
    sub === undefined
      ? 'expected a subcommand: synth, check or from-cloudwatch'
      : `unknown subcommand "${sub}"; expected synth, check or from-cloudwatch`,
  );
}

function runSynth(args: readonly string[], io: CommandIo): number {
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(Object.keys(synthArgsSchema.shape).map((name) => [name, { type: 'string' as const }])),
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  rejectRepeatedOptions(tokens);
  const parsed = synthArgsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  const options = parsed.data;
  for (const required of ['seed', 'days', 'out'] as const) {
    if (options[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  const out = options.out!;
  if (out !== '-' && !existsSync(dirname(out))) throw new UsageError(`--out: the folder of ${out} does not exist`);
  const regions = options.regions === undefined ? DEFAULT_SYNTH_REGIONS : parseRegionList(options.regions);

  const trace = synthesizeTrace({
    seed: Number(options.seed),
    days: Number(options.days),
    regions,
    startMs: options.start ? Date.parse(`${options.start}T00:00:00Z`) : DEFAULT_SYNTHESIS.startMs,
    peakRequestsPerMinute: options.peak ? Number(options.peak) : DEFAULT_SYNTHESIS.peakRequestsPerMinute,
    flashCrowdsPerWeek: options['flash-crowds-per-week'] ? Number(options['flash-crowds-per-week']) : DEFAULT_SYNTHESIS.flashCrowdsPerWeek,
    gapsPerWeek: options['gaps-per-week'] ? Number(options['gaps-per-week']) : DEFAULT_SYNTHESIS.gapsPerWeek,
  });
  const csv = formatTraceCsv(trace);
  if (out === '-') {
    io.out(csv);
  } else {
    writeFileSync(out, csv);
    io.out(`${out}: ${trace.minutes} minutes x ${regions.length} region(s) (${regions.join(', ')}), seed ${options.seed}\n`);
  }
  return 0;
}

function parseRegionList(text: string): string[] {
  const regions = text.split(',').map((r) => r.trim());
  for (const region of regions) {
    if (!isAwsRegion(region)) {
      const hint = suggestRegion(region);
      throw new UsageError(`--regions: "${region}" is not an AWS region code${hint ? `; did you mean "${hint}"?` : ''}`);
    }
  }
  const duplicate = regions.find((r, i) => regions.indexOf(r) !== i);
  if (duplicate) throw new UsageError(`--regions: "${duplicate}" is listed twice`);
  return regions;
}

function runCheck(args: readonly string[], io: CommandIo): number {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(`expected one trace file, got ${positionals.length}`);
  const file = positionals[0]!;
  try {
    const trace = readTraceFile(file);
    const missing = [...trace.requests.values()].reduce((n, series) => n + series.filter(Number.isNaN).length, 0);
    const start = new Date(trace.startMs).toISOString().replace('.000Z', 'Z');
    io.out(
      `${file}: valid: ${trace.minutes} minute(s) from ${start}, ${trace.regions.length} region(s) (${trace.regions.join(', ')}), ` +
        `${missing} missing value(s)\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    io.err(`${error.message}\n${error.problems.length + error.omitted} problem(s) found.\n`);
    return 1;
  }
}

const fromCloudWatchArgsSchema = z.strictObject({
  config: z
    .string()
    .refine((path) => existsSync(path), { error: (issue) => `--config: no such file: ${String(issue.input)}` })
    .optional(),
  // CloudWatch keeps one-minute datapoints for 15 days, then only five-minute ones.
  days: numberArg(
    '--days',
    'a whole number of days from 1 to 15 (CloudWatch keeps one-minute data for 15 days)',
    (n) => Number.isInteger(n) && n >= 1 && n <= 15,
  ).optional(),
  out: z
    .string()
    .refine((path) => path === '-' || existsSync(dirname(path)), {
      error: (issue) => `--out: the folder of ${String(issue.input)} does not exist`,
    })
    .optional(),
});

/** Exports the demand metric the autoscaler reads (per-minute Sum per configured region) as a trace. */
async function runFromCloudWatch(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    allowPositionals: true,
    tokens: true,
    options: { config: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  rejectRepeatedOptions(tokens);
  const parsed = fromCloudWatchArgsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  const { config: configFile, days, out } = parsed.data;
  if (configFile === undefined) throw new UsageError('--config is required');
  if (days === undefined) throw new UsageError('--days is required');
  if (out === undefined) throw new UsageError('--out is required');

  let config: KubeCdnConfig;
  try {
    config = loadConfigFile(configFile).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${error.message}\n${error.problems.length} problem(s) found.\n`);
    return 1;
  }
  // The newest minute whose datapoints have arrived (the autoscaler waits the same lag).
  const end = Math.floor((Date.now() - config.demand.lagSeconds * 1000) / MINUTE_MS) * MINUTE_MS;
  const periods = Number(days) * 24 * 60;
  const window: DemandWindow = { start: end - periods * MINUTE_MS, end, periodSeconds: 60, periods };
  const queries = demandMetricQueries(config);
  // Loaded here, not at the top: every other command (simulate above all) starts faster without the
  // AWS SDK. With require, not import(): the binary compiles TypeScript through require's hook, and
  // Node's own import() does not resolve an extensionless TypeScript path.
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
      return 1;
    }
  }
  const trace = traceFromMinuteSeries(window.start, assembleDemand(queries, window, readings));
  const csv = formatTraceCsv(trace);
  if (out === '-') {
    io.out(csv);
  } else {
    writeFileSync(out, csv);
    const missing = [...trace.requests.values()].reduce((n, series) => n + series.filter(Number.isNaN).length, 0);
    io.out(
      `${out}: ${trace.minutes} minutes x ${trace.regions.length} region(s) from ${formatUtcMinute(trace.startMs)}, ${missing} missing value(s)\n`,
    );
  }
  return 0;
}
