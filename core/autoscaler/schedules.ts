/**
 * Keep-on schedules: windows in which a scalable region is started if stopped and never stopped,
 * whatever its traffic. Compiled once per config (see config-view.ts) into minute numbers, so the
 * per-tick test is arithmetic.
 */
import type { RegionSchedule } from '../config';
import { DAYS_OF_WEEK, type DayOfWeek } from '../config/days-of-week';
import { localMinuteOfWeek } from '../time/local-time';

export interface KeepOnWindow {
  readonly region: string;
  readonly timeZone: string;
  /** Indexed Monday = 0: whether the window opens on that day. */
  readonly opensOn: readonly boolean[];
  /** Minutes after local midnight; the end is exclusive and may be 1440 ("24:00"). */
  readonly startMinute: number;
  readonly endMinute: number;
  /** As an operator would write it: "weekdays 08:00-20:00 Asia/Tokyo". */
  readonly label: string;
}

const WEEKDAYS: readonly DayOfWeek[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const WEEKENDS: readonly DayOfWeek[] = ['sat', 'sun'];

function daysOf(days: RegionSchedule['days']): readonly DayOfWeek[] {
  if (days === 'daily') return DAYS_OF_WEEK;
  if (days === 'weekdays') return WEEKDAYS;
  if (days === 'weekends') return WEEKENDS;
  return days;
}

function minuteOfDay(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

export function compileSchedule(schedule: RegionSchedule): KeepOnWindow {
  const days = new Set(daysOf(schedule.days));
  const daysLabel = typeof schedule.days === 'string' ? schedule.days : schedule.days.join(',');
  return {
    region: schedule.region,
    timeZone: schedule.timeZone,
    opensOn: DAYS_OF_WEEK.map((day) => days.has(day)),
    startMinute: minuteOfDay(schedule.start),
    endMinute: minuteOfDay(schedule.end),
    label: `${daysLabel} ${schedule.start}-${schedule.end} ${schedule.timeZone}`,
  };
}

/**
 * Whether `now` falls inside the window. A window whose end is before its start runs past midnight
 * and belongs to the day it opens: "fri 22:00-02:00" covers Friday 22:00 to Saturday 02:00.
 */
export function isInsideWindow(window: KeepOnWindow, now: number): boolean {
  const minuteOfWeek = localMinuteOfWeek(window.timeZone, now);
  const weekday = Math.floor(minuteOfWeek / 1440);
  const minute = minuteOfWeek - weekday * 1440;
  if (window.startMinute < window.endMinute) {
    return window.opensOn[weekday] === true && minute >= window.startMinute && minute < window.endMinute;
  }
  if (minute >= window.startMinute) return window.opensOn[weekday] === true;
  const previousDay = (weekday + 6) % 7;
  return minute < window.endMinute && window.opensOn[previousDay] === true;
}

/** The first of `windows` that is open at `now`, or undefined. */
export function openWindow(windows: readonly KeepOnWindow[], now: number): KeepOnWindow | undefined {
  for (const window of windows) if (isInsideWindow(window, now)) return window;
  return undefined;
}
