/**
 * Executes the synthesized StartRegion/StopRegion definitions with aws-local-stepfunctions:
 * each Lambda task runs the real region-ops handler (its AWS clients answered by the simulated
 * AWS), the DynamoDB lock tasks run against the simulated lock table and SNS publishes are
 * recorded. Waits and retry intervals take no real time; they move the simulated clock instead,
 * which is how resources progress and how the workflow's own overhead is measured.
 */
import type { Context } from 'aws-lambda';
import type { KubeCdnConfig } from '../../core/config';
import { constantsOfInlineCode } from '../../lib/function-factory';
import { WORKFLOW_NAMES, type WorkflowName } from '../../lib/naming';
import { CONFIG_CONSTANT } from '../../lambdas/shared/deployed-config';
import { AGENT_CONSTANT } from '../../lambdas/region-ops/edge-files';
import { controlTemplate } from './control-template';
import { ACCOUNT_ID, type SimulatedAws, type SimulatedCall } from './simulated-aws/world';
import { simulatedKubernetesApi, type KubernetesRequestLog } from './simulated-aws/kubernetes';
import { attributeValueProblem, evaluateCondition, type AttributeMap } from './simulated-aws/lock-table';
import { checkIntegrationRequest } from './aws-requests/integration-requests';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// aws-local-stepfunctions needs Promise.withResolvers (Node 22); the machine's own Node is 20.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// Loaded after the polyfill and the Powertools settings above.
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');
type StateMachineDefinition = ConstructorParameters<typeof StateMachine>[0];

// The workflows the harness runs: every state machine of the control stack.
export { WORKFLOW_NAMES, type WorkflowName } from '../../lib/naming';

const validated = new WeakSet<object>();

type SynthTemplate = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** Replaces CloudFormation intrinsics with the values they would have in the simulated account. */
function resolveIntrinsics(value: unknown, template: SynthTemplate): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, template));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    if (key === 'Fn::Join') {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((p) => resolveIntrinsics(p, template)).join(separator);
    }
    if (key === 'Ref') {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::Region': 'us-east-1',
        'AWS::AccountId': ACCOUNT_ID,
        'AWS::URLSuffix': 'amazonaws.com',
      };
      if (pseudo[arg as string]) return pseudo[arg as string];
      const type = template.Resources[arg as string]?.Type;
      if (type === 'AWS::SNS::Topic') return `arn:aws:sns:us-east-1:${ACCOUNT_ID}:${arg as string}`;
      if (type === 'AWS::StepFunctions::StateMachine') return `arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:${arg as string}`;
      return arg;
    }
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = arg as [string, string];
      const type = template.Resources[id]?.Type;
      if (attribute !== 'Arn') throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
      if (type === 'AWS::Lambda::Function') return `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:${id}`;
      if (type === 'AWS::IAM::Role') return `arn:aws:iam::${ACCOUNT_ID}:role/${id}`;
      if (type === 'AWS::DynamoDB::Table') return `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${id}`;
      throw new Error(`cannot resolve Fn::GetAtt of a ${type}`);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, template)]));
}

export interface SynthesizedWorkflows {
  readonly definitions: Record<WorkflowName, StateMachineDefinition>;
  /** The region-ops function's environment, as deployed (tokens resolved). */
  readonly regionOpsEnvironment: Record<string, string>;
  /** The config compiled into the region-ops function's code, as synthesized. */
  readonly regionOpsConfigText: string;
  /** Every constant compiled into the region-ops function's code (the config, the edge files), by name. */
  readonly regionOpsConstants: Record<string, string>;
  readonly template: SynthTemplate;
}

/**
 * aws-local-stepfunctions treats `"ResultPath": "$"` as a field named "$" instead of "replace the
 * input", which the ASL spec (and Step Functions) define it as; CDK writes it on every Catch.
 * Dropping it is the same instruction in the spec's default form.
 */
function normalizeWholeInputResultPaths(definition: { States: Record<string, Record<string, unknown>> }): void {
  for (const state of Object.values(definition.States)) {
    if (state.ResultPath === '$') delete state.ResultPath;
    for (const catcher of (state.Catch as Record<string, unknown>[] | undefined) ?? [])
      if (catcher.ResultPath === '$') delete catcher.ResultPath;
  }
}

/**
 * What the workflow tests compile into region-ops in place of the edge agent's bundle. The real
 * bundle is about 450 KB of minified JavaScript; hashing, cloning and relaying it through every
 * simulated apply took about a quarter of the workflow suites' time, and nothing in a workflow
 * depends on what the agent's code says. The bundle as built reaches a cluster in
 * test/workflows/edge-files.test.ts (`edgeAgent: 'as-built'`), and runs in test/edge.
 */
export const EDGE_AGENT_STAND_IN = "// the edge metrics agent's place in workflow tests\n";

export interface SynthesisOptions {
  /** Another set of workload manifests, e.g. the next version of the workload. */
  readonly manifestsDir?: string;
  /** `as-built` keeps the agent's real bundle in region-ops; by default a small stand-in replaces it. */
  readonly edgeAgent?: 'as-built' | 'stand-in';
}

export function synthesizeWorkflows(config: KubeCdnConfig, options: SynthesisOptions = {}): SynthesizedWorkflows {
  const template = controlTemplate(config, options.manifestsDir);
  const definitions = {} as Record<WorkflowName, StateMachineDefinition>;
  let regionOpsEnvironment: Record<string, string> | undefined;
  let regionOpsConfigText: string | undefined;
  let regionOpsConstants: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      const name = WORKFLOW_NAMES.find((n) => id.includes(n));
      if (!name) throw new Error(`the harness does not know the state machine ${id}`);
      const definition = JSON.parse(resolveIntrinsics(resource.Properties!.DefinitionString, template) as string) as StateMachineDefinition;
      normalizeWholeInputResultPaths(definition as never);
      definitions[name] = definition;
    }
    if (resource.Type === 'AWS::Lambda::Function' && id.includes('RegionOps')) {
      regionOpsEnvironment = resolveIntrinsics((resource.Properties!.Environment as { Variables: unknown }).Variables, template) as Record<
        string,
        string
      >;
      regionOpsConstants = constantsOfInlineCode((resource.Properties!.Code as { ZipFile: string }).ZipFile);
      if (options.edgeAgent !== 'as-built' && regionOpsConstants[AGENT_CONSTANT] !== undefined)
        regionOpsConstants = { ...regionOpsConstants, [AGENT_CONSTANT]: EDGE_AGENT_STAND_IN };
      regionOpsConfigText = regionOpsConstants[CONFIG_CONSTANT];
    }
  }
  if (WORKFLOW_NAMES.some((name) => !definitions[name]) || !regionOpsEnvironment)
    throw new Error('the control stack has no region workflows');
  if (regionOpsConfigText === undefined) throw new Error('the region-ops function has no config compiled in');
  return { definitions, regionOpsEnvironment, regionOpsConfigText, regionOpsConstants, template };
}

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}

interface TaskState {
  Type: string;
  Resource?: string;
  Seconds?: number;
  SecondsPath?: string;
  States?: Record<string, TaskState>;
  ItemProcessor?: { States: Record<string, TaskState> };
}

/** Every state, including those inside Map item processors (the interpreter looks handlers and waits up by state name). */
function allStates(states: Record<string, TaskState>): [string, TaskState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, TaskState],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
  ]);
}

export interface WorkflowRunResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** State names in the order they were entered. */
  readonly path: string[];
  /** State transitions as Step Functions bills them: states entered plus retries. */
  readonly transitions: number;
  /** Simulated time from start to end. */
  readonly elapsedMs: number;
  /** Simulated time spent in Wait states (poll intervals and the DNS TTL wait). */
  readonly waitedMs: number;
  readonly lambdaInvocations: number;
}

/** Simulated latencies of the workflow's own work (not the AWS operations it waits for). */
export const TASK_LATENCY_MS = { lambda: 400, dynamodb: 30, sns: 50, retryBase: 0 } as const;

export interface LambdaFault {
  readonly step: string;
  /**
   * `before`/`after`: the invocation times out before doing anything, or after doing its work
   * (the harder case for idempotency); `fail`: the step fails with a non-retryable error.
   */
  readonly when: 'before' | 'after' | 'fail';
  times: number;
  /** How many invocations of the step run unharmed first (a step a workflow calls more than once). */
  skip?: number;
}

/** A failure of a service-integration task (the lock table, the notification), as Step Functions reports it. */
export interface ServiceFault {
  readonly service: 'dynamodb' | 'sns';
  /** Only the task of this state name; any task of the service when absent. */
  readonly state?: string;
  /** The error name Step Functions gives the task's failure, e.g. DynamoDB.ProvisionedThroughputExceededException. */
  readonly error: string;
  /** `before`: the call fails without effect; `after`: it takes effect and its answer is lost (a timeout after the write). */
  readonly when: 'before' | 'after';
  times: number;
}

export class WorkflowHarness {
  readonly kubernetesRequests: KubernetesRequestLog[] = [];
  readonly lambdaFaults: LambdaFault[] = [];
  readonly serviceFaults: ServiceFault[] = [];
  readonly stepCalls: string[] = [];
  /** The AWS SDK calls the region-ops function made in this harness's executions (world.calls may hold others'). */
  readonly regionOpsCalls: SimulatedCall[] = [];
  /** Every Task the state machines ran (Lambda, DynamoDB, SNS, child executions), with its resolved parameters. */
  readonly integrationCalls: { workflow: WorkflowName; state: string; resource: string; input: unknown }[] = [];
  /** Executions started by other executions (RolloutWorkload's SyncRegion runs), in order of their end. */
  readonly childRuns: { workflow: WorkflowName; input: unknown; name?: string; result: WorkflowRunResult }[] = [];
  private executions = 0;
  private handler: ((event: unknown, context: Context) => Promise<unknown>) | undefined;

  constructor(
    readonly world: SimulatedAws,
    readonly config: KubeCdnConfig,
    readonly synthesized: SynthesizedWorkflows = synthesizeWorkflows(config),
  ) {
    // Kubernetes API calls carry the workflow role's token, whether region-ops makes them or the relay does for it.
    const principalArn = synthesized.regionOpsEnvironment.WORKFLOW_ROLE_ARN!;
    world.connectKubernetes = (target, from) =>
      simulatedKubernetesApi(world, target.endpoint, target.token, principalArn, this.kubernetesRequests, from);
  }

  private regionOps(): (event: unknown, context: Context) => Promise<unknown> {
    if (this.handler) return this.handler;
    // Imported here so the Powertools environment above applies.
    const { createRegionOpsHandler, regionClientCache } =
      require('../../lambdas/region-ops/handler') as typeof import('../../lambdas/region-ops/handler');
    const { deploymentFromEnvironment } =
      require('../../lambdas/region-ops/deployment') as typeof import('../../lambdas/region-ops/deployment');
    const { Route53Client } = require('@aws-sdk/client-route-53') as typeof import('@aws-sdk/client-route-53');
    const { clientOptions } = require('../../lambdas/shared/aws-clients') as typeof import('../../lambdas/shared/aws-clients');
    const { regionOpsEnvironment, regionOpsConfigText, regionOpsConstants } = this.synthesized;
    const deployment = deploymentFromEnvironment(regionOpsEnvironment, regionOpsConfigText, regionOpsConstants);
    const handler = createRegionOpsHandler(() => ({
      deployment,
      clientsFor: regionClientCache(),
      route53: new Route53Client(clientOptions('us-east-1')),
      kubernetes: (endpoint) => this.world.connectKubernetes!(endpoint, 'internet'),
      now: () => this.world.now,
    }));
    this.handler = handler as unknown as (event: unknown, context: Context) => Promise<unknown>;
    return this.handler;
  }

  /** Runs one execution to its end. `input` may be the exact `--input` string an operator types. */
  async run(workflow: WorkflowName, input: unknown, options: { executionName?: string } = {}): Promise<WorkflowRunResult> {
    this.executions += 1;
    const name = options.executionName ?? `${workflow}-${this.executions}`;
    const parsedInput = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
    const definition = this.synthesized.definitions[workflow];
    const startedAt = this.world.now;
    let waitedMs = 0;
    let lambdaInvocations = 0;
    const states = Object.fromEntries(allStates(definition.States as Record<string, TaskState>));
    const taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Type !== 'Task') continue;
      const handle = this.taskHandler(state, stateName, () => (lambdaInvocations += 1));
      taskHandlers[stateName] = (taskInput) => {
        this.integrationCalls.push({ workflow, state: stateName, resource: state.Resource!, input: taskInput });
        return handle(taskInput);
      };
    }
    const waitSeconds = (stateName: string): number => {
      const state = states[stateName];
      if (!state) return 0;
      if (state.Seconds !== undefined) return state.Seconds;
      if (state.SecondsPath === '$.input.recordTtlSeconds') return this.config.dns.recordTtlSeconds;
      throw new Error(`the harness does not know how long ${stateName} waits`);
    };
    // Proxies: the interpreter asks for an override each time it enters a Wait or retries a
    // state; answering 0 makes it instant, and the lookup is where simulated time passes.
    const waitTimeOverrides = new Proxy({} as Record<string, number>, {
      get: (_target, stateName) => {
        if (typeof stateName !== 'string') return undefined;
        const ms = waitSeconds(stateName) * 1000;
        waitedMs += ms;
        this.world.advance(ms);
        return 0;
      },
    });
    const retryIntervalOverrides = new Proxy({} as Record<string, number>, { get: (_t, key) => (typeof key === 'string' ? 0 : undefined) });

    // Validated (asl-validator, paths and ARNs) once per definition; runs reuse the result.
    if (!validated.has(definition)) {
      new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
      validated.add(definition);
    }
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const execution = machine.run(parsedInput as never, {
      overrides: { taskResourceLocalHandlers: taskHandlers as never, waitTimeOverrides, retryIntervalOverrides },
      context: {
        Execution: { Id: `arn:aws:states:us-east-1:${ACCOUNT_ID}:execution:${workflow}:${name}`, Name: name },
        State: { EnteredTime: new Date(this.world.now).toISOString() },
      } as never,
    });
    const path: string[] = [];
    let transitions = 0;
    const consume = (async () => {
      for await (const event of execution.eventLogs) {
        if (process.env.DEBUG_WORKFLOW && (event.type === 'StateExited' || event.type === 'StateFailed'))
          console.log(event.type, event.state.name, JSON.stringify(event.state.output ?? event).slice(0, 800));
        if (event.type === 'StateEntered') {
          path.push(event.state.name);
          transitions += 1;
        }
        if (event.type === 'StateRetried') transitions += 1;
      }
    })();
    let result: Omit<WorkflowRunResult, 'path' | 'transitions' | 'elapsedMs' | 'waitedMs' | 'lambdaInvocations'>;
    try {
      result = { status: 'SUCCEEDED', output: await execution.result };
    } catch (error) {
      const caught = error as { name: string; message: string; cause?: unknown };
      // ExecutionError wraps the state machine's error: its cause carries Error/Cause.
      const inner = (caught.cause ?? caught) as { name: string; message: string };
      result = { status: 'FAILED', error: inner.name, cause: inner.message };
    }
    await consume;
    return { ...result, path, transitions, elapsedMs: this.world.now - startedAt, waitedMs, lambdaInvocations };
  }

  /**
   * A task's handler: its call, any injected service fault around it, and the retry backoff.
   * Retry intervals take no real time; before a retry, the simulated clock moves by the mean
   * FULL-jitter backoff of the retrier that caught the last error (half the capped interval),
   * matched as Step Functions matches retriers: the first whose ErrorEquals names the error, or
   * States.ALL, or States.TaskFailed (any error but a timeout).
   */
  private taskHandler(
    state: TaskState & { Retry?: Retrier[] },
    stateName: string,
    countLambda: () => void,
  ): (input: unknown) => Promise<unknown> {
    const call = this.taskCall(state, stateName, countLambda);
    const resource = state.Resource!;
    const service = resource.startsWith('arn:aws:states:::dynamodb:')
      ? 'dynamodb'
      : resource.startsWith('arn:aws:states:::sns:')
        ? 'sns'
        : undefined;
    const matches = (retrier: Retrier, error: string) =>
      retrier.ErrorEquals.includes(error) ||
      retrier.ErrorEquals.includes('States.ALL') ||
      (retrier.ErrorEquals.includes('States.TaskFailed') && error !== 'States.Timeout');
    let failures: { error: string; count: number } | undefined;
    return async (input) => {
      if (failures) {
        const retrier = (state.Retry ?? []).find((r) => matches(r, failures!.error));
        if (retrier) {
          const interval = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** (failures.count - 1);
          this.world.advance((Math.min(interval, retrier.MaxDelaySeconds ?? Infinity) * 1000) / 2);
        }
      }
      try {
        const output = service ? await this.withServiceFault(service, stateName, () => call(input)) : await call(input);
        failures = undefined;
        return output;
      } catch (error) {
        const name = (error as Error).name;
        failures = { error: name, count: failures?.error === name ? failures.count + 1 : 1 };
        throw error;
      }
    };
  }

  /** A service-integration call with any injected fault around it. */
  private async withServiceFault(service: ServiceFault['service'], stateName: string, call: () => Promise<unknown>): Promise<unknown> {
    const fault = this.serviceFaults.find((f) => f.times > 0 && f.service === service && (!f.state || f.state === stateName));
    if (fault) fault.times -= 1;
    const failure = () => Object.assign(new Error(`${stateName}: injected ${fault!.error}`), { name: fault!.error });
    if (fault?.when === 'before') throw failure();
    const output = await call();
    if (fault?.when === 'after') throw failure();
    return output;
  }

  private taskCall(state: TaskState, stateName: string, countLambda: () => void): (input: unknown) => Promise<unknown> {
    const resource = state.Resource!;
    if (resource.startsWith('arn:aws:lambda:')) {
      return async (event) => {
        countLambda();
        this.world.advance(TASK_LATENCY_MS.lambda);
        return this.invokeRegionOps(event);
      };
    }
    if (resource.startsWith('arn:aws:states:::dynamodb:')) {
      return async (input) => {
        checkIntegrationRequest(resource, input);
        this.world.advance(TASK_LATENCY_MS.dynamodb);
        return this.lockTableCall(resource.split(':').pop()!, input as LockTableRequest, stateName);
      };
    }
    if (resource === 'arn:aws:states:::sns:publish') {
      return async (input) => {
        checkIntegrationRequest(resource, input);
        this.world.advance(TASK_LATENCY_MS.sns);
        const { TopicArn, Subject, Message, MessageAttributes } = input as {
          TopicArn: string;
          Subject?: string;
          Message: string;
          MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
        };
        if (!TopicArn?.startsWith('arn:aws:sns:')) throw new Error(`SNS publish without a topic ARN (${String(TopicArn)})`);
        if (Subject !== undefined && (Subject.length > 100 || /[\r\n]/.test(Subject))) {
          throw Object.assign(new Error('Invalid parameter: Subject'), { name: 'SNS.InvalidParameterException' });
        }
        const attributes = publishedAttributes(MessageAttributes);
        this.world.notifications.push({ topicArn: TopicArn, subject: Subject ?? '', message: Message, attributes });
        return { MessageId: `msg-${this.world.notifications.length}` };
      };
    }
    if (resource === 'arn:aws:states:::states:startExecution.sync:2') {
      // A child execution, run to its end like Step Functions' .sync integration does; a failed
      // child fails the task with States.TaskFailed and the child's DescribeExecution as cause.
      return async (input) => {
        checkIntegrationRequest(resource, input);
        const { StateMachineArn, Input, Name } = input as { StateMachineArn: string; Input: unknown; Name?: string };
        const child = WORKFLOW_NAMES.find((n) => StateMachineArn.split(':').pop()!.includes(n));
        if (!child) throw new Error(`${stateName}: no workflow for ${StateMachineArn}`);
        const result = await this.run(child, Input);
        this.childRuns.push({ workflow: child, input: Input, ...(Name !== undefined ? { name: Name } : {}), result });
        const described = { StateMachineArn, Status: result.status, Input: JSON.stringify(Input) };
        if (result.status === 'SUCCEEDED') return { ...described, Output: result.output };
        const cause = JSON.stringify({ ...described, Error: result.error, Cause: result.cause });
        throw Object.assign(new Error(cause), { name: 'States.TaskFailed' });
      };
    }
    throw new Error(`the harness cannot run Task ${stateName} with resource ${resource}`);
  }

  /** One region-ops invocation: the real handler, with any injected Lambda fault around it. */
  private async invokeRegionOps(event: unknown): Promise<unknown> {
    const step = (event as { step?: string }).step ?? '?';
    this.stepCalls.push(step);
    let fault = this.lambdaFaults.find((f) => f.times > 0 && f.step === step);
    // Taken at once: invocations of a Map's iterations run concurrently, and each fault is for `times` of them.
    if (fault?.skip) {
      fault.skip -= 1;
      fault = undefined;
    } else if (fault) fault.times -= 1;
    const timedOut = () => Object.assign(new Error('Task timed out after 120.00 seconds'), { name: 'Sandbox.Timedout' });
    if (fault?.when === 'fail') {
      throw Object.assign(new Error(`${step}: injected failure`), { name: 'RegionOperationFailed' });
    }
    if (fault?.when === 'before') {
      throw timedOut();
    }
    const context = {
      awsRequestId: `req-${this.stepCalls.length}`,
      functionName: 'RegionOps',
      getRemainingTimeInMillis: () => 120_000,
    } as unknown as Context;
    const from = this.world.calls.length;
    let output: unknown;
    try {
      output = await this.regionOps()(event, context);
    } finally {
      this.regionOpsCalls.push(...this.world.calls.slice(from));
    }
    if (fault?.when === 'after') {
      throw timedOut();
    }
    return output;
  }

  private lockTableCall(operation: string, request: LockTableRequest, stateName: string): unknown {
    const key = request.Key?.region?.S ?? request.Item?.region?.S;
    if (!key) throw new Error(`${stateName}: lock table request without a region key`);
    const malformed =
      attributeValueProblem(request.Item) ?? attributeValueProblem(request.Key) ?? attributeValueProblem(request.ExpressionAttributeValues);
    if (malformed) throw Object.assign(new Error(malformed), { name: 'DynamoDB.AmazonDynamoDBException' });
    const existing = this.world.lockItems.get(key);
    const conditionHolds = () =>
      request.ConditionExpression === undefined ||
      evaluateCondition(
        request.ConditionExpression,
        existing,
        request.ExpressionAttributeNames ?? {},
        request.ExpressionAttributeValues ?? {},
      );
    const conditionFailed = () =>
      Object.assign(new Error('The conditional request failed'), { name: 'DynamoDB.ConditionalCheckFailedException' });
    if (operation === 'putItem') {
      if (!conditionHolds()) throw conditionFailed();
      this.world.lockItems.set(key, structuredClone(request.Item!));
      return {};
    }
    if (operation === 'deleteItem') {
      if (!conditionHolds()) throw conditionFailed();
      this.world.lockItems.delete(key);
      return {};
    }
    if (operation === 'getItem') return existing ? { Item: structuredClone(existing) } : {};
    throw new Error(`${stateName}: the simulated lock table does not implement ${operation}`);
  }
}

interface LockTableRequest {
  TableName: string;
  Key?: AttributeMap;
  Item?: AttributeMap;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: AttributeMap;
}

/**
 * A Publish request's String attributes as SNS takes them (the request's shape is checked against
 * the SDK's schema first): SNS also refuses an attribute without a value, which no schema says.
 */
function publishedAttributes(attributes: Record<string, { DataType: string; StringValue?: string }> | undefined): Record<string, string> {
  const published: Record<string, string> = {};
  for (const [name, { DataType, StringValue }] of Object.entries(attributes ?? {})) {
    if (DataType !== 'String' || !StringValue)
      throw Object.assign(new Error(`Invalid parameter: Message attribute ${name} must have a DataType String and a non-empty value`), {
        name: 'SNS.InvalidParameterException',
      });
    published[name] = StringValue;
  }
  return published;
}
