/** The benchmark as a person reads it: one block per concern, aligned columns, units on every number. */
import { basename } from 'node:path';
import { REGION_TABLE_MAX_PARTS, REGION_TABLE_PART_BYTES } from '../lambdas/region-ops/edge-file-manifests';
import type { CallCount, TickMeasurement } from './autoscaler-tick';
import type { CliStartMeasurement } from './cli-start';
import { type CorpusSummary, type QualityRow, type Spread, TARGET } from './decision-quality';
import type { RegionTableMeasurement } from './edge-region-table';
import type { IdleStartsByKind } from '../core/simulator/short-cycles';
import type { LambdaMeasurement } from './lambda-bundles';
import type { AlternativeRow } from './online-alternatives';
import type { BenchReport } from './report';
import type { SimulatorSpeed } from './simulator-speed';
import type { Samples } from './timing';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function ms(value: number): string {
  return value < 10 ? `${value.toFixed(1)} ms` : `${integer.format(value)} ms`;
}

export function bytes(value: number): string {
  return `${integer.format(value)} B`;
}

function spread(samples: Samples): string {
  return `median of ${samples.runs}, ${ms(samples.minMs)} to ${ms(samples.maxMs)}`;
}

/**
 * Columns padded to their widest cell. A column whose cells all start with a digit or "$" is a
 * column of numbers and is right-aligned, header included; the rest are left-aligned.
 */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = '  '): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const numeric = header.map((_, column) => {
    const cells = rows.map((row) => row[column] ?? '').filter((cell) => cell !== '');
    return cells.length > 0 && cells.every((cell) => /^[\d$]/.test(cell));
  });
  const line = (cells: readonly string[]) =>
    indent +
    header
      .map((_, column) => {
        const cell = cells[column] ?? '';
        return numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatSimulator(speed: SimulatorSpeed, traceName: string): string {
  const rows = [
    ['read + parse trace', ms(speed.parse.medianMs), spread(speed.parse)],
    ['simulate (engine, optimum, baselines)', ms(speed.simulate.medianMs), spread(speed.simulate)],
    ['full run in-process (+ config)', ms(speed.fullRun.medianMs), `${spread(speed.fullRun)}; target under 2,000 ms`],
    ['speed', `${integer.format(speed.regionMinutesPerSecond)} region-min/s`, 'region-minutes over the median simulate time'],
  ];
  if (speed.cliRunMs !== undefined)
    rows.push(['whole CLI, fresh Node 22 process', ms(speed.cliRunMs), 'one run: start-up, compiled CLI, simulate, print']);
  return [
    `Simulator: ${traceName}, prediction ${speed.prediction ? 'on' : 'off'}, ${speed.regions} regions x ${integer.format(speed.minutes)} minutes = ${integer.format(speed.regionMinutes)} region-minutes`,
    table(['', 'time', ''], rows),
  ].join('\n');
}

export function formatCliStart(start: CliStartMeasurement): string {
  const rows = [
    ['kubecdn simulate, small example', ms(start.simulate.medianMs), `${spread(start.simulate)}; target well under 2,000 ms`],
    ['kubecdn --version', ms(start.version.medianMs), `${spread(start.version)}; start-up and loading the command line`],
    ['node -e 0', ms(start.nodeAlone.medianMs), `${spread(start.nodeAlone)}; Node.js alone, the floor`],
  ];
  return [`CLI start: fresh Node 22 processes (${start.command})`, table(['', 'wall', ''], rows)].join('\n');
}

export function formatRegionTable(measured: RegionTableMeasurement): string {
  const rows = [
    ['build (read both files, attribute, encode, gzip -9)', ms(measured.buildMs), 'a synth with no cached table'],
    ['read from the cache', ms(measured.cacheHitMs), 'a later synth (same database and regions)'],
    ['gunzip + decode (core/geo)', ms(measured.decodeMs), 'the work an edge agent does once at start'],
    ['networks read', integer.format(measured.networks), ''],
    ['table entries', integer.format(measured.entries), 'ranges after merging neighbours of one region'],
    ['encoded', bytes(measured.encodedBytes), ''],
    ['gzipped', bytes(measured.gzipBytes), `${integer.format(measured.base64Characters)} characters as base64 in region-ops' code`],
    [
      'ConfigMap parts',
      String(measured.parts),
      `largest ${bytes(measured.largestPartBytes)}; pods mount at most ${REGION_TABLE_MAX_PARTS} of ${bytes(REGION_TABLE_PART_BYTES)}`,
    ],
  ];
  return [
    `Edge region table: ${measured.regions.length} regions, from ${measured.source} (${integer.format(Math.round(measured.databaseBytes / 1e6))} MB)`,
    table(['', 'value', ''], rows),
  ].join('\n');
}

export function formatLambdas(lambdas: readonly LambdaMeasurement[]): string {
  const rows = lambdas.map((lambda) => {
    const load = lambda.coldLoad;
    const sizes = [lambda.name, bytes(lambda.bundleBytes), bytes(lambda.sourceMapBytes)];
    if (!load) return [...sizes, lambda.loadError ? 'failed' : 'not run', '', '', lambda.loadError ?? ''];
    return [
      ...sizes,
      ms(load.require.medianMs),
      `${ms(load.require.minMs)} to ${ms(load.require.maxMs)}`,
      ms(load.process.medianMs),
      ms(load.requireWithoutSourceMaps.medianMs),
    ];
  });
  const runs = lambdas.find((l) => l.coldLoad)?.coldLoad?.require.runs;
  return [
    'Lambdas: bundled as deployed (esbuild, minify, node22, cjs, AWS SDK bundled from its ES modules less the unused credential providers, source map of our own code without sources);',
    `  cold load = require() of the bundle in a fresh Node 22 process with the function's environment${runs ? `, median of ${runs}` : ''}`,
    table(['lambda', 'bundle (minified)', 'source map', 'cold load', 'load range', 'whole process', 'load, no source maps'], rows),
  ].join('\n');
}

function callSummary(calls: CallCount): string {
  return Object.entries(calls.byCommand)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([command, count]) => `${command.replace(/Command$/, '')} ${count}`)
    .join(', ');
}

export function formatTicks(ticks: readonly TickMeasurement[]): string {
  const rows = ticks.map((tick) => [
    String(tick.regions),
    tick.prediction ? 'on' : 'off',
    integer.format(tick.demandPeriods),
    ms(tick.coldTick.medianMs),
    ms(tick.warmTick.medianMs),
    String(tick.coldTickCalls.total),
    String(tick.warmTickCalls.total),
    callSummary(tick.warmTickCalls),
  ]);
  const first = ticks[0];
  const actions = ticks.reduce((sum, tick) => sum + tick.actions, 0);
  return [
    `Autoscaler tick: runTick against instant mocked AWS, a quiet fleet${first ? ` (cold = a container's first tick, median of ${first.coldTick.runs}; warm = median of ${first.warmTick.runs} ticks)` : ''}`,
    table(['regions', 'prediction', 'periods read', 'cold tick', 'warm tick', 'calls cold', 'calls warm', 'warm calls by command'], rows),
    ...(actions > 0 ? [`  note: the fleet was not quiet; ${actions} start/stop decisions were taken and their calls are counted`] : []),
  ].join('\n');
}

const pct = (value: number) => `${value.toFixed(2)}%`;

export function formatQuality(rows: readonly QualityRow[]): string {
  const cells = rows.map((row) => [
    row.trace,
    row.engine,
    `$${row.cost.toFixed(2)}`,
    `$${row.oracleCost.toFixed(2)}`,
    // A ratio below 1 is not a saving: the optimum serves every hot minute this row missed some of.
    `${row.costOverOptimum.toFixed(3)}${row.belowOptimum ? ' (below: misses)' : ''}`,
    pct(row.hotCoveragePct),
    `${row.shortCycles} = ${row.shortStops} / ${row.idleStarts} (${row.oracleShortCycles})`,
    kinds(row.idleStartsByKind),
    `${row.transitions} (${row.oracleTransitions})`,
    `${row.hotMinutesMissed} = ${row.hotMinutesMissedWhile.stopped} / ${row.hotMinutesMissedWhile.starting} / ${row.hotMinutesMissedWhile.stopping}`,
    row.meetsTarget ? 'yes' : 'no',
  ]);
  return [
    `Decision quality (target: cost <= ${TARGET.maxCostOverOptimum.toFixed(2)} x optimum, hot coverage >= ${TARGET.minHotCoveragePct}%, ${TARGET.maxIdleStarts} idle starts, short stops <= the optimum's)`,
    table(
      [
        'trace',
        'engine',
        'cost',
        'optimum',
        'cost/opt',
        'hot cov.',
        'short cycles = stops / starts (opt.)',
        'idle starts: late / near / quiet',
        'transitions (opt.)',
        'hot min missed = stopped / starting / stopping',
        'target',
      ],
      cells,
    ),
  ].join('\n');
}

/** "3 / 1 / 0": idle starts started for demand over before they served, near misses of the threshold, quiet. */
function kinds(byKind: IdleStartsByKind): string {
  return `${byKind.late} / ${byKind.nearMiss} / ${byKind.quiet}`;
}

function spreadCell(spread: Spread, format: (value: number) => string): string {
  return `${format(spread.median)} / ${format(spread.worst)}`;
}

const signed = (value: number) => (value > 0 ? `+${value}` : String(value));

/**
 * The corpus in one line per part and engine mode: median / worst case of each figure the target
 * names, the trace each worst case came from, and how many traces meet the whole target.
 */
export function formatCorpusSummary(summaries: readonly CorpusSummary[]): string {
  const cells = summaries.map((summary) => [
    summary.part,
    summary.engine,
    spreadCell(summary.costOverOptimum, (value) => value.toFixed(3)),
    spreadCell(summary.hotCoveragePct, pct),
    spreadCell(summary.idleStarts, (value) => String(value)),
    kinds(summary.idleStartsByKind),
    spreadCell(summary.shortStopsOverOptimum, signed),
    `${summary.meetingTarget} of ${summary.traces}`,
  ]);
  const worst = summaries.map(
    (summary) =>
      `  worst, ${summary.part} ${summary.engine}: cost ${summary.costOverOptimum.worstTrace}; coverage ${summary.hotCoveragePct.worstTrace}; idle starts ${summary.idleStarts.worstTrace}`,
  );
  return [
    'Decision quality over the corpus (median / worst case per part; tuned on "tuning" only, "held-out" is never tuned on)',
    table(
      ['part', 'engine', 'cost/opt', 'hot cov.', 'idle starts', 'all idle: late / near / quiet', 'short stops - opt.', 'meet target'],
      cells,
    ),
    ...worst,
  ].join('\n');
}

/**
 * The online alternatives, one line each: cost over the optimum of the config as it is (the
 * decision-quality table's), hot coverage, idle starts, the target, and each hovering region's
 * own cost over its optimum, coverage and idle starts.
 */
export function formatAlternatives(rows: readonly AlternativeRow[]): string {
  const cells = rows.map((row) => [
    row.trace,
    row.alternative,
    row.costOverOptimum.toFixed(3),
    pct(row.hotCoveragePct),
    String(row.idleStarts),
    row.meetsTarget ? 'yes' : 'no',
    row.shapedRegions
      .map((region) => `${region.region} ${region.costOverOptimum.toFixed(2)}x ${pct(region.hotCoveragePct)} ${region.idleStarts} idle`)
      .join('; '),
  ]);
  return [
    'Online alternatives (no foresight) on the hovering and spikes traces; cost/opt is over the optimum of the config as it is, whatever the alternative changes',
    table(
      ['trace', 'alternative', 'cost/opt', 'hot cov.', 'idle starts', 'target', 'hovering regions: cost/opt, hot cov., idle starts'],
      cells,
    ),
  ].join('\n');
}

export function formatReport(report: BenchReport): string {
  const load = report.machine.loadAverage.map((n) => n.toFixed(2)).join(' ');
  const sections = [
    report.simulator && formatSimulator(report.simulator, basename(report.inputs.trace)),
    report.cliStart && formatCliStart(report.cliStart),
    report.regionTable && formatRegionTable(report.regionTable),
    report.lambdas && formatLambdas(report.lambdas),
    report.autoscalerTicks && formatTicks(report.autoscalerTicks),
    formatQuality(report.decisionQuality),
    report.corpusSummary && report.corpusSummary.length > 0 && formatCorpusSummary(report.corpusSummary),
    report.onlineAlternatives && report.onlineAlternatives.length > 0 && formatAlternatives(report.onlineAlternatives),
  ].filter((section): section is string => typeof section === 'string');
  return [
    `kubecdn bench  ${report.generatedAt}  ${report.commit}  node ${report.machine.node}, ${report.machine.cpus} CPUs, load ${load}`,
    '',
    ...sections.flatMap((section) => [section, '']),
    `bench took ${ms(report.benchMs)}`,
    '',
  ].join('\n');
}
