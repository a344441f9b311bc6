/**
 * Invariants of the decision engine over random configs, demand series and region states.
 * The tick simulation applies each decision the way the simulator does: a start or stop either
 * completes at once (lead time 0) or runs for a few ticks as an operation in flight.
 */
import fc from 'fast-check';
import { decide, type DecisionInput, type RegionDecision, type RegionPhase, type RegionStatus } from '../../../core/autoscaler';
import { DAYS_OF_WEEK, type KubeCdnConfig, thresholdsFor } from '../../../core/config';
import { validConfig } from '../../support/configs';

const MINUTE = 60_000;
/** Monday 2026-11-23 00:00 UTC; ticks run from here so schedules open and close during a run. */
const START = Date.parse('2026-11-23T00:00:00Z');
const POOL = ['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1', 'us-west-2', 'eu-central-1', 'ap-south-1', 'ap-southeast-1'];
const PHASES: RegionPhase[] = ['stopped', 'starting', 'running', 'stopping', 'standby', 'stranded', 'unknown'];

const clock = fc.integer({ min: 0, max: 47 }).map((half) => `${String(Math.floor(half / 2)).padStart(2, '0')}:${half % 2 ? '30' : '00'}`);

const scheduleSketch = fc.record({
  pick: fc.nat(),
  days: fc.oneof(
    fc.constantFrom('daily' as const, 'weekdays' as const, 'weekends' as const),
    fc.subarray([...DAYS_OF_WEEK], { minLength: 1 }),
  ),
  start: clock,
  end: clock,
  timeZone: fc.constantFrom('UTC', 'Asia/Tokyo', 'America/New_York', 'Europe/Berlin'),
});

/** A valid config over 2-8 regions (1-2 always on), thresholds with hysteresis, small caps, sometimes schedules. */
const configArb: fc.Arbitrary<KubeCdnConfig> = fc
  .record({
    regions: fc.shuffledSubarray(POOL, { minLength: 2, maxLength: 8 }),
    alwaysOnCount: fc.integer({ min: 1, max: 2 }),
    down: fc.integer({ min: 0, max: 4000 }),
    hysteresis: fc.integer({ min: 1, max: 4000 }),
    upPeriods: fc.integer({ min: 1, max: 4 }),
    downPeriods: fc.integer({ min: 1, max: 6 }),
    cooldown: fc.integer({ min: 0, max: 40 }),
    overrideCooldown: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    maxConcurrentOperations: fc.integer({ min: 1, max: 4 }),
    extraRunning: fc.integer({ min: 0, max: 6 }),
    warm: fc.boolean(),
    schedules: fc.array(scheduleSketch, { maxLength: 3 }),
  })
  .map((s) => {
    const alwaysOn = s.regions.slice(0, Math.min(s.alwaysOnCount, s.regions.length - 1));
    const scalable = s.regions.slice(alwaysOn.length);
    return validConfig((c) => {
      c.alwaysOn = alwaysOn;
      c.scalable = scalable;
      c.thresholds = {
        scaleUpRequestsPerMinute: s.down + s.hysteresis,
        scaleDownRequestsPerMinute: s.down,
        scaleUpPeriods: s.upPeriods,
        scaleDownPeriods: s.downPeriods,
        cooldownMinutes: s.cooldown,
        perRegion: s.overrideCooldown === undefined ? {} : { [scalable[0]!]: { cooldownMinutes: s.overrideCooldown } },
      };
      c.limits = { maxConcurrentOperations: s.maxConcurrentOperations, maxRunningRegions: alwaysOn.length + s.extraRunning };
      c.standby = s.warm ? { [scalable[0]!]: 'warm' } : {};
      c.schedules = s.schedules
        .filter((sketch) => sketch.start !== sketch.end)
        .map(({ pick, ...window }) => ({ region: scalable[pick % scalable.length]!, ...window }));
    });
  });

/** Demand as runs of one level (or of missing data), so streaks long enough to act on actually occur. */
const seriesArb = (length: number) =>
  fc
    .array(
      fc.record({ value: fc.option(fc.integer({ min: 0, max: 9000 }), { nil: null, freq: 6 }), run: fc.integer({ min: 1, max: 15 }) }),
      {
        minLength: 1,
        maxLength: 20,
      },
    )
    .map((runs) => {
      const series: (number | null)[] = [];
      for (let i = 0; series.length < length; i = (i + 1) % runs.length) {
        const { value, run } = runs[i]!;
        for (let k = 0; k < run && series.length < length; k++) series.push(value);
      }
      return series;
    });

const statusArb: fc.Arbitrary<RegionStatus> = fc.record(
  {
    phase: fc.constantFrom(...PHASES),
    operationInFlight: fc.constantFrom('start' as const, 'stop' as const),
    lastTransitionAt: fc.integer({ min: -90, max: 0 }).map((m) => START + m * MINUTE),
  },
  { requiredKeys: ['phase'] },
);

/** A single tick's input: any config, any states (including removed regions), windows long enough for the rules. */
const snapshotArb: fc.Arbitrary<DecisionInput> = configArb.chain((config) =>
  fc.record({
    config: fc.constant(config),
    now: fc.integer({ min: 0, max: 7 * 1440 }).map((m) => START + m * MINUTE),
    demand: fc.record(Object.fromEntries(POOL.map((r) => [r, seriesArb(8)]))),
    regions: fc.dictionary(fc.constantFrom(...POOL), statusArb, { maxKeys: POOL.length }),
  }),
);

function windowHasMissing(series: ReadonlyArray<number | null> | undefined, periods: number): boolean {
  if (!series) return true;
  return series.length < periods || series.slice(-periods).some((v) => v === null);
}

function countInFlight(regions: Readonly<Record<string, RegionStatus>>): number {
  return Object.values(regions).filter((s) => s.operationInFlight || s.phase === 'starting' || s.phase === 'stopping').length;
}

interface SimRegion {
  /** stranded: a cluster a start left half done; the tick simulation only ever begins with some, it never strands a region. */
  phase: 'stopped' | 'starting' | 'running' | 'stopping' | 'stranded';
  operation?: 'start' | 'stop';
  remaining: number;
  lastTransitionAt?: number;
}

interface Scenario {
  readonly config: KubeCdnConfig;
  readonly ticks: number;
  readonly leadTicks: number;
  readonly unreadableEvery: number | undefined;
  readonly initiallyRunning: readonly boolean[];
  /** Configured regions not running at first are stranded rather than stopped. */
  readonly initiallyStranded: readonly boolean[];
  readonly demand: Record<string, (number | null)[]>;
}

const TICKS = 90;
const scenarioArb: fc.Arbitrary<Scenario> = configArb.chain((config) =>
  fc.record({
    config: fc.constant(config),
    ticks: fc.constant(TICKS),
    leadTicks: fc.integer({ min: 0, max: 4 }),
    unreadableEvery: fc.option(fc.integer({ min: 3, max: 9 }), { nil: undefined }),
    initiallyRunning: fc.array(fc.boolean(), { minLength: POOL.length, maxLength: POOL.length }),
    initiallyStranded: fc.array(fc.boolean(), { minLength: POOL.length, maxLength: POOL.length }),
    demand: fc.record(Object.fromEntries(POOL.map((r) => [r, seriesArb(TICKS)]))),
  }),
);

interface TickRecord {
  readonly now: number;
  readonly input: DecisionInput;
  readonly decisions: RegionDecision[];
  /** After the decisions were applied. */
  readonly inFlight: number;
  readonly runningOrStarting: number;
}

/** Runs the engine tick by tick, applying every decision, and hands each tick to `check`. */
function simulate(scenario: Scenario, check: (tick: TickRecord, state: ReadonlyMap<string, SimRegion>) => void): void {
  const { config } = scenario;
  const configured = new Set([...config.alwaysOn, ...config.scalable]);
  const state = new Map<string, SimRegion>();
  // Start inside the running cap, with a region missing from the config possibly still running.
  let occupied = config.alwaysOn.length;
  POOL.forEach((region, i) => {
    const alwaysOn = config.alwaysOn.includes(region);
    const wantsRunning = scenario.initiallyRunning[i] === true;
    const down = scenario.initiallyStranded[i] === true ? 'stranded' : 'stopped';
    if (alwaysOn) state.set(region, { phase: wantsRunning ? 'running' : down, remaining: 0 });
    else if (wantsRunning && occupied < config.limits.maxRunningRegions) {
      occupied++;
      state.set(region, { phase: 'running', remaining: 0 });
    } else if (configured.has(region)) state.set(region, { phase: down, remaining: 0 });
  });
  const window = Math.max(config.thresholds.scaleUpPeriods, config.thresholds.scaleDownPeriods) + 1;

  for (let t = 0; t < scenario.ticks; t++) {
    const now = START + t * MINUTE;
    for (const region of state.values()) {
      if (region.operation && --region.remaining <= 0) {
        region.phase = region.operation === 'start' ? 'running' : 'stopped';
        region.lastTransitionAt = now;
        region.operation = undefined;
      }
    }
    const regions: Record<string, RegionStatus> = {};
    let i = 0;
    for (const [code, region] of state) {
      const unreadable = scenario.unreadableEvery !== undefined && (t + i++) % scenario.unreadableEvery === 0;
      regions[code] = {
        phase: unreadable ? 'unknown' : region.phase,
        operationInFlight: region.operation,
        lastTransitionAt: region.lastTransitionAt,
      };
    }
    const demand: Record<string, (number | null)[]> = {};
    for (const code of POOL) demand[code] = scenario.demand[code]!.slice(Math.max(0, t + 1 - window), t + 1);
    const input: DecisionInput = { config, now, demand, regions };
    const decisions = decide(input);

    for (const decision of decisions) {
      if (decision.action === 'none') continue;
      const region = state.get(decision.region)!;
      const starting = decision.action === 'start';
      if (scenario.leadTicks === 0) {
        region.phase = starting ? 'running' : 'stopped';
        region.lastTransitionAt = now;
      } else {
        region.phase = starting ? 'starting' : 'stopping';
        region.operation = decision.action;
        region.remaining = scenario.leadTicks;
      }
    }
    const all = [...state.values()];
    check(
      {
        now,
        input,
        decisions,
        inFlight: all.filter((r) => r.operation !== undefined).length,
        runningOrStarting: all.filter((r) => r.phase === 'running' || r.phase === 'starting').length,
      },
      state,
    );
  }
}

const RUNS = { numRuns: 150 };

describe('decision engine invariants', () => {
  it('never stops an always-on region', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const alwaysOn = new Set(scenario.config.alwaysOn);
        const stops: string[] = [];
        simulate(scenario, ({ now, decisions }) => {
          for (const d of decisions) if (alwaysOn.has(d.region) && d.action === 'stop') stops.push(`${d.region} at ${now}: ${d.reason}`);
        });
        expect(stops).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never stops a region within its cooldown after a start, and restarts one within it only on delivered demand', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        // Per region: when its last transition completed, and which it was.
        const last = new Map<string, { at: number; kind: 'start' | 'stop' }>();
        const flaps: string[] = [];
        simulate(scenario, ({ now, input, decisions }, state) => {
          for (const d of decisions) {
            const previous = last.get(d.region);
            if (d.action === 'none' || !previous) continue;
            const cooldownMinutes = thresholdsFor(scenario.config, d.region).cooldownMinutes;
            // After a stop, scaleUpPeriods delivered hot periods may restart a region at once: they are demand, not noise.
            const streak = input.demand[d.region]!.slice(-d.thresholds.scaleUpPeriods);
            const delivered =
              streak.length === d.thresholds.scaleUpPeriods &&
              streak.every((v) => v !== null && v >= d.thresholds.scaleUpRequestsPerMinute);
            if (d.action === 'start' && d.rule === 'demand' && previous.kind === 'stop' && delivered) continue;
            if (now - previous.at < cooldownMinutes * MINUTE) {
              flaps.push(
                `${d.region}: ${d.action} ${(now - previous.at) / MINUTE} min after its ${previous.kind} (cooldown ${cooldownMinutes})`,
              );
            }
          }
          for (const [code, region] of state) {
            if (region.lastTransitionAt !== undefined && last.get(code)?.at !== region.lastTransitionAt) {
              last.set(code, { at: region.lastTransitionAt, kind: region.phase === 'running' ? 'start' : 'stop' });
            }
          }
        });
        expect(flaps).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never has more operations running than the concurrency cap, nor more regions up than the running cap', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { maxConcurrentOperations, maxRunningRegions } = scenario.config.limits;
        let mostOperations = 0;
        let mostUp = 0;
        simulate(scenario, ({ inFlight, runningOrStarting, decisions }) => {
          // With instant transitions nothing stays in flight, so count what one tick launched.
          const operations = scenario.leadTicks > 0 ? inFlight : decisions.filter((d) => d.action !== 'none').length;
          mostOperations = Math.max(mostOperations, operations);
          mostUp = Math.max(mostUp, runningOrStarting);
        });
        expect(mostOperations).toBeLessThanOrEqual(maxConcurrentOperations);
        expect(mostUp).toBeLessThanOrEqual(maxRunningRegions);
      }),
      RUNS,
    );
  });

  it('decides no more actions than the concurrency cap leaves room for, whatever is already in flight', () => {
    fc.assert(
      fc.property(snapshotArb, (input) => {
        const actions = decide(input).filter((d) => d.action !== 'none').length;
        const room = Math.max(0, input.config.limits.maxConcurrentOperations - countInFlight(input.regions));
        expect(actions).toBeLessThanOrEqual(room);
      }),
      RUNS,
    );
  });

  // A stranded region serves nobody, so missing data protects no viewer there: it is stopped unless a rule wants it up.
  it('never stops a configured region that is not stranded when its scale-down window has a missing period', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const configured = new Set([...scenario.config.alwaysOn, ...scenario.config.scalable]);
        const stopsOnMissingData: string[] = [];
        simulate(scenario, ({ now, input, decisions }) => {
          for (const d of decisions) {
            if (d.action !== 'stop' || !configured.has(d.region) || d.phase === 'stranded') continue;
            if (windowHasMissing(input.demand[d.region], d.thresholds.scaleDownPeriods)) stopsOnMissingData.push(`${d.region} at ${now}`);
          }
        });
        expect(stopsOnMissingData).toEqual([]);
      }),
      RUNS,
    );
  });

  it('turns no decision into a stop when a period of its demand goes missing, unless the region is stranded', () => {
    fc.assert(
      fc.property(snapshotArb, fc.constantFrom(...POOL), fc.nat(), (input, region, position) => {
        // A stranded region always wants a start or a stop: a gap that breaks its start streak makes it a stop.
        if (input.regions[region]?.phase === 'stranded') return;
        const series = input.demand[region]!;
        const withGap = [...series];
        withGap[position % withGap.length] = null;
        const before = decide(input).find((d) => d.region === region);
        const after = decide({ ...input, demand: { ...input.demand, [region]: withGap } }).find((d) => d.region === region);
        if (before?.action !== 'stop') expect(after?.action).not.toBe('stop');
      }),
      RUNS,
    );
  });

  it('never leaves a stranded region as it is unless a guard holds it: it always wants a start or a stop', () => {
    fc.assert(
      fc.property(snapshotArb, (input) => {
        for (const d of decide(input)) {
          if (d.phase !== 'stranded') continue;
          if (d.action === 'none') {
            expect(['operation-in-flight', 'cooldown', 'concurrency-cap', 'running-cap']).toContain(d.heldBy);
          } else {
            expect(d.wanted).toBe(d.action);
            expect(d.dryRun).toBe(input.config.dryRun);
          }
          if (d.heldBy !== 'operation-in-flight') expect(['start', 'stop']).toContain(d.wanted);
        }
      }),
      RUNS,
    );
  });

  it('wants a stranded region started exactly when it would start it stopped, and stopped with rule "stranded" otherwise', () => {
    fc.assert(
      fc.property(snapshotArb, (input) => {
        const configured = new Set([...input.config.alwaysOn, ...input.config.scalable]);
        const asStopped: DecisionInput = {
          ...input,
          regions: Object.fromEntries(
            Object.entries(input.regions).map(([r, s]) => [r, s.phase === 'stranded' ? { ...s, phase: 'stopped' as const } : s]),
          ),
        };
        const stoppedWishes = new Map(decide(asStopped).map((d) => [d.region, d]));
        for (const d of decide(input)) {
          if (d.phase !== 'stranded' || !configured.has(d.region) || d.heldBy === 'operation-in-flight') continue;
          const same = stoppedWishes.get(d.region)!;
          if (same.wanted === 'start') expect({ wanted: d.wanted, rule: d.rule }).toEqual({ wanted: 'start', rule: same.rule });
          else expect({ wanted: d.wanted, rule: d.rule }).toEqual({ wanted: 'stop', rule: 'stranded' });
        }
      }),
      RUNS,
    );
  });

  it('gives the same decisions for the same inputs, whatever the key order and whatever was decided before', () => {
    fc.assert(
      fc.property(snapshotArb, snapshotArb, (input, other) => {
        const first = decide(input);
        decide(other);
        const reordered: DecisionInput = {
          config: input.config,
          now: input.now,
          demand: Object.fromEntries(Object.entries(structuredClone(input.demand)).reverse()),
          regions: Object.fromEntries(Object.entries(structuredClone(input.regions)).reverse()),
        };
        expect(decide(reordered)).toEqual(first);
        expect(decide(input)).toEqual(first);
      }),
      RUNS,
    );
  });
});
