/**
 * Online alternatives: what simple policies with no foresight score on the two corpus families
 * no online policy can bring to the target, beside the engine, so the bench shows why rather
 * than only that those rows miss it.
 *
 * - "Hovering at the threshold": the hovering regions' bursts come at random times and last 5 to
 *   30 minutes, about as long as a cold start (14 minutes) after a scale-up streak. An online
 *   policy can start on them (late, and often idle by the time it serves), not start on them
 *   (missed hot minutes), or keep those regions running (cost); the optimum serves each burst by
 *   knowing it is coming.
 * - "Isolated spikes": one-minute spikes are hot minutes only a region already running serves;
 *   the yardstick is every region kept running.
 *
 * Every alternative's cost is divided by the optimum of the config as it is (the engine's run,
 * the one the decision-quality table reports): the simulator's optimum follows the always-on
 * list, so the kept-running alternative's own optimum would run those regions throughout too and
 * make keeping them running look free.
 */
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import { DEFAULT_COST_MODEL } from '../core/simulator/cost-model';
import { type SimulationReport, simulate } from '../core/simulator/simulate';
import { type CorpusPart, type CorpusTrace, HOVERING_FAMILY, SPIKES_FAMILY } from './decision-corpus';
import { engineVariants, meetsTarget } from './decision-quality';

/** The longest hot burst the trace synthesizer puts over a hovering region (core/traces/synthesize-trace.ts draws 5 to 30 minutes). */
export const LONGEST_HOVER_BURST_MINUTES = 30;

/** One hovering region's figures under an alternative, against its own share of the base optimum. */
export interface ShapedRegionFigures {
  readonly region: string;
  readonly cost: number;
  /** The region's optimum under the config as it is. */
  readonly oracleCost: number;
  readonly costOverOptimum: number;
  readonly hotCoveragePct: number;
  readonly idleStarts: number;
}

export interface AlternativeRow {
  /** The corpus trace's name. */
  readonly trace: string;
  readonly part: CorpusPart;
  readonly alternative: string;
  readonly cost: number;
  /** The optimum of the config as it is on this trace, whatever the alternative changes: every row's yardstick. */
  readonly oracleCost: number;
  readonly costOverOptimum: number;
  readonly hotCoveragePct: number;
  readonly idleStarts: number;
  readonly shortStops: number;
  /** The decision-quality target, with the base optimum's cost and short cycles. */
  readonly meetsTarget: boolean;
  /** The regions the family shapes (the hovering ones); empty for the spikes family, which shapes every region alike. */
  readonly shapedRegions: readonly ShapedRegionFigures[];
}

/** The engine's run of a corpus trace with its own config; the bench passes the one it already made. */
export type EngineRun = (trace: CorpusTrace) => SimulationReport;

export const simulateEngine: EngineRun = (corpus) => simulate({ config: corpus.config, trace: corpus.trace, model: DEFAULT_COST_MODEL });

/** The regions moved from scalable to always on (and out of standby, which applies to scalable regions only). */
export function keptRunning(config: KubeCdnConfig, regions: readonly string[]): KubeCdnConfig {
  const moved = new Set(regions);
  return {
    ...config,
    alwaysOn: [...config.alwaysOn, ...config.scalable.filter((region) => moved.has(region))],
    scalable: config.scalable.filter((region) => !moved.has(region)),
    standby: Object.fromEntries(Object.entries(config.standby).filter(([region]) => !moved.has(region))),
  };
}

/** Periods in a streak longer than the longest burst, wherever its minutes fall across period boundaries. */
export function periodsPastBursts(periodSeconds: number): number {
  return Math.ceil((LONGEST_HOVER_BURST_MINUTES * 60) / periodSeconds) + 1;
}

/** The regions' reactive scale-up streak made longer than any burst, their other thresholds kept. */
export function noBurstStarts(config: KubeCdnConfig, regions: readonly string[]): KubeCdnConfig {
  const scaleUpPeriods = periodsPastBursts(config.periodSeconds);
  const perRegion = { ...config.thresholds.perRegion };
  for (const region of regions) perRegion[region] = { ...perRegion[region], scaleUpPeriods };
  return { ...config, thresholds: { ...config.thresholds, perRegion } };
}

type RunFigures = Pick<SimulationReport, 'cost' | 'hotCoveragePct' | 'idleStarts' | 'shortStops' | 'perRegion'>;

function alternativeRow(
  corpus: CorpusTrace,
  alternative: string,
  run: RunFigures,
  base: SimulationReport,
  shaped: readonly string[],
): AlternativeRow {
  const costOverOptimum = base.oracleCost > 0 ? run.cost / base.oracleCost : 1;
  const shapedRegions = shaped.map((region): ShapedRegionFigures => {
    const own = run.perRegion.find((row) => row.region === region)!;
    const oracleCost = base.perRegion.find((row) => row.region === region)!.oracleCost;
    return {
      region,
      cost: own.cost,
      oracleCost,
      costOverOptimum: oracleCost > 0 ? own.cost / oracleCost : 1,
      hotCoveragePct: own.hotCoveragePct,
      idleStarts: own.idleStarts,
    };
  });
  return {
    trace: corpus.name,
    part: corpus.part,
    alternative,
    cost: run.cost,
    oracleCost: base.oracleCost,
    costOverOptimum,
    hotCoveragePct: run.hotCoveragePct,
    idleStarts: run.idleStarts,
    shortStops: run.shortStops,
    meetsTarget: meetsTarget({ ...run, costOverOptimum, oracleShortCycles: base.oracleShortCycles }),
    shapedRegions,
  };
}

function engineName(config: KubeCdnConfig): string {
  return engineVariants(config, false)[0]!.name;
}

/** The engine, the hovering regions kept running, and the hovering regions with no reactive start on a burst. */
export function hoveringAlternatives(corpus: CorpusTrace, engine: EngineRun = simulateEngine): AlternativeRow[] {
  const base = engine(corpus);
  const hovering = corpus.shapes.hoveringRegions ?? [];
  const rows = [alternativeRow(corpus, engineName(corpus.config), base, base, hovering)];
  // A config without the hovering regions (a smaller one than the reference) has nothing to compare.
  if (hovering.length === 0) return rows;
  const score = (config: KubeCdnConfig) => simulate({ config, trace: corpus.trace, model: DEFAULT_COST_MODEL });
  const streak = periodsPastBursts(corpus.config.periodSeconds);
  return [
    ...rows,
    alternativeRow(corpus, 'hovering regions kept running', score(keptRunning(corpus.config, hovering)), base, hovering),
    alternativeRow(corpus, `hovering regions: scaleUpPeriods ${streak}`, score(noBurstStarts(corpus.config, hovering)), base, hovering),
  ];
}

/**
 * The engine and every region kept running: the simulator's all-on baseline, the same schedule
 * as every region in the always-on list, at no extra simulation. Keeping a region running never
 * starts it, so it has no idle start and no short stop.
 */
export function spikesAlternatives(corpus: CorpusTrace, engine: EngineRun = simulateEngine): AlternativeRow[] {
  const base = engine(corpus);
  const allOn: RunFigures = {
    cost: base.allOnCost,
    hotCoveragePct: base.allOnHotCoveragePct,
    idleStarts: 0,
    shortStops: 0,
    perRegion: [],
  };
  return [
    alternativeRow(corpus, engineName(corpus.config), base, base, []),
    alternativeRow(corpus, `every region kept running (all ${configuredRegions(corpus.config).length})`, allOn, base, []),
  ];
}

/** The corpus families this table scores. */
export const ALTERNATIVE_FAMILIES: readonly string[] = [HOVERING_FAMILY, SPIKES_FAMILY];

/** Per corpus part, in the corpus's order: the hovering family's alternatives, then the spikes family's. */
export function benchOnlineAlternatives(corpus: readonly CorpusTrace[], engine: EngineRun = simulateEngine): AlternativeRow[] {
  return corpus.flatMap((trace) => {
    if (trace.family === HOVERING_FAMILY) return hoveringAlternatives(trace, engine);
    if (trace.family === SPIKES_FAMILY) return spikesAlternatives(trace, engine);
    return [];
  });
}
