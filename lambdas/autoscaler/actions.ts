/**
 * Acting on decisions: one StartExecution of StartRegion or StopRegion per region to change,
 * with input {"region", "reason"}, the shape operators also use by hand, plus "removed": true
 * for a region the config no longer lists (StopRegion accepts such a region only with it, and
 * tears it down cold), and "force": true for a region an operator pinned off (StopRegion refuses an
 * always-on region without it; for a scalable one it changes nothing). Dry-run starts nothing.
 */
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RegionDecision } from '../../core/autoscaler/types';
import { executionName } from './execution-names';
import type { StateMachineArns } from './region-state-reader';

export type ActionOutcome =
  | {
      readonly region: string;
      readonly action: 'start' | 'stop';
      readonly result: 'started';
      readonly executionArn: string;
      readonly executionName: string;
    }
  | { readonly region: string; readonly action: 'start' | 'stop'; readonly result: 'already-started'; readonly executionName: string }
  | { readonly region: string; readonly action: 'start' | 'stop'; readonly result: 'dry-run'; readonly executionName: string }
  | {
      readonly region: string;
      readonly action: 'start' | 'stop';
      readonly result: 'failed';
      readonly executionName: string;
      readonly error: string;
    };

/** The workflows accept one line of at most 256 characters, without control or invisible format characters, as the reason. */
export function workflowReason(reason: string): string {
  const oneLine = reason
    .replace(/\p{Cf}+/gu, '')
    .replace(/\p{Cc}+/gu, ' ')
    .trim();
  return oneLine.length <= 256 ? oneLine : `${oneLine.slice(0, 255)}…`;
}

/** The execution input, exactly what an operator would type for the same operation. */
export function workflowInput(
  region: string,
  action: 'start' | 'stop',
  rule: RegionDecision['rule'],
  reason: string,
): { region: string; removed?: true; force?: true; reason: string } {
  const removed = action === 'stop' && rule === 'removed-from-config';
  const force = action === 'stop' && rule === 'override';
  return {
    region,
    ...(removed ? { removed: true as const } : {}),
    ...(force ? { force: true as const } : {}),
    reason: workflowReason(`autoscaler: ${reason}`),
  };
}

export interface ActDeps {
  readonly sfn: SFNClient;
  readonly stateMachines: StateMachineArns;
}

/** Starts the executions the decisions ask for; one failing start does not keep the others from starting. */
export async function act(
  deps: ActDeps,
  decisions: readonly RegionDecision[],
  tickTime: number,
  dryRun: boolean,
): Promise<ActionOutcome[]> {
  const wanted = decisions.filter((d): d is RegionDecision & { action: 'start' | 'stop' } => d.action !== 'none');
  return Promise.all(
    wanted.map(async ({ region, action, reason, rule, dryRun: decidedDry }): Promise<ActionOutcome> => {
      const name = executionName(action, region, tickTime);
      if (dryRun || decidedDry) return { region, action, result: 'dry-run', executionName: name };
      try {
        // The client retries throttling itself (adaptive mode); a repeat with the same name is harmless.
        const started = await deps.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: deps.stateMachines[action],
            name,
            input: JSON.stringify(workflowInput(region, action, rule, reason)),
          }),
        );
        return { region, action, result: 'started', executionArn: started.executionArn ?? '', executionName: name };
      } catch (error) {
        // The same tick already started it (a retried invocation): that is the outcome we wanted.
        if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') {
          return { region, action, result: 'already-started', executionName: name };
        }
        return { region, action, result: 'failed', executionName: name, error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    }),
  );
}
