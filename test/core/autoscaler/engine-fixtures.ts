/** Shared helpers for the decision engine's tests: a config, a clock, demand series and lookups. */
import type { DecisionInput, RegionDecision, RegionStatus } from '../../../core/autoscaler';
import { decide } from '../../../core/autoscaler';
import { minimalConfigInput, validConfig } from '../../support/configs';

/** Wednesday 2026-11-25 12:00 UTC. */
export const NOW = Date.parse('2026-11-25T12:00:00Z');
export const MINUTE = 60_000;

/**
 * us-east-1 always on; eu-west-1 and ap-northeast-1 scalable; defaults otherwise:
 * start after 3 periods at or above 3000 rpm, stop after 15 below 1500, cooldown 30 minutes,
 * 3 concurrent operations, 8 running regions.
 */
export function engineConfig(change: (input: ReturnType<typeof minimalConfigInput>) => void = () => {}) {
  return validConfig(change);
}

/** `count` periods of the same demand. */
export function steady(value: number | null, count: number): (number | null)[] {
  return new Array<number | null>(count).fill(value);
}

export const running: RegionStatus = { phase: 'running' };
export const stopped: RegionStatus = { phase: 'stopped' };

export function decideOne(input: Partial<DecisionInput> & Pick<DecisionInput, 'regions'>, region: string): RegionDecision {
  const decisions = decide({ config: engineConfig(), now: NOW, demand: {}, ...input });
  const found = decisions.find((d) => d.region === region);
  if (!found) throw new Error(`no decision for ${region} in ${JSON.stringify(decisions.map((d) => d.region))}`);
  return found;
}

export function actionsOf(decisions: readonly RegionDecision[]): Record<string, string> {
  return Object.fromEntries(decisions.map((d) => [d.region, d.action]));
}
