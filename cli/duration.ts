/**
 * How long an override lasts, as an operator types it: whole days, hours and minutes in that
 * order ("30m", "2h", "1d", "1h30m"). Bounded to a week: an override is for an incident, a
 * launch or a test; what holds longer belongs in the config (alwaysOn, scalable, schedules), where
 * it is reviewed and deployed like the rest.
 */
import { InvalidArgumentError } from 'commander';

export const MAX_OVERRIDE_MS = 7 * 86_400_000;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** Milliseconds, or an InvalidArgumentError (a usage error naming the option) saying what is expected. */
export function overrideDuration(text: string): number {
  const match = /^(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?$/.exec(text.trim());
  const expected = 'expected a duration such as 30m, 2h, 1d or 1h30m (days, hours, minutes in that order)';
  if (!match || text.trim() === '') throw new InvalidArgumentError(`"${text}": ${expected}`);
  const [, days = '0', hours = '0', minutes = '0'] = match;
  const ms = Number(days) * UNIT_MS.d + Number(hours) * UNIT_MS.h + Number(minutes) * UNIT_MS.m;
  if (ms < UNIT_MS.m) throw new InvalidArgumentError(`"${text}": expected at least 1m`);
  if (ms > MAX_OVERRIDE_MS) {
    throw new InvalidArgumentError(
      `"${text}" is longer than the 7d an override may last; keep a region on or off for longer in the config`,
    );
  }
  return ms;
}

/** "1h30m", "2d", "45m": how long, as an operator would type it. */
export function durationWords(ms: number): string {
  const minutes = Math.round(ms / UNIT_MS.m);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const text = `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}`;
  return text || '0m';
}
