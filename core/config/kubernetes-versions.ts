/**
 * The Kubernetes minor versions EKS offers and how long it supports each: what the config may
 * name in `cluster.kubernetesVersion`, which upgrades EKS can make (one minor per
 * UpdateClusterVersion, never down), and when a running cluster starts to cost extended-support
 * prices (about six times the standard control-plane price). Pure.
 *
 * Source: Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on EKS", section
 * "Amazon EKS Kubernetes release calendar"
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar);
 * 1.35's dates as EKS announced them at its release (endoflife.date/amazon-eks, from the same
 * calendar). Dates are UTC: extended-support billing starts at the beginning of the end-of-standard
 * -support day. When EKS releases a new minor, add its row here (and nothing else: the schema,
 * the upgrade checks and the support warnings all read this table).
 */

export interface KubernetesVersionDates {
  /** The minor version, "1.<minor>". */
  readonly version: string;
  /** The first day in extended support (billed at the extended price), YYYY-MM-DD, UTC. */
  readonly endOfStandardSupport: string;
  /** The day EKS stops offering the version and upgrades remaining control planes itself, YYYY-MM-DD, UTC. */
  readonly endOfExtendedSupport: string;
}

/** The EKS release calendar, oldest first. */
export const EKS_KUBERNETES_CALENDAR: readonly KubernetesVersionDates[] = [
  { version: '1.29', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23' },
  { version: '1.30', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
  { version: '1.31', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
];

/**
 * The day the calendar was last checked against the EKS page. Versions whose extended support
 * ended by then cannot be created any more, so the config may not name them; the list is fixed
 * at this date (not at the clock) so that a config valid today stays valid in tests tomorrow.
 */
export const CALENDAR_REVIEWED = '2026-11-29';

/** The versions a config may name: those EKS still offered when the calendar was reviewed. */
export const OFFERED_KUBERNETES_VERSIONS: readonly string[] = EKS_KUBERNETES_CALENDAR.filter(
  (entry) => entry.endOfExtendedSupport > CALENDAR_REVIEWED,
).map((entry) => entry.version);

const MINOR_VERSION = /^1\.(\d{1,3})$/;

/** The minor number of "1.<minor>", or undefined for anything else (a patch version, "2.0", ""). */
export function minorOf(version: string): number | undefined {
  const match = MINOR_VERSION.exec(version);
  return match ? Number(match[1]) : undefined;
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. Throws on what is not "1.<minor>". */
export function compareKubernetesVersions(a: string, b: string): number {
  const [left, right] = [minorOf(a), minorOf(b)];
  if (left === undefined || right === undefined)
    throw new RangeError(`expected Kubernetes minor versions such as "1.34", got "${a}" and "${b}"`);
  return left - right;
}

/** The minor after `version` ("1.33" → "1.34"): the only version UpdateClusterVersion moves a cluster to. */
export function nextMinor(version: string): string {
  const minor = minorOf(version);
  if (minor === undefined) throw new RangeError(`expected a Kubernetes minor version such as "1.34", got "${version}"`);
  return `1.${minor + 1}`;
}

/** Every version a cluster passes through from `from` to `to`, one minor at a time ("1.33" → "1.35": ["1.34", "1.35"]); empty when not newer. */
export function upgradePath(from: string, to: string): string[] {
  const path: string[] = [];
  for (let at = from; compareKubernetesVersions(at, to) < 0; at = nextMinor(at)) path.push(nextMinor(at));
  return path;
}

export function calendarEntry(version: string): KubernetesVersionDates | undefined {
  return EKS_KUBERNETES_CALENDAR.find((entry) => entry.version === version);
}

/** How close a cluster at `version` is to paying more: the autoscaler's metric and `kubecdn status` read this. */
export type SupportLevel = 'standard' | 'ending' | 'extended' | 'unsupported' | 'unknown';

export interface SupportWarning {
  readonly level: SupportLevel;
  /** Whole days until the end of standard support (negative once past it); null for a version not in the calendar. */
  readonly daysToEndOfStandardSupport: number | null;
  /** One line for an operator; empty for a version comfortably in standard support. */
  readonly message: string;
}

/** Within this many days of the end of standard support, a cluster is `ending`: time to plan the upgrade. */
export const SUPPORT_WARNING_DAYS = 60;

const DAY_MS = 86_400_000;
const startOfDay = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * Where a cluster at `version` stands on `now`: `standard` (nothing to do), `ending` (standard
 * support ends within SUPPORT_WARNING_DAYS), `extended` (billed at the extended price),
 * `unsupported` (past extended support: EKS upgrades the control plane by itself at a time of its
 * choosing) or `unknown` (a version this calendar does not list).
 */
export function supportWarning(version: string, now: Date): SupportWarning {
  const entry = calendarEntry(version);
  if (!entry)
    return {
      level: 'unknown',
      daysToEndOfStandardSupport: null,
      message: `Kubernetes ${version} is not in kubecdn's EKS release calendar (known: ${EKS_KUBERNETES_CALENDAR.map((e) => e.version).join(', ')})`,
    };
  const days = Math.floor((startOfDay(entry.endOfStandardSupport) - now.getTime()) / DAY_MS);
  if (now.getTime() >= startOfDay(entry.endOfExtendedSupport))
    return {
      level: 'unsupported',
      daysToEndOfStandardSupport: days,
      message: `Kubernetes ${version} left EKS extended support on ${entry.endOfExtendedSupport}: EKS upgrades the control plane itself at a time of its choosing; raise cluster.kubernetesVersion and deploy`,
    };
  if (now.getTime() >= startOfDay(entry.endOfStandardSupport))
    return {
      level: 'extended',
      daysToEndOfStandardSupport: days,
      message: `Kubernetes ${version} is in EKS extended support since ${entry.endOfStandardSupport} (about six times the standard control-plane price); raise cluster.kubernetesVersion and deploy`,
    };
  if (days <= SUPPORT_WARNING_DAYS)
    return {
      level: 'ending',
      daysToEndOfStandardSupport: days,
      message: `Kubernetes ${version} leaves EKS standard support on ${entry.endOfStandardSupport} (in ${days} day${days === 1 ? '' : 's'}); plan the upgrade`,
    };
  return { level: 'standard', daysToEndOfStandardSupport: days, message: '' };
}
