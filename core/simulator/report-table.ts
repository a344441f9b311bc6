/**
 * The simulate report as a person reads it at a glance: the schedules side by side, one line on
 * how the engine did against the optimum, a row per region, then the short cycles one by one
 * (the first few; `--json` lists every transition) so each can be checked against the trace.
 */
import type { TransitionRecord } from './short-cycles';
import type { RegionReport, SimulationReport } from './simulate';

/** Short cycles listed one per line in the table; the rest are counted, and all are in --json. */
const SHORT_CYCLES_LISTED = 12;

const usd = (value: number): string => value.toFixed(2);
const pct = (value: number): string => `${value.toFixed(1)}%`;

/** Left-aligns the first `textColumns` columns and right-aligns the numbers; columns are as wide as their widest cell. */
function table(rows: readonly (readonly string[])[], textColumns = 1): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row.map((cell, column) => (column < textColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '),
    )
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

function days(minutes: number): string {
  const value = minutes / 1440;
  return Number.isInteger(value) ? `${value} day${value === 1 ? '' : 's'}` : `${(minutes / 60).toFixed(1)} hours`;
}

export function formatReportTable(report: SimulationReport, title: string): string {
  const { trace, leadTimes } = report;
  const lines: string[] = [
    title,
    `${days(trace.minutes)} from ${trace.start} to ${trace.end}, ${trace.regions} configured region(s), ${report.ticks} ticks; ` +
      `start ${leadTimes.coldStart} min cold / ${leadTimes.warmStart} warm, stop ${leadTimes.coldStop} / ${leadTimes.warmStop}, ` +
      `demand seen ${report.demandLagSeconds} s late`,
    '',
    table([
      ['schedule', 'cost (USD)', 'vs optimum', 'served in-region', 'hot coverage', 'transitions', 'short cycles'],
      [
        'autoscaler (decide)',
        usd(report.cost),
        ratio(report.cost, report.oracleCost),
        pct(report.servedInRegionPct),
        pct(report.hotCoveragePct),
        String(report.transitions),
        String(report.shortCycles),
      ],
      [
        'optimum (clairvoyant), always-on list kept on',
        usd(report.oracleCost),
        '1.00x',
        pct(report.oracleServedInRegionPct),
        pct(report.oracleHotCoveragePct),
        String(report.oracleTransitions),
        String(report.oracleShortCycles),
      ],
      [
        'optimum without the always-on list',
        usd(report.oracleCostWithoutAlwaysOn),
        ratio(report.oracleCostWithoutAlwaysOn, report.oracleCost),
        pct(report.oracleWithoutAlwaysOnServedInRegionPct),
        pct(report.oracleWithoutAlwaysOnHotCoveragePct),
        String(report.oracleWithoutAlwaysOnTransitions),
        '',
      ],
      [
        'all regions always on',
        usd(report.allOnCost),
        ratio(report.allOnCost, report.oracleCost),
        pct(report.allOnServedInRegionPct),
        pct(report.allOnHotCoveragePct),
        '0',
        '0',
      ],
      [
        'always-on list only',
        usd(report.alwaysOnOnlyCost),
        ratio(report.alwaysOnOnlyCost, report.oracleCost),
        pct(report.alwaysOnOnlyServedInRegionPct),
        pct(report.alwaysOnOnlyHotCoveragePct),
        '0',
        '0',
      ],
    ]),
    '',
    `"vs optimum" compares with the optimum that keeps the always-on list running, as the config requires; ` +
      `the row below it is physics alone (every region free to stop).`,
    `autoscaler: ${ratio(report.cost, report.oracleCost)} the optimum's cost${report.costOverOptimum < 1 ? ' (below it only by missing hot minutes: see the note)' : ''}, ` +
      `${pct(report.hotCoveragePct)} hot coverage, ${report.shortCycles} short cycle(s) ` +
      `(${report.shortStops} stop(s) undone before they paid for themselves, ${report.idleStarts} start(s) that served no hot minute${idleKinds(report.idleStartsByKind)}), ` +
      `${report.startingMinutes} minute(s) spent starting`,
    `hot minutes not served in-region: ${report.hotMinutesMissed} (${report.hotMinutesMissedWhile.stopped} while stopped, ` +
      `${report.hotMinutesMissedWhile.starting} while starting, ${report.hotMinutesMissedWhile.stopping} while stopping)`,
    '',
    table(
      [
        [
          'region',
          'role',
          'cost',
          'optimum',
          'all-on',
          'served',
          'hot cov.',
          'hot missed',
          'starts',
          'stops',
          'short cycles (opt.)',
          'starting min',
        ],
        ...report.perRegion.map(regionRow),
      ],
      2,
    ),
    ...shortCycleLines(report),
  ];
  if (report.rejectedActions > 0)
    lines.push('', `warning: the engine asked for ${report.rejectedActions} action(s) the regions' states did not allow`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

function ratio(value: number, optimum: number): string {
  return optimum > 0 ? `${(value / optimum).toFixed(2)}x` : '-';
}

function regionRow(row: RegionReport): string[] {
  const role = row.role === 'always-on' ? 'always-on' : row.standby === 'warm' ? 'scalable, warm' : 'scalable';
  return [
    row.region,
    role,
    usd(row.cost),
    usd(row.oracleCost),
    usd(row.allOnCost),
    pct(row.servedInRegionPct),
    pct(row.hotCoveragePct),
    `${row.hotMinutesMissed}/${row.hotMinutes}`,
    String(row.starts),
    String(row.stops),
    `${row.shortCycles} (${row.oracleShortCycles})`,
    String(row.startingMinutes),
  ];
}

/** The engine's short cycles, region by region in time order, each with the figures its verdict rests on. */
function shortCycleLines(report: SimulationReport): string[] {
  if (report.shortCycles === 0) return [];
  const short = report.perRegion.flatMap((row) =>
    row.transitionLog.filter((t) => t.short).map((transition) => [row.region, transition.kind, transition.at, why(transition)]),
  );
  const lines = [
    '',
    'short cycles (a stop is short when started again before (stop + start cost) / (running - stopped price) stopped minutes; ' +
      'a start when its running stint serves no hot minute):',
    table(short.slice(0, SHORT_CYCLES_LISTED), 4),
  ];
  if (short.length > SHORT_CYCLES_LISTED)
    lines.push(`  ... and ${short.length - SHORT_CYCLES_LISTED} more: --json lists every transition (perRegion[].transitionLog)`);
  return lines;
}

function why(transition: TransitionRecord): string {
  if (transition.kind === 'start') return `ran ${transition.runningMinutes} min from ${transition.servingFrom ?? '-'} without a hot minute`;
  const breakEven = transition.breakEvenMinutes === null ? 'never pays' : `${transition.breakEvenMinutes.toFixed(1)} to pay`;
  return `restarted after ${transition.stoppedMinutes ?? '-'} min stopped (${breakEven})`;
}

/** ": 2 late, 1 near miss, 0 quiet" after the idle starts' count; nothing when there are none. */
function idleKinds(kinds: SimulationReport['idleStartsByKind']): string {
  const total = kinds.late + kinds.nearMiss + kinds.quiet;
  return total === 0 ? '' : `: ${kinds.late} late, ${kinds.nearMiss} near miss, ${kinds.quiet} quiet`;
}
