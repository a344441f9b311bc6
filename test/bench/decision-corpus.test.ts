import { CORPUS_FAMILIES, CORPUS_PARTS, corpusPart, PART_SEED_BASE, withExtraRegions } from '../../bench/decision-corpus';
import { configuredRegions } from '../../core/config';
import { validConfig } from '../support/configs';

/** One day of each family keeps this cheap: the shapes and the split are what is checked, not the length. */
const oneDay = CORPUS_FAMILIES.map((family) => ({ ...family, days: 1 }));

describe('the decision-quality corpus', () => {
  const config = validConfig();

  it('has the same families in both parts, with seeds that never overlap', () => {
    const [tuning, heldOut] = CORPUS_PARTS.map((part) => corpusPart(config, part, oneDay));
    expect(tuning!.map((t) => t.family)).toEqual(heldOut!.map((t) => t.family));
    expect(tuning!.every((t) => t.part === 'tuning') && heldOut!.every((t) => t.part === 'held-out')).toBe(true);
    const seeds = [...tuning!, ...heldOut!].map((t) => t.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(tuning!.map((t) => t.seed)).toEqual(CORPUS_FAMILIES.map((_, i) => PART_SEED_BASE.tuning + i + 1));
  });

  it('makes the same traces on every run', () => {
    const a = corpusPart(config, 'held-out', oneDay);
    const b = corpusPart(config, 'held-out', oneDay);
    for (const [i, trace] of a.entries()) {
      for (const region of trace.trace.regions) expect(trace.trace.requests.get(region)).toEqual(b[i]!.trace.requests.get(region));
    }
  });

  it('gives the more-regions family a config with those regions, all allowed to run', () => {
    const family = corpusPart(config, 'tuning', oneDay).find((t) => t.family.startsWith('more regions'))!;
    expect(family.trace.regions).toEqual(configuredRegions(family.config));
    expect(family.trace.regions.length).toBe(configuredRegions(config).length + 8);
    expect(family.config.limits.maxRunningRegions).toBe(family.trace.regions.length);
    expect(withExtraRegions(config, [])).toBe(config);
  });

  it('keeps a hovering region below the config threshold outside its bursts, which rise above it', () => {
    const reference = validConfig((c) => {
      c.scalable = ['us-west-2', 'sa-east-1', 'ap-south-1'];
    });
    const hovering = corpusPart(reference, 'tuning', [CORPUS_FAMILIES.find((f) => f.name.startsWith('hovering'))!])[0]!;
    const hot = reference.thresholds.scaleUpRequestsPerMinute;
    const series = [...hovering.trace.requests.get('sa-east-1')!].filter((rpm) => !Number.isNaN(rpm));
    const above = series.filter((rpm) => rpm >= hot).length;
    expect(above).toBeGreaterThan(0);
    expect(above).toBeLessThan(series.length * 0.25);
    expect(series.filter((rpm) => rpm >= hot * 0.6).length).toBeGreaterThan(series.length * 0.99);
  });
});
