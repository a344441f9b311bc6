import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_SYNTHESIS, formatTraceCsv, synthesizeTrace } from '../core/traces';
import { EXIT_OK, usageError } from './exit-codes';
import { type CommandContext, type CommandIo, writeJson } from './io';
import { awsRegion, jsonOption, numberIn, once, outputFile, required } from './shared-options';
import { traceSummary } from './trace-summary';

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

export interface SynthOptions {
  readonly seed: number;
  readonly days: number;
  readonly out: string;
  readonly regions?: readonly string[];
  readonly start?: number;
  readonly peak?: number;
  readonly flashCrowdsPerWeek?: number;
  readonly gapsPerWeek?: number;
  readonly json?: boolean;
}

function regionList(text: string): string[] {
  const regions = text.split(',').map((r) => awsRegion(r.trim()));
  const duplicate = regions.find((r, i) => regions.indexOf(r) !== i);
  if (duplicate) throw new InvalidArgumentError(`"${duplicate}" is listed twice`);
  return regions;
}

function utcDate(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !new Date(`${text}T00:00:00Z`).toISOString().startsWith(text)) {
    throw new InvalidArgumentError('expected a date such as 2026-11-02 (UTC midnight)');
  }
  return Date.parse(`${text}T00:00:00Z`);
}

export function registerTraceSynth(trace: Command, context: CommandContext): void {
  trace
    .command('synth')
    .usage('--seed <n> --days <n> --out <file.csv|-> [options]')
    .summary('write a synthetic demand trace')
    .description(
      "Writes a realistic demand trace: daily cycles by each region's local time, weekends, noise, flash crowds " +
        'and gaps of missing data. The same seed and options always give the same trace.',
    )
    .addOption(
      required(
        new Option('--seed <n>', 'random seed, a whole number from 0 to 4294967295').argParser(
          once(numberIn('a whole number from 0 to 4294967295', 0, 0xffffffff, true)),
        ),
      ),
    )
    .addOption(
      required(
        new Option('--days <n>', 'length in days, 1 to 366').argParser(
          once(numberIn('a whole number of days from 1 to 366', 1, 366, true)),
        ),
      ),
    )
    .addOption(required(new Option('--out <file.csv|->', 'where to write the CSV; - for standard output').argParser(once(outputFile))))
    .addOption(
      new Option(
        '--regions <a,b,...>',
        `comma-separated AWS region codes (default: the ${DEFAULT_SYNTH_REGIONS.length} regions of the reference scenario)`,
      ).argParser(once(regionList)),
    )
    .addOption(new Option('--start <YYYY-MM-DD>', 'first day, from UTC midnight (default: 2026-11-02, a Monday)').argParser(once(utcDate)))
    .addOption(
      new Option(
        '--peak <rpm>',
        `evening peak of the busiest region in requests per minute (default: ${DEFAULT_SYNTHESIS.peakRequestsPerMinute})`,
      ).argParser(once(numberIn('requests per minute from 1 to 1e9', 1, 1e9, false))),
    )
    .addOption(
      new Option('--flash-crowds-per-week <n>', `sudden surges per week (default: ${DEFAULT_SYNTHESIS.flashCrowdsPerWeek})`).argParser(
        once(numberIn('a number from 0 to 1000', 0, 1000, false)),
      ),
    )
    .addOption(
      new Option('--gaps-per-week <n>', `stretches of missing data per week (default: ${DEFAULT_SYNTHESIS.gapsPerWeek})`).argParser(
        once(numberIn('a number from 0 to 1000', 0, 1000, false)),
      ),
    )
    .addOption(jsonOption('the summary of the written trace (not with --out -)'))
    .action((options: SynthOptions, command: Command) => {
      if (options.json && options.out === '-')
        usageError(command, '--json describes a written file; with --out - standard output is the CSV');
      context.exitCode = runTraceSynth(options, context.io);
    });
}

export function runTraceSynth(options: SynthOptions, io: CommandIo): number {
  const regions = options.regions ?? DEFAULT_SYNTH_REGIONS;
  const trace = synthesizeTrace({
    seed: options.seed,
    days: options.days,
    regions,
    startMs: options.start ?? DEFAULT_SYNTHESIS.startMs,
    peakRequestsPerMinute: options.peak ?? DEFAULT_SYNTHESIS.peakRequestsPerMinute,
    flashCrowdsPerWeek: options.flashCrowdsPerWeek ?? DEFAULT_SYNTHESIS.flashCrowdsPerWeek,
    gapsPerWeek: options.gapsPerWeek ?? DEFAULT_SYNTHESIS.gapsPerWeek,
  });
  const csv = formatTraceCsv(trace);
  if (options.out === '-') {
    io.out(csv);
    return EXIT_OK;
  }
  writeFileSync(options.out, csv);
  if (options.json) writeJson(io, { ...traceSummary(options.out, trace), seed: options.seed });
  else io.out(`${options.out}: ${trace.minutes} minutes x ${regions.length} region(s) (${regions.join(', ')}), seed ${options.seed}\n`);
  return EXIT_OK;
}
