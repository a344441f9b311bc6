import { CORPUS_FAMILIES, corpusPart, HOVERING_FAMILY, SPIKES_FAMILY } from '../../bench/decision-corpus';
import {
  benchOnlineAlternatives,
  hoveringAlternatives,
  keptRunning,
  noBurstStarts,
  periodsPastBursts,
  simulateEngine,
  spikesAlternatives,
} from '../../bench/online-alternatives';
import { formatAlternatives } from '../../bench/format';
import { thresholdsFor, validateConfig } from '../../core/config';
import { DEFAULT_COST_MODEL } from '../../core/simulator/cost-model';
import { simulate } from '../../core/simulator/simulate';
import { validConfig } from '../support/configs';

/** One day of each of the two families keeps this cheap; the regions are the tuning part's hovering ones. */
const families = CORPUS_FAMILIES.filter((family) => family.name === HOVERING_FAMILY || family.name === SPIKES_FAMILY).map((family) => ({
  ...family,
  days: 1,
}));

describe('online alternatives beside the engine', () => {
  const config = validConfig((c) => {
    c.scalable = ['us-west-2', 'sa-east-1', 'ap-south-1'];
  });
  const [hovering, spikes] = corpusPart(config, 'tuning', families);

  it('divides every alternative by the optimum of the config as it is, not by the alternative its own', () => {
    const base = simulateEngine(hovering!);
    const rows = hoveringAlternatives(hovering!);
    expect(rows.map((row) => row.alternative)).toEqual([
      'reactive (as configured)',
      'hovering regions kept running',
      'hovering regions: scaleUpPeriods 31',
    ]);
    const kept = rows[1]!;
    const own = simulate({ config: keptRunning(config, ['sa-east-1', 'ap-south-1']), trace: hovering!.trace, model: DEFAULT_COST_MODEL });
    // The input matters: keeping the regions running raises the simulator's own optimum, which would make them look free.
    expect(own.oracleCost).toBeGreaterThan(base.oracleCost * 1.1);
    expect(kept.cost).toBeCloseTo(own.cost, 10);
    expect(kept.oracleCost).toBe(base.oracleCost);
    expect(kept.costOverOptimum).toBeCloseTo(own.cost / base.oracleCost, 10);
    expect(kept.costOverOptimum).toBeGreaterThan(own.costOverOptimum + 0.1);
    expect(kept.meetsTarget).toBe(false);
    for (const region of kept.shapedRegions) {
      const optimum = base.perRegion.find((row) => row.region === region.region)!.oracleCost;
      expect(region.oracleCost).toBe(optimum);
      expect(region.costOverOptimum).toBeCloseTo(region.cost / optimum, 10);
      // Against its own optimum, a region kept running costs exactly that optimum.
      expect(region.costOverOptimum).toBeGreaterThan(1.5);
    }
    expect(rows.every((row) => row.oracleCost === base.oracleCost)).toBe(true);
  });

  it('scores the engine row with the same figures as the engine run', () => {
    const base = simulateEngine(hovering!);
    const [engine] = hoveringAlternatives(hovering!);
    expect(engine).toMatchObject({
      trace: hovering!.name,
      part: 'tuning',
      cost: base.cost,
      costOverOptimum: base.costOverOptimum,
      hotCoveragePct: base.hotCoveragePct,
      idleStarts: base.idleStarts,
    });
    expect(engine!.shapedRegions.map((region) => region.region)).toEqual(['sa-east-1', 'ap-south-1']);
  });

  it('keeps every region running on the spikes trace as the all-on baseline, against the same optimum', () => {
    const base = simulateEngine(spikes!);
    const [engine, allOn] = spikesAlternatives(spikes!);
    expect(engine!.costOverOptimum).toBeCloseTo(base.costOverOptimum, 10);
    expect(allOn).toMatchObject({ alternative: 'every region kept running (all 4)', cost: base.allOnCost, idleStarts: 0, shortStops: 0 });
    expect(allOn!.costOverOptimum).toBeCloseTo(base.allOnCost / base.oracleCost, 10);
    expect(allOn!.hotCoveragePct).toBe(base.allOnHotCoveragePct);
    // The simulator's all-on baseline is the engine with every region in the always-on list.
    const everyRegion = simulate({ config: keptRunning(config, config.scalable), trace: spikes!.trace, model: DEFAULT_COST_MODEL });
    expect(everyRegion.cost).toBeCloseTo(base.allOnCost, 6);
  });

  it('moves kept-running regions out of scalable and standby, leaving a valid config', () => {
    const warm = validConfig((c) => {
      c.scalable = ['us-west-2', 'sa-east-1', 'ap-south-1'];
      c.standby = { 'sa-east-1': 'warm', 'us-west-2': 'warm' };
    });
    const kept = keptRunning(warm, ['sa-east-1']);
    expect(kept.alwaysOn).toEqual(['us-east-1', 'sa-east-1']);
    expect(kept.scalable).toEqual(['us-west-2', 'ap-south-1']);
    expect(kept.standby).toEqual({ 'us-west-2': 'warm' });
    expect(validateConfig(kept).ok).toBe(true);
  });

  it('lengthens only the scale-up streak, past the longest burst, keeping other per-region thresholds', () => {
    expect(periodsPastBursts(60)).toBe(31);
    expect(periodsPastBursts(300)).toBe(7);
    const tuned = validConfig((c) => {
      c.scalable = ['us-west-2', 'sa-east-1'];
      c.thresholds = { perRegion: { 'sa-east-1': { scaleDownPeriods: 20 } } };
    });
    const changed = noBurstStarts(tuned, ['sa-east-1']);
    expect(thresholdsFor(changed, 'sa-east-1')).toMatchObject({ scaleUpPeriods: 31, scaleDownPeriods: 20 });
    expect(thresholdsFor(changed, 'us-west-2')).toEqual(thresholdsFor(tuned, 'us-west-2'));
    expect(validateConfig(changed).ok).toBe(true);
  });

  it('scores the two families only, from the engine run it is given, and prints each row', () => {
    const engineRuns: string[] = [];
    const [other] = corpusPart(config, 'held-out', [{ ...CORPUS_FAMILIES.find((family) => family.name === 'multi-day events')!, days: 1 }]);
    const rows = benchOnlineAlternatives([other!, hovering!, spikes!], (trace) => {
      engineRuns.push(trace.name);
      return simulateEngine(trace);
    });
    expect(engineRuns).toEqual([hovering!.name, spikes!.name]);
    expect(rows.map((row) => row.trace)).toEqual([hovering!.name, hovering!.name, hovering!.name, spikes!.name, spikes!.name]);
    const text = formatAlternatives(rows);
    expect(text).toContain('over the optimum of the config as it is');
    const kept = rows[1]!;
    expect(text).toMatch(
      new RegExp(
        `hovering regions kept running\\s+${kept.costOverOptimum.toFixed(3)}\\s+${kept.hotCoveragePct.toFixed(2)}%\\s+${kept.idleStarts}\\s+no\\s+sa-east-1 ${kept.shapedRegions[0]!.costOverOptimum.toFixed(2)}x`,
      ),
    );
  });

  it('has only the engine row for a config without the hovering regions', () => {
    const small = validConfig();
    const [smallHovering] = corpusPart(small, 'tuning', families);
    expect(hoveringAlternatives(smallHovering!).map((row) => row.alternative)).toEqual(['reactive (as configured)']);
  });
});
