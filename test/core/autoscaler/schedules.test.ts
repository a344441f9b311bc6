import fc from 'fast-check';
import { localMinuteOfWeek } from '../../../core/time/local-time';
import { compileSchedule, isInsideWindow, openWindow } from '../../../core/autoscaler/schedules';
import type { RegionSchedule } from '../../../core/config';

const at = (iso: string) => Date.parse(iso);

function window(schedule: Partial<RegionSchedule>) {
  return compileSchedule({ region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'Asia/Tokyo', ...schedule });
}

describe('keep-on windows', () => {
  const tokyoWorkday = window({});

  it('is open on a weekday morning in Tokyo even though it is still the previous day in UTC', () => {
    // Monday 2026-11-23 08:00 JST is Sunday 23:00 UTC.
    expect(isInsideWindow(tokyoWorkday, at('2026-11-22T23:00:00Z'))).toBe(true);
    expect(isInsideWindow(tokyoWorkday, at('2026-11-22T22:59:00Z'))).toBe(false);
  });

  it('closes at its end time (the end is exclusive)', () => {
    // Monday 19:59 and 20:00 JST.
    expect(isInsideWindow(tokyoWorkday, at('2026-11-23T10:59:00Z'))).toBe(true);
    expect(isInsideWindow(tokyoWorkday, at('2026-11-23T11:00:00Z'))).toBe(false);
  });

  it('stays closed on a weekend', () => {
    // Saturday 2026-11-28 12:00 JST.
    expect(isInsideWindow(tokyoWorkday, at('2026-11-28T03:00:00Z'))).toBe(false);
  });

  it('runs a window past midnight into the next day, counting it as the day it opened', () => {
    const fridayNight = window({ days: ['fri'], start: '22:00', end: '02:00', timeZone: 'UTC' });
    expect(isInsideWindow(fridayNight, at('2026-11-27T21:59:00Z'))).toBe(false); // Friday 21:59
    expect(isInsideWindow(fridayNight, at('2026-11-27T23:00:00Z'))).toBe(true); // Friday 23:00
    expect(isInsideWindow(fridayNight, at('2026-11-28T01:59:00Z'))).toBe(true); // Saturday 01:59
    expect(isInsideWindow(fridayNight, at('2026-11-28T02:00:00Z'))).toBe(false); // Saturday 02:00
    expect(isInsideWindow(fridayNight, at('2026-11-28T23:00:00Z'))).toBe(false); // Saturday 23:00: not a Friday
    expect(isInsideWindow(fridayNight, at('2026-11-27T01:00:00Z'))).toBe(false); // Friday 01:00: Thursday did not open it
  });

  it('treats 24:00 as the end of the day', () => {
    const allDay = window({ days: 'daily', start: '00:00', end: '24:00', timeZone: 'Europe/Dublin' });
    expect(isInsideWindow(allDay, at('2026-11-25T23:59:00Z'))).toBe(true);
    expect(isInsideWindow(allDay, at('2026-11-26T00:00:00Z'))).toBe(true);
  });

  it('follows daylight saving time: a 09:00 New York opening moves by an hour in UTC', () => {
    const newYork = window({ days: 'daily', start: '09:00', end: '17:00', timeZone: 'America/New_York' });
    // 13:00 UTC is 08:00 EST on Saturday 2026-03-07 and 09:00 EDT on Sunday 2026-03-08.
    expect(isInsideWindow(newYork, at('2026-03-07T13:00:00Z'))).toBe(false);
    expect(isInsideWindow(newYork, at('2026-03-08T13:00:00Z'))).toBe(true);
  });

  it('labels a window the way an operator wrote it', () => {
    expect(tokyoWorkday.label).toBe('weekdays 08:00-20:00 Asia/Tokyo');
    expect(window({ days: ['sat', 'sun'] }).label).toBe('sat,sun 08:00-20:00 Asia/Tokyo');
  });

  it('finds the open window among several, or none', () => {
    const weekend = window({ days: 'weekends', start: '10:00', end: '12:00' });
    const saturdayEleven = at('2026-11-28T02:00:00Z');
    expect(openWindow([tokyoWorkday, weekend], saturdayEleven)).toBe(weekend);
    expect(openWindow([tokyoWorkday, weekend], at('2026-11-28T12:00:00Z'))).toBeUndefined();
  });
});

describe('local time in a time zone', () => {
  const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

  function minuteOfWeekByIntl(timeZone: string, instant: number): number {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(instant);
    const get = (type: string) => parts.find((p) => p.type === type)!.value;
    return WEEKDAY_INDEX[get('weekday')]! * 1440 + Number(get('hour')) * 60 + Number(get('minute'));
  }

  // Half-hour and quarter-hour offsets and a half-hour daylight saving shift check the per-quarter-hour offset cache.
  const zones = [
    'UTC',
    'Asia/Tokyo',
    'America/New_York',
    'Europe/Dublin',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'America/St_Johns',
  ];

  it('agrees with Intl on the local weekday and minute for any instant, in any order of asking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('2024-01-01T00:00:00Z') / 60_000, max: Date.parse('2030-12-31T00:00:00Z') / 60_000 }),
        (timeZone, minute) => {
          const instant = minute * 60_000;
          expect(localMinuteOfWeek(timeZone, instant)).toBe(minuteOfWeekByIntl(timeZone, instant));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is right on both sides of a daylight saving change', () => {
    // Europe/Dublin moves from 01:00 UTC+0 to 02:00 UTC+1 at 01:00 UTC on Sunday 2026-03-29.
    const change = at('2026-03-29T01:00:00Z');
    for (const instant of [change - 60_000, change, change + 60_000]) {
      expect(localMinuteOfWeek('Europe/Dublin', instant)).toBe(minuteOfWeekByIntl('Europe/Dublin', instant));
    }
  });
});
