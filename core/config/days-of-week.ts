/**
 * Days of the week as schedules name them. Apart from the schema so that the autoscaler, which
 * reads schedules from its deployed config, does not load the schema library at cold start.
 */

/** Days of the week, Monday first; schedules name them by these three-letter codes. */
export const DAYS_OF_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];
