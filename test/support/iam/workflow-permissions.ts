/**
 * Checks that the synthesized IAM policies allow every AWS call a workflow test made: the
 * region-ops Lambda's SDK calls (harness.regionOpsCalls) against the function's role, and each state
 * machine's service integrations (harness.integrationCalls) against that state machine's role.
 */
import type { WorkflowHarness, WorkflowName } from '../asl-runner';
import { ACCOUNT_ID } from '../simulated-aws/world';
import { describeRequest, PolicyChecker, type IamRequest } from './policy-checker';
import { sdkCallRequests } from './sdk-call-requests';
import { logicalId, roleOf, SIMULATED_REGION, topicKeyArn, type CfnTemplate } from './template-policies';

export interface IntegrationCall {
  readonly workflow: WorkflowName;
  readonly state: string;
  readonly resource: string;
  readonly input: unknown;
}

/** The rule Step Functions' .sync integrations use to learn that a child execution ended. */
const SYNC_EVENTS_RULE = `arn:aws:events:${SIMULATED_REGION}:${ACCOUNT_ID}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`;

/** What IAM authorizes, for the state machine's role, when a Task runs. */
export function integrationRequests(call: IntegrationCall, template: CfnTemplate): IamRequest[] {
  const input = call.input as Record<string, unknown>;
  const table = () => `arn:aws:dynamodb:${SIMULATED_REGION}:${ACCOUNT_ID}:table/${input.TableName as string}`;
  if (call.resource.startsWith('arn:aws:lambda:')) return [{ action: 'lambda:InvokeFunction', resource: call.resource }];
  switch (call.resource) {
    case 'arn:aws:states:::dynamodb:putItem':
      return [{ action: 'dynamodb:PutItem', resource: table() }];
    case 'arn:aws:states:::dynamodb:deleteItem':
      return [{ action: 'dynamodb:DeleteItem', resource: table() }];
    case 'arn:aws:states:::dynamodb:getItem':
      return [{ action: 'dynamodb:GetItem', resource: table() }];
    case 'arn:aws:states:::sns:publish': {
      const topic = input.TopicArn as string;
      // SNS encrypts the message with the topic's key on the publisher's behalf and authority.
      const key = topicKeyArn(template, topic);
      return [
        { action: 'sns:Publish', resource: topic },
        ...(key ? ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ action, resource: key })) : []),
      ];
    }
    case 'arn:aws:states:::states:startExecution.sync:2': {
      const machine = input.StateMachineArn as string;
      const execution = `${machine.replace(':stateMachine:', ':execution:')}:child-execution`;
      return [
        { action: 'states:StartExecution', resource: machine },
        // Waiting for the child (and stopping it if the parent is stopped) is part of .sync.
        { action: 'states:DescribeExecution', resource: execution },
        { action: 'states:StopExecution', resource: execution },
        ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource: SYNC_EVENTS_RULE })),
      ];
    }
    default:
      throw new Error(`no IAM mapping for the Task resource ${call.resource} (${call.workflow} ${call.state})`);
  }
}

export interface PermissionCheck {
  /** Distinct (role, action, resource, context) requests checked. */
  readonly distinctRequests: number;
  readonly denied: string[];
}

/** The role a workflow's calls are made with: the state machine's own, and the region-ops function's. */
export function workflowRoles(template: CfnTemplate): { regionOps: string; stateMachine: (workflow: WorkflowName) => string } {
  return {
    regionOps: roleOf(template, logicalId(template, 'AWS::Lambda::Function', 'RegionOps')),
    stateMachine: (workflow) => roleOf(template, logicalId(template, 'AWS::StepFunctions::StateMachine', workflow)),
  };
}

/** Every call the harness's executions made, decided against the synthesized policies the checker holds. */
export async function checkWorkflowCalls(harness: WorkflowHarness, checker: PolicyChecker): Promise<PermissionCheck> {
  const { template } = checker;
  const roles = workflowRoles(template);
  const requests: [string, IamRequest][] = [
    ...harness.regionOpsCalls.flatMap((call) => sdkCallRequests(call).map((r) => [roles.regionOps, r] as [string, IamRequest])),
    ...harness.integrationCalls.flatMap((call) =>
      integrationRequests(call, template).map((r) => [roles.stateMachine(call.workflow), r] as [string, IamRequest]),
    ),
  ];
  const distinct = new Map(requests.map(([role, request]) => [JSON.stringify([role, request]), [role, request] as const]));
  const denied: string[] = [];
  for (const [role, request] of distinct.values()) {
    const decision = await checker.decide(role, request);
    if (!decision.allowed) denied.push(`${decision.result}: ${describeRequest(role, request)}`);
  }
  return { distinctRequests: distinct.size, denied };
}
