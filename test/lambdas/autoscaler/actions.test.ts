import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { RegionDecision } from '../../../core/autoscaler/types';
import { act, workflowInput, workflowReason } from '../../../lambdas/autoscaler/actions';
import { validateWorkflowInput } from '../../../lambdas/region-ops/workflow-input';
import { validConfig } from '../../support/configs';
import { awsError, START_ARN, STOP_ARN, TICK } from './fixtures';

const sfn = mockClient(SFNClient);
const deps = { sfn: new SFNClient({ region: 'us-east-1' }), stateMachines: { start: START_ARN, stop: STOP_ARN } };
const thresholds = validConfig().thresholds;
const decision = (region: string, action: RegionDecision['action'], dryRun = false): RegionDecision => ({
  region,
  action,
  reason: `${action} ${region}: demand 4000 rpm above 3000 for 3 periods`,
  phase: action === 'start' ? 'stopped' : 'running',
  demand: 4000,
  thresholds,
  dryRun,
});

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake((input: { name: string; stateMachineArn: string }) => ({
    executionArn: `${input.stateMachineArn}:${input.name}`,
    startDate: new Date(),
  }));
});

describe('acting on decisions', () => {
  it('starts StartRegion or StopRegion with {"region", "reason"} and a name showing region, action and time', async () => {
    const outcomes = await act(
      deps,
      [decision('eu-west-1', 'start'), decision('ap-northeast-1', 'stop'), decision('us-east-1', 'none')],
      TICK,
      false,
    );
    const calls = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      {
        stateMachineArn: START_ARN,
        name: 'start-eu-west-1-20261125T201000Z',
        input: JSON.stringify({ region: 'eu-west-1', reason: 'autoscaler: start eu-west-1: demand 4000 rpm above 3000 for 3 periods' }),
      },
      {
        stateMachineArn: STOP_ARN,
        name: 'stop-ap-northeast-1-20261125T201000Z',
        input: expect.stringContaining('"region":"ap-northeast-1"'),
      },
    ]);
    expect(outcomes.map((o) => [o.region, o.result])).toEqual([
      ['eu-west-1', 'started'],
      ['ap-northeast-1', 'started'],
    ]);
  });

  it('starts nothing in dry-run, from the config or from the decision, and says what it would have started', async () => {
    const fromConfig = await act(deps, [decision('eu-west-1', 'start')], TICK, true);
    const fromDecision = await act(deps, [decision('eu-west-1', 'stop', true)], TICK, false);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(fromConfig).toEqual([
      { region: 'eu-west-1', action: 'start', result: 'dry-run', executionName: 'start-eu-west-1-20261125T201000Z' },
    ]);
    expect(fromDecision[0]?.result).toBe('dry-run');
  });

  it('treats an execution this tick already started as started (a retried invocation)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const [outcome] = await act(deps, [decision('eu-west-1', 'start')], TICK, false);
    expect(outcome?.result).toBe('already-started');
  });

  it('still starts the other regions when one start fails, and reports the failure', async () => {
    sfn.on(StartExecutionCommand, { name: 'start-eu-west-1-20261125T201000Z' }).rejects(awsError('AccessDeniedException', 403));
    const outcomes = await act(deps, [decision('eu-west-1', 'start'), decision('ap-northeast-1', 'start')], TICK, false);
    expect(outcomes).toEqual([
      expect.objectContaining({ region: 'eu-west-1', result: 'failed', error: expect.stringMatching(/AccessDeniedException/) }),
      expect.objectContaining({ region: 'ap-northeast-1', result: 'started' }),
    ]);
  });

  it('keeps the reason to the one line of at most 256 characters the workflows accept', () => {
    expect(workflowReason('a\nb\tc')).toBe('a b c');
    expect(workflowReason('demand \u202Eup\u200B')).toBe('demand up');
    const long = workflowReason('x'.repeat(400));
    expect(long.length).toBe(256);
    expect(long.endsWith('…')).toBe(true);
  });

  it('stops an always-on region an operator pinned off with an input StopRegion accepts', () => {
    const config = validConfig();
    const input = workflowInput('us-east-1', 'stop', 'override', 'stopped: pinned off by override until 14:30Z');
    expect(input).toEqual({ region: 'us-east-1', force: true, reason: 'autoscaler: stopped: pinned off by override until 14:30Z' });
    expect(validateWorkflowInput(config, input, { operation: 'stop', lockSeconds: 60, nowMs: TICK })).toMatchObject({ force: true });
    expect(() =>
      validateWorkflowInput(config, workflowInput('us-east-1', 'stop', 'demand', 'quiet'), {
        operation: 'stop',
        lockSeconds: 60,
        nowMs: TICK,
      }),
    ).toThrow(/us-east-1 is always on/);
  });
});
