import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_SYNTHESIS, formatTraceCsv, synthesizeTrace, type SynthesisShapes } from '../core/traces';
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
  readonly bimodalRegions?: readonly string[];
  readonly eventsPerWeek?: number;
  readonly hoveringRegions?: readonly string[];
  readonly hoverRpm?: number;
  readonly hoverBurstsPerDay?: number;
  readonly spikesPerDay?: number;
  readonly missingDays?: number;
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

/** A rate per week or per day: plain decimals, 0 turns the shape off. */
const rate = () => once(numberIn('a number from 0 to 1000', 0, 1000, false));

/**
 * The checks between options that commander cannot make one option at a time; each message names
 * the option at fault and what it expects.
 */
export function shapeProblem(options: SynthOptions): string | undefined {
  const regions = options.regions ?? DEFAULT_SYNTH_REGIONS;
  for (const flag of ['--bimodal-regions', '--hovering-regions'] as const) {
    const listed = flag === '--bimodal-regions' ? options.bimodalRegions : options.hoveringRegions;
    const stranger = listed?.find((region) => !regions.includes(region));
    if (stranger) return `${flag}: "${stranger}" is not one of the trace's regions (${regions.join(', ')})`;
  }
  const both = options.bimodalRegions?.find((region) => options.hoveringRegions?.includes(region));
  if (both) return `--bimodal-regions: "${both}" is also in --hovering-regions; a region either hovers or has two peaks a day`;
  if (options.hoveringRegions && options.hoverRpm === undefined)
    return '--hovering-regions needs --hover-rpm <rpm>, the level their demand hovers just below';
  if (!options.hoveringRegions) {
    if (options.hoverRpm !== undefined) return '--hover-rpm applies to --hovering-regions, and none are given';
    if (options.hoverBurstsPerDay !== undefined) return '--hover-bursts-per-day applies to --hovering-regions, and none are given';
  }
  const slots = regions.length * options.days;
  if ((options.missingDays ?? 0) > slots)
    return `--missing-days: expected at most ${slots} (days x regions: each missing day is one region's whole day)`;
  return undefined;
}

/** The synthesizer's shapes from the options, or undefined when none is asked for (the trace is then exactly the plain one). */
export function synthesisShapes(options: SynthOptions): SynthesisShapes | undefined {
  const shapes: SynthesisShapes = {
    ...(options.bimodalRegions && { bimodalRegions: options.bimodalRegions }),
    ...(options.eventsPerWeek !== undefined && { eventsPerWeek: options.eventsPerWeek }),
    ...(options.hoveringRegions && { hoveringRegions: options.hoveringRegions }),
    ...(options.hoverRpm !== undefined && { hoverRequestsPerMinute: options.hoverRpm }),
    ...(options.hoverBurstsPerDay !== undefined && { hoverBurstsPerDay: options.hoverBurstsPerDay }),
    ...(options.spikesPerDay !== undefined && { spikesPerDay: options.spikesPerDay }),
    ...(options.missingDays !== undefined && { missingDays: options.missingDays }),
  };
  return Object.keys(shapes).length > 0 ? shapes : undefined;
}

export function registerTraceSynth(trace: Command, context: CommandContext): void {
  trace
    .command('synth')
    .usage('--seed <n> --days <n> --out <file.csv|-> [options]')
    .summary('write a synthetic demand trace')
    .description(
      "Writes a realistic demand trace: daily cycles by each region's local time, weekends, noise, flash crowds " +
        'and gaps of missing data. The shape options add what a tuned engine may not have seen: two-peak days, ' +
        'multi-day events, regions hovering just below a level with short bursts above it, isolated one-minute spikes ' +
        'and whole missing days; each is off unless given. The same seed and options always give the same trace, and ' +
        'without shape options it is the trace this seed always gave.',
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
    .addOption(
      new Option(
        '--bimodal-regions <a,b,...>',
        'regions whose days have two peaks, late morning and evening, with a lull between',
      ).argParser(once(regionList)),
    )
    .addOption(
      new Option(
        '--events-per-week <n>',
        'multi-day events per week over all regions: 1.5 to 3 times normal demand for 1 to 3 days',
      ).argParser(rate()),
    )
    .addOption(
      new Option(
        '--hovering-regions <a,b,...>',
        'regions whose demand hovers just below --hover-rpm all day (72-94% of it) with short bursts above it',
      ).argParser(once(regionList)),
    )
    .addOption(
      new Option(
        '--hover-rpm <rpm>',
        'the level hovering regions stay just below, in requests per minute (needed with --hovering-regions)',
      ).argParser(once(numberIn('requests per minute from 1 to 1e9', 1, 1e9, false))),
    )
    .addOption(
      new Option(
        '--hover-bursts-per-day <n>',
        'bursts per hovering region per day, 5 to 30 minutes at 1.15 to 1.6 times --hover-rpm (default: 3)',
      ).argParser(rate()),
    )
    .addOption(
      new Option('--spikes-per-day <n>', 'isolated one-minute spikes per region per day, 10 to 45 times the demand then').argParser(rate()),
    )
    .addOption(
      new Option(
        '--missing-days <n>',
        "whole days with no data, each one region's day, no two the same (at most days x regions)",
      ).argParser(once(numberIn('a whole number of days from 0 to 100000', 0, 100_000, true))),
    )
    .addOption(jsonOption('the summary of the written trace (not with --out -)'))
    .action((options: SynthOptions, command: Command) => {
      if (options.json && options.out === '-')
        usageError(command, '--json describes a written file; with --out - standard output is the CSV');
      const problem = shapeProblem(options);
      if (problem) usageError(command, problem);
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
    shapes: synthesisShapes(options),
  });
  const csv = formatTraceCsv(trace);
  if (options.out === '-') {
    io.out(csv);
    return EXIT_OK;
  }
  writeFileSync(options.out, csv);
  const shapes = synthesisShapes(options);
  if (options.json) writeJson(io, { ...traceSummary(options.out, trace), seed: options.seed, ...(shapes && { shapes }) });
  else io.out(`${options.out}: ${trace.minutes} minutes x ${regions.length} region(s) (${regions.join(', ')}), seed ${options.seed}\n`);
  return EXIT_OK;
}
