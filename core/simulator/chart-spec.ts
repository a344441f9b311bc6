/**
 * The `--plot` chart as a Vega-Lite specification: per region, demand against its scale-up and
 * scale-down thresholds, with the autoscaler's phases (starting, running, stopping) as bands
 * behind it and the optimum's running periods as a strip underneath. Always-on regions have no
 * threshold lines: they run whatever the demand. Every panel shares one time axis, in UTC like the
 * trace (not the viewer's local time), and the title sums up the cost against the optimum. Building
 * the spec is pure data; turning it into SVG is Vega's job (vega-lite compiles it, vega renders it headless).
 *
 * A week is 10,080 minutes per region, more points than an SVG should carry, so demand is folded
 * into buckets of a few minutes and each bucket shows its peak: the peak is what crosses the
 * threshold, and an average would hide the bursts the autoscaler reacts to.
 */
import { configuredRegions, type KubeCdnConfig, thresholdsFor } from '../config';
import { demandOf, formatUtcMinute, MINUTE_MS, type Trace } from '../traces/trace';
import type { RegionTimelines, SimulationReport } from './simulate';
import { type Phase, RUNNING, STARTING, STOPPING } from './timeline';

/** About this many demand points per region whatever the trace length. */
const POINTS_PER_REGION = 1500;

const PHASE_NAMES: Partial<Record<Phase, string>> = { [STARTING]: 'starting', [RUNNING]: 'running', [STOPPING]: 'stopping' };

export interface PhaseBand {
  readonly region: string;
  readonly schedule: 'autoscaler' | 'optimum';
  readonly phase: string;
  readonly from: string;
  readonly to: string;
}

/** Runs of starting, running and stopping minutes as time intervals (stopped leaves no band). */
export function phaseBands(region: string, schedule: PhaseBand['schedule'], phases: Uint8Array, startMs: number): PhaseBand[] {
  const bands: PhaseBand[] = [];
  let m = 0;
  while (m < phases.length) {
    const phase = phases[m]! as Phase;
    let end = m + 1;
    while (end < phases.length && phases[end] === phase) end++;
    const name = PHASE_NAMES[phase];
    if (name)
      bands.push({
        region,
        schedule,
        phase: name,
        from: formatUtcMinute(startMs + m * MINUTE_MS),
        to: formatUtcMinute(startMs + end * MINUTE_MS),
      });
    m = end;
  }
  return bands;
}

/** Peak demand per bucket; null where the whole bucket is missing, so the line shows the gap. */
export function bucketPeaks(demand: Float64Array, bucketMinutes: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let from = 0; from < demand.length; from += bucketMinutes) {
    let peak = -Infinity;
    for (let m = from; m < Math.min(demand.length, from + bucketMinutes); m++) if (demand[m]! > peak) peak = demand[m]!;
    out.push(peak === -Infinity ? null : peak);
  }
  return out;
}

/** The figures of the report the chart's title gives. */
export type ChartSummary = Pick<SimulationReport, 'cost' | 'oracleCost' | 'hotCoveragePct' | 'oracleHotCoveragePct'>;

/** One line on how the autoscaler did: its cost against the optimum's, and the hot minutes each served in-region. */
export function summaryLine(summary: ChartSummary): string {
  const ratio = summary.oracleCost > 0 ? ` (${(summary.cost / summary.oracleCost).toFixed(2)}x)` : '';
  return (
    `autoscaler $${summary.cost.toFixed(2)} vs optimum $${summary.oracleCost.toFixed(2)}${ratio}; ` +
    `hot coverage ${summary.hotCoveragePct.toFixed(1)}% vs ${summary.oracleHotCoveragePct.toFixed(1)}%`
  );
}

export function chartSpec(
  config: KubeCdnConfig,
  trace: Trace,
  timelines: ReadonlyMap<string, RegionTimelines>,
  summary?: ChartSummary,
): Record<string, unknown> {
  const bucketMinutes = Math.max(1, Math.ceil(trace.minutes / POINTS_PER_REGION));
  const regions = configuredRegions(config);
  const demand: { region: string; time: string; requests: number | null }[] = [];
  const bands: PhaseBand[] = [];
  const thresholds: { region: string; threshold: string; requests: number }[] = [];
  for (const region of regions) {
    bucketPeaks(demandOf(trace, region), bucketMinutes).forEach((requests, i) => {
      demand.push({ region, time: formatUtcMinute(trace.startMs + i * bucketMinutes * MINUTE_MS), requests });
    });
    const timeline = timelines.get(region);
    if (timeline) {
      bands.push(...phaseBands(region, 'autoscaler', timeline.engine, trace.startMs));
      bands.push(...phaseBands(region, 'optimum', timeline.oracle, trace.startMs));
    }
    // An always-on region runs whatever its demand: thresholds would suggest a rule that never applies.
    if (config.alwaysOn.includes(region)) continue;
    const t = thresholdsFor(config, region);
    thresholds.push({ region, threshold: 'scale up', requests: t.scaleUpRequestsPerMinute });
    thresholds.push({ region, threshold: 'scale down', requests: t.scaleDownRequestsPerMinute });
  }

  // A UTC scale formats its labels in UTC, as the trace's timestamps are, wherever the chart is rendered.
  const time = { field: 'time', type: 'temporal', scale: { type: 'utc' }, axis: { format: '%a %H:%M', title: 'time (UTC)' } };
  const phaseColor = {
    field: 'phase',
    type: 'nominal',
    title: 'autoscaler',
    scale: { domain: ['starting', 'running', 'stopping'], range: ['#f2b447', '#9ecae1', '#e6550d'] },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `kubecdn simulate: demand against thresholds, peak per ${bucketMinutes}-minute bucket, with each region's phases`,
    datasets: { demand, bands, thresholds },
    title: {
      text: 'kubecdn simulate',
      ...(summary ? { subtitle: summaryLine(summary) } : {}),
      anchor: 'start',
    },
    vconcat: regions.map((region) => ({
      title: region,
      // One time scale for the region's panel and its optimum strip, as for the regions (below).
      resolve: { scale: { x: 'shared' } },
      vconcat: [
        {
          width: 900,
          height: 160,
          layer: [
            {
              data: { name: 'bands' },
              transform: [
                {
                  filter: {
                    and: [
                      { field: 'region', equal: region },
                      { field: 'schedule', equal: 'autoscaler' },
                    ],
                  },
                },
              ],
              mark: { type: 'rect', opacity: 0.35 },
              encoding: { x: { ...time, field: 'from' }, x2: { field: 'to' }, color: phaseColor },
            },
            {
              data: { name: 'demand' },
              transform: [{ filter: { field: 'region', equal: region } }],
              mark: { type: 'line', strokeWidth: 1, color: '#333333' },
              encoding: { x: time, y: { field: 'requests', type: 'quantitative', title: 'requests/min (peak)' } },
            },
            {
              data: { name: 'thresholds' },
              transform: [{ filter: { field: 'region', equal: region } }],
              mark: { type: 'rule', strokeDash: [4, 3] },
              encoding: {
                y: { field: 'requests', type: 'quantitative' },
                stroke: {
                  field: 'threshold',
                  type: 'nominal',
                  scale: { domain: ['scale up', 'scale down'], range: ['#d62728', '#2ca02c'] },
                },
              },
            },
          ],
        },
        {
          width: 900,
          height: 12,
          data: { name: 'bands' },
          transform: [
            {
              filter: {
                and: [
                  { field: 'region', equal: region },
                  { field: 'schedule', equal: 'optimum' },
                  { field: 'phase', equal: 'running' },
                ],
              },
            },
          ],
          mark: { type: 'rect', color: '#31a354' },
          encoding: { x: { ...time, field: 'from', axis: null }, x2: { field: 'to' } },
          title: { text: 'optimum running', fontSize: 10, anchor: 'start' },
        },
      ],
    })),
    // Concatenated views get a scale each for x unless told otherwise: share it, so every panel and
    // strip reads against the same time axis.
    resolve: { scale: { x: 'shared', color: 'shared', stroke: 'shared' } },
  };
}
