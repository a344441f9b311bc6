/**
 * The PurgeCache definition: drop cached objects (paths, prefixes or everything) in every serving
 * region at once, and say per region and pod what was removed.
 *
 * validate → Map over the configured regions (all at once, up to PURGE_REGIONS_AT_ONCE): read the
 * region lock → purgeRegion (busy: refused, naming the holder; not serving: skipped; serving: the
 * request is written to the region's `edge-purge` ConfigMap) → poll until every Ready edge pod
 * created before the request has answered, or the bound → sum up → notify; the execution fails
 * if any region was busy or failed, after the others were purged.
 *
 * It takes no lock: a purge changes no infrastructure, only deletes cache files, and holding
 * region locks would make starts and stops wait for it. A re-run is safe: it is a new request
 * (the execution's name is its id), and purging what is already gone removes nothing.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DefinitionBuilder, DYNAMODB_RETRY, type RegionStateMachineDefinitionProps } from './region-state-machines';

/** How many regions are purged at once: every region of a typical config, bounded for a large one. */
export const PURGE_REGIONS_AT_ONCE = 10;
/**
 * How often and how long a region's pods are waited for. The companions poll their ConfigMap about
 * once a second and delete files on local disk, so a healthy region answers within a few seconds;
 * a pod that has not answered after 40 s is stuck (or has no companion), and its region fails.
 */
export const PURGE_POLL = { interval: Duration.seconds(2), maxAttempts: 20 } as const;
const PURGE_BOUND_SECONDS = PURGE_POLL.interval.toSeconds() * PURGE_POLL.maxAttempts;

export function purgeCacheDefinition(scope: Construct, props: RegionStateMachineDefinitionProps): sfn.IChainable {
  const b = new DefinitionBuilder(new Construct(scope, 'PurgeCacheStates'), props);
  const s = b.scope;
  const noLock = { holdsLock: false };

  // ---- One region (the Map's item: {input: {region, request}, progress: {attempt}}) ----
  const regionFailed = new sfn.Pass(s, 'Region failed', {
    parameters: { 'region.$': '$.input.region', outcome: 'failed', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
  });
  const readLock = props.lock.readHolder(s, 'Read region lock');
  readLock.addRetry(DYNAMODB_RETRY);
  readLock.addCatch(regionFailed, { errors: ['States.ALL'], resultPath: '$.failure' });
  const request = b.regionStep(
    'Request purge',
    'purgeRegion',
    { request: sfn.JsonPath.objectAt('$.input.request'), lock: sfn.JsonPath.objectAt('$.lock') },
    '$.purge',
    // Bounded: one retry per kind of transient error, so a region's part stays within seconds.
    { retries: 'bounded' },
  );
  b.catchFailure(request, regionFailed, '$.failure');
  const check = b.regionStep(
    'Check purge answers',
    'purgeProgress',
    { request: sfn.JsonPath.objectAt('$.input.request'), attempt: sfn.JsonPath.numberAt('$.progress.attempt') },
    '$.progress',
    { retries: 'bounded' },
  );
  b.catchFailure(check, regionFailed, '$.failure');
  // Skipped (not serving) or refused (busy): the step's answer is the region's result.
  const notRequested = new sfn.Pass(s, 'Region not purged', { outputPath: '$.purge' });
  const answered = new sfn.Pass(s, 'Region answered', { outputPath: '$.progress.result' });
  const timedOut = new sfn.Pass(s, 'Region timed out', {
    parameters: {
      'region.$': '$.input.region',
      outcome: 'failed',
      error: 'PurgeTimeout',
      'cause.$': `States.Format('edge pods {} did not answer purge {} within ${PURGE_BOUND_SECONDS} s of the request (stuck, or without a purge companion); the pods that answered purged their caches', $.progress.waitingSummary, $.input.request.id)`,
      'pods.$': '$.progress.result.pods',
      'waiting.$': '$.progress.waiting',
    },
  });
  const wait = new sfn.Wait(s, 'Wait for purge answers', { time: sfn.WaitTime.duration(PURGE_POLL.interval) });
  wait
    .next(check)
    .next(
      new sfn.Choice(s, 'Every pod answered?')
        .when(sfn.Condition.booleanEquals('$.progress.done', true), answered)
        .when(sfn.Condition.numberGreaterThanEquals('$.progress.attempt', PURGE_POLL.maxAttempts), timedOut)
        .otherwise(wait),
    );
  readLock
    .next(request)
    .next(
      new sfn.Choice(s, 'Purge requested?').when(sfn.Condition.stringEquals('$.purge.outcome', 'requested'), wait).otherwise(notRequested),
    );

  const eachRegion = new sfn.Map(s, 'Purge each region', {
    itemsPath: '$.input.regions',
    maxConcurrency: PURGE_REGIONS_AT_ONCE,
    itemSelector: {
      input: {
        region: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
        request: {
          id: sfn.JsonPath.stringAt('$$.Execution.Name'),
          paths: sfn.JsonPath.listAt('$.input.paths'),
          prefixes: sfn.JsonPath.listAt('$.input.prefixes'),
          // A path reference: the boolean stays a boolean (CDK has no booleanAt).
          everything: sfn.JsonPath.stringAt('$.input.everything'),
          requestedAt: sfn.JsonPath.stringAt('$.input.requestedAt'),
        },
      },
      progress: { attempt: 0 },
    },
    resultPath: '$.regions',
  });
  eachRegion.itemProcessor(readLock);

  // ---- All regions ----
  const details = {
    results: sfn.JsonPath.listAt('$.regions'),
    request: {
      paths: sfn.JsonPath.listAt('$.input.paths'),
      prefixes: sfn.JsonPath.listAt('$.input.prefixes'),
      everything: sfn.JsonPath.stringAt('$.input.everything'),
    },
  };
  const result = new sfn.Pass(s, 'Purge result', {
    parameters: { 'id.$': '$$.Execution.Name', 'removed.$': '$.outcome.removed', 'regions.$': '$.regions' },
  });
  result.next(new sfn.Succeed(s, 'Purged'));
  const finishDone = b.finish('', 'purge', 'succeeded', null, details, result, noLock);
  const finishIncomplete = b.finish(
    'Incomplete: ',
    'purge',
    'failed',
    '$.outcome.failure',
    details,
    new sfn.Fail(s, 'Purge incomplete', { errorPath: '$.outcome.failure.Error', causePath: '$.outcome.failure.Cause' }),
    noLock,
  );
  // Not expected (every region's failure is caught into its result), but never silent.
  const finishBroken = b.finish(
    'Failed: ',
    'purge',
    'failed',
    '$.failure',
    {},
    new sfn.Fail(s, 'Purge failed', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }),
    noLock,
  );
  eachRegion.addCatch(finishBroken, { errors: ['States.ALL'], resultPath: '$.failure' });
  const outcome = b.step('Sum up the purge', 'purgeOutcome', { results: sfn.JsonPath.listAt('$.regions') }, '$.outcome');
  b.catchFailure(outcome, finishBroken, '$.failure');
  outcome.next(
    new sfn.Choice(s, 'Every region purged?')
      .when(sfn.Condition.booleanEquals('$.outcome.failed', true), finishIncomplete)
      .otherwise(finishDone),
  );

  return b.validateInput('purge').next(eachRegion).next(outcome);
}
