import { corpusPart } from '../../bench/decision-corpus';
import {
  benchDecisionQuality,
  engineVariants,
  meetsTarget,
  type QualityRow,
  scoreDecisions,
  summarizeCorpus,
  syntheticTrace,
  TARGET,
} from '../../bench/decision-quality';
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

  it('sums up each corpus part and engine mode by its median and worst case, naming the worst trace', () => {
    const row = (trace: string, engine: string, figures: Partial<QualityRow>): QualityRow =>
      ({
        trace,
        part: 'tuning',
        engine,
        costOverOptimum: 1,
        hotCoveragePct: 100,
        idleStarts: 0,
        idleStartsByKind: { late: 0, nearMiss: 0, quiet: 0 },
        shortStops: 0,
        oracleShortCycles: 0,
        meetsTarget: true,
        ...figures,
      }) as QualityRow;
    const rows = [
      row('a', 'prediction (as configured)', {
        costOverOptimum: 1.05,
        hotCoveragePct: 99.5,
        idleStarts: 2,
        idleStartsByKind: { late: 1, nearMiss: 1, quiet: 0 },
        shortStops: 3,
        oracleShortCycles: 1,
        meetsTarget: false,
      }),
      row('b', 'prediction (as configured)', { costOverOptimum: 1.3, hotCoveragePct: 99.9 }),
      row('c', 'prediction (as configured)', {
        costOverOptimum: 1.02,
        hotCoveragePct: 97,
        idleStarts: 1,
        idleStartsByKind: { late: 0, nearMiss: 0, quiet: 1 },
      }),
      row('d', 'reactive', { part: 'held-out', costOverOptimum: 1.2 }),
      row('reference', 'reactive', { part: undefined, costOverOptimum: 9 }),
    ];
    expect(summarizeCorpus(rows)).toEqual([
      {
        part: 'tuning',
        engine: 'prediction',
        traces: 3,
        costOverOptimum: { median: 1.05, worst: 1.3, worstTrace: 'b' },
        hotCoveragePct: { median: 99.5, worst: 97, worstTrace: 'c' },
        idleStarts: { median: 1, worst: 2, worstTrace: 'a' },
        idleStartsByKind: { late: 1, nearMiss: 1, quiet: 1 },
        shortStopsOverOptimum: { median: 0, worst: 2, worstTrace: 'a' },
        meetingTarget: 2,
      },
      expect.objectContaining({
        part: 'held-out',
        engine: 'reactive',
        traces: 1,
        costOverOptimum: { median: 1.2, worst: 1.2, worstTrace: 'd' },
      }),
    ]);
  });

  it('scores a corpus trace with its own config and part', () => {
    const family = corpusPart(config, 'held-out').find((t) => t.family.startsWith('more regions'))!;
    const short = { ...family, trace: { ...family.trace, minutes: 60 * 24 } };
    const [row] = benchDecisionQuality({ config, traces: [short], bothModes: false });
    expect(row).toMatchObject({ trace: family.name, part: 'held-out', engine: 'reactive (as configured)' });
  });
});
