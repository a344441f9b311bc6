/**
 * Wall-clock time in an IANA time zone, fast enough to ask every simulated minute.
 *
 * Intl.DateTimeFormat is slow to build and formatToParts allocates, so each time zone keeps one
 * formatter and the UTC offset of the last 15-minute slot it was asked about. Every offset and
 * every transition in the time zone database since 1972 falls on a quarter hour, so the offset is
 * constant within a slot; it is measured at the slot's start so the answer depends only on the
 * instant asked about, never on what was asked before.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SLOT_MS = 15 * MINUTE_MS;
/** 1970-01-01 was a Thursday: with Monday as 0, day 0 is weekday 3. */
const EPOCH_WEEKDAY = 3;

interface ZoneCache {
  readonly formatter: Intl.DateTimeFormat;
  slot: number;
  offsetMs: number;
}

const zones = new Map<string, ZoneCache>();

function zoneCache(timeZone: string): ZoneCache {
  let cache = zones.get(timeZone);
  if (!cache) {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    cache = { formatter, slot: Number.NaN, offsetMs: 0 };
    zones.set(timeZone, cache);
  }
  return cache;
}

function measureOffset(formatter: Intl.DateTimeFormat, instant: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(instant)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return Date.UTC(year, month - 1, day, hour, minute) - instant;
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `timeZone` at that instant. */
export function utcOffsetMs(timeZone: string, instant: number): number {
  const cache = zoneCache(timeZone);
  const slot = Math.floor(instant / SLOT_MS);
  if (slot !== cache.slot) {
    cache.offsetMs = measureOffset(cache.formatter, slot * SLOT_MS);
    cache.slot = slot;
  }
  return cache.offsetMs;
}

/**
 * Minute of the local week at `instant`: 0 is Monday 00:00, 10079 is Sunday 23:59.
 * One number, so callers compare windows without allocating.
 */
export function localMinuteOfWeek(timeZone: string, instant: number): number {
  const local = instant + utcOffsetMs(timeZone, instant);
  const dayNumber = Math.floor(local / DAY_MS);
  const weekday = (((dayNumber + EPOCH_WEEKDAY) % 7) + 7) % 7;
  const minuteOfDay = Math.floor((local - dayNumber * DAY_MS) / MINUTE_MS);
  return weekday * 1440 + minuteOfDay;
}
