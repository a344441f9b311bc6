import { engineVariants, meetsTarget, scoreDecisions, syntheticTrace, TARGET } from '../../bench/decision-quality';
import { validConfig } from '../support/configs';

describe('decision quality benchmark', () => {
  const config = validConfig();

  it('scores the config with prediction off and on, marking its own mode', () => {
    expect(engineVariants(config, true).map((v) => [v.name, v.config.prediction.enabled])).toEqual([
      ['reactive (as configured)', false],
      ['prediction', true],
    ]);
    const predicting = validConfig((c) => (c.prediction = { enabled: true }));
    expect(engineVariants(predicting, true).map((v) => [v.name, v.config.prediction.enabled])).toEqual([
      ['reactive', false],
      ['prediction (as configured)', true],
    ]);
    expect(engineVariants(predicting, false).map((v) => v.name)).toEqual(['prediction (as configured)']);
  });

  it('makes the same synthetic trace from the same seed, for the config regions', () => {
    const a = syntheticTrace(config, 11, 1);
    const b = syntheticTrace(config, 11, 1);
    expect(a.trace.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
    expect(a.trace.requests.get('eu-west-1')).toEqual(b.trace.requests.get('eu-west-1'));
  });

  it('compares the engine with the optimum on a small trace and says whether the target is met', () => {
    const row = scoreDecisions(config, 'reactive (as configured)', syntheticTrace(config, 11, 1));
    expect(row.trace).toBe('synthetic seed 11');
    expect(row.costOverOptimum).toBeCloseTo(row.cost / row.oracleCost, 10);
    expect(row.hotMinutesMissed).toBe(
      row.hotMinutesMissedWhile.stopped + row.hotMinutesMissedWhile.starting + row.hotMinutesMissedWhile.stopping,
    );
    expect(row.shortCycles).toBe(row.shortStops + row.idleStarts);
    expect(row.belowOptimum).toBe(row.costOverOptimum < 1);
    expect(row.meetsTarget).toBe(
      row.costOverOptimum <= TARGET.maxCostOverOptimum &&
        row.hotCoveragePct >= TARGET.minHotCoveragePct &&
        row.idleStarts <= TARGET.maxIdleStarts &&
        row.shortStops <= row.oracleShortCycles,
    );
  });

  it('misses the target on an idle start, or on more short stops than the optimum, whatever the cost', () => {
    const good = { costOverOptimum: 1.05, hotCoveragePct: 99.5, idleStarts: 0, shortStops: 3, oracleShortCycles: 3 };
    expect(meetsTarget(good)).toBe(true);
    expect(meetsTarget({ ...good, idleStarts: 1 })).toBe(false);
    expect(meetsTarget({ ...good, shortStops: 4 })).toBe(false);
    expect(meetsTarget({ ...good, costOverOptimum: 1.11 })).toBe(false);
    expect(meetsTarget({ ...good, hotCoveragePct: 98.9 })).toBe(false);
  });
});
