/**
 * A start's seasonal forecast at one lag, with every window it reads trimmed of its `trim` busiest
 * and `trim` quietest periods: the lag's level, and the window centred on each step ahead.
 *
 * A trimmed mean needs its window's values in order, so it costs a sort where an untrimmed one
 * costs an addition, and the simulator asks this of every stopped region every minute. A trimmed
 * window's mean depends only on where it lies in the series, and from one tick to the next a
 * growing series (the simulator's history) asks for the same windows shifted by one step, plus one
 * new window per lag; the windows a day-before-yesterday lag reads were those yesterday's read a
 * day earlier. So a series seen a second time gets a memo of the means by position, and each call
 * reads from it and computes only what it lacks. Any series can change between calls, so before
 * using the memo a call compares every value it would read with the value the memo saw there
 * (gaps included; -0 and 0 pass for each other, as they sum alike), and forgets every mean that
 * read a changed value. A memo mean is computed in the same order as a fresh one, so both give the
 * same bits, and the forecast gives the same answer with the memo or without it.
 *
 * A series seen once (the Lambda reads fresh arrays every tick) gets no memo: its windows slide,
 * their values kept sorted, one leaving and one entering each step.
 */
import type { DemandSeries } from './consecutive';

// Builtins read once into locals: the simulator runs these loops for every region every minute, and
// under a test runner's vm context (Jest) every read of a global (Math, Number, NaN, Infinity) is an
// interceptor call a hundred times slower than a local's.
const { max, min } = Math;
const numberIsNaN = Number.isNaN;
const NAN = Number.NaN;

/** The windows a trimmed lag reads, in periods (ForecastShape's). */
export interface TrimmedLagShape {
  readonly levelPeriods: number;
  readonly lagHalfWidth: number;
  readonly ratioFloor: number;
}

/**
 * What a forecast call reads its trimmed lags with: the series' memo, or nothing for a series seen
 * the first time. Asked once per forecast, before its lags, so that its lags do not count as
 * seeing the series again.
 */
export function trimmedLagReader(series: DemandSeries, shape: TrimmedLagShape, trim: number): TrimmedLagReader {
  return { series, shape, trim, memo: memoFor(series, shape, trim) };
}

export interface TrimmedLagReader {
  readonly series: DemandSeries;
  readonly shape: TrimmedLagShape;
  readonly trim: number;
  readonly memo: Memo | undefined;
}

/**
 * Raises ahead[1..horizon] to the lag's trimmed forecast: the trimmed mean centred on each step,
 * times today's level over the lag's trimmed level. A step whose window has too little left takes
 * the step before it. Returns the ratio, or 'skipped' when the lag's level window has too little.
 * The lag must lie wholly in the past over the horizon (lag > horizon + lagHalfWidth) and cover
 * the level window (series.length >= lag + levelPeriods).
 */
export function trimmedSeasonalInto(
  reader: TrimmedLagReader,
  ahead: Float64Array,
  lag: number,
  level: number,
  horizon: number,
): number | 'skipped' {
  const { series, shape, trim, memo } = reader;
  return memo
    ? memoisedInto(memo, ahead, series, lag, level, shape, horizon)
    : slidingInto(ahead, series, lag, level, shape, horizon, trim);
}

// Sort scratch, reused across calls: the engine is synchronous and never re-entered.
let windowScratch = new Float64Array(64);

function isGap(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined;
}

/** The memo's state of a position, and of a mean. */
const UNSEEN = 0;
const KNOWN = 1;
const MISSING = 2;
/** A mean's state: computed (KNOWN, in the means array) or with too little left (MISSING). */
const NOT_COMPUTED = UNSEEN;

interface Memo {
  readonly levelPeriods: number;
  readonly halfWidth: number;
  readonly trim: number;
  /** The value the memo's means read at each position, and whether it was a value, a gap or not read. */
  seen: Float64Array;
  seenState: Uint8Array;
  /** Trimmed mean of the window centred on each position, [c - halfWidth, c + halfWidth]. */
  stepMean: Float64Array;
  stepState: Uint8Array;
  /** Trimmed mean of the level window ending before each position, [e - levelPeriods, e - 1]. */
  levelMean: Float64Array;
  levelState: Uint8Array;
}

/** A series seen once is marked; seen again, it gets its memo. Weak: a series no caller holds takes its memo with it. */
const memos = new WeakMap<DemandSeries, Memo | 'seen-once'>();

function memoFor(series: DemandSeries, shape: TrimmedLagShape, trim: number): Memo | undefined {
  const found = memos.get(series);
  if (found === undefined) {
    memos.set(series, 'seen-once');
    return undefined;
  }
  // The same series read with other windows (another shape or trim) starts a memo for those.
  let memo = found === 'seen-once' ? undefined : found;
  if (!memo || memo.levelPeriods !== shape.levelPeriods || memo.halfWidth !== shape.lagHalfWidth || memo.trim !== trim) {
    memo = newMemo(shape, trim, series.length);
    memos.set(series, memo);
  }
  if (memo.seen.length < series.length) grow(memo, series.length);
  return memo;
}

function newMemo(shape: TrimmedLagShape, trim: number, length: number): Memo {
  // Room for a day of one-minute periods to come before the first doubling: the replay grows its history a period a tick.
  const capacity = length + 1440;
  return {
    levelPeriods: shape.levelPeriods,
    halfWidth: shape.lagHalfWidth,
    trim,
    seen: new Float64Array(capacity),
    seenState: new Uint8Array(capacity),
    stepMean: new Float64Array(capacity),
    stepState: new Uint8Array(capacity),
    levelMean: new Float64Array(capacity),
    levelState: new Uint8Array(capacity),
  };
}

function grow(memo: Memo, length: number): void {
  const capacity = max(length, memo.seen.length * 2);
  const floats = (old: Float64Array) => {
    const grown = new Float64Array(capacity);
    grown.set(old);
    return grown;
  };
  const states = (old: Uint8Array) => {
    const grown = new Uint8Array(capacity);
    grown.set(old);
    return grown;
  };
  memo.seen = floats(memo.seen);
  memo.seenState = states(memo.seenState);
  memo.stepMean = floats(memo.stepMean);
  memo.stepState = states(memo.stepState);
  memo.levelMean = floats(memo.levelMean);
  memo.levelState = states(memo.levelState);
}

function memoisedInto(
  memo: Memo,
  ahead: Float64Array,
  series: DemandSeries,
  lag: number,
  level: number,
  shape: TrimmedLagShape,
  horizon: number,
): number | 'skipped' {
  const n = series.length;
  const k = memo.halfWidth;
  const end = n - lag; // the level window ends before it; step h is centred on end + h - 1
  // Everything this lag reads: the level window and every step's window.
  check(memo, series, end - max(memo.levelPeriods, k), end + horizon + k);
  const then = levelAt(memo, series, end);
  if (numberIsNaN(then)) return 'skipped';
  const ratio = (level + shape.ratioFloor) / (then + shape.ratioFloor);
  let previous = NAN;
  for (let h = 1; h <= horizon; h++) {
    const centre = end + h - 1;
    if (memo.stepState[centre] === NOT_COMPUTED) computeStep(memo, series, centre);
    const mean = memo.stepState[centre] === KNOWN ? memo.stepMean[centre]! : previous;
    previous = mean;
    if (!numberIsNaN(mean)) ahead[h] = max(ahead[h]!, mean * ratio);
  }
  return ratio;
}

/**
 * Brings the memo's view of [from, to) up to the series: a position whose value changed since a
 * mean read it forgets every mean that read it. A position never seen was read by no mean.
 */
function check(memo: Memo, series: DemandSeries, from: number, to: number): void {
  const { seen, seenState } = memo;
  for (let i = max(0, from); i < to; i++) {
    const value = series[i];
    const state = seenState[i]!;
    if (isGap(value)) {
      if (state === MISSING) continue;
      if (state === KNOWN) forget(memo, i);
      seenState[i] = MISSING;
    } else {
      if (state === KNOWN && seen[i] === value) continue;
      if (state !== UNSEEN) forget(memo, i);
      seen[i] = value;
      seenState[i] = KNOWN;
    }
  }
}

/** Forgets the means that read position i: the step windows centred within halfWidth of it and the level windows ending after it. */
function forget(memo: Memo, i: number): void {
  const capacity = memo.seen.length;
  for (let c = max(0, i - memo.halfWidth); c <= min(capacity - 1, i + memo.halfWidth); c++) memo.stepState[c] = NOT_COMPUTED;
  for (let e = i + 1; e <= min(capacity - 1, i + memo.levelPeriods); e++) memo.levelState[e] = NOT_COMPUTED;
}

function computeStep(memo: Memo, series: DemandSeries, centre: number): void {
  const k = memo.halfWidth;
  const mean = trimmedMean(series, centre - k, centre + k, memo.trim);
  memo.stepState[centre] = numberIsNaN(mean) ? MISSING : KNOWN;
  memo.stepMean[centre] = mean;
}

function levelAt(memo: Memo, series: DemandSeries, end: number): number {
  if (memo.levelState[end] === NOT_COMPUTED) {
    memo.levelMean[end] = trimmedMean(series, end - memo.levelPeriods, end - 1, memo.trim);
    memo.levelState[end] = KNOWN;
  }
  return memo.levelMean[end]!;
}

/**
 * Mean of the known values in [from, to] without the `trim` busiest and `trim` quietest of them
 * (a symmetric trim keeps a steady ramp's centre where it was); NaN when fewer than half are
 * known or nothing would be left.
 */
function trimmedMean(series: DemandSeries, from: number, to: number, trim: number): number {
  const length = to - from + 1;
  if (windowScratch.length < length) windowScratch = new Float64Array(length);
  const kept = windowScratch;
  let known = 0;
  // Insertion sort as the values are read: the windows are a few dozen periods at most.
  for (let i = max(0, from); i <= to; i++) known = insertSorted(kept, known, series[i]);
  if (known * 2 < length || known <= 2 * trim) return NAN;
  let sum = 0;
  for (let i = trim; i < known - trim; i++) sum += kept[i]!;
  return sum / (known - 2 * trim);
}

/** The lag's forecast without a memo: the centred window slides one period a step, its known values kept sorted. */
function slidingInto(
  ahead: Float64Array,
  series: DemandSeries,
  lag: number,
  level: number,
  shape: TrimmedLagShape,
  horizon: number,
  trim: number,
): number | 'skipped' {
  const n = series.length;
  const then = trimmedMean(series, n - lag - shape.levelPeriods, n - lag - 1, trim);
  if (numberIsNaN(then)) return 'skipped';
  const ratio = (level + shape.ratioFloor) / (then + shape.ratioFloor);
  const k = shape.lagHalfWidth;
  const width = 2 * k + 1;
  if (windowScratch.length < width) windowScratch = new Float64Array(width);
  const kept = windowScratch;
  let known = 0;
  const first = n - lag - k; // the window of step 1: [first, first + 2k]
  for (let i = first; i < first + width; i++) known = insertSorted(kept, known, i >= 0 ? series[i] : undefined);
  let previous = NAN;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const leaving = first + h - 2;
      known = removeSorted(kept, known, leaving >= 0 ? series[leaving] : undefined);
      known = insertSorted(kept, known, series[leaving + width]);
    }
    let mean = previous;
    if (known * 2 >= width && known > 2 * trim) {
      let sum = 0;
      for (let i = trim; i < known - trim; i++) sum += kept[i]!;
      mean = sum / (known - 2 * trim);
    }
    previous = mean;
    if (!numberIsNaN(mean)) ahead[h] = max(ahead[h]!, mean * ratio);
  }
  return ratio;
}

/** Adds a known value to the first `known` sorted values of `kept`; returns the new count. */
function insertSorted(kept: Float64Array, known: number, value: number | null | undefined): number {
  if (isGap(value)) return known;
  let at = known;
  while (at > 0 && kept[at - 1]! > value) {
    kept[at] = kept[at - 1]!;
    at--;
  }
  kept[at] = value;
  return known + 1;
}

/** Takes a known value, which must be there, out of the first `known` sorted values of `kept`; returns the new count. */
function removeSorted(kept: Float64Array, known: number, value: number | null | undefined): number {
  if (isGap(value)) return known;
  let at = 0;
  while (kept[at] !== value) at++;
  for (; at < known - 1; at++) kept[at] = kept[at + 1]!;
  return known - 1;
}
