/**
 * The simulate report as a person reads it at a glance: the four schedules side by side, one
 * line on how the engine did against the optimum, then a row per region.
 */
import type { RegionReport, SimulationReport } from './simulate';

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
      ['schedule', 'cost (USD)', 'vs optimum', 'served in-region', 'hot coverage', 'transitions'],
      [
        'autoscaler (decide)',
        usd(report.cost),
        ratio(report.cost, report.oracleCost),
        pct(report.servedInRegionPct),
        pct(report.hotCoveragePct),
        String(report.transitions),
      ],
      [
        'optimum (clairvoyant)',
        usd(report.oracleCost),
        '1.00x',
        pct(report.oracleServedInRegionPct),
        pct(report.oracleHotCoveragePct),
        String(report.oracleTransitions),
      ],
      [
        'all regions always on',
        usd(report.allOnCost),
        ratio(report.allOnCost, report.oracleCost),
        pct(report.allOnServedInRegionPct),
        pct(report.allOnHotCoveragePct),
        '0',
      ],
      [
        'always-on list only',
        usd(report.alwaysOnOnlyCost),
        ratio(report.alwaysOnOnlyCost, report.oracleCost),
        pct(report.alwaysOnOnlyServedInRegionPct),
        pct(report.alwaysOnOnlyHotCoveragePct),
        '0',
      ],
    ]),
    '',
    `autoscaler: ${ratio(report.cost, report.oracleCost)} the optimum's cost, ${pct(report.hotCoveragePct)} hot coverage, ` +
      `${report.flaps} flap(s), ${report.startingMinutes} minute(s) spent starting`,
    `hot minutes not served in-region: ${report.hotMinutesMissed} (${report.hotMinutesMissedWhile.stopped} while stopped, ` +
      `${report.hotMinutesMissedWhile.starting} while starting, ${report.hotMinutesMissedWhile.stopping} while stopping)`,
    '',
    table(
      [
        ['region', 'role', 'cost', 'optimum', 'all-on', 'served', 'hot cov.', 'hot missed', 'starts', 'stops', 'flaps', 'starting min'],
        ...report.perRegion.map(regionRow),
      ],
      2,
    ),
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
    String(row.flaps),
    String(row.startingMinutes),
  ];
}
