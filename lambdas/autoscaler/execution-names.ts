/**
 * Names of the StartRegion/StopRegion executions the autoscaler starts: region, action and tick
 * time, readable in the console ("start-eu-west-1-20261125T200500Z"). Derived from the tick time
 * (the schedule event's time), so a retried invocation of the same tick asks for the same names
 * and Step Functions refuses the duplicates instead of starting a region twice.
 */
export type RegionAction = 'start' | 'stop';

/** Step Functions: at most 80 characters of letters, digits, "-" and "_". */
export const MAX_EXECUTION_NAME_LENGTH = 80;
const NAME = /^(start|stop)-([a-z]{2}(?:-[a-z]+)+-\d+)-(\d{8}T\d{6}Z)$/;

function compactUtc(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export function executionName(action: RegionAction, region: string, tickTime: number): string {
  const name = `${action}-${region}-${compactUtc(tickTime)}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return name.slice(0, MAX_EXECUTION_NAME_LENGTH);
}

/** The region and action of a name this module made; undefined for other names (manual runs get UUIDs). */
export function parseExecutionName(name: string): { action: RegionAction; region: string } | undefined {
  const match = NAME.exec(name);
  return match ? { action: match[1] as RegionAction, region: match[2]! } : undefined;
}
