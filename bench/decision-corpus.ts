/**
 * The decision-quality corpus: synthetic traces of the shapes a real deployment meets and the
 * reference trace lacks (two-peak days, multi-day events, regions hovering at the threshold with
 * short hot bursts, isolated spikes, missing days, long traces, more regions, all at once), made
 * in-process from fixed seeds at bench time so no large file is committed and every run scores
 * the same traces.
 *
 * It is split in two fixed parts with the same shape families and different seeds (and, where a
 * shape picks regions, different regions): the engine is tuned on "tuning" only, and "held-out"
 * says whether a change generalises. A change that helps tuning and hurts held-out is overfitting.
 * Never tune on held-out: once its numbers steer a change, it is no longer held out.
 */
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import { DEFAULT_SYNTHESIS, synthesizeTrace, type SynthesisShapes, type Trace } from '../core/traces';

export type CorpusPart = 'tuning' | 'held-out';

export const CORPUS_PARTS: readonly CorpusPart[] = ['tuning', 'held-out'];

export interface CorpusFamily {
  readonly name: string;
  readonly days: number;
  /** Regions beyond the config's, added as scalable cold regions ("more regions"). */
  readonly extraRegions?: readonly string[];
  readonly flashCrowdsPerWeek?: number;
  readonly gapsPerWeek?: number;
  /** The shapes for one part; `hot` is the config's scale-up threshold, the level hovering regions hover under. */
  readonly shapes: (part: CorpusPart, hot: number) => SynthesisShapes;
}

/**
 * Seeds: the family's index plus 1000 for tuning, 3000 for held-out; fixed, so results compare
 * across runs. Held-out was 2000 until its numbers had been looked at while forecast starts were
 * being tuned: a part that has steered a choice is no longer held out, so it moved to fresh seeds.
 */
export const PART_SEED_BASE: Readonly<Record<CorpusPart, number>> = { tuning: 1000, 'held-out': 3000 };

/** The regions a shape applies to, chosen per part among the reference scenario's scalable regions. */
const SHAPED_REGIONS: Readonly<Record<CorpusPart, { readonly bimodal: readonly string[]; readonly hovering: readonly string[] }>> = {
  tuning: { bimodal: ['us-west-2', 'ap-northeast-1', 'sa-east-1'], hovering: ['sa-east-1', 'ap-south-1'] },
  'held-out': { bimodal: ['eu-west-1', 'ap-southeast-1', 'ap-south-1'], hovering: ['ap-southeast-1', 'sa-east-1'] },
};

const MORE_REGIONS = [
  'us-east-2',
  'ca-central-1',
  'eu-west-2',
  'eu-north-1',
  'ap-northeast-2',
  'ap-southeast-2',
  'me-central-1',
  'af-south-1',
];

/** Family names the online-alternatives table looks up (bench/online-alternatives.ts). */
export const HOVERING_FAMILY = 'hovering at the threshold';
export const SPIKES_FAMILY = 'isolated spikes';

export const CORPUS_FAMILIES: readonly CorpusFamily[] = [
  { name: 'two-peak days', days: 7, shapes: (part) => ({ bimodalRegions: SHAPED_REGIONS[part].bimodal }) },
  { name: 'multi-day events', days: 10, shapes: () => ({ eventsPerWeek: 3 }) },
  {
    name: HOVERING_FAMILY,
    days: 7,
    shapes: (part, hot) => ({ hoveringRegions: SHAPED_REGIONS[part].hovering, hoverRequestsPerMinute: hot, hoverBurstsPerDay: 3 }),
  },
  { name: SPIKES_FAMILY, days: 7, shapes: () => ({ spikesPerDay: 8 }) },
  { name: 'gaps and missing days', days: 10, gapsPerWeek: 5, shapes: () => ({ missingDays: 3 }) },
  { name: 'long (4 weeks)', days: 28, shapes: () => ({ eventsPerWeek: 1 }) },
  { name: 'more regions (16)', days: 7, extraRegions: MORE_REGIONS, shapes: () => ({}) },
  {
    name: 'everything at once',
    days: 10,
    flashCrowdsPerWeek: 4,
    gapsPerWeek: 2,
    shapes: (part, hot) => ({
      bimodalRegions: SHAPED_REGIONS[part].bimodal.slice(0, 2),
      eventsPerWeek: 1,
      hoveringRegions: SHAPED_REGIONS[part].hovering.slice(0, 1),
      hoverRequestsPerMinute: hot,
      spikesPerDay: 2,
      missingDays: 1,
    }),
  },
];

export interface CorpusTrace {
  readonly name: string;
  readonly part: CorpusPart;
  readonly family: string;
  readonly seed: number;
  readonly trace: Trace;
  /** The shapes it was made with, limited to the config's regions: which regions hover, for one. */
  readonly shapes: SynthesisShapes;
  /** The config to score it with: the bench's own, widened with the family's extra regions. */
  readonly config: KubeCdnConfig;
}

/** The config with more scalable (cold) regions, and room for all of them to run. */
export function withExtraRegions(config: KubeCdnConfig, extra: readonly string[]): KubeCdnConfig {
  if (extra.length === 0) return config;
  const known = new Set(configuredRegions(config));
  const added = extra.filter((region) => !known.has(region));
  const regions = known.size + added.length;
  return {
    ...config,
    scalable: [...config.scalable, ...added],
    limits: { ...config.limits, maxRunningRegions: Math.max(config.limits.maxRunningRegions, regions) },
  };
}

/** One part of the corpus for a config, in family order. */
export function corpusPart(config: KubeCdnConfig, part: CorpusPart, families: readonly CorpusFamily[] = CORPUS_FAMILIES): CorpusTrace[] {
  const hot = config.thresholds.scaleUpRequestsPerMinute;
  const regions = new Set(configuredRegions(config));
  return families.map((family, index) => {
    const seed = PART_SEED_BASE[part] + index + 1;
    const scored = withExtraRegions(config, family.extraRegions ?? []);
    const shapes = family.shapes(part, hot);
    // A shape may name a region the config does not have (a smaller config than the reference): drop it there.
    const only = (list: readonly string[] | undefined) => list?.filter((region) => regions.has(region));
    const made = { ...shapes, bimodalRegions: only(shapes.bimodalRegions), hoveringRegions: only(shapes.hoveringRegions) };
    const trace = synthesizeTrace({
      ...DEFAULT_SYNTHESIS,
      seed,
      days: family.days,
      regions: configuredRegions(scored),
      flashCrowdsPerWeek: family.flashCrowdsPerWeek ?? DEFAULT_SYNTHESIS.flashCrowdsPerWeek,
      gapsPerWeek: family.gapsPerWeek ?? DEFAULT_SYNTHESIS.gapsPerWeek,
      shapes: made,
    });
    return { name: `${part}: ${family.name} (seed ${seed})`, part, family: family.name, seed, trace, shapes: made, config: scored };
  });
}
