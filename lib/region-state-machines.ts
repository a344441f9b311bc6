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
/** How every lock-table task retries DynamoDB's own transient errors. */
export const DYNAMODB_RETRY: sfn.RetryProps = {
  errors: DYNAMODB_TRANSIENT_ERRORS,
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 5,
  jitterStrategy: sfn.JitterType.FULL,
};
const CONDITIONAL_CHECK_FAILED = 'DynamoDB.ConditionalCheckFailedException';
/** Errors whose cause names no step: Lambda's own timeout, and the task's (taskTimeout). */
const TIMEOUT_ERRORS = ['Sandbox.Timedout', 'States.Timeout'];
/** The lock item that serializes changes to the CDN's record set (see guardRecordSet). */
const RECORD_SET_LOCK = 'dns-record-set';
/**
 * How long a record set lock lasts if its holder dies. The holder needs seconds, but the lease
 * must outlast the guarded delete at its slowest, or a live holder's lease could lapse and a
 * second execution take the lock while the first still deletes: the delete runs with bounded
 * retries (three attempts of at most the function's 2-minute timeout, plus backoff), so 10 minutes.
 */
const RECORD_SET_LOCK_SECONDS = 600;
/** Waits for a busy record set: past a dead holder's lease (11 minutes in all), then RecordSetBusy. */
const RECORD_SET_WAIT = { interval: Duration.seconds(15), maxAttempts: 44 };

/** The operations the workflows run; validateInput and report know each by this name. */
export type WorkflowOperation = 'start' | 'stop' | 'sync' | 'rollout' | 'purge' | 'upgrade' | 'upgradeClusters';

/** The operations about one region, whose notifications carry a `region` attribute. */
const REGIONAL_OPERATIONS: ReadonlySet<WorkflowOperation> = new Set(['start', 'stop', 'sync', 'upgrade']);

/** The `operation` attribute of a notification: an upgrade is one operation to subscribers, whether of one region or all. */
const NOTIFIED_OPERATION: Partial<Record<WorkflowOperation, string>> = { upgradeClusters: 'upgrade' };

/** Poll counters, all starting at zero, so each loop can count its own attempts. */
const POLL_COUNTERS = [
  'lockWait',
  'recordSetWait',
  'workloadRollout',
  'healthCheck',
  'wantedHealthCheck',
  'restoreRollout',
  'cluster',
  'compute',
  'podIdentity',
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
  /** A path to the check's own word on what it still waits for, added to `timeoutCause` (a string the check always sets). */
  readonly timeoutDetailPath?: string;
  /** Instead of PollTimeout and `timeoutCause`: an error of its own, and a cause built from the state (an intrinsic such as States.Format). */
  readonly timeout?: { readonly error: string; readonly causePath: string };
  /** Where a failed or timed-out poll goes, with `$.failure` set. */
  readonly onFailure: sfn.IChainable;
  /** Start with the wait (the previous step just started the change) or with the check. */
  readonly startWith: 'check' | 'wait' | 'choice';
}

/** Builds the states of one state machine inside `scope` (state names must be unique per machine). */
export class DefinitionBuilder {
  /** Set by validateInput: the lock wait validates again to read the clock. */
  private operation: WorkflowOperation = 'start';
  /** The region-ops step each task runs, for the cause of a timeout (see catchFailure). */
  private readonly stepNames = new Map<sfn.State, string>();

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
    options: {
      resultSelector?: Record<string, unknown>;
      /** `bounded`: one retry per kind of transient error, for a step that runs under a short lease. */
      retries?: 'standard' | 'bounded';
    } = {},
  ): tasks.LambdaInvoke {
    const bounded = options.retries === 'bounded';
    const task = new tasks.LambdaInvoke(this.scope, id, {
      lambdaFunction: this.props.regionOps,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: sfn.TaskInput.fromObject({ step, ...fields }),
      resultPath,
      resultSelector: options.resultSelector,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(3)),
    });
    this.stepNames.set(task, step);
    task.addRetry({
      errors: LAMBDA_TRANSIENT_ERRORS,
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: bounded ? 1 : 4,
      maxDelay: Duration.seconds(30),
      jitterStrategy: sfn.JitterType.FULL,
    });
    task.addRetry({
      errors: [RETRYABLE],
      interval: Duration.seconds(10),
      backoffRate: 2,
      maxAttempts: bounded ? 1 : 8,
      maxDelay: Duration.minutes(2),
      jitterStrategy: sfn.JitterType.FULL,
    });
    return task;
  }

  regionStep(
    id: string,
    step: string,
    fields: Record<string, unknown>,
    resultPath: string,
    options: { retries?: 'standard' | 'bounded' } = {},
  ): tasks.LambdaInvoke {
    return this.step(id, step, { region: sfn.JsonPath.stringAt('$.input.region'), ...fields }, resultPath, options);
  }

  pollStep(id: string, step: string, counter: string, fields: Record<string, unknown> = {}): tasks.LambdaInvoke {
    return this.regionStep(id, step, { attempt: sfn.JsonPath.numberAt(`$.${counter}.attempt`), ...fields }, `$.${counter}`);
  }

  /** Sets `$.failure` (or `resultPath`) like a caught error would, for conditions the workflow itself detects. */
  failure(id: string, error: string, cause: string, causePath?: string, resultPath = '$.failure'): sfn.Pass {
    const causeField = causePath ? { 'Cause.$': causePath } : { Cause: cause };
    return new sfn.Pass(this.scope, id, { parameters: { Error: error, ...causeField }, resultPath });
  }

  /**
   * Catches every failure of a region-ops task into `resultPath` and goes on to `target`. The
   * handler names its step in every cause it raises, but a timeout (the function's or the
   * task's) is raised around it, with a cause that names nothing; a Catch has only a ResultPath,
   * so it cannot add the state's name ($$.State.Name) itself. Timeouts therefore pass through a
   * Pass of their own per task, which writes the failure again with a cause naming the state and
   * its step; the error name is kept, so retries and reports still read it. Costs one state per
   * task in the definition and one transition, only when a step has timed out for good.
   */
  catchFailure(task: tasks.LambdaInvoke, target: sfn.IChainable, resultPath: string): void {
    const step = this.stepNames.get(task);
    const named = new sfn.Pass(this.scope, `${task.stateId}: timed out`, {
      parameters: {
        'Error.$': `${resultPath}.Error`,
        Cause: `${task.stateId} (region-ops step ${step ?? '?'}) timed out: its last attempt ran past the time limit, after all its retries`,
      },
      // `$` itself is left out: a Pass without ResultPath replaces its input, which is what `$` means.
      ...(resultPath === '$' ? {} : { resultPath }),
    });
    named.next(target);
    task.addCatch(named, { errors: TIMEOUT_ERRORS, resultPath });
    task.addCatch(target, { errors: ['States.ALL'], resultPath });
  }

  /** Reads the clock into `$.clock` (a lock's expiry and condition need it as of now, not as of validation). */
  readClock(id: string): tasks.LambdaInvoke {
    return this.step(id, 'readClock', {}, '$.clock', { resultSelector: { 'nowEpochSeconds.$': '$.nowEpochSeconds' } });
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
        // The cause becomes an intrinsic's string literal, where these characters would need escapes.
        if (options.timeoutDetailPath && /['{}\\]/.test(options.timeoutCause))
          throw new Error(`${id}: a timeout cause with a detail path may not contain ' { } or \\: ${options.timeoutCause}`);
        choice.when(
          sfn.Condition.numberGreaterThanEquals(`$.${options.counter}.attempt`, options.maxAttempts),
          this.failure(
            `${id}: timed out`,
            options.timeout?.error ?? 'PollTimeout',
            options.timeoutCause,
            options.timeout?.causePath ??
              (options.timeoutDetailPath ? `States.Format('${options.timeoutCause}: {}', ${options.timeoutDetailPath})` : undefined),
          ).next(options.onFailure),
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
    this.catchFailure(task, new sfn.Fail(this.scope, 'Input rejected', { errorPath: '$.Error', causePath: '$.Cause' }), '$');
    return task;
  }

  /**
   * Takes the region lock; a busy region fails naming the holder, at once or (with `waitIfBusy`)
   * after waiting that many times for the holder to finish: a sync that meets a start or stop
   * should follow it, not fail the roll-out.
   */
  acquireLock(waitIfBusy?: { readonly interval: Duration; readonly maxAttempts: number }): sfn.State & sfn.INextable {
    const acquire = this.props.lock.acquire(this.scope, 'Take region lock');
    acquire.addRetry(DYNAMODB_RETRY);
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
    readHolder.addRetry(DYNAMODB_RETRY);
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
      this.catchFailure(
        readClock,
        new sfn.Fail(this.scope, 'Input rejected while waiting', { errorPath: '$.clockError.Error', causePath: '$.clockError.Cause' }),
        '$.clockError',
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
    // The attributes subscriptions filter on (the e-mail ones on severity): the report step rates
    // the outcome; a roll-out or purge spans regions, so only a single region's operation names one.
    const notify = new tasks.SnsPublish(this.scope, `${prefix}Notify operations`, {
      topic: this.props.topic,
      subject: sfn.JsonPath.stringAt('$.report.subject'),
      message: sfn.TaskInput.fromJsonPathAt('$.report.message'),
      messageAttributes: {
        severity: { value: sfn.JsonPath.stringAt('$.report.severity') },
        operation: { value: NOTIFIED_OPERATION[operation] ?? operation },
        ...(REGIONAL_OPERATIONS.has(operation) ? { region: { value: sfn.JsonPath.stringAt('$.input.region') } } : {}),
      },
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
    release.addRetry(DYNAMODB_RETRY);
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
   * Makes the edge pods' EKS Pod Identity association (and, on managed node groups, waits for the
   * agent add-on to be ACTIVE) before the workload is applied: the association counts for pods
   * created after it, and their agent needs its credentials from the first minute. Shared by
   * StartRegion and SyncRegion (which converges an association a redeploy changed).
   */
  ensurePodIdentity(
    idPrefix: string,
    onFailure: sfn.IChainable,
  ): { entry: sfn.State; then: (next: sfn.IChainable) => void; check: tasks.LambdaInvoke } {
    const check = this.pollStep(`${idPrefix}Ensure edge pod identity`, 'ensurePodIdentity', 'podIdentity');
    const poll = this.poll(`${idPrefix}Edge pod identity ready`, {
      check,
      counter: 'podIdentity',
      done: sfn.Condition.stringEquals('$.podIdentity.status', 'READY'),
      interval: Duration.seconds(15),
      // An add-on is usually ACTIVE within two minutes; Auto Mode is READY at the first check.
      maxAttempts: 40,
      timeoutCause: 'the Pod Identity agent of the edge pods was not ready within 10 minutes',
      timeoutDetailPath: '$.podIdentity.waiting',
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
   *
   * The record is removed under the record set lock, with the last-record check, on every path
   * (see guardRecordSet). A StopRegion refused there fails (StopRefused) unless it decommissions;
   * a rollback (`rollback`) never removes the last record: it goes to `rollback.lastRecord`.
   */
  teardown(
    prefix: string,
    onError: sfn.IChainable,
    errorPath: string,
    then: sfn.IChainable,
    options: {
      /** A StartRegion rollback: keeps the last record, and a cluster that stood before the run (`$.found`). */
      readonly rollback?: { readonly lastRecord: sfn.IChainable };
    } = {},
  ): sfn.State {
    const caught: tasks.LambdaInvoke[] = [];
    const track = (task: tasks.LambdaInvoke): tasks.LambdaInvoke => {
      caught.push(task);
      return task;
    };
    const deleteRecord = this.regionStep(
      `${prefix}Delete DNS record`,
      'deleteRecord',
      // Only a StopRegion that says "decommission" may take the last record away.
      { removeLastRecord: options.rollback ? false : sfn.JsonPath.stringAt('$.input.decommission') },
      '$.record',
      // It runs under the record set lock, whose lease must outlast it (RECORD_SET_LOCK_SECONDS);
      // a delete still failing after that fails the operation, which a re-run converges.
      { retries: 'bounded' },
    );
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
    const entry = this.guardRecordSet(prefix, deleteRecord, recordRemoved, onError, errorPath, options.rollback?.lastRecord);
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
    // The pods are gone (warm) or going with their nodes (cold): their role goes with them.
    const removeWarmPodIdentity = track(
      this.regionStep(`${prefix}Remove edge pod identity (warm)`, 'removePodIdentity', {}, sfn.JsonPath.DISCARD),
    );
    const removePodIdentity = track(this.regionStep(`${prefix}Remove edge pod identity`, 'removePodIdentity', {}, sfn.JsonPath.DISCARD));
    scaleToZero.next(removeWarmPodIdentity).next(deleteWarmHealthChecks).next(then);

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
    nodegroupPoll.then(removePodIdentity);
    removePodIdentity.next(clusterPoll.entry);
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
    const keepControlPlane = new sfn.Choice(this.scope, `${prefix}Warm standby?`).when(
      sfn.Condition.stringEquals('$.input.standby', 'warm'),
      afterFailure,
    );
    // A rollback undoes what its run created: a cluster that stood before the run stays, back at
    // zero like a warm standby (the run scaled it up and gave it a load balancer).
    if (options.rollback) keepControlPlane.when(sfn.Condition.booleanEquals('$.found.clusterExisted', true), afterFailure);
    lbPoll.then(keepControlPlane.otherwise(nodegroupPoll.entry));

    for (const task of caught) this.catchFailure(task, onError, errorPath);
    return entry;
  }

  /**
   * The record set lock. "Never the last serving region" is checked and acted on in one step
   * (deleteRecord), but operations on different regions hold different region locks: two stops,
   * or a stop and a rollback, could each see two records and each delete theirs. A short lock on
   * the record set makes the check and the delete one at a time across regions, on every path
   * that removes a record, and a sync's move of its record to another health check takes it too,
   * so that every change of a serving record is one at a time. It is held for seconds and lapses
   * after RECORD_SET_LOCK_SECONDS if its holder dies, so `change` must run with bounded retries.
   * A busy record set is waited for, reading the clock again before each attempt (the lock's
   * condition compares its expiry with that clock, so a dead holder's lease is seen to lapse), and
   * after RECORD_SET_WAIT fails with RecordSetBusy naming the holder.
   *
   * `onLastRecord` (a rollback): where a refusal to remove the last record goes, after the release.
   */
  guardRecordSet(
    prefix: string,
    change: tasks.LambdaInvoke,
    next: sfn.IChainable,
    onError: sfn.IChainable,
    errorPath: string,
    onLastRecord?: sfn.IChainable,
  ): sfn.State {
    const name = RECORD_SET_LOCK;
    const readClock = this.readClock(`${prefix}Read the clock for the record set`);
    this.catchFailure(readClock, onError, errorPath);
    const expiry = new sfn.Pass(this.scope, `${prefix}Record set lock expiry`, {
      parameters: { 'expiresAt.$': `States.MathAdd($.clock.nowEpochSeconds, ${RECORD_SET_LOCK_SECONDS})` },
      resultPath: '$.recordSetLock',
    });
    const take = this.props.lock.acquireNamed(this.scope, `${prefix}Take record set lock`, name, '$.recordSetLock.expiresAt');
    take.addRetry(DYNAMODB_RETRY);
    const readHolder = this.props.lock.readNamedHolder(this.scope, `${prefix}Read record set lock holder`, name, '$.recordSetHolder');
    readHolder.addRetry(DYNAMODB_RETRY);
    readHolder.addCatch(onError, { errors: ['States.ALL'], resultPath: errorPath });
    take.addCatch(readHolder, { errors: [CONDITIONAL_CHECK_FAILED], resultPath: '$.recordSetLockError' });
    take.addCatch(onError, { errors: ['States.ALL'], resultPath: errorPath });

    const busy = this.failure(
      `${prefix}Record set busy`,
      'RecordSetBusy',
      '',
      "States.Format('the DNS record set is busy: {} of {} by execution {} holds its lock, until epoch second {} at the latest; run this operation again once it is done', $.recordSetHolder.Item.operation.S, $.recordSetHolder.Item.reason.S, $.recordSetHolder.Item.holder.S, $.recordSetHolder.Item.expiresAt.N)",
      errorPath,
    ).next(onError);
    const freed = this.failure(
      `${prefix}Record set freed meanwhile`,
      'RecordSetBusy',
      'the DNS record set was busy on every attempt and is free now; run this operation again',
      undefined,
      errorPath,
    ).next(onError);
    const holderKnown = new sfn.Choice(this.scope, `${prefix}Record set lock holder known?`)
      .when(sfn.Condition.isPresent('$.recordSetHolder.Item.holder.S'), busy)
      .otherwise(freed);
    const wait = new sfn.Wait(this.scope, `${prefix}Wait for the record set`, { time: sfn.WaitTime.duration(RECORD_SET_WAIT.interval) });
    const count = new sfn.Pass(this.scope, `${prefix}Count record set waits`, {
      parameters: { 'attempt.$': 'States.MathAdd($.recordSetWait.attempt, 1)' },
      resultPath: '$.recordSetWait',
    });
    readHolder.next(
      new sfn.Choice(this.scope, `${prefix}Wait longer for the record set?`)
        .when(sfn.Condition.numberGreaterThanEquals('$.recordSetWait.attempt', RECORD_SET_WAIT.maxAttempts), holderKnown)
        .otherwise(wait),
    );
    wait.next(count).next(readClock);

    const release = (id: string) => {
      const task = this.props.lock.releaseNamed(this.scope, `${prefix}${id}`, name);
      task.addRetry(DYNAMODB_RETRY);
      return task;
    };
    const releaseAfterDelete = release('Release record set lock');
    // A lapsed lock is not an error: the change is done either way.
    releaseAfterDelete.addCatch(next, { errors: ['States.ALL'], resultPath: '$.recordSetLockError' });
    const releaseAfterFailure = release('Release record set lock after failure');
    releaseAfterFailure.addCatch(onError, { errors: ['States.ALL'], resultPath: '$.recordSetLockError' });
    releaseAfterFailure.next(onError);
    if (onLastRecord) {
      const releaseKeepingRecord = release('Release record set lock, record kept');
      releaseKeepingRecord.addCatch(onLastRecord, { errors: ['States.ALL'], resultPath: '$.recordSetLockError' });
      releaseKeepingRecord.next(onLastRecord);
      change.addCatch(releaseKeepingRecord, { errors: ['StopRefused'], resultPath: '$.lastRecord' });
    }
    this.catchFailure(change, releaseAfterFailure, errorPath);
    readClock.next(expiry).next(take).next(change).next(releaseAfterDelete).next(next);
    return readClock;
  }
}

/**
 * StartRegion: validate → lock → inspect → cluster → access → edge pod identity → workload → load balancer → rolled
 * out → prune old ConfigMaps → health check → record → INSYNC → release → notify.
 *
 * A run never takes down what served when it began. The inspect step records, before anything
 * changes, whether the region was serving (its latency record existed) and whether its cluster
 * stood; a failure then rolls back only what this run created:
 * - serving when the run began: nothing is removed; the start fails, the region keeps serving,
 *   and the notification says so ("failed, kept serving");
 * - otherwise the region goes back to stopped with StopRegion's teardown, keeping a cluster that
 *   stood before the run (scaled to zero) and a warm region's control plane; its record (if this
 *   run made one) is removed under the record set lock, and if it has become the last record
 *   (another region stopped meanwhile), the rollback keeps it with the load balancer and cluster
 *   behind it ("failed, kept serving"): never zero records while any region serves.
 */
export function startRegionDefinition(scope: Construct, props: RegionStateMachineDefinitionProps): sfn.IChainable {
  const b = new DefinitionBuilder(new Construct(scope, 'StartRegionStates'), props);
  const s = b.scope;

  const succeeded = new sfn.Succeed(s, 'Region serving');
  const startFailed = new sfn.Fail(s, 'Start failed, region rolled back', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const keptServing = new sfn.Fail(s, 'Start failed, region kept serving', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const rollbackFailed = new sfn.Fail(s, 'Start failed, rollback failed', {
    errorPath: '$.rollbackFailure.Error',
    causePath: '$.rollbackFailure.Cause',
  });
  const found = { found: sfn.JsonPath.stringAt('$.found.summary') };

  const afterRollbackFailure = b.finish(
    'Rollback failed: ',
    'start',
    'rollback failed',
    '$.rollbackFailure',
    { startFailure: sfn.JsonPath.objectAt('$.failure'), ...found },
    rollbackFailed,
  );
  const afterRollback = b.finish('Rolled back: ', 'start', 'rolled back', '$.failure', found, startFailed);
  const afterServingBefore = b.finish(
    'Was serving: ',
    'start',
    'failed, kept serving',
    '$.failure',
    {
      kept: 'the region was serving when this run began (its latency record existed), so the rollback removed nothing',
      ...found,
    },
    keptServing,
  );
  const afterLastRecordKept = b.finish(
    'Last record kept: ',
    'start',
    'failed, kept serving',
    '$.failure',
    {
      kept: 'its record became the last one serving the domain (another region stopped meanwhile), so the rollback kept the record, its load balancer and cluster; start another region before stopping this one',
      ...found,
    },
    keptServing,
  );
  // A half-started region bills and serves nobody: take it back to stopped, keeping what served.
  const teardown = b.teardown('Rollback: ', afterRollbackFailure, '$.rollbackFailure', afterRollback, {
    rollback: { lastRecord: afterLastRecordKept },
  });
  const rollback = new sfn.Choice(s, 'Serving when this run began?')
    .when(sfn.Condition.booleanEquals('$.found.serving', true), afterServingBefore)
    .otherwise(teardown);

  const caught: tasks.LambdaInvoke[] = [];
  const track = (task: tasks.LambdaInvoke) => {
    caught.push(task);
    return task;
  };

  // Before anything changes: what this run must leave in place if it fails. Nothing changed yet
  // if this fails, so there is nothing to roll back.
  const inspect = b.regionStep('Inspect region', 'inspectRegion', {}, '$.found');
  b.catchFailure(
    inspect,
    b.finish(
      'Inspect failed: ',
      'start',
      'failed',
      '$.failure',
      {},
      new sfn.Fail(s, 'Start failed', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }),
    ),
    '$.failure',
  );

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
  // After the workflow's own entry, so people never reach a cluster the workflow could not; a
  // failure rolls back like any step (the rollback's cluster deletion takes the entries with it).
  const grantPeopleAccess = track(b.regionStep('Grant people cluster access', 'grantPeopleAccess', {}, sfn.JsonPath.DISCARD));
  const podIdentityPoll = b.ensurePodIdentity('', rollback);
  track(podIdentityPoll.check);
  const applyWorkload = track(b.regionStep('Apply workload', 'applyWorkload', { manifests: props.manifests }, '$.workload'));
  const lbPoll = b.poll('Load balancer ready', {
    check: track(b.pollStep('Find load balancer', 'findLoadBalancer', 'loadBalancer')),
    counter: 'loadBalancer',
    done: sfn.Condition.booleanEquals('$.loadBalancer.ready', true),
    interval: Duration.seconds(15),
    maxAttempts: 60,
    timeoutCause: 'the workload load balancer was not active within 15 minutes',
    // What the step saw last: the controller's replicas, the Service's warning events.
    timeoutDetailPath: '$.loadBalancer.waiting',
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

  for (const task of caught) b.catchFailure(task, rollback, '$.failure');

  inspect.next(ensureCluster);
  ensureCluster.next(clusterPoll.entry);
  clusterPoll.then(computePoll.entry);
  computePoll.then(grantAccess);
  grantAccess.next(grantPeopleAccess);
  grantPeopleAccess.next(podIdentityPoll.entry);
  podIdentityPoll.then(applyWorkload);
  applyWorkload.next(lbPoll.entry);
  lbPoll.then(workloadPoll.entry);
  // The region's pods all run the current template now: ConfigMaps an older version left in a
  // warm-standby cluster are mounted by nothing. Best effort, never a reason to roll back.
  workloadPoll.then(b.pruneConfigMaps(ensureHealthCheck));
  ensureHealthCheck.next(upsertRecord).next(dnsPoll.entry);
  dnsPoll.then(removeStaleHealthChecks);
  removeStaleHealthChecks.next(finishSuccess);
  removeStaleHealthChecks.addCatch(finishSuccess, { errors: ['States.ALL'], resultPath: '$.staleHealthCheckError' });

  return b.validateInput('start').next(b.acquireLock()).next(inspect);
}

/**
 * StopRegion: validate (guards) → lock → teardown → release → notify. Its record goes under the
 * record set lock and never leaves zero records, unless the input says "decommission": true (the
 * Cleanup procedure's way to take the last region down).
 */
export function stopRegionDefinition(scope: Construct, props: RegionStateMachineDefinitionProps): sfn.IChainable {
  const b = new DefinitionBuilder(new Construct(scope, 'StopRegionStates'), props);
  const s = b.scope;
  const stopped = new sfn.Succeed(s, 'Region stopped');
  const stopFailed = new sfn.Fail(s, 'Stop failed', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const afterFailure = b.finish('Failed: ', 'stop', 'failed', '$.failure', {}, stopFailed);
  const afterSuccess = b.finish('', 'stop', 'succeeded', null, { leftovers: sfn.JsonPath.listAt('$.sweep.leftovers') }, stopped);
  const teardown = b.teardown('', afterFailure, '$.failure', afterSuccess);
  return b.validateInput('stop').next(b.acquireLock()).next(teardown);
}
