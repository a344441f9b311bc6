/**
 * The wording of decision reasons. One sentence per decision, with the numbers an operator needs
 * to see why: the streak, the threshold, the latest demand, the time a cooldown ends.
 */

// Builtins read once into locals: the simulator runs this for every region every tick, and under a
// test runner's vm context (Jest) every read of a global (Number) is an interceptor call a hundred
// times slower than a local's.
const { isInteger } = Number;

/** Requests per minute as written in a reason: whole numbers plain, fractions to one decimal. */
export function rpm(value: number | null): string {
  if (value === null) return 'missing';
  return isInteger(value) ? `${value}` : value.toFixed(1);
}

/** "1 period" / "3 periods". */
export function periods(count: number): string {
  return count === 1 ? '1 period' : `${count} periods`;
}

/**
 * A UTC time as "14:05Z" when it falls on the same UTC day as `now`, else with its date
 * ("2026-11-26T14:05Z"); seconds only when there are any.
 */
export function utcClock(instant: number, now: number): string {
  const iso = new Date(instant).toISOString(); // 2026-11-25T14:05:30.000Z
  const seconds = iso.slice(17, 19);
  const clock = seconds === '00' ? iso.slice(11, 16) : iso.slice(11, 19);
  const sameDay = Math.floor(instant / 86_400_000) === Math.floor(now / 86_400_000);
  return sameDay ? `${clock}Z` : `${iso.slice(0, 10)}T${clock}Z`;
}
