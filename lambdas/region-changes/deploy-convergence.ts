/**
 * The deploy-time trigger that brings running regions in line with the deployed config (issue 6).
 * A custom resource whose properties are the region lists and the workload version: CloudFormation
 * updates it exactly when a deploy changes one of them, after the state machines (the construct
 * depends on them), and hands it the old properties beside the new. Then:
 *
 * - each region removed from both lists gets a StopRegion execution with `"removed": true`. This
 *   is the only thing that reaches a removed region in warm standby (no DNS record, so the
 *   autoscaler cannot see it); StopRegion "removed" converges to nothing left and is idempotent, so
 *   the autoscaler also draining a removed region it finds by its record does no harm (the region
 *   lock lets one run, the other finds nothing left or is refused by the lock);
 * - a changed workload version gets one RolloutWorkload execution to the new version;
 * - a raised `cluster.kubernetesVersion` gets one UpgradeClusters execution, which upgrades the
 *   running and warm-standby clusters one region and one minor at a time. A lowered one is refused
 *   before anything is started (EKS cannot downgrade a cluster): the deploy fails and CloudFormation
 *   rolls it back. Only a rollback may lower it (CloudFormation putting back the version of a
 *   deploy that failed elsewhere): the stack's status says which, and clusters already upgraded
 *   keep their version;
 * - added and moved regions, thresholds and schedules need nothing here: the autoscaler reads the
 *   new config on its next tick;
 * - one message to the operations topic says what was started and how to follow it.
 *
 * Execution names derive from the CloudFormation RequestId, so a retry of the same request
 * (CloudFormation's or Lambda's) finds the execution it started the first time instead of starting
 * a second one. The answer's `Summary` (region changes) and `Rollout` attributes become stack
 * outputs, which `cdk deploy` prints.
 */
import { createHash } from 'node:crypto';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { compareKubernetesVersions, OFFERED_KUBERNETES_VERSIONS } from '../../core/config/kubernetes-versions';
import { notificationAttributes } from '../shared/notification-attributes';
import { describeIssues } from '../shared/validated-event';
import {
  customResourceEventSchema,
  deployedProperties,
  deployProperties,
  type CustomResourceEvent,
  type CustomResourceResponse,
  type SendResponse,
} from './custom-resource';
import { compareRegionLists, describeRegionChanges, type RegionListChanges, type RegionLists } from './region-changes';

export interface DeployLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface DeployConvergenceDeps {
  /** The function's environment: PROJECT, ROLLOUT_STATE_MACHINE_ARN, STOP_REGION_STATE_MACHINE_ARN, UPGRADE_STATE_MACHINE_ARN, OPERATIONS_TOPIC_ARN. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The control stack's status (DescribeStacks): tells a rollback's lowered Kubernetes version from an operator's. */
  readonly stackStatus: (stackId: string) => Promise<string | undefined>;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly send: SendResponse;
  readonly log: DeployLog;
}

const stateMachineArn = z
  .string({ error: 'is required; expected a state machine ARN' })
  .check(z.regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, { error: 'expected a state machine ARN' }));

const environmentSchema = z.object({
  PROJECT: z.string({ error: 'is required; expected the project name' }).check(z.minLength(1, { error: 'expected the project name' })),
  ROLLOUT_STATE_MACHINE_ARN: stateMachineArn,
  STOP_REGION_STATE_MACHINE_ARN: stateMachineArn,
  UPGRADE_STATE_MACHINE_ARN: stateMachineArn,
  OPERATIONS_TOPIC_ARN: z
    .string({ error: 'is required; expected an SNS topic ARN' })
    .check(z.regex(/^arn:[\w-]+:sns:[\w-]+:\d{12}:[\w-]{1,256}$/, { error: 'expected an SNS topic ARN' })),
});
type Environment = z.infer<typeof environmentSchema>;

/** A problem with the event or the environment: answered FAILED with this message. */
class DeployInputError extends Error {
  override name = 'InvalidInput';
}

function parse<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DeployInputError(`invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

const ATTRIBUTE_LIMIT = 1000;
const truncate = (text: string, limit: number) => (text.length <= limit ? text : `${text.slice(0, limit - 3)}...`);

/** 8 hex characters that are the same for every retry of one CloudFormation request, and differ between requests (a rollback is a new request). */
const requestTag = (requestId: string) => createHash('sha256').update(requestId).digest('hex').slice(0, 8);

/** Step Functions names: 1-80 characters; region codes and workload versions use only characters it allows. */
export function stopExecutionName(region: string, requestId: string): string {
  return `removed-${region}-${requestTag(requestId)}`.slice(0, 80);
}

export function rolloutExecutionName(version: string, requestId: string): string {
  return `rollout-${version.slice(0, 63)}-${requestTag(requestId)}`;
}

export function upgradeExecutionName(kubernetesVersion: string, requestId: string): string {
  return `upgrade-${kubernetesVersion}-${requestTag(requestId)}`;
}

/** arn:...:stateMachine:<machine> + name -> arn:...:execution:<machine>:<name>, for an execution started by an earlier try. */
export function executionArnFor(machineArn: string, name: string): string {
  return `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

interface Started {
  readonly executionArn: string;
}
interface NotStarted {
  readonly error: string;
}
type StartResult = Started | NotStarted;

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Starts one execution; one this request already started (a retry) counts as started. Errors are the SDK's, after its own retries. */
async function startExecution(sfn: SFNClient, machineArn: string, name: string, input: object): Promise<StartResult> {
  try {
    const output = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify(input) }));
    return { executionArn: output.executionArn ?? executionArnFor(machineArn, name) };
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') return { executionArn: executionArnFor(machineArn, name) };
    return { error: describeError(error) };
  }
}

interface RolloutPlan {
  readonly from: string | undefined;
  readonly to: string;
  /** Absent when not attempted: a stop could not be started, so the deploy fails and rolls back anyway. */
  readonly result?: StartResult;
}

/** A raised (or, on a stack that never had one, unknown) Kubernetes version: one UpgradeClusters execution. */
interface UpgradePlan {
  readonly from: string | undefined;
  readonly to: string;
  /** Absent when not attempted: a stop could not be started, so the deploy fails and rolls back anyway. */
  readonly result?: StartResult;
}

interface Convergence {
  readonly changes: RegionListChanges;
  readonly regionLines: readonly string[];
  readonly stops: ReadonlyArray<{ readonly region: string; readonly result: StartResult }>;
  readonly rollout?: RolloutPlan;
  readonly upgrade?: UpgradePlan;
}

const follow = (arn: string) => `    follow: aws stepfunctions describe-execution --execution-arn ${arn}`;

function notStarted(convergence: Convergence): string[] {
  const failures = convergence.stops.flatMap(({ region, result }) =>
    'error' in result ? [`StopRegion for ${region} (${result.error})`] : [],
  );
  const rollout = convergence.rollout?.result;
  if (rollout && 'error' in rollout) failures.push(`RolloutWorkload to version ${convergence.rollout!.to} (${rollout.error})`);
  const upgrade = convergence.upgrade?.result;
  if (upgrade && 'error' in upgrade) failures.push(`UpgradeClusters to Kubernetes ${convergence.upgrade!.to} (${upgrade.error})`);
  return failures;
}

function subject(project: string, convergence: Convergence): string {
  const parts: string[] = [];
  const removed = convergence.stops.length;
  if (removed > 0) parts.push(`${removed} region${removed === 1 ? '' : 's'} removed`);
  const { addedAlwaysOn, addedScalable, movedToAlwaysOn, movedToScalable } = convergence.changes;
  if ([addedAlwaysOn, addedScalable, movedToAlwaysOn, movedToScalable].some((regions) => regions.length > 0))
    parts.push('regions added or moved');
  if (convergence.rollout)
    parts.push(convergence.rollout.result && 'executionArn' in convergence.rollout.result ? 'workload rolling out' : 'workload changed');
  if (convergence.upgrade)
    parts.push(
      convergence.upgrade.result && 'executionArn' in convergence.upgrade.result
        ? `clusters upgrading to ${convergence.upgrade.to}`
        : `Kubernetes ${convergence.upgrade.to}`,
    );
  const failed = notStarted(convergence).length;
  if (failed > 0) parts.push(`FAILED to start ${failed}, deploy rolls back`);
  // SNS: one line of ASCII, under 100 characters.
  return truncate(`${project} deploy: ${parts.join(', ')}`.replace(/[^\x20-\x7e]/g, ' '), 99);
}

function message(event: CustomResourceEvent, convergence: Convergence): string {
  const lines = [`A deploy of ${event.StackId} changed the config (CloudFormation request ${event.RequestId}).`, ''];
  if (convergence.regionLines.length > 0) lines.push('Region lists:', ...convergence.regionLines.map((line) => `  ${line}`), '');
  if (convergence.stops.length > 0) {
    lines.push('StopRegion started for each removed region ("removed": true):');
    for (const { region, result } of convergence.stops) {
      if ('executionArn' in result) lines.push(`  ${region}: ${result.executionArn}`, follow(result.executionArn));
      else lines.push(`  ${region}: NOT started: ${result.error}`);
    }
    lines.push('');
  }
  const rollout = convergence.rollout;
  if (rollout) {
    lines.push(`Workload: version ${rollout.from ?? 'unknown'} -> ${rollout.to}.`);
    if (!rollout.result) lines.push('  Roll-out NOT started: a stop could not be started, so this deploy fails and is rolled back.');
    else if ('executionArn' in rollout.result)
      lines.push(`  Rolling out to running regions: ${rollout.result.executionArn}`, follow(rollout.result.executionArn));
    else lines.push(`  Roll-out NOT started: ${rollout.result.error}`);
    lines.push('');
  }
  const upgrade = convergence.upgrade;
  if (upgrade) {
    lines.push(`Kubernetes: version ${upgrade.from ?? 'unknown'} -> ${upgrade.to}.`);
    if (!upgrade.result) lines.push('  Upgrade NOT started: a stop could not be started, so this deploy fails and is rolled back.');
    else if ('executionArn' in upgrade.result)
      lines.push(
        `  Upgrading running and warm-standby clusters, one region and one minor at a time: ${upgrade.result.executionArn}`,
        follow(upgrade.result.executionArn),
      );
    else lines.push(`  Upgrade NOT started: ${upgrade.result.error}`);
    lines.push('');
  }
  const failures = notStarted(convergence);
  if (failures.length > 0)
    lines.push(
      `Could not start: ${failures.join('; ')}.`,
      'The deploy answers FAILED, so CloudFormation rolls the stack back; its rollback starts what the previous config calls for.',
      '',
    );
  lines.push("Added and moved regions, thresholds and schedules take effect on the autoscaler's next tick.");
  return lines.join('\n');
}

async function publish(deps: DeployConvergenceDeps, environment: Environment, event: CustomResourceEvent, convergence: Convergence) {
  try {
    await deps.sns.send(
      new PublishCommand({
        TopicArn: environment.OPERATIONS_TOPIC_ARN,
        Subject: subject(environment.PROJECT, convergence),
        Message: message(event, convergence),
        // Routine deploys are info; one that could not start what it must fails and rolls back: an error.
        MessageAttributes: notificationAttributes(notStarted(convergence).length > 0 ? 'error' : 'info', 'deploy'),
      }),
    );
  } catch (error) {
    // The notice is for people; what the deploy started runs (and notifies) whether or not it arrives.
    deps.log.warn('could not publish the deploy notice to the operations topic', { error: describeError(error) });
  }
}

const toLists = (properties: { AlwaysOn: string[]; Scalable: string[] }): RegionLists => ({
  alwaysOn: properties.AlwaysOn,
  scalable: properties.Scalable,
});

type Answer =
  { readonly status: 'SUCCESS'; readonly data: Record<string, string> } | { readonly status: 'FAILED'; readonly reason: string };

async function converge(event: CustomResourceEvent, deps: DeployConvergenceDeps): Promise<Answer> {
  // A Delete reads nothing, so it can never be blocked by properties or settings it does not understand.
  if (event.RequestType === 'Delete') return { status: 'SUCCESS', data: { Summary: 'Deleted.', Rollout: 'Deleted.', Upgrade: 'Deleted.' } };
  const environment = parse(environmentSchema, deps.environment, 'function environment');
  const after = parse(deployProperties, event.ResourceProperties, 'ResourceProperties');
  if (event.RequestType === 'Create') {
    // No region runs before the first deploy, so there is nothing to stop or roll out.
    return {
      status: 'SUCCESS',
      data: {
        Summary: truncate(
          `First deploy: alwaysOn ${after.AlwaysOn.join(', ')}; scalable ${after.Scalable.join(', ') || 'none'}.`,
          ATTRIBUTE_LIMIT,
        ),
        Rollout: `First deploy: regions get workload version ${after.WorkloadVersion} when they start.`,
        Upgrade: `First deploy: clusters are created at Kubernetes ${after.KubernetesVersion}.`,
      },
    };
  }

  const before = parse(deployedProperties, event.OldResourceProperties, 'OldResourceProperties');
  // Before anything is started: a lowered version fails the deploy, unless CloudFormation itself is putting it back.
  const lowered =
    before.KubernetesVersion !== undefined && compareKubernetesVersions(after.KubernetesVersion, before.KubernetesVersion) < 0;
  if (lowered && !(await rollingBack(deps, event.StackId)))
    return {
      status: 'FAILED',
      reason:
        `cluster.kubernetesVersion ${after.KubernetesVersion} is lower than the deployed ${before.KubernetesVersion}: EKS cannot downgrade a cluster, ` +
        `so this deploy is refused and rolled back before anything was started. Keep ${before.KubernetesVersion} or raise it (EKS offers ${OFFERED_KUBERNETES_VERSIONS.join(', ')}).`,
    };
  const changes = compareRegionLists(toLists(before), toLists(after));
  const regionLines = describeRegionChanges(changes);

  const stops = await Promise.all(
    changes.removed.map(async (region) => ({
      region,
      result: await startExecution(deps.sfn, environment.STOP_REGION_STATE_MACHINE_ARN, stopExecutionName(region, event.RequestId), {
        region,
        removed: true,
        reason: 'removed from the config by a deploy',
      }),
    })),
  );

  let rollout: RolloutPlan | undefined;
  if (before.WorkloadVersion !== after.WorkloadVersion) {
    const plan = { from: before.WorkloadVersion, to: after.WorkloadVersion };
    // A stop that could not be started fails the deploy, whose rollback rolls the old version out: starting the new one first would only churn.
    const stopFailed = stops.some(({ result }) => 'error' in result);
    rollout = stopFailed
      ? plan
      : {
          ...plan,
          result: await startExecution(deps.sfn, environment.ROLLOUT_STATE_MACHINE_ARN, rolloutExecutionName(plan.to, event.RequestId), {
            version: plan.to,
            reason: `deploy: workload ${plan.from ?? 'unknown'} -> ${plan.to}`,
          }),
        };
  }

  let upgrade: UpgradePlan | undefined;
  const raised = before.KubernetesVersion === undefined || compareKubernetesVersions(after.KubernetesVersion, before.KubernetesVersion) > 0;
  if (raised) {
    const plan = { from: before.KubernetesVersion, to: after.KubernetesVersion };
    const stopFailed = stops.some(({ result }) => 'error' in result);
    upgrade = stopFailed
      ? plan
      : {
          ...plan,
          result: await startExecution(deps.sfn, environment.UPGRADE_STATE_MACHINE_ARN, upgradeExecutionName(plan.to, event.RequestId), {
            reason: `deploy: Kubernetes ${plan.from ?? 'unknown'} -> ${plan.to}`,
          }),
        };
  }

  const convergence: Convergence = { changes, regionLines, stops, rollout, upgrade };
  if (regionLines.length > 0 || rollout || upgrade) await publish(deps, environment, event, convergence);
  deps.log.info('deploy convergence', { convergence });

  const failures = notStarted(convergence);
  if (failures.length > 0) {
    // FAILED makes CloudFormation roll the stack back. The rollback is an Update of this resource
    // with the old properties, so it starts a roll-out of the old version: the regions converge to
    // what the rolled-back stack says. Stops already started are not undone; a region whose removal
    // is rolled back is back in the config, and the autoscaler starts it again if its rules say so.
    return {
      status: 'FAILED',
      reason: truncate(
        `Could not start ${failures.join('; ')}.${rollout && !rollout.result ? ` Roll-out to ${rollout.to} not attempted.` : ''}` +
          ` Started: ${startedList(convergence) || 'nothing'}.`,
        ATTRIBUTE_LIMIT,
      ),
    };
  }

  const rolloutStarted = rollout?.result && 'executionArn' in rollout.result ? rollout.result.executionArn : undefined;
  return {
    status: 'SUCCESS',
    data: {
      Summary: truncate(regionLines.length > 0 ? regionLines.join(' ') : 'No region list changed.', ATTRIBUTE_LIMIT),
      Rollout: truncate(
        rolloutStarted
          ? `Rolling out workload version ${after.WorkloadVersion} to running regions: ${rolloutStarted}`
          : `Workload unchanged (version ${after.WorkloadVersion}).`,
        ATTRIBUTE_LIMIT,
      ),
      Upgrade: truncate(upgradeSummary(after.KubernetesVersion, upgrade), ATTRIBUTE_LIMIT),
    },
  };
}

function upgradeSummary(version: string, upgrade: UpgradePlan | undefined): string {
  const started = upgrade?.result && 'executionArn' in upgrade.result ? upgrade.result.executionArn : undefined;
  return started
    ? `Upgrading running and warm-standby clusters to Kubernetes ${version}: ${started}`
    : `Kubernetes unchanged (version ${version}).`;
}

/** Whether CloudFormation is rolling the stack back (a lowered version is then its own undo, not an operator's downgrade). */
async function rollingBack(deps: DeployConvergenceDeps, stackId: string): Promise<boolean> {
  const status = await deps.stackStatus(stackId);
  return status !== undefined && status.includes('ROLLBACK');
}

function startedList(convergence: Convergence): string {
  const started = convergence.stops.flatMap(({ region, result }) =>
    'executionArn' in result ? [`StopRegion ${region} ${result.executionArn}`] : [],
  );
  const rollout = convergence.rollout?.result;
  if (rollout && 'executionArn' in rollout) started.push(`RolloutWorkload ${rollout.executionArn}`);
  const upgrade = convergence.upgrade?.result;
  if (upgrade && 'executionArn' in upgrade) started.push(`UpgradeClusters ${upgrade.executionArn}`);
  return started.join(', ');
}

/** Always answers CloudFormation (without an answer it waits an hour), FAILED when the event is not understood or something could not be started. */
export async function handleDeployConvergence(raw: unknown, deps: DeployConvergenceDeps): Promise<void> {
  // Without a ResponseURL there is nobody to answer: that throws, and the invocation fails.
  const event = customResourceEventSchema.parse(raw);
  const base = {
    PhysicalResourceId: event.PhysicalResourceId ?? `${deps.environment.PROJECT ?? 'kubecdn'}-region-changes`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  let answer: Answer;
  try {
    answer = await converge(event, deps);
  } catch (error) {
    answer = { status: 'FAILED', reason: truncate(describeError(error), ATTRIBUTE_LIMIT) };
  }
  const response: CustomResourceResponse =
    answer.status === 'SUCCESS' ? { ...base, Status: 'SUCCESS', Data: answer.data } : { ...base, Status: 'FAILED', Reason: answer.reason };
  await deps.send(event.ResponseURL, response);
}
