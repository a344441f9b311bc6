/**
 * `simulate`: what a config would have cost on a trace, how much demand it would have served in
 * its own region, and how that compares with baselines on the same trace and cost model: every
 * configured region always on, the always-on list alone, and the clairvoyant optimum, twice: with
 * the always-on list kept running (the policy the config chose, which the engine must follow) and
 * without it (physics alone).
 *
 * All schedules are timelines accounted by the same function (timeline.ts), so their figures are
 * comparable column by column.
 */
import { configuredRegions, type KubeCdnConfig, thresholdsFor } from '../config';
import { demandOf, formatUtcMinute, MINUTE_MS, type Trace } from '../traces/trace';
import { type CostModel, regionCostProfile, startMinutes, stopMinutes } from './cost-model';
import { oracleSchedule } from './oracle';
import { replay } from './replay';
import { type IdleStartsByKind, shortCycles, sumIdleStartsByKind, type TransitionRecord } from './short-cycles';
import { percent, RUNNING, STARTING, STOPPED, STOPPING, timelineTotals, type TimelineTotals } from './timeline';

export interface RegionReport {
  readonly region: string;
  readonly role: 'always-on' | 'scalable';
  readonly standby: 'cold' | 'warm';
  /** Scale-up threshold (requests per minute): minutes at or above it are "hot". */
  readonly hotThreshold: number;
  /** USD over the trace under the engine. */
  readonly cost: number;
  /** The optimum under the always-on policy: an always-on region runs throughout. */
  readonly oracleCost: number;
  /** The optimum with no always-on list: an always-on region scheduled like any other (equal to oracleCost for the rest). */
  readonly oracleCostWithoutAlwaysOn: number;
  readonly allOnCost: number;
  readonly alwaysOnOnlyCost: number;
  /** Demand-weighted share of this region's demand served in-region, 0-100. */
  readonly servedInRegionPct: number;
  /** Share of the demand in hot minutes served in-region, 0-100. */
  readonly hotCoveragePct: number;
  readonly oracleServedInRegionPct: number;
  readonly requests: number;
  readonly hotMinutes: number;
  /** Hot minutes in which the region was not serving. */
  readonly hotMinutesMissed: number;
  /** The same, by the region's phase then: why they were missed (not yet started, still starting, already stopping). */
  readonly hotMinutesMissedWhile: MissedByPhase;
  readonly missingMinutes: number;
  readonly starts: number;
  readonly stops: number;
  readonly transitions: number;
  readonly oracleTransitions: number;
  /** Wasted transitions (short-cycles.ts): shortStops + idleStarts. */
  readonly shortCycles: number;
  /** Stops undone by a start before they paid for themselves. */
  readonly shortStops: number;
  /** Starts whose running stint served no hot minute. */
  readonly idleStarts: number;
  /** The idle starts by what they met: hot demand while starting (late), a near miss of the threshold, or quiet. */
  readonly idleStartsByKind: IdleStartsByKind;
  /** The same measure on the optimum's schedule (always-on policy), for scale: it can be above 0. */
  readonly oracleShortCycles: number;
  /** The engine's starts and stops in order, each with the figures behind its short-cycle verdict. */
  readonly transitionLog: readonly TransitionRecord[];
  readonly startingMinutes: number;
  readonly runningMinutes: number;
  /** Engine actions the region's state did not allow; anything but 0 is an engine bug. */
  readonly rejectedActions: number;
}

export interface SimulationReport {
  readonly trace: { readonly start: string; readonly end: string; readonly minutes: number; readonly regions: number };
  /** Lead times in force, in minutes, so a reader sees what the engine was up against. */
  readonly leadTimes: { readonly coldStart: number; readonly warmStart: number; readonly coldStop: number; readonly warmStop: number };
  /** How late each period's demand reaches the engine (config.demand.lagSeconds), as in the Lambda. */
  readonly demandLagSeconds: number;
  /** USD over the trace. */
  readonly cost: number;
  /** The clairvoyant optimum under the always-on policy (always-on regions run throughout). */
  readonly oracleCost: number;
  /** The clairvoyant optimum without the always-on policy: physics alone, every region free to stop. */
  readonly oracleCostWithoutAlwaysOn: number;
  readonly allOnCost: number;
  readonly alwaysOnOnlyCost: number;
  /**
   * cost / oracleCost; the target is at most 1.10. Below 1 only when the engine left hot minutes
   * unserved (the optimum serves them all), which `notes` then says.
   */
  readonly costOverOptimum: number;
  readonly servedInRegionPct: number;
  readonly hotCoveragePct: number;
  readonly oracleServedInRegionPct: number;
  readonly oracleHotCoveragePct: number;
  readonly oracleWithoutAlwaysOnServedInRegionPct: number;
  readonly oracleWithoutAlwaysOnHotCoveragePct: number;
  readonly oracleWithoutAlwaysOnTransitions: number;
  readonly allOnServedInRegionPct: number;
  readonly allOnHotCoveragePct: number;
  readonly alwaysOnOnlyServedInRegionPct: number;
  readonly alwaysOnOnlyHotCoveragePct: number;
  readonly transitions: number;
  readonly oracleTransitions: number;
  /** Sum of the regions' short cycles; the target is 0. */
  readonly shortCycles: number;
  readonly shortStops: number;
  readonly idleStarts: number;
  readonly idleStartsByKind: IdleStartsByKind;
  readonly oracleShortCycles: number;
  readonly startingMinutes: number;
  readonly hotMinutesMissed: number;
  readonly hotMinutesMissedWhile: MissedByPhase;
  readonly rejectedActions: number;
  /** Engine ticks replayed. */
  readonly ticks: number;
  readonly perRegion: readonly RegionReport[];
  /** Things a reader should know about the inputs and figures (unconfigured regions in the trace, dry run overridden, a cost below the optimum, ...). */
  readonly notes: readonly string[];
}

/** Costs summed along different paths differ in the last bits; below the optimum means by more than this. */
const COST_EPSILON = 1e-9;

export interface MissedByPhase {
  readonly stopped: number;
  readonly starting: number;
  readonly stopping: number;
}

export interface SimulationInput {
  readonly config: KubeCdnConfig;
  readonly trace: Trace;
  readonly model: CostModel;
}

export function simulate(input: SimulationInput): SimulationReport {
  return simulateWithTimelines(input).report;
}

/** Each region's schedule, one phase per minute (timeline.ts), for charts. */
export interface RegionTimelines {
  readonly engine: Uint8Array;
  readonly oracle: Uint8Array;
}

export function simulateWithTimelines({ config, trace, model }: SimulationInput): {
  readonly report: SimulationReport;
  readonly timelines: ReadonlyMap<string, RegionTimelines>;
} {
  const replayed = replay(config, trace, model);
  const timelines = new Map<string, RegionTimelines>();
  const alwaysOn = new Set(config.alwaysOn);
  const allRunning = new Uint8Array(trace.minutes).fill(RUNNING);
  const allStopped = new Uint8Array(trace.minutes).fill(STOPPED);

  const regions = replayed.regions.map((engine): RegionOutcome => {
    const region = engine.region;
    const demand = demandOf(trace, region);
    const hotThreshold = thresholdsFor(config, region).scaleUpRequestsPerMinute;
    const profile = regionCostProfile(model, config, region);
    const isAlwaysOn = alwaysOn.has(region);
    // A cold profile for the baselines: "always-on list only" means the other regions do not exist.
    const absent = { ...profile, stoppedPerMinute: 0 };

    const actual = timelineTotals(engine.phases, demand, hotThreshold, profile);
    const missed = hotMinutesMissed(engine.phases, demand, hotThreshold);
    // The optimum with no policy at all; for an always-on region the policy's optimum is to run throughout.
    const freeTimeline = oracleSchedule({ demand, hotThreshold, profile });
    const oracleTimeline = isAlwaysOn ? allRunning : freeTimeline;
    timelines.set(region, { engine: engine.phases, oracle: oracleTimeline });
    const oracle = timelineTotals(oracleTimeline, demand, hotThreshold, profile);
    const oracleFree = isAlwaysOn ? timelineTotals(freeTimeline, demand, hotThreshold, profile) : oracle;
    const cycles = shortCycles(engine.phases, demand, hotThreshold, profile, trace.startMs);
    const oracleCycles = shortCycles(oracleTimeline, demand, hotThreshold, profile, trace.startMs);
    const allOn = timelineTotals(allRunning, demand, hotThreshold, profile);
    const alwaysOnOnly = isAlwaysOn ? allOn : timelineTotals(allStopped, demand, hotThreshold, absent);

    const report: RegionReport = {
      region,
      role: isAlwaysOn ? 'always-on' : 'scalable',
      standby: profile.warm ? 'warm' : 'cold',
      hotThreshold,
      cost: actual.cost,
      oracleCost: oracle.cost,
      oracleCostWithoutAlwaysOn: oracleFree.cost,
      allOnCost: allOn.cost,
      alwaysOnOnlyCost: alwaysOnOnly.cost,
      servedInRegionPct: percent(actual.servedRequests, actual.requests),
      hotCoveragePct: percent(actual.hotServedRequests, actual.hotRequests),
      oracleServedInRegionPct: percent(oracle.servedRequests, oracle.requests),
      requests: actual.requests,
      hotMinutes: actual.hotMinutes,
      hotMinutesMissed: missed.stopped + missed.starting + missed.stopping,
      hotMinutesMissedWhile: missed,
      missingMinutes: demand.reduce((n, v) => (Number.isNaN(v) ? n + 1 : n), 0),
      starts: actual.starts,
      stops: actual.stops,
      transitions: actual.starts + actual.stops,
      oracleTransitions: oracle.starts + oracle.stops,
      shortCycles: cycles.shortCycles,
      shortStops: cycles.shortStops,
      idleStarts: cycles.idleStarts,
      idleStartsByKind: cycles.idleStartsByKind,
      oracleShortCycles: oracleCycles.shortCycles,
      transitionLog: cycles.transitions,
      startingMinutes: actual.startingMinutes,
      runningMinutes: actual.runningMinutes,
      rejectedActions: engine.rejectedActions,
    };
    return { report, totals: { actual, oracle, oracleFree, allOn, alwaysOnOnly } };
  });

  const leadTimes = {
    coldStart: startMinutes(model.leadTimes, false),
    warmStart: startMinutes(model.leadTimes, true),
    coldStop: stopMinutes(model.leadTimes, false),
    warmStop: stopMinutes(model.leadTimes, true),
  };
  const totals = overall(regions, trace);
  const report = {
    ...totals,
    leadTimes,
    demandLagSeconds: config.demand.lagSeconds,
    ticks: replayed.ticks,
    notes: [...notesFor(config, trace, replayed.dryRunOverridden), ...leadTimeNotes(config, leadTimes), ...belowOptimumNotes(totals)],
  };
  return { report, timelines };
}

/** A region's report row with the raw sums behind it, so overall percentages are demand-weighted. */
interface RegionOutcome {
  readonly report: RegionReport;
  readonly totals: Readonly<Record<'actual' | 'oracle' | 'oracleFree' | 'allOn' | 'alwaysOnOnly', TimelineTotals>>;
}

function hotMinutesMissed(phases: Uint8Array, demand: Float64Array, threshold: number): MissedByPhase {
  const byPhase = [0, 0, 0, 0];
  for (let m = 0; m < phases.length; m++) if (demand[m]! >= threshold) byPhase[phases[m]!]!++;
  return { stopped: byPhase[STOPPED]!, starting: byPhase[STARTING]!, stopping: byPhase[STOPPING]! };
}

function overall(
  regions: readonly RegionOutcome[],
  trace: Trace,
): Omit<SimulationReport, 'ticks' | 'notes' | 'leadTimes' | 'demandLagSeconds'> {
  const sum = (pick: (outcome: RegionOutcome) => number): number => regions.reduce((total, r) => total + pick(r), 0);
  const servedPct = (schedule: keyof RegionOutcome['totals']): number =>
    percent(
      sum((r) => r.totals[schedule].servedRequests),
      sum((r) => r.totals[schedule].requests),
    );
  const hotPct = (schedule: keyof RegionOutcome['totals']): number =>
    percent(
      sum((r) => r.totals[schedule].hotServedRequests),
      sum((r) => r.totals[schedule].hotRequests),
    );
  const cost = sum((r) => r.report.cost);
  const oracleCost = sum((r) => r.report.oracleCost);
  return {
    trace: {
      start: formatUtcMinute(trace.startMs),
      end: formatUtcMinute(trace.startMs + trace.minutes * MINUTE_MS),
      minutes: trace.minutes,
      regions: regions.length,
    },
    cost,
    oracleCost,
    oracleCostWithoutAlwaysOn: sum((r) => r.report.oracleCostWithoutAlwaysOn),
    allOnCost: sum((r) => r.report.allOnCost),
    alwaysOnOnlyCost: sum((r) => r.report.alwaysOnOnlyCost),
    costOverOptimum: oracleCost > 0 ? cost / oracleCost : 1,
    servedInRegionPct: servedPct('actual'),
    hotCoveragePct: hotPct('actual'),
    oracleServedInRegionPct: servedPct('oracle'),
    oracleHotCoveragePct: hotPct('oracle'),
    oracleWithoutAlwaysOnServedInRegionPct: servedPct('oracleFree'),
    oracleWithoutAlwaysOnHotCoveragePct: hotPct('oracleFree'),
    oracleWithoutAlwaysOnTransitions: sum((r) => r.totals.oracleFree.starts + r.totals.oracleFree.stops),
    allOnServedInRegionPct: servedPct('allOn'),
    allOnHotCoveragePct: hotPct('allOn'),
    alwaysOnOnlyServedInRegionPct: servedPct('alwaysOnOnly'),
    alwaysOnOnlyHotCoveragePct: hotPct('alwaysOnOnly'),
    transitions: sum((r) => r.report.transitions),
    oracleTransitions: sum((r) => r.report.oracleTransitions),
    shortCycles: sum((r) => r.report.shortCycles),
    shortStops: sum((r) => r.report.shortStops),
    idleStarts: sum((r) => r.report.idleStarts),
    idleStartsByKind: sumIdleStartsByKind(regions.map((r) => r.report.idleStartsByKind)),
    oracleShortCycles: sum((r) => r.report.oracleShortCycles),
    startingMinutes: sum((r) => r.report.startingMinutes),
    hotMinutesMissed: sum((r) => r.report.hotMinutesMissed),
    hotMinutesMissedWhile: {
      stopped: sum((r) => r.report.hotMinutesMissedWhile.stopped),
      starting: sum((r) => r.report.hotMinutesMissedWhile.starting),
      stopping: sum((r) => r.report.hotMinutesMissedWhile.stopping),
    },
    rejectedActions: sum((r) => r.report.rejectedActions),
    perRegion: regions.map((r) => r.report),
  };
}

function notesFor(config: KubeCdnConfig, trace: Trace, dryRunOverridden: boolean): string[] {
  const notes: string[] = [];
  const configured = configuredRegions(config);
  const unconfigured = trace.regions.filter((r) => !configured.includes(r));
  if (unconfigured.length > 0)
    notes.push(`the trace has demand for regions the config does not list, left out: ${unconfigured.join(', ')}`);
  const absent = configured.filter((r) => !trace.requests.has(r));
  if (absent.length > 0) notes.push(`the trace has no rows for ${absent.join(', ')}: their demand is missing throughout`);
  if (dryRunOverridden) notes.push('the config is in dry run; the simulation acts on the decisions anyway to show their effect');
  return notes;
}

/**
 * The engine plans with the lead times in config.prediction (it cannot measure AWS); the cost
 * model is what AWS does in the simulation. Where they differ the engine acts on a wrong belief,
 * which is worth simulating on purpose but not by accident.
 */
function leadTimeNotes(config: KubeCdnConfig, modelled: SimulationReport['leadTimes']): string[] {
  const believed = config.prediction;
  const pairs = [
    ['coldStartMinutes', believed.coldStartMinutes, modelled.coldStart],
    ['warmStartMinutes', believed.warmStartMinutes, modelled.warmStart],
    ['coldStopMinutes', believed.coldStopMinutes, modelled.coldStop],
    ['warmStopMinutes', believed.warmStopMinutes, modelled.warmStop],
  ] as const;
  return pairs
    .filter(([, belief, model]) => belief !== model)
    .map(
      ([field, belief, model]) =>
        `the config's prediction.${field} is ${belief} but the cost model takes ${model} minutes; the engine plans with the config's figure`,
    );
}

/**
 * The optimum serves every hot minute, so a policy can only cost less by leaving some unserved
 * (caps, late starts, early stops). A ratio below 1 then reads as better than optimal when it
 * is worse; say what it was bought with, overall and for each region below its own optimum.
 */
function belowOptimumNotes(
  report: Pick<SimulationReport, 'cost' | 'oracleCost' | 'hotMinutesMissed' | 'hotCoveragePct' | 'perRegion'>,
): string[] {
  const below = report.perRegion.filter((row) => row.cost < row.oracleCost - COST_EPSILON);
  if (report.cost >= report.oracleCost - COST_EPSILON && below.length === 0) return [];
  const regions = below
    .map((row) => `${row.region} ${(row.cost / row.oracleCost).toFixed(2)}x with ${row.hotMinutesMissed} missed`)
    .join(', ');
  const overallRatio = report.oracleCost > 0 ? (report.cost / report.oracleCost).toFixed(2) : '-';
  const headline =
    report.cost < report.oracleCost - COST_EPSILON
      ? `the autoscaler cost less than the optimum (${overallRatio}x)`
      : `some regions cost less than their optimum`;
  return [
    `${headline} only by leaving hot minutes unserved (${report.hotMinutesMissed} missed, ${report.hotCoveragePct.toFixed(1)}% hot coverage): ` +
      `the optimum serves every hot minute, so this is not a saving` +
      (regions ? `; below their optimum: ${regions}` : ''),
  ];
}
