/**
 * The StartRegion and StopRegion executions since a time (the start of the month, for `kubecdn
 * status`), with the region each was for: from the autoscaler's names ("start-<region>-<time>"),
 * the command line's ("cli-StartRegion-<region>-<time>-<random>", cli/workflow-execution.ts), or
 * else the execution's input, as the autoscaler itself finds it (region-state-reader.ts).
 */
import type { ExecutionListItem, ListExecutionsCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionStatus, RegionExecution } from '../core/operations/region-cost-estimate';
import { parseExecutionName } from '../lambdas/autoscaler/execution-names';
import type { StateMachineArns } from '../lambdas/autoscaler/region-state-reader';

/** Pages read per state machine at most: 2,000 executions, far more than a month of starts and stops. */
const MAX_PAGES = 20;
/** Executions whose region only their input tells (started by hand with a generated name) described at most. */
const MAX_DESCRIBED = 50;

const CLI_NAME = /^cli-(?:StartRegion|StopRegion)-([a-z]{2}(?:-[a-z]+)+-\d+)-\d{8}T\d{6}Z-[A-Za-z0-9]+$/;

/** The region an execution name tells, or undefined for a name that does not (a generated UUID). */
export function regionOfName(name: string): string | undefined {
  return parseExecutionName(name)?.region ?? CLI_NAME.exec(name)?.[1];
}

export interface ExecutionHistory {
  readonly executions: readonly RegionExecution[];
  /** Executions whose region could not be told (beyond the describe budget, or an input without one). */
  readonly unattributed: number;
  /** True when the listing stopped at MAX_PAGES before reaching `since`. */
  readonly truncated: boolean;
}

export async function listRegionExecutions(sfn: SFNClient, arns: StateMachineArns, since: number): Promise<ExecutionHistory> {
  const { DescribeExecutionCommand, ListExecutionsCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const executions: RegionExecution[] = [];
  let unattributed = 0;
  let truncated = false;
  let described = 0;
  const regionOf = async (item: ExecutionListItem): Promise<string | undefined> => {
    const fromName = regionOfName(item.name ?? '');
    if (fromName || !item.executionArn || described >= MAX_DESCRIBED) return fromName;
    described += 1;
    const answer = await sfn.send(new DescribeExecutionCommand({ executionArn: item.executionArn }));
    try {
      const input = JSON.parse(answer.input ?? '{}') as { region?: unknown };
      return typeof input.region === 'string' ? input.region : undefined;
    } catch {
      return undefined;
    }
  };
  for (const action of ['start', 'stop'] as const) {
    let token: string | undefined;
    let pages = 0;
    do {
      const page: ListExecutionsCommandOutput = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: arns[action], maxResults: 100, nextToken: token }),
      );
      pages += 1;
      let reachedSince = false;
      // Newest first: the page that reaches back past `since` is the last one needed. Its older
      // executions are kept too: the last of them tells the state a region entered the month in.
      for (const item of page.executions ?? []) {
        const startMs = item.startDate ? new Date(item.startDate).getTime() : 0;
        if (startMs < since) reachedSince = true;
        const region = await regionOf(item);
        if (!region) {
          unattributed += 1;
          continue;
        }
        executions.push({
          action,
          region,
          name: item.name ?? '',
          status: (item.status ?? 'SUCCEEDED') as ExecutionStatus,
          startMs,
          ...(item.stopDate ? { stopMs: new Date(item.stopDate).getTime() } : {}),
        });
      }
      token = reachedSince ? undefined : page.nextToken;
      if (token && pages >= MAX_PAGES) {
        truncated = true;
        token = undefined;
      }
    } while (token);
  }
  return { executions, unattributed, truncated };
}
