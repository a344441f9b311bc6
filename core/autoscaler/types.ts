/**
 * The decision engine's contract: what the autoscaler Lambda and the simulator hand it each tick,
 * and what it answers. Pure data, no AWS types, so both callers build it from their own sources.
 */
import type { KubeCdnConfig, RegionThresholds } from '../config';

/**
 * What a region is doing, as read this tick.
 * standby = warm standby: control plane kept, workload at zero, no DNS record (serves nobody).
 * stranded = cluster up without its DNS record and no workflow running, in a region whose standby mode is cold: a start
 *   left half done, or warm standby under a config that now says cold; bills and serves nobody. The engine starts it
 *   when a rule wants the region up (as for a stopped one) and stops it otherwise: it is never left as it is.
 * unknown = its state could not be read this tick: the engine holds it (no action) and still decides the others.
 */
export type RegionPhase = 'stopped' | 'starting' | 'running' | 'stopping' | 'standby' | 'stranded' | 'unknown';

export interface RegionStatus {
  readonly phase: RegionPhase;
  /**
   * A StartRegion/StopRegion execution is running for this region, or an UpgradeRegion one (a
   * Kubernetes upgrade, which holds the region lock: a start or stop would be refused until it ends).
   */
  readonly operationInFlight?: 'start' | 'stop' | 'upgrade';
  /** Epoch ms when the region's last start or stop completed (cooldown counts from here); undefined if never. */
  readonly lastTransitionAt?: number;
}

export interface DecisionInput {
  readonly config: KubeCdnConfig;
  /** Epoch ms of this tick; the only clock the engine reads. */
  readonly now: number;
  /**
   * Per region: requests per minute per period, oldest first, the last element the most recent complete period;
   * null = missing datapoint. May be shorter than needed or absent.
   */
  readonly demand: Readonly<Record<string, ReadonlyArray<number | null>>>;
  /**
   * Per region code: current status. Regions absent here are treated as 'stopped'.
   * Running regions NOT in the config must be stopped (they were removed from config).
   */
  readonly regions: Readonly<Record<string, RegionStatus>>;
  /**
   * Per region: an operator's temporary pin (kubecdn override). One whose `until` is not after `now`
   * is ignored, as is one for a region the config does not list. Absent: no overrides.
   */
  readonly overrides?: Readonly<Record<string, RegionOverride>>;
  /**
   * The overrides could not be read this tick: no region is stopped (a pinned-on region must not
   * be stopped because its pin went unseen); starts are decided as usual.
   */
  readonly overridesUnreadable?: boolean;
}

/** An operator's temporary pin on one region, which beats every rule until it lapses. */
export interface RegionOverride {
  /** on = keep it running (start it if down); off = keep it down (stop it if up). */
  readonly pin: 'on' | 'off';
  /** Epoch ms when the pin lapses; it is in force while now < until. */
  readonly until: number;
  /** The operator's words, quoted in the decision's reason; may be empty. */
  readonly reason: string;
}

export type DecisionAction = 'start' | 'stop' | 'none';

/**
 * Which rule asked for a start or stop: demand = the reactive streaks, forecast = config.prediction's anticipation,
 * stranded = a stranded region that no rule wants up is stopped, so that it stops billing,
 * override = an operator's pin (DecisionInput.overrides).
 */
export type DecisionRule = 'demand' | 'forecast' | 'always-on' | 'schedule' | 'removed-from-config' | 'stranded' | 'override';

/** Which guard held a region this tick. */
export type HoldCause =
  'unknown-state' | 'operation-in-flight' | 'transitioning' | 'cooldown' | 'concurrency-cap' | 'running-cap' | 'overrides-unreadable';

export interface RegionDecision {
  readonly region: string;
  readonly action: DecisionAction;
  /** A sentence an operator reads, with the numbers. */
  readonly reason: string;
  readonly phase: RegionPhase;
  /** Demand in the latest period (requests per minute), null when missing. */
  readonly demand: number | null;
  readonly thresholds: RegionThresholds;
  /** True when config.dryRun: the action is decided and logged but must not be executed. */
  readonly dryRun: boolean;
  /** What the rules asked for: equals action when acting; set with action 'none' when a guard held the region. */
  readonly wanted?: 'start' | 'stop';
  /** The rule behind `wanted`; for an override in force also when nothing is wanted, since the override keeps the region as it is. */
  readonly rule?: DecisionRule;
  /** The guard that turned a wanted action (or any action, for unknown and transitioning regions) into 'none'. */
  readonly heldBy?: HoldCause;
}
