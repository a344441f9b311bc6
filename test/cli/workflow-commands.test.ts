/**
 * start, stop, purge and rollout through the real binary, against a loopback stand-in for
 * CloudFormation and Step Functions (test/support/workflow-aws-stand-in.ts): the state machine is
 * found from the control stack's outputs, the input sent is one the workflow's own validator
 * accepts, and --wait follows the history to the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfigFile } from '../../core/config';
import { validatePurgeInput } from '../../lambdas/region-ops/purge-input';
import { validateRolloutInput } from '../../lambdas/region-ops/rollout-input';
import { validateUpgradeInput } from '../../lambdas/region-ops/upgrade-input';
import { validateWorkflowInput } from '../../lambdas/region-ops/workflow-input';
import { minimalConfigInput, writeConfigFile } from '../support/configs';
import { KUBECDN_BIN, runKubecdn } from '../support/run-kubecdn';
import { type StandInEvent, type StandInWorld, workflowAwsStandIn, workflowOutputs } from '../support/workflow-aws-stand-in';

jest.setTimeout(60_000);

const FAKE_AWS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_MAX_ATTEMPTS: '1' };
/** A home region other than the SDK's default, so a test sees the calls go there. */
const CONFIG = writeConfigFile({ ...minimalConfigInput(), homeRegion: 'eu-west-1' });
const T0 = Date.UTC(2026, 10, 29, 5, 0, 0) / 1000;

let world: StandInWorld;
let standIn: Awaited<ReturnType<typeof workflowAwsStandIn>>;

beforeEach(async () => {
  world = { outputs: workflowOutputs('eu-west-1'), history: [{ id: 1, type: 'ExecutionStarted', timestamp: T0 }], pageSize: 100 };
  standIn = await workflowAwsStandIn(world);
});
afterEach(() => standIn.close());

function kubecdn(...args: string[]) {
  return runKubecdn([...args, '--config', CONFIG], { env: { ...FAKE_AWS, AWS_ENDPOINT_URL: standIn.endpoint } });
}

function started(): { stateMachineArn: string; name: string; input: Record<string, unknown> } {
  const calls = standIn.requests.filter((r) => r.operation === 'StartExecution');
  expect(calls).toHaveLength(1);
  const { stateMachineArn, name, input } = calls[0]!.input as { stateMachineArn: string; name: string; input: string };
  return { stateMachineArn, name, input: JSON.parse(input) as Record<string, unknown> };
}

/** A history: each step entered `seconds` after the start, then the ending event. */
function history(steps: [string, number][], end: Record<string, unknown> & { type: string; timestamp: number }): StandInEvent[] {
  const events: StandInEvent[] = [{ id: 1, type: 'ExecutionStarted', timestamp: T0 }];
  for (const [name, seconds] of steps) {
    events.push({
      id: events.length + 1,
      previousEventId: events.length,
      type: 'TaskStateEntered',
      timestamp: T0 + seconds,
      stateEnteredEventDetails: { name },
    });
  }
  events.push({ ...end, id: events.length + 1, previousEventId: events.length });
  return events;
}

const config = loadConfigFile(CONFIG).config;

describe('kubecdn start', () => {
  it('starts StartRegion from the control stack in the home region with an input its validator accepts, and exits 0', async () => {
    const result = await kubecdn('start', 'ap-northeast-1', '--reason', 'launch week');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(standIn.requests.map((r) => [r.operation, r.region])).toEqual([
      ['DescribeStacks', 'eu-west-1'],
      ['StartExecution', 'eu-west-1'],
    ]);
    expect(standIn.requests[0]!.input).toEqual({ StackName: 'kubecdn-control' });
    const call = started();
    expect(call.stateMachineArn).toBe(workflowOutputs('eu-west-1').StartRegionStateMachineArn);
    expect(call.input).toEqual({ region: 'ap-northeast-1', reason: 'launch week' });
    expect(validateWorkflowInput(config, call.input, { operation: 'start', lockSeconds: 60, nowMs: Date.now() })).toMatchObject({
      region: 'ap-northeast-1',
      reason: 'launch week',
    });
    expect(call.name).toMatch(/^cli-StartRegion-ap-northeast-1-\d{8}T\d{6}Z-[a-z0-9]{4}$/);
    expect(result.stdout).toBe(
      `Started StartRegion: arn:aws:states:eu-west-1:123456789012:execution:kubecdn-StartRegion:${String(call.name)}\n` +
        `Follow it with: aws stepfunctions describe-execution --region eu-west-1 --execution-arn arn:aws:states:eu-west-1:123456789012:execution:kubecdn-StartRegion:${String(call.name)}\n`,
    );
  });

  it('with --wait prints a line per step entered, reading every page of the history, and the output on success', async () => {
    world.pageSize = 2;
    world.history = history(
      [
        ['ValidateInput', 1],
        ['CreateCluster', 65],
        ['ApplyWorkload', 725],
      ],
      {
        type: 'ExecutionSucceeded',
        timestamp: T0 + 800,
        executionSucceededEventDetails: { output: '{"region":"ap-northeast-1","serving":true}' },
      },
    );
    const result = await kubecdn('start', 'ap-northeast-1', '--wait');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(1)).toEqual([
      '  [0:01] ValidateInput',
      '  [1:05] CreateCluster',
      '  [12:05] ApplyWorkload',
      'StartRegion SUCCEEDED after 13:20.',
      'Output:',
      '{',
      '  "region": "ap-northeast-1",',
      '  "serving": true',
      '}',
      '',
    ]);
    expect(standIn.requests.filter((r) => r.operation === 'GetExecutionHistory').map((r) => r.input.nextToken)).toEqual([
      undefined,
      '2',
      '4',
    ]);
  });

  it('with --wait --json prints one object with the execution, its status and output', async () => {
    world.history = history([['ValidateInput', 1]], {
      type: 'ExecutionSucceeded',
      timestamp: T0 + 30,
      executionSucceededEventDetails: { output: '{"serving":true}' },
    });
    const result = await kubecdn('start', 'eu-west-1', '--wait', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      executionArn: expect.stringMatching(
        /^arn:aws:states:eu-west-1:123456789012:execution:kubecdn-StartRegion:cli-StartRegion-eu-west-1-/,
      ),
      name: expect.stringMatching(/^cli-StartRegion-eu-west-1-/),
      workflow: 'StartRegion',
      input: { region: 'eu-west-1' },
      status: 'SUCCEEDED',
      elapsedSeconds: 30,
      output: { serving: true },
    });
    expect(result.stderr).toContain('  [0:01] ValidateInput\n');
  });

  it('exits 2 with the nearest configured region for one the config does not list, sending nothing', async () => {
    const result = await kubecdn('start', 'ap-northaest-1');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error: "ap-northaest-1" is not a configured region (configured: us-east-1, eu-west-1, ap-northeast-1); did you mean "ap-northeast-1"?',
    );
    expect(standIn.requests).toEqual([]);
  });

  it('exits 1 saying the control stack is not deployed when CloudFormation does not know it', async () => {
    world.outputs = undefined;
    const result = await kubecdn('start', 'eu-west-1');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "kubecdn start: the control stack kubecdn-control in eu-west-1 (the config's homeRegion) is not deployed (npx cdk deploy), or the credentials are for another account\n",
    );
    expect(standIn.requests.map((r) => r.operation)).toEqual(['DescribeStacks']);
  });

  it('exits 1 naming the missing output when the deployed stack predates the workflow', async () => {
    world.outputs = { OperationsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:t' };
    const result = await kubecdn('start', 'eu-west-1');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has no output StartRegionStateMachineArn');
  });
});

describe('kubecdn stop', () => {
  it('with --wait exits 1 with the failing step, its error and cause', async () => {
    const cause = 'load balancer k8s-edge-1 still exists after 10 minutes';
    world.history = history(
      [
        ['ValidateInput', 1],
        ['DeleteLoadBalancer', 40],
      ],
      {
        type: 'TaskFailed',
        timestamp: T0 + 640,
        taskFailedEventDetails: { resource: 'invoke', resourceType: 'lambda', error: 'LoadBalancerStuck', cause },
      },
    );
    world.history.push(
      { id: 5, previousEventId: 4, type: 'FailStateEntered', timestamp: T0 + 641, stateEnteredEventDetails: { name: 'StopFailed' } },
      {
        id: 6,
        previousEventId: 5,
        type: 'ExecutionFailed',
        timestamp: T0 + 641,
        executionFailedEventDetails: { error: 'LoadBalancerStuck', cause },
      },
    );
    const result = await kubecdn('stop', 'eu-west-1', '--wait');
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').slice(1)).toEqual([
      '  [0:01] ValidateInput',
      '  [0:40] DeleteLoadBalancer',
      '  [10:41] StopFailed',
      '',
    ]);
    expect(result.stderr).toBe(
      `kubecdn stop: StopRegion FAILED after 10:41.\nFailed step: DeleteLoadBalancer: LoadBalancerStuck: ${cause}\n`,
    );
  });

  it('sends "force" for an always-on region with --force, and refuses it without (exit 2)', async () => {
    const refused = await kubecdn('stop', 'us-east-1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error: us-east-1 is always on; pass --force to stop it anyway');
    expect(standIn.requests).toEqual([]);

    const forced = await kubecdn('stop', 'us-east-1', '--force');
    expect(forced.code).toBe(0);
    const { input } = started();
    expect(input).toEqual({ region: 'us-east-1', force: true });
    expect(validateWorkflowInput(config, input, { operation: 'stop', lockSeconds: 60, nowMs: Date.now() }).force).toBe(true);
  });
  it('sends "decommission": true for --decommission, which StopRegion takes as a forced cold teardown', async () => {
    const result = await kubecdn('stop', 'us-east-1', '--decommission', '--reason', 'cleanup');
    expect(result.code).toBe(0);
    const { input } = started();
    expect(input).toEqual({ region: 'us-east-1', decommission: true, reason: 'cleanup' });
    expect(validateWorkflowInput(config, input, { operation: 'stop', lockSeconds: 60, nowMs: Date.now() })).toMatchObject({
      force: true,
      decommission: true,
      standby: 'cold',
    });
  });
});

describe('kubecdn purge', () => {
  it('sends the paths given, as PurgeCache takes them', async () => {
    const result = await kubecdn('purge', '/img/logo.png', '/css/*', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      workflow: 'PurgeCache',
      status: 'RUNNING',
      input: { paths: ['/img/logo.png', '/css/*'] },
    });
    const call = started();
    expect(call.stateMachineArn).toBe(workflowOutputs('eu-west-1').PurgeCacheStateMachineArn);
    expect(call.input).toEqual({ paths: ['/img/logo.png', '/css/*'] });
    expect(validatePurgeInput(config, call.input, { nowMs: Date.now() })).toMatchObject({ paths: ['/img/logo.png'], prefixes: ['/css/'] });
  });

  it('sends "everything": true for --everything', async () => {
    const result = await kubecdn('purge', '--everything', '--reason', 'bad deploy');
    expect(result.code).toBe(0);
    expect(started().input).toEqual({ everything: true, reason: 'bad deploy' });
  });

  it.each([
    [[], 'error: nothing to purge: give one or more paths, or --everything'],
    [['/a', '--everything'], 'error: give paths or --everything, not both'],
    [['/img/logo.png?v=2'], 'error: invalid PurgeCache input: $.paths[0]: "/img/logo.png?v=2" contains "?" or "#"'],
  ])('exits 2 for %j, sending nothing', async (args, message) => {
    const result = await kubecdn('purge', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(standIn.requests).toEqual([]);
  });
});

describe('kubecdn rollout', () => {
  it('sends the label and regions given, as RolloutWorkload takes them', async () => {
    const result = await kubecdn('rollout', '--label', 'v1.4.2', '--regions', 'eu-west-1,us-east-1');
    expect(result.code).toBe(0);
    const call = started();
    expect(call.stateMachineArn).toBe(workflowOutputs('eu-west-1').RolloutWorkloadStateMachineArn);
    expect(call.input).toEqual({ version: 'v1.4.2', regions: ['eu-west-1', 'us-east-1'] });
    expect(validateRolloutInput(config, call.input, { lockSeconds: 60, nowMs: Date.now() }).waves.flat()).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('sends an empty input by default: every configured region', async () => {
    expect((await kubecdn('rollout')).code).toBe(0);
    expect(started().input).toEqual({});
  });
});

describe('kubecdn upgrade', () => {
  it('sends the regions given, as UpgradeClusters takes them, naming the execution for the deployed version', async () => {
    const result = await kubecdn('upgrade', '--regions', 'ap-northeast-1,us-east-1', '--reason', 'halted at ap-northeast-1');
    expect(result.code).toBe(0);
    const call = started();
    expect(call.stateMachineArn).toBe(workflowOutputs('eu-west-1').UpgradeClustersStateMachineArn);
    expect(call.name).toMatch(/^cli-UpgradeClusters-1_35-/);
    expect(call.input).toEqual({ regions: ['ap-northeast-1', 'us-east-1'], reason: 'halted at ap-northeast-1' });
    expect(validateUpgradeInput(config, call.input, { lockSeconds: 60, nowMs: Date.now() }).waves).toEqual([
      ['ap-northeast-1'],
      ['us-east-1'],
    ]);
  });

  it('refuses a region the config does not name before calling AWS', async () => {
    const result = await kubecdn('upgrade', '--regions', 'eu-central-1');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('eu-central-1');
    expect(standIn.requests).toEqual([]);
  });
});

describe('following an execution', () => {
  it('exits 1 for a timed-out execution, naming the step it was in, not an earlier failure the workflow got past', async () => {
    world.history = history(
      [
        ['ValidateInput', 1],
        ['WaitForLoadBalancer', 5],
      ],
      {
        type: 'TaskFailed',
        timestamp: T0 + 10,
        taskFailedEventDetails: { resource: 'invoke', resourceType: 'lambda', error: 'Retryable', cause: 'throttled' },
      },
    );
    world.history.push(
      { id: 5, previousEventId: 4, type: 'TaskStateEntered', timestamp: T0 + 20, stateEnteredEventDetails: { name: 'ApplyWorkload' } },
      {
        id: 6,
        previousEventId: 5,
        type: 'ExecutionTimedOut',
        timestamp: T0 + 3600,
        executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'the execution ran past its timeout' },
      },
    );
    const result = await kubecdn('start', 'eu-west-1', '--wait', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'TIMED_OUT',
      elapsedSeconds: 3600,
      error: 'States.Timeout',
      cause: 'the execution ran past its timeout',
      failedStep: { name: 'ApplyWorkload', error: 'States.Timeout', cause: 'the execution ran past its timeout' },
    });
  });

  it('stops following on Ctrl-C, leaves the execution running and says how to follow it (exit 130)', async () => {
    world.history = [
      { id: 1, type: 'ExecutionStarted', timestamp: T0 },
      { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: T0 + 1, stateEnteredEventDetails: { name: 'ValidateInput' } },
    ];
    const child = spawn(process.execPath, [KUBECDN_BIN, 'start', 'eu-west-1', '--wait', '--config', CONFIG], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...FAKE_AWS,
        AWS_ENDPOINT_URL: standIn.endpoint,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ValidateInput')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(
      /^Stopped following; the execution keeps running\. Follow it with:\n {2}aws stepfunctions describe-execution --region eu-west-1 --execution-arn arn:aws:states:eu-west-1:123456789012:execution:kubecdn-StartRegion:cli-StartRegion-eu-west-1-\S+\n$/,
    );
  });
});

describe('start-up', () => {
  const preload = { NODE_OPTIONS: `--require ${join(__dirname, '..', 'support', 'report-sdk-loads.js')}` };

  it('loads the AWS SDK only for a command that calls AWS, not for validate or a refused workflow command', async () => {
    const validate = await runKubecdn(['validate', CONFIG], { env: preload });
    expect(validate.code).toBe(0);
    expect(validate.stderr).not.toContain('sdk-load:');
    const refused = await runKubecdn(['start', 'mars-north-1', '--config', CONFIG], { env: preload });
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain('sdk-load:');
    const start = await runKubecdn(['start', 'eu-west-1', '--config', CONFIG], {
      env: { ...preload, ...FAKE_AWS, AWS_ENDPOINT_URL: standIn.endpoint },
    });
    expect(start.code).toBe(0);
    expect(start.stderr).toContain('sdk-load: @aws-sdk/client-sfn');
  });
});

describe('kubecdn kubeconfig', () => {
  it("prints a kubeconfig for the region's cluster whose credential is aws eks get-token", async () => {
    world.clusters = { 'kubecdn-ap-northeast-1': { status: 'ACTIVE', endpointPublicAccess: true } };
    const result = await kubecdn('kubeconfig', 'ap-northeast-1');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(standIn.requests).toEqual([
      { operation: 'DescribeCluster', input: { name: 'kubecdn-ap-northeast-1' }, region: 'ap-northeast-1' },
    ]);
    const context = 'kubecdn-ap-northeast-1.ap-northeast-1';
    expect(parse(result.stdout)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: context,
          cluster: { server: 'https://kubecdn-ap-northeast-1.eks.example', 'certificate-authority-data': 'Q0EgZm9yIHRlc3Rz' },
        },
      ],
      users: [
        {
          name: context,
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: ['eks', 'get-token', '--region', 'ap-northeast-1', '--cluster-name', 'kubecdn-ap-northeast-1', '--output', 'json'],
              interactiveMode: 'Never',
            },
          },
        },
      ],
      contexts: [{ name: context, context: { cluster: context, user: context } }],
      'current-context': context,
    });
  });

  it('writes it to a file readable only by its owner, noting a private endpoint', async () => {
    world.clusters = { 'kubecdn-eu-west-1': { status: 'ACTIVE', endpointPublicAccess: false } };
    const out = join(mkdtempSync(join(tmpdir(), 'kubecdn-kubeconfig-')), 'eu.yaml');
    const result = await kubecdn('kubeconfig', 'eu-west-1', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "kubecdn kubeconfig: note: the API endpoint of kubecdn-eu-west-1 is private; kubectl reaches it only from inside the region's VPC\n",
    );
    expect(parse(readFileSync(out, 'utf8'))).toMatchObject({ 'current-context': 'kubecdn-eu-west-1.eu-west-1' });
    expect(statMode(out)).toBe(0o600);
  });

  it('exits 1 saying the region is stopped when it has no cluster, and when the cluster is not active', async () => {
    const stopped = await kubecdn('kubeconfig', 'eu-west-1');
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toBe(
      'kubecdn kubeconfig: eu-west-1 has no cluster kubecdn-eu-west-1: the region is stopped (kubecdn start eu-west-1)\n',
    );
    world.clusters = { 'kubecdn-eu-west-1': { status: 'CREATING', endpointPublicAccess: true } };
    const creating = await kubecdn('kubeconfig', 'eu-west-1');
    expect(creating.code).toBe(1);
    expect(creating.stderr).toContain('is CREATING, not ACTIVE');
  });

  it('exits 2 for a region the config does not list, asking AWS nothing', async () => {
    const result = await kubecdn('kubeconfig', 'eu-west-2');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"eu-west-2" is not a configured region');
    expect(standIn.requests).toEqual([]);
  });
});

function statMode(file: string): number {
  return statSync(file).mode & 0o777;
}

describe("README's Cleanup with the kubecdn command", () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Cleanup\n'), readme.indexOf('\n## ', readme.indexOf('## Cleanup\n') + 1));
  const [raw, cli] = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('sends each region the StopRegion input the AWS CLI form sends', async () => {
    const rawInput = /--input "((?:[^"\\]|\\.)*)"/.exec(raw!)![1]!.replace(/\\"/g, '"');
    const args = /npx kubecdn (stop "\$region" [^>]*?) >/.exec(cli!)![1]!.split(' ');
    // The same loop over the config's regions as the AWS CLI form.
    expect(/node -p "([^"]+)"/.exec(cli!)![1]).toBe(/node -p "([^"]+)"/.exec(raw!)![1]);
    for (const region of ['us-east-1', 'eu-west-1']) {
      standIn.requests.length = 0;
      world.history = history([], { type: 'ExecutionSucceeded', timestamp: T0 + 60, executionSucceededEventDetails: { output: '{}' } });
      const result = await kubecdn(...args.map((arg) => (arg === '"$region"' ? region : arg)));
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('StopRegion SUCCEEDED');
      expect(started().input).toEqual(JSON.parse(rawInput.replace(/\$region/g, region)));
    }
  });
});
