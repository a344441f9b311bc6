/**
 * The StartRegion and StopRegion definitions (Amazon States Language, built with CDK). Waits,
 * polls, retries, timeouts, the lock, rollback and notification live here; each Task is one
 * small idempotent step of the region-ops Lambda. Every poll loop has a counter (seeded by the
 * first step) and a bound; every failure after the lock is taken ends with the lock released and
 * a notification sent.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { KubernetesManifest } from '../lambdas/region-ops/kubernetes-manifests';
import type { RegionLockTable } from './region-lock-table';

export interface RegionStateMachineDefinitionProps {
  /** The region-ops function: every region step, chosen by the payload's `step`. */
  readonly regionOps: lambda.IFunction;
  readonly lock: RegionLockTable;
  readonly topic: sns.ITopic;
  /** The workload manifests, as read at synth; passed to the apply and scale-to-zero steps. */
  readonly manifests: readonly KubernetesManifest[];
  /** How long a lock is held at most; equal to the state machines' timeout. */
  readonly lockSeconds: number;
}

/** Errors of the Lambda service itself (not our code) that a repeat usually clears. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  // The function ran out of time (a slow AWS API): every step is idempotent, so run it again.
  'Sandbox.Timedout',
  'States.Timeout',
];
/** Raised by region-ops for throttling, 5xx and "not yet" conditions (see lambdas/shared/errors.ts). */
const RETRYABLE = 'Retryable';
const DYNAMODB_TRANSIENT_ERRORS = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.RequestLimitExceeded',
  'DynamoDB.InternalServerErrorException',
  'DynamoDB.AmazonDynamoDBException',
];
const CONDITIONAL_CHECK_FAILED = 'DynamoDB.ConditionalCheckFailedException';
/** The lock item that serializes changes to the CDN's record set (see guardRecordSet). */
const RECORD_SET_LOCK = 'dns-record-set';

/** The operations the workflows run; validateInput and report know each by this name. */
export type WorkflowOperation = 'start' | 'stop' | 'sync' | 'rollout';

/** Poll counters, all starting at zero, so each loop can count its own attempts. */
const POLL_COUNTERS = [
  'lockWait',
  'workloadRollout',
  'healthCheck',
  'restoreRollout',
  'cluster',
  'compute',
  'loadBalancer',
  'dnsChange',
  'teardownDnsChange',
  'loadBalancersGone',
  'nodegroups',
  'clusterDeletion',
  'networkStack',
];

export interface PollOptions {
  /** The task that checks (and, when idempotent, nudges) the resource; writes `{..., attempt}` to `$.<counter>`. */
  readonly check: sfn.State & sfn.INextable;
  readonly counter: string;
  readonly done: sfn.Condition;
  /** A state the check reports as final: `$.failure` gets `error` and `cause` (a fixed text, or a path into the check's result). */
  readonly failed?: { readonly when: sfn.Condition; readonly error: string; readonly cause?: string; readonly causePath?: string };
  /** Checked after the bound: where to go instead of waiting (e.g. back to the step that creates the resource). */
  readonly redirect?: { readonly when: sfn.Condition; readonly next: sfn.IChainable };
  readonly interval: Duration;
  readonly maxAttempts: number;
  readonly timeoutCause: string;
  /** Where a failed or timed-out poll goes, with `$.failure` set. */
  readonly onFailure: sfn.IChainable;
  /** Start with the wait (the previous step just started the change) or with the check. */
  readonly startWith: 'check' | 'wait' | 'choice';
}

/** Builds the states of one state machine inside `scope` (state names must be unique per machine). */
export class DefinitionBuilder {
  /** Set by validateInput: the lock wait validates again to read the clock. */
  private operation: WorkflowOperation = 'start';

  constructor(
    readonly scope: Construct,
    private readonly props: RegionStateMachineDefinitionProps,
  ) {}

  /** A region-ops step: payload = `{step, region, ...fields}`, result at `resultPath`, with retries. */
  step(
    id: string,
    step: string,
    fields: Record<string, unknown>,
    resultPath: string | undefined,
    options: { resultSelector?: Record<string, unknown> } = {},
  ): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this.scope, id, {
      lambdaFunction: this.props.regionOps,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: sfn.TaskInput.fromObject({ step, ...fields }),
      resultPath,
      resultSelector: options.resultSelector,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(3)),
    });
    task.addRetry({
      errors: LAMBDA_TRANSIENT_ERRORS,
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 4,
      maxDelay: Duration.seconds(30),
      jitterStrategy: sfn.JitterType.FULL,
    });
    task.addRetry({
      errors: [RETRYABLE],
      interval: Duration.seconds(10),
      backoffRate: 2,
      maxAttempts: 8,
      maxDelay: Duration.minutes(2),
      jitterStrategy: sfn.JitterType.FULL,
    });
    return task;
  }

  regionStep(id: string, step: string, fields: Record<string, unknown>, resultPath: string): tasks.LambdaInvoke {
    return this.step(id, step, { region: sfn.JsonPath.stringAt('$.input.region'), ...fields }, resultPath);
  }

  pollStep(id: string, step: string, counter: string, fields: Record<string, unknown> = {}): tasks.LambdaInvoke {
    return this.regionStep(id, step, { attempt: sfn.JsonPath.numberAt(`$.${counter}.attempt`), ...fields }, `$.${counter}`);
  }

  /** Sets `$.failure` like a caught error would, for conditions the workflow itself detects. */
  failure(id: string, error: string, cause: string, causePath?: string): sfn.Pass {
    const causeField = causePath ? { 'Cause.$': causePath } : { Cause: cause };
    return new sfn.Pass(this.scope, id, { parameters: { Error: error, ...causeField }, resultPath: '$.failure' });
  }

  /** check → choice → (done: next | failed | too many attempts | wait → check). Returns the entry state and a way to attach `next`. */
  poll(id: string, options: PollOptions): { entry: sfn.State; then: (next: sfn.IChainable) => void } {
    const choice = new sfn.Choice(this.scope, `${id}?`);
    const wait = new sfn.Wait(this.scope, `Wait: ${id}`, { time: sfn.WaitTime.duration(options.interval) });
    options.check.next(choice);
    wait.next(options.check);
    const entry = options.startWith === 'check' ? options.check : options.startWith === 'wait' ? wait : choice;
    return {
      entry,
      then: (next) => {
        choice.when(options.done, next);
        if (options.failed)
          choice.when(
            options.failed.when,
            this.failure(`${id}: failed`, options.failed.error, options.failed.cause ?? '', options.failed.causePath).next(
              options.onFailure,
            ),
          );
        choice.when(
          sfn.Condition.numberGreaterThanEquals(`$.${options.counter}.attempt`, options.maxAttempts),
          this.failure(`${id}: timed out`, 'PollTimeout', options.timeoutCause).next(options.onFailure),
        );
        if (options.redirect) choice.when(options.redirect.when, options.redirect.next);
        choice.otherwise(wait);
      },
    };
  }

  /** Validates the execution input and seeds `$` as `{input, <poll counters>}`; a rejection fails the execution at once. */
  validateInput(operation: WorkflowOperation): tasks.LambdaInvoke {
    this.operation = operation;
    const seeds = {
      ...Object.fromEntries(POLL_COUNTERS.map((counter) => [counter, { attempt: 0 }])),
      sweep: { leftovers: [] },
      clock: { 'nowEpochSeconds.$': '$.nowEpochSeconds' },
    };
    const task = this.step(
      'Validate input',
      'validateInput',
      { operation, input: sfn.JsonPath.stringAt('$$.Execution.Input'), lockSeconds: this.props.lockSeconds },
      // No ResultPath: the result replaces the raw input, whatever its shape (ResultPath "$" means the same in ASL).
      undefined,
      { resultSelector: { 'input.$': '$', ...seeds } },
    );
    // No lock is held yet and nothing was touched: fail with the validation's own error and cause.
    task.addCatch(new sfn.Fail(this.scope, 'Input rejected', { errorPath: '$.Error', causePath: '$.Cause' }), {
      errors: ['States.ALL'],
      resultPath: '$',
    });
    return task;
  }

  /**
   * Takes the region lock; a busy region fails naming the holder, at once or (with `waitIfBusy`)
   * after waiting that many times for the holder to finish: a sync that meets a start or stop
   * should follow it, not fail the roll-out.
   */
  acquireLock(waitIfBusy?: { readonly interval: Duration; readonly maxAttempts: number }): sfn.State & sfn.INextable {
    const acquire = this.props.lock.acquire(this.scope, 'Take region lock');
    acquire.addRetry({
      errors: DYNAMODB_TRANSIENT_ERRORS,
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: 5,
      jitterStrategy: sfn.JitterType.FULL,
    });
    const busy = new sfn.Fail(this.scope, 'Region busy', { error: 'RegionBusy', causePath: '$.busy.cause' });
    const describeHolder = new sfn.Pass(this.scope, 'Name the lock holder', {
      parameters: {
        'cause.$':
          "States.Format('{} is busy: {} of {} by execution {} holds its lock (reason: {}), until epoch second {} at the latest', $.input.region, $.lock.Item.operation.S, $.input.region, $.lock.Item.holder.S, $.lock.Item.reason.S, $.lock.Item.expiresAt.N)",
      },
      resultPath: '$.busy',
    }).next(busy);
    const releasedMeanwhile = new sfn.Pass(this.scope, 'Lock released meanwhile', {
      parameters: { 'cause.$': "States.Format('{} was busy a moment ago and is free now; run the operation again', $.input.region)" },
      resultPath: '$.busy',
    }).next(busy);
    const readHolder = this.props.lock.readHolder(this.scope, 'Read lock holder');
    readHolder.addRetry({
      errors: DYNAMODB_TRANSIENT_ERRORS,
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: 5,
      jitterStrategy: sfn.JitterType.FULL,
    });
    const holderKnown = new sfn.Choice(this.scope, 'Holder known?')
      .when(sfn.Condition.isPresent('$.lock.Item.holder.S'), describeHolder)
      .otherwise(releasedMeanwhile);
    if (waitIfBusy) {
      const waitForHolder = new sfn.Wait(this.scope, 'Wait for the lock holder', { time: sfn.WaitTime.duration(waitIfBusy.interval) });
      const count = new sfn.Pass(this.scope, 'Count lock waits', {
        parameters: { 'attempt.$': 'States.MathAdd($.lockWait.attempt, 1)' },
        resultPath: '$.lockWait',
      });
      // The lock condition compares expiry with the clock: read it again, or a lapsed lock would
      // never look lapsed to a waiter. Validation is the step that reads it (and checks the
      // input against the config as deployed now).
      const readClock = this.step(
        'Read the clock',
        'validateInput',
        { operation: this.operation, input: sfn.JsonPath.stringAt('$$.Execution.Input'), lockSeconds: this.props.lockSeconds },
        '$.clock',
        { resultSelector: { 'nowEpochSeconds.$': '$.nowEpochSeconds' } },
      );
      readClock.addCatch(
        new sfn.Fail(this.scope, 'Input rejected while waiting', { errorPath: '$.clockError.Error', causePath: '$.clockError.Cause' }),
        {
          errors: ['States.ALL'],
          resultPath: '$.clockError',
        },
      );
      readHolder.next(
        new sfn.Choice(this.scope, 'Wait longer for the lock?')
          .when(sfn.Condition.numberGreaterThanEquals('$.lockWait.attempt', waitIfBusy.maxAttempts), holderKnown)
          .otherwise(waitForHolder),
      );
      waitForHolder.next(readClock).next(count).next(acquire);
    } else {
      readHolder.next(holderKnown);
    }
    acquire.addCatch(readHolder, { errors: [CONDITIONAL_CHECK_FAILED], resultPath: '$.lockError' });
    acquire.addCatch(new sfn.Fail(this.scope, 'Lock unavailable', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }), {
      errors: ['States.ALL'],
      resultPath: '$.failure',
    });
    return acquire;
  }

  /** Release (best effort: a lapsed lock is not an error; skipped with `holdsLock: false`) → report → notify → `end`. */
  finish(
    prefix: string,
    operation: WorkflowOperation,
    outcome: string,
    failurePath: string | null,
    details: Record<string, unknown>,
    end: sfn.State,
    options: {
      readonly holdsLock?: boolean;
      /** When this holds, nothing is reported: someone else (a roll-out) reports the outcome. */
      readonly quietWhen?: sfn.Condition;
    } = {},
  ): sfn.State {
    const report = this.step(
      `${prefix}Write report`,
      'report',
      {
        operation,
        outcome,
        region: sfn.JsonPath.stringAt('$.input.region'),
        reason: sfn.JsonPath.stringAt('$.input.reason'),
        startedAtEpochMs: sfn.JsonPath.numberAt('$.input.startedAtEpochMs'),
        failure: failurePath ? sfn.JsonPath.objectAt(failurePath) : null,
        details,
      },
      '$.report',
    );
    const notify = new tasks.SnsPublish(this.scope, `${prefix}Notify operations`, {
      topic: this.props.topic,
      subject: sfn.JsonPath.stringAt('$.report.subject'),
      message: sfn.TaskInput.fromJsonPathAt('$.report.message'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    notify.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 3,
      jitterStrategy: sfn.JitterType.FULL,
    });
    // Notifications are best effort: failing to send one must not change the operation's outcome.
    report.addCatch(end, { errors: ['States.ALL'], resultPath: '$.reportError' });
    notify.addCatch(end, { errors: ['States.ALL'], resultPath: '$.notifyError' });
    report.next(notify).next(end);
    const afterRelease: sfn.State = options.quietWhen
      ? new sfn.Choice(this.scope, `${prefix}Report it?`).when(options.quietWhen, end).otherwise(report)
      : report;
    if (options.holdsLock === false) return afterRelease;
    const release = this.props.lock.release(this.scope, `${prefix}Release region lock`);
    release.addRetry({
      errors: DYNAMODB_TRANSIENT_ERRORS,
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: 5,
      jitterStrategy: sfn.JitterType.FULL,
    });
    release.addCatch(afterRelease, { errors: ['States.ALL'], resultPath: '$.releaseError' });
    release.next(afterRelease);
    return release;
  }

  /**
   * Polls until every workload Deployment has rolled out (new pods available, old ones gone), or
   * fails with `RolloutFailed` when Kubernetes reports the roll-out stuck past its deadline.
   * Shared by StartRegion (after a fresh apply) and SyncRegion (after applying a new version, and
   * after restoring the previous one).
   */
  awaitWorkloadRollout(
    id: string,
    counter: string,
    onFailure: sfn.IChainable,
  ): { entry: sfn.State; then: (next: sfn.IChainable) => void; check: tasks.LambdaInvoke } {
    const check = this.pollStep(`Check ${id.toLowerCase()}`, 'workloadRollout', counter, { manifests: this.props.manifests });
    const poll = this.poll(id, {
      check,
      counter,
      done: sfn.Condition.stringEquals(`$.${counter}.status`, 'AVAILABLE'),
      failed: {
        when: sfn.Condition.stringEquals(`$.${counter}.status`, 'FAILED'),
        error: 'RolloutFailed',
        causePath: `$.${counter}.detail`,
      },
      interval: Duration.seconds(15),
      // Past the Deployment's own progress deadline (5 minutes), which reports FAILED first.
      maxAttempts: 40,
      timeoutCause: 'the workload Deployment did not finish rolling out within 10 minutes',
      onFailure,
      startWith: 'check',
    });
    return { ...poll, check };
  }

  /**
   * Deletes the ConfigMaps of older workload versions (each ConfigMap is named by its content, so
   * an older version's is a separate object), then goes on to `next`. Only once the current pod
   * templates have rolled out; best effort: any error goes on to `next` too, kept at
   * `$.pruneError`, since a leftover ConfigMap costs nothing and the next start or sync prunes it.
   */
  pruneConfigMaps(next: sfn.IChainable): tasks.LambdaInvoke {
    const prune = this.regionStep('Prune old ConfigMaps', 'pruneConfigMaps', { manifests: this.props.manifests }, '$.pruned');
    prune.addCatch(next, { errors: ['States.ALL'], resultPath: '$.pruneError' });
    prune.next(next);
    return prune;
  }

  /**
   * Converges the region to stopped: DNS record first (and wait until resolvers have let go),
   * then load balancers (really gone), then node groups and cluster (cold) or scale to zero
   * (warm), then health checks, then the sweep, then (a region removed from the config only) its
   * network stack. Every state catches to `onError` with `$.<errorPath>`.
   */
  teardown(
    prefix: string,
    onError: sfn.IChainable,
    errorPath: string,
    then: sfn.IChainable,
    options: { readonly guardLastRecord?: boolean } = {},
  ): sfn.State {
    const caught: (sfn.State & { addCatch: sfn.TaskStateBase['addCatch'] })[] = [];
    const track = <T extends sfn.TaskStateBase>(task: T): T => {
      caught.push(task);
      return task;
    };
    const deleteRecord = this.regionStep(`${prefix}Delete DNS record`, 'deleteRecord', {}, '$.record');
    const recordRemoved = new sfn.Choice(this.scope, `${prefix}Record was removed?`);
    const dnsPoll = this.poll(`${prefix}DNS record removal in sync`, {
      check: track(
        this.pollStep(`${prefix}Check DNS record removal`, 'changeStatus', 'teardownDnsChange', {
          changeId: sfn.JsonPath.stringAt('$.record.changeId'),
        }),
      ),
      counter: 'teardownDnsChange',
      done: sfn.Condition.stringEquals('$.teardownDnsChange.status', 'INSYNC'),
      interval: Duration.seconds(10),
      maxAttempts: 60,
      timeoutCause: 'Route 53 did not report the record deletion INSYNC within 10 minutes',
      onFailure: onError,
      startWith: 'wait',
    });
    // Route 53 is in sync: resolvers may still hand out the cached record for one TTL.
    const waitForCaches = new sfn.Wait(this.scope, `${prefix}Wait for resolver caches`, {
      time: sfn.WaitTime.secondsPath('$.input.recordTtlSeconds'),
    });
    const deleteServices = track(this.regionStep(`${prefix}Delete load-balancer Services`, 'deleteLoadBalancerServices', {}, '$.services'));
    recordRemoved.when(sfn.Condition.isNull('$.record.changeId'), deleteServices).otherwise(dnsPoll.entry);
    let entry: sfn.State = deleteRecord;
    if (options.guardLastRecord) {
      entry = this.guardRecordSet(prefix, deleteRecord, recordRemoved, onError, errorPath);
    } else {
      track(deleteRecord);
      deleteRecord.next(recordRemoved);
    }
    dnsPoll.then(waitForCaches);
    waitForCaches.next(deleteServices);

    const lbPoll = this.poll(`${prefix}Load balancers gone`, {
      check: track(
        this.pollStep(`${prefix}Check load balancers gone`, 'loadBalancersGone', 'loadBalancersGone', {
          hostnames: sfn.JsonPath.listAt('$.services.hostnames'),
        }),
      ),
      counter: 'loadBalancersGone',
      done: sfn.Condition.booleanEquals('$.loadBalancersGone.gone', true),
      interval: Duration.seconds(15),
      maxAttempts: 80,
      timeoutCause: 'the workload load balancers still exist after 20 minutes; the cluster is left in place so nothing is orphaned',
      onFailure: onError,
      startWith: 'check',
    });
    deleteServices.next(lbPoll.entry);

    // Warm standby: keep the control plane, drop the pods and the health check.
    const scaleToZero = track(
      this.regionStep(`${prefix}Scale workload to zero`, 'scaleWorkloadToZero', { manifests: this.props.manifests }, sfn.JsonPath.DISCARD),
    );
    const deleteWarmHealthChecks = track(
      this.regionStep(`${prefix}Delete health checks (warm)`, 'deleteHealthChecks', { keepHealthCheckId: null }, '$.healthChecks'),
    );
    scaleToZero.next(deleteWarmHealthChecks).next(then);

    const nodegroupPoll = this.poll(`${prefix}Node groups gone`, {
      check: track(this.pollStep(`${prefix}Delete node groups`, 'deleteNodegroups', 'nodegroups')),
      counter: 'nodegroups',
      done: sfn.Condition.numberEquals('$.nodegroups.remaining', 0),
      interval: Duration.seconds(30),
      maxAttempts: 60,
      timeoutCause: 'node groups still exist after 30 minutes',
      onFailure: onError,
      startWith: 'check',
    });
    const clusterPoll = this.poll(`${prefix}Cluster gone`, {
      check: track(this.pollStep(`${prefix}Delete cluster`, 'deleteCluster', 'clusterDeletion')),
      counter: 'clusterDeletion',
      done: sfn.Condition.stringEquals('$.clusterDeletion.status', 'NONE'),
      interval: Duration.seconds(30),
      maxAttempts: 60,
      timeoutCause: 'the cluster still exists after 30 minutes',
      onFailure: onError,
      startWith: 'check',
    });
    const deleteHealthChecks = track(
      this.regionStep(`${prefix}Delete health checks`, 'deleteHealthChecks', { keepHealthCheckId: null }, '$.healthChecks'),
    );
    const sweep = track(this.regionStep(`${prefix}Sweep tagged resources`, 'sweep', {}, '$.sweep'));
    // A region removed from the config: its network stack left the CDK app, and `cdk deploy` never
    // deletes such a stack, so the removal does. `$.input.removed` is always present (false unless
    // a StopRegion says otherwise; a rollback never has it), so this Choice is valid for every caller.
    const networkStackPoll = this.poll(`${prefix}Network stack deleted`, {
      check: track(
        this.pollStep(`${prefix}Delete network stack`, 'deleteNetworkStack', 'networkStack', {
          execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        }),
      ),
      counter: 'networkStack',
      done: sfn.Condition.stringEquals('$.networkStack.status', 'GONE'),
      failed: {
        when: sfn.Condition.stringEquals('$.networkStack.status', 'FAILED'),
        error: 'NetworkStackDeleteFailed',
        causePath: '$.networkStack.detail',
      },
      // The stack's subnets and security groups wait for Lambda to release the Kubernetes API
      // relay's network interfaces, which can take up to about 40 minutes after the function goes;
      // a slow stack needs no fine-grained poll.
      interval: Duration.seconds(60),
      maxAttempts: 50,
      timeoutCause: 'the region network stack was not deleted within 50 minutes',
      onFailure: onError,
      startWith: 'check',
    });
    networkStackPoll.then(then);
    const removedRegion = new sfn.Choice(this.scope, `${prefix}Removed from the config?`)
      .when(sfn.Condition.booleanEquals('$.input.removed', true), networkStackPoll.entry)
      .otherwise(then);
    nodegroupPoll.then(clusterPoll.entry);
    clusterPoll.then(deleteHealthChecks);
    deleteHealthChecks.next(sweep).next(removedRegion);

    // A warm region keeps its cluster, unless the cluster itself failed (a rolled-back start):
    // keeping a FAILED cluster would make every later start fail the same way. Nested choices,
    // because a Choice rule on a path that is absent is a runtime error.
    const clusterFailed = new sfn.Choice(this.scope, `${prefix}Cluster failed?`)
      .when(sfn.Condition.stringEquals('$.failure.Error', 'ClusterFailed'), nodegroupPoll.entry)
      .otherwise(scaleToZero);
    const afterFailure = new sfn.Choice(this.scope, `${prefix}After a failure?`)
      .when(sfn.Condition.isPresent('$.failure.Error'), clusterFailed)
      .otherwise(scaleToZero);
    lbPoll.then(
      new sfn.Choice(this.scope, `${prefix}Warm standby?`)
        .when(sfn.Condition.stringEquals('$.input.standby', 'warm'), afterFailure)
        .otherwise(nodegroupPoll.entry),
    );

    for (const task of caught) task.addCatch(onError, { errors: ['States.ALL'], resultPath: errorPath });
    return entry;
  }

  /**
   * "Never the last serving region" is checked and acted on in one step (deleteRecord), but two
   * stops of different regions hold different region locks: both could see two records and both
   * delete theirs. A short lock on the record set makes the check and the delete one at a time
   * across regions. It is held for seconds and lapses after 5 minutes if its holder dies.
   */
  private guardRecordSet(
    prefix: string,
    deleteRecord: tasks.LambdaInvoke,
    next: sfn.IChainable,
    onError: sfn.IChainable,
    errorPath: string,
  ): sfn.State {
    const name = RECORD_SET_LOCK;
    const expiry = new sfn.Pass(this.scope, `${prefix}Record set lock expiry`, {
      parameters: { 'expiresAt.$': 'States.MathAdd($.clock.nowEpochSeconds, 300)' },
      resultPath: '$.recordSetLock',
    });
    const take = this.props.lock.acquireNamed(this.scope, `${prefix}Take record set lock`, name, '$.recordSetLock.expiresAt');
    // Another stop holds it for the seconds its own check and delete take: wait for it.
    take.addRetry({ errors: [CONDITIONAL_CHECK_FAILED], interval: Duration.seconds(3), backoffRate: 1.5, maxAttempts: 10 });
    take.addRetry({
      errors: DYNAMODB_TRANSIENT_ERRORS,
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: 5,
      jitterStrategy: sfn.JitterType.FULL,
    });
    take.addCatch(onError, { errors: ['States.ALL'], resultPath: errorPath });
    const release = (id: string) => {
      const task = this.props.lock.releaseNamed(this.scope, `${prefix}${id}`, name);
      task.addRetry({
        errors: DYNAMODB_TRANSIENT_ERRORS,
        interval: Duration.seconds(1),
        backoffRate: 2,
        maxAttempts: 5,
        jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };
    const releaseAfterDelete = release('Release record set lock');
    // A lapsed lock is not an error: the delete is done either way.
    releaseAfterDelete.addCatch(next, { errors: ['States.ALL'], resultPath: '$.recordSetLockError' });
    const releaseAfterFailure = release('Release record set lock after failure');
    releaseAfterFailure.addCatch(onError, { errors: ['States.ALL'], resultPath: '$.recordSetLockError' });
    releaseAfterFailure.next(onError);
    deleteRecord.addCatch(releaseAfterFailure, { errors: ['States.ALL'], resultPath: errorPath });
    expiry.next(take).next(deleteRecord).next(releaseAfterDelete).next(next);
    return expiry;
  }
}

/**
 * StartRegion: validate → lock → cluster → access → workload → load balancer → rolled out → prune
 * old ConfigMaps → health check → record → INSYNC → release → notify.
 */
export function startRegionDefinition(scope: Construct, props: RegionStateMachineDefinitionProps): sfn.IChainable {
  const b = new DefinitionBuilder(new Construct(scope, 'StartRegionStates'), props);
  const s = b.scope;

  const succeeded = new sfn.Succeed(s, 'Region serving');
  const startFailed = new sfn.Fail(s, 'Start failed, region rolled back', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const rollbackFailed = new sfn.Fail(s, 'Start failed, rollback failed', {
    errorPath: '$.rollbackFailure.Error',
    causePath: '$.rollbackFailure.Cause',
  });

  const afterRollbackFailure = b.finish(
    'Rollback failed: ',
    'start',
    'rollback failed',
    '$.rollbackFailure',
    { startFailure: sfn.JsonPath.objectAt('$.failure') },
    rollbackFailed,
  );
  const afterRollback = b.finish('Rolled back: ', 'start', 'rolled back', '$.failure', {}, startFailed);
  // A half-started region bills and serves nobody: take it back to stopped.
  const rollback = b.teardown('Rollback: ', afterRollbackFailure, '$.rollbackFailure', afterRollback);

  const caught: tasks.LambdaInvoke[] = [];
  const track = (task: tasks.LambdaInvoke) => {
    caught.push(task);
    return task;
  };

  const execution = sfn.JsonPath.stringAt('$$.Execution.Name');
  // Carries the poll counter through: a cluster still being deleted is waited for, then created,
  // all within the one bound.
  const ensureCluster = track(
    b.regionStep('Ensure cluster', 'ensureCluster', { execution, attempt: sfn.JsonPath.numberAt('$.cluster.attempt') }, '$.cluster'),
  );
  const clusterPoll = b.poll('Cluster active', {
    check: track(b.pollStep('Check cluster status', 'clusterStatus', 'cluster')),
    counter: 'cluster',
    done: sfn.Condition.stringEquals('$.cluster.status', 'ACTIVE'),
    failed: {
      when: sfn.Condition.stringEquals('$.cluster.status', 'FAILED'),
      error: 'ClusterFailed',
      cause: 'EKS reports the cluster FAILED',
    },
    interval: Duration.seconds(30),
    maxAttempts: 60,
    timeoutCause: 'the cluster did not become ACTIVE within 30 minutes',
    onFailure: rollback,
    startWith: 'choice',
    // The previous cluster finished deleting: create the new one.
    redirect: { when: sfn.Condition.stringEquals('$.cluster.status', 'NONE'), next: ensureCluster },
  });
  const computePoll = b.poll('Compute ready', {
    check: track(b.pollStep('Ensure compute', 'ensureCompute', 'compute', { execution })),
    counter: 'compute',
    done: sfn.Condition.stringEquals('$.compute.status', 'READY'),
    interval: Duration.seconds(30),
    maxAttempts: 40,
    timeoutCause: 'the node group did not become ACTIVE within 20 minutes',
    onFailure: rollback,
    startWith: 'check',
  });
  const grantAccess = track(b.regionStep('Grant workflow cluster access', 'grantAccess', {}, sfn.JsonPath.DISCARD));
  const applyWorkload = track(b.regionStep('Apply workload', 'applyWorkload', { manifests: props.manifests }, '$.workload'));
  const lbPoll = b.poll('Load balancer ready', {
    check: track(b.pollStep('Find load balancer', 'findLoadBalancer', 'loadBalancer')),
    counter: 'loadBalancer',
    done: sfn.Condition.booleanEquals('$.loadBalancer.ready', true),
    interval: Duration.seconds(15),
    maxAttempts: 60,
    timeoutCause: 'the workload load balancer was not active within 15 minutes',
    onFailure: rollback,
    startWith: 'check',
  });
  // By the time the load balancer is active the pods are usually long ready: one check.
  const workloadPoll = b.awaitWorkloadRollout('Workload rolled out', 'workloadRollout', rollback);
  track(workloadPoll.check);
  const ensureHealthCheck = track(
    b.regionStep(
      'Ensure health check',
      'ensureHealthCheck',
      { loadBalancer: sfn.JsonPath.objectAt('$.loadBalancer.loadBalancer') },
      '$.healthCheck',
    ),
  );
  const upsertRecord = track(
    b.regionStep(
      'Upsert latency record',
      'upsertRecord',
      {
        loadBalancer: sfn.JsonPath.objectAt('$.loadBalancer.loadBalancer'),
        healthCheckId: sfn.JsonPath.stringAt('$.healthCheck.healthCheckId'),
      },
      '$.record',
    ),
  );
  const dnsPoll = b.poll('DNS record in sync', {
    check: track(b.pollStep('Check DNS change', 'changeStatus', 'dnsChange', { changeId: sfn.JsonPath.stringAt('$.record.changeId') })),
    counter: 'dnsChange',
    done: sfn.Condition.stringEquals('$.dnsChange.status', 'INSYNC'),
    interval: Duration.seconds(10),
    maxAttempts: 60,
    timeoutCause: 'Route 53 did not report the record change INSYNC within 10 minutes',
    onFailure: rollback,
    startWith: 'wait',
  });
  // Checks left by earlier starts (each start's load balancer has a new name, so a new check).
  // The region serves by now: failing to tidy up must not roll it back (the next stop removes them).
  const removeStaleHealthChecks = b.regionStep(
    'Remove stale health checks',
    'deleteHealthChecks',
    { keepHealthCheckId: sfn.JsonPath.stringAt('$.healthCheck.healthCheckId') },
    sfn.JsonPath.DISCARD,
  );
  const finishSuccess = b.finish(
    '',
    'start',
    'succeeded',
    null,
    { loadBalancer: sfn.JsonPath.stringAt('$.loadBalancer.loadBalancer.dnsName') },
    succeeded,
  );

  for (const task of caught) task.addCatch(rollback, { errors: ['States.ALL'], resultPath: '$.failure' });

  ensureCluster.next(clusterPoll.entry);
  clusterPoll.then(computePoll.entry);
  computePoll.then(grantAccess);
  grantAccess.next(applyWorkload).next(lbPoll.entry);
  lbPoll.then(workloadPoll.entry);
  // The region's pods all run the current template now: ConfigMaps an older version left in a
  // warm-standby cluster are mounted by nothing. Best effort, never a reason to roll back.
  workloadPoll.then(b.pruneConfigMaps(ensureHealthCheck));
  ensureHealthCheck.next(upsertRecord).next(dnsPoll.entry);
  dnsPoll.then(removeStaleHealthChecks);
  removeStaleHealthChecks.next(finishSuccess);
  removeStaleHealthChecks.addCatch(finishSuccess, { errors: ['States.ALL'], resultPath: '$.staleHealthCheckError' });

  return b.validateInput('start').next(b.acquireLock()).next(ensureCluster);
}

/** StopRegion: validate (guards) → lock → teardown → release → notify. */
export function stopRegionDefinition(scope: Construct, props: RegionStateMachineDefinitionProps): sfn.IChainable {
  const b = new DefinitionBuilder(new Construct(scope, 'StopRegionStates'), props);
  const s = b.scope;
  const stopped = new sfn.Succeed(s, 'Region stopped');
  const stopFailed = new sfn.Fail(s, 'Stop failed', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const afterFailure = b.finish('Failed: ', 'stop', 'failed', '$.failure', {}, stopFailed);
  const afterSuccess = b.finish('', 'stop', 'succeeded', null, { leftovers: sfn.JsonPath.listAt('$.sweep.leftovers') }, stopped);
  const teardown = b.teardown('', afterFailure, '$.failure', afterSuccess, { guardLastRecord: true });
  return b.validateInput('stop').next(b.acquireLock()).next(teardown);
}
