/**
 * The engine's invariants with the forecast at work: series a day and more long, so the seasonal
 * forecast drives starts and stops, with random runs of demand and of missing data.
 */
import fc from 'fast-check';
import { decide, type DecisionInput, type RegionStatus } from '../../../core/autoscaler';
import type { KubeCdnConfig } from '../../../core/config';
import { validConfig } from '../../support/configs';

const MINUTE = 60_000;
const NOW = Date.parse('2026-11-25T12:00:00Z');
const DAY = 1440;
const LENGTH = DAY + 90;
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1'];

const configArb: fc.Arbitrary<KubeCdnConfig> = fc
  .record({
    down: fc.integer({ min: 0, max: 3000 }),
    hysteresis: fc.integer({ min: 1, max: 3000 }),
    downPeriods: fc.integer({ min: 1, max: 45 }),
    cooldown: fc.integer({ min: 0, max: 40 }),
    noiseMargin: fc.constantFrom(0, 1, 2, 3),
    startMargin: fc.constantFrom(0, 0.03, 0.2),
    weekly: fc.boolean(),
    warm: fc.boolean(),
  })
  .map((s) =>
    validConfig((c) => {
      c.alwaysOn = ['us-east-1'];
      c.scalable = ['eu-west-1', 'ap-northeast-1', 'sa-east-1'];
      c.thresholds = {
        scaleUpRequestsPerMinute: s.down + s.hysteresis,
        scaleDownRequestsPerMinute: s.down,
        scaleDownPeriods: s.downPeriods,
        cooldownMinutes: s.cooldown,
      };
      c.standby = s.warm ? { 'eu-west-1': 'warm' } : {};
      c.prediction = { enabled: true, weeklySeasonality: s.weekly, noiseMargin: s.noiseMargin, startMargin: s.startMargin };
    }),
  );

/** Runs of one level or of missing data, repeated to a day and 90 minutes. */
const seriesArb = fc
  .array(
    fc.record({ value: fc.option(fc.integer({ min: 0, max: 8000 }), { nil: null, freq: 8 }), run: fc.integer({ min: 1, max: 300 }) }),
    { minLength: 1, maxLength: 12 },
  )
  .map((runs) => {
    const series: (number | null)[] = [];
    for (let i = 0; series.length < LENGTH; i = (i + 1) % runs.length) {
      const { value, run } = runs[i]!;
      for (let k = 0; k < run && series.length < LENGTH; k++) series.push(value);
    }
    return series;
  });

const statusArb: fc.Arbitrary<RegionStatus> = fc.record(
  {
    phase: fc.constantFrom('stopped' as const, 'running' as const, 'standby' as const, 'stranded' as const),
    lastTransitionAt: fc.integer({ min: -90, max: 0 }).map((m) => NOW + m * MINUTE),
  },
  { requiredKeys: ['phase'] },
);

const inputArb: fc.Arbitrary<DecisionInput> = configArb.chain((config) =>
  fc.record({
    config: fc.constant(config),
    now: fc.constant(NOW),
    demand: fc.record(Object.fromEntries(REGIONS.map((r) => [r, seriesArb]))),
    regions: fc.record(Object.fromEntries(REGIONS.map((r) => [r, statusArb]))),
  }),
);

const RUNS = { numRuns: 80 };

describe('decision engine invariants with the forecast', () => {
  // A stranded region serves nobody and always wants a start or a stop, so missing data may turn its start into a stop.
  // A gap in the history may take the forecast's say away, and then the reactive rule decides as it would without prediction.
  it('turns no decision into a stop when any period of the demand goes missing, unless the reactive rule alone stops it then', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...REGIONS), fc.nat(), (input, region, position) => {
        if (input.regions[region]?.phase === 'stranded') return;
        const withGap = [...input.demand[region]!];
        withGap[position % withGap.length] = null;
        const gapped = { ...input, demand: { ...input.demand, [region]: withGap } };
        const before = decide(input).find((d) => d.region === region);
        const after = decide(gapped).find((d) => d.region === region);
        if (before?.action === 'stop' || after?.action !== 'stop') return;
        expect(after.rule).toBe('demand');
        const reactive = { ...gapped, config: { ...input.config, prediction: { ...input.config.prediction, enabled: false } } };
        expect(decide(reactive).find((d) => d.region === region)?.wanted).toBe('stop');
      }),
      RUNS,
    );
  });

  it('stops a running region on its reactive rule when a whole day of its history is missing', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.constantFrom('eu-west-1', 'ap-northeast-1', 'sa-east-1'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (input, region, share) => {
          const { scaleDownRequestsPerMinute: down } = input.config.thresholds;
          if (down === 0) return;
          // Quiet and complete for the last 90 periods, flat so that no noise margin can lift it; nothing before.
          const quiet = Math.floor(share * (down - 1));
          const series = [...new Array<number | null>(LENGTH - 90).fill(null), ...new Array<number | null>(90).fill(quiet)];
          const regions = { ...input.regions, [region]: { phase: 'running' as const } };
          const decision = decide({ ...input, regions, demand: { ...input.demand, [region]: series } }).find((d) => d.region === region)!;
          expect({ wanted: decision.wanted, rule: decision.rule }).toEqual({ wanted: 'stop', rule: 'demand' });
        },
      ),
      RUNS,
    );
  });

  it('never starts a stopped region on one period more than the same series without it would', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.constantFrom('eu-west-1', 'ap-northeast-1', 'sa-east-1'),
        fc.integer({ min: 0, max: 8000 }),
        fc.integer({ min: 0, max: 29 }),
        fc.integer({ min: 0, max: 200_000 }),
        (input, region, level, back, spike) => {
          // The last half hour flat, so the burst is the only thing in it; the day before as generated.
          const flat = [...input.demand[region]!];
          for (let i = flat.length - 30; i < flat.length; i++) flat[i] = level;
          const spiked = [...flat];
          spiked[spiked.length - 1 - back] = spike;
          const regions = { ...input.regions, [region]: { phase: 'stopped' as const } };
          const before = decide({ ...input, regions, demand: { ...input.demand, [region]: flat } }).find((d) => d.region === region)!;
          const after = decide({ ...input, regions, demand: { ...input.demand, [region]: spiked } }).find((d) => d.region === region)!;
          if (before.wanted !== 'start')
            expect({ wanted: after.wanted, reason: after.reason }).toEqual({ wanted: undefined, reason: after.reason });
        },
      ),
      RUNS,
    );
  });

  it('never stops a region that is not stranded with a gap in its last 30 periods or in its scale-down window', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const decision of decide(input)) {
          if (decision.action !== 'stop' || decision.phase === 'stranded') continue;
          const recent = input.demand[decision.region]!.slice(-Math.max(30, decision.thresholds.scaleDownPeriods));
          expect(recent).not.toContain(null);
        }
      }),
      RUNS,
    );
  });

  it('never stops the always-on region and acts within the cooldown only to start a stopped region on its demand streak', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const decision of decide(input)) {
          if (decision.action === 'none') continue;
          if (decision.action === 'stop') expect(decision.region).not.toBe('us-east-1');
          const last = input.regions[decision.region]?.lastTransitionAt;
          if (last === undefined || NOW - last >= decision.thresholds.cooldownMinutes * MINUTE) continue;
          expect({
            action: decision.action,
            rule: decision.rule,
            phase: decision.phase === 'standby' ? 'stopped' : decision.phase,
          }).toEqual({
            action: 'start',
            rule: 'demand',
            phase: 'stopped',
          });
          const streak = input.demand[decision.region]!.slice(-decision.thresholds.scaleUpPeriods);
          expect(streak.every((v) => v !== null && v >= decision.thresholds.scaleUpRequestsPerMinute)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('starts a stranded region on the forecast exactly when it would start it stopped, and otherwise stops it', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const asStopped = Object.fromEntries(
          Object.entries(input.regions).map(([r, s]) => [r, s.phase === 'stranded' ? { ...s, phase: 'stopped' as const } : s]),
        );
        const stoppedWishes = new Map(decide({ ...input, regions: asStopped }).map((d) => [d.region, d]));
        for (const d of decide(input)) {
          if (d.phase !== 'stranded') continue;
          const same = stoppedWishes.get(d.region)!;
          const expected = same.wanted === 'start' ? { wanted: 'start', rule: same.rule } : { wanted: 'stop', rule: 'stranded' };
          expect({ wanted: d.wanted, rule: d.rule }).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  it('starts no region with a higher start margin that it would not start with a lower one', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const withMargin = (startMargin: number): DecisionInput => ({
          ...input,
          config: { ...input.config, prediction: { ...input.config.prediction, startMargin } },
        });
        const lower = decide(withMargin(0));
        const higher = decide(withMargin(0.2));
        for (const decision of higher) {
          if (decision.action !== 'start') continue;
          // With the concurrency cap full, a start the lower margin outranked may get through the higher one's.
          if (lower.filter((d) => d.action !== 'none').length >= input.config.limits.maxConcurrentOperations) continue;
          expect({ region: decision.region, action: lower.find((d) => d.region === decision.region)?.action }).toEqual({
            region: decision.region,
            action: 'start',
          });
        }
      }),
      RUNS,
    );
  });

  it('gives the same decisions for the same inputs, whatever was decided before', () => {
    fc.assert(
      fc.property(inputArb, inputArb, (input, other) => {
        const first = decide(input);
        decide(other);
        expect(decide(structuredClone(input))).toEqual(first);
      }),
      { numRuns: 40 },
    );
  });
});
