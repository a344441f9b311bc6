/**
 * The definition RolloutWorkload and UpgradeClusters share: run a per-region state machine over
 * the configured regions in waves (the validate step splits them, scalable regions first) and
 * halt after a wave in which any region failed. Every execution in a wave runs to its end first
 * (one is never cut off half-way), and the regions after a halt are left as they were. It holds
 * no lock of its own: each per-region execution takes its region's.
 *
 * The two workflows differ only in the per-region machine, how many regions run at once, the
 * reason each region's execution is given, and the names the console shows. The per-region
 * machines (SyncRegion, UpgradeRegion) end the way the waves read them: regionOutcome, quietUnderWaves.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DefinitionBuilder, type RegionStateMachineDefinitionProps, type WorkflowOperation } from './region-state-machines';

/** The names of a waves workflow's states, as its executions show them. */
export interface RegionWavesStateNames {
  /** The construct that holds the states. */
  readonly scope: string;
  /** The Fail state of a halted run, and its error. */
  readonly halted: string;
  readonly haltedError: string;
  /** The Pass state that is the execution's output when every region succeeded, and the Succeed after it. */
  readonly result: string;
  readonly succeeded: string;
  /** The task that runs one region's execution, and the Pass that records one that failed. */
  readonly runRegion: string;
  readonly recordFailedRegion: string;
  /** The Map over one wave, and the step that records the wave's results. */
  readonly runWave: string;
  readonly recordWave: string;
  /** The Pass that picks the next wave, the Choice whether there is one, and the Pass that starts at the first. */
  readonly pickWave: string;
  readonly moreWaves: string;
  readonly start: string;
}

export interface RegionWavesDefinitionProps extends RegionStateMachineDefinitionProps {
  /** What validateInput and the report know the workflow as. */
  readonly operation: Extract<WorkflowOperation, 'rollout' | 'upgradeClusters'>;
  /** Run for each region with `{region, reason}`; its output names the `region` and its `outcome`. */
  readonly perRegion: sfn.IStateMachine;
  /** How many regions of a wave run at once. */
  readonly regionsAtOnce: number;
  /** The reason each region's execution is given: an intrinsic (States.Format) over the state. */
  readonly reason: string;
  /** The name each region's execution is given (a JSONPath expression over `{region, reason}`); without it, Step Functions names it. */
  readonly regionExecutionName?: string;
  readonly names: RegionWavesStateNames;
}

/**
 * How a per-region machine ends when it did not fail: its output is what the waves workflow reads
 * (`region` and `outcome`, and whatever `extra` adds), small rather than the whole state.
 */
export function regionOutcome(scope: Construct, id: string, outcome: string, extra: Record<string, string> = {}): sfn.State {
  const pass = new sfn.Pass(scope, id, { parameters: { 'region.$': '$.input.region', outcome, ...extra } });
  pass.next(new sfn.Succeed(scope, `${id}: done`));
  return pass;
}

/**
 * For the per-region machine's finish(): a run that a waves workflow started (`startedBy`, its
 * execution) is reported in the waves workflow's one message, so it speaks up only when it fails.
 */
export function quietUnderWaves(): { readonly quietWhen: sfn.Condition } {
  return { quietWhen: sfn.Condition.isString('$.input.startedBy') };
}

/** validate → (each wave: run each region → record → halted? stop) → report → notify. */
export function regionWavesDefinition(scope: Construct, props: RegionWavesDefinitionProps): sfn.IChainable {
  const { names, operation } = props;
  const b = new DefinitionBuilder(new Construct(scope, names.scope), props);
  const s = b.scope;
  const noLock = { holdsLock: false };

  const halted = new sfn.Fail(s, names.halted, { error: names.haltedError, causePath: '$.report.message' });
  const finishHalted = b.finish(
    'Halted: ',
    operation,
    'halted',
    null,
    { results: sfn.JsonPath.listAt('$.progress.results'), regions: sfn.JsonPath.listAt('$.input.regions') },
    halted,
    noLock,
  );
  const result = new sfn.Pass(s, names.result, {
    parameters: { 'version.$': '$.input.version', 'results.$': '$.progress.results' },
  });
  result.next(new sfn.Succeed(s, names.succeeded));
  const finishDone = b.finish('', operation, 'succeeded', null, { results: sfn.JsonPath.listAt('$.progress.results') }, result, noLock);

  // One region: an execution of the per-region machine, waited for. Its failure is recorded, not
  // raised, so the rest of the wave finishes (a failed Map would stop them half-way) and the
  // bookkeeping step reports it and halts.
  const runRegion = new tasks.StepFunctionsStartExecution(s, names.runRegion, {
    stateMachine: props.perRegion,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    // Links each region's execution to this one in the console, and tells it it is part of one.
    associateWithParent: true,
    ...(props.regionExecutionName !== undefined ? { name: props.regionExecutionName } : {}),
    input: sfn.TaskInput.fromObject({ region: sfn.JsonPath.stringAt('$.region'), reason: sfn.JsonPath.stringAt('$.reason') }),
    resultSelector: { 'region.$': '$.Output.region', 'outcome.$': '$.Output.outcome' },
  });
  runRegion.addRetry({
    errors: [
      'StepFunctions.ExecutionLimitExceededException',
      'StepFunctions.SdkClientException',
      'StepFunctions.AWSStepFunctionsException',
    ],
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 4,
    jitterStrategy: sfn.JitterType.FULL,
  });
  runRegion.addCatch(
    new sfn.Pass(s, names.recordFailedRegion, {
      parameters: { 'region.$': '$.region', outcome: 'failed', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
    }),
    { errors: ['States.ALL'], resultPath: '$.error' },
  );
  const wave = new sfn.Map(s, names.runWave, {
    itemsPath: '$.wave.regions',
    maxConcurrency: props.regionsAtOnce,
    itemSelector: { 'region.$': '$$.Map.Item.Value', 'reason.$': props.reason },
    resultPath: '$.waveResults',
  });
  wave.itemProcessor(runRegion);

  const progress = b.step(
    names.recordWave,
    'rolloutProgress',
    {
      waveIndex: sfn.JsonPath.numberAt('$.progress.waveIndex'),
      results: sfn.JsonPath.listAt('$.progress.results'),
      waveResults: sfn.JsonPath.listAt('$.waveResults'),
    },
    '$.progress',
  );
  const pickWave = new sfn.Pass(s, names.pickWave, {
    parameters: { 'regions.$': 'States.ArrayGetItem($.input.waves, $.progress.waveIndex)' },
    resultPath: '$.wave',
  });
  const moreWaves = new sfn.Choice(s, names.moreWaves)
    .when(sfn.Condition.numberLessThanJsonPath('$.progress.waveIndex', '$.input.waveCount'), pickWave)
    .otherwise(finishDone);
  pickWave.next(wave).next(progress);
  progress.next(
    new sfn.Choice(s, 'Halted?').when(sfn.Condition.booleanEquals('$.progress.halted', true), finishHalted).otherwise(moreWaves),
  );
  // The report step never fails the outcome (finish() catches it), but the progress step may:
  progress.addCatch(finishHalted, { errors: ['States.ALL'], resultPath: '$.progressError' });

  const start = new sfn.Pass(s, names.start, {
    parameters: { waveIndex: 0, results: [], halted: false, failed: [] },
    resultPath: '$.progress',
  });
  return b.validateInput(operation).next(start).next(moreWaves);
}
