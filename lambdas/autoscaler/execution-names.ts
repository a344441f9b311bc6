/**
 * Names of the StartRegion/StopRegion executions the autoscaler starts: region, action and tick
 * time, readable in the console ("start-eu-west-1-20261125T200500Z"). Derived from the tick time
 * (the schedule event's time), so a retried invocation of the same tick asks for the same names
 * and Step Functions refuses the duplicates instead of starting a region twice. Also how the
 * region is read back from the UpgradeRegion executions UpgradeClusters starts.
 */
export type RegionAction = 'start' | 'stop';

/** Step Functions: at most 80 characters of letters, digits, "-" and "_". */
export const MAX_EXECUTION_NAME_LENGTH = 80;
const NAME = /^(start|stop)-([a-z]{2}(?:-[a-z]+)+-\d+)-(\d{8}T\d{6}Z)$/;

/**
 * UpgradeClusters names each UpgradeRegion it starts "upgrade-<region>-<UUID>" (built in the
 * state machine with States.Format: lib/cluster-upgrade-states.ts), so the autoscaler reads the
 * region of a running upgrade without a DescribeExecution. A UUID, not a time: Step Functions'
 * intrinsics give no time fit for a name, and the UUID's fixed length keeps the region readable.
 */
export const UPGRADE_EXECUTION_NAME_PREFIX = 'upgrade';
const UPGRADE_NAME = /^upgrade-([a-z]{2}(?:-[a-z]+)+-\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

/** The region of an UpgradeRegion execution UpgradeClusters named; undefined for other names (upgrades started by hand). */
export function parseUpgradeExecutionName(name: string): string | undefined {
  return UPGRADE_NAME.exec(name)?.[1];
}
