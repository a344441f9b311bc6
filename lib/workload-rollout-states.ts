/**
 * The SyncRegion and RolloutWorkload definitions: how a new workload version reaches the regions
 * that are serving, without an outage.
 *
 * SyncRegion brings one region to the deployed workload: lock → is it serving? (a stopped or warm
 * region is skipped: its next start applies the current manifests) → remember the Deployments'
 * current pod templates → converge the edge pods' Pod Identity association → apply → wait for the roll-out (the Deployment surges one new pod at a
 * time and never takes an old one away first, so the region serves throughout) → wait for the
 * region's Route 53 health check to pass → prune ConfigMaps of older versions → release →
 * notify. If the new version does not become available or healthy, the remembered templates are
 * put back (what `kubectl rollout undo` does) and the sync fails, naming the cause: the region
 * keeps serving the previous version, and since ConfigMaps are named by content (renderManifests)
 * the restored template mounts the previous ConfigMap, which the restore path never prunes.
 *
 * Then the region's Route 53 health check is brought to what the config wants (a region that
 * served before HTTPS checks existed has an HTTP one): the wanted check is made as StartRegion
 * makes it, waited for until Route 53's checkers pass it, and only then is the latency record
 * moved to it (under the record set lock), and the old check deleted once the move is INSYNC. A
 * record never points at a check that has not passed, nor at a deleted one (Route 53 refuses to
 * delete a check a record uses). If the wanted check does not pass, or the record cannot be
 * moved, the record and its check are left as they were (a move that does not reach INSYNC keeps
 * the old check for the next sync to delete) and the sync fails "failed, kept serving": the new
 * version passed the check viewers are routed by, so it is kept, but a region whose wanted check
 * fails (with HTTPS, viewers' TLS to it) needs the operator, and halts a roll-out. A region
 * already as wanted costs no call beyond the reads of the inspection.
 *
 * RolloutWorkload runs SyncRegion over the configured regions in waves (`rolloutRegionsAtOnce` at
 * a time, scalable regions first) and halts after a wave in which any region failed; every sync
 * in that wave runs to its end first (a sync is never cut off half-way), and the regions after it
 * keep the previous version. It holds no lock of its own: each SyncRegion takes its region's.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DefinitionBuilder, type RegionStateMachineDefinitionProps } from './region-state-machines';
import { quietUnderWaves, regionOutcome, regionWavesDefinition } from './region-waves-states';

/** How long a sync waits for a start or stop of its region to finish before it gives up: 30 minutes. */
const LOCK_WAIT = { interval: Duration.minutes(1), maxAttempts: 30 };

/**
 * SyncRegion: validate → lock → inspect → (not serving: skip) → edge pod identity → apply → rolled out → healthy →
 * prune → (health check not as wanted: ensure it → it passes → move the record → INSYNC → delete
 * the old one) → release → notify.
 */
export function syncRegionDefinition(scope: Construct, props: RegionStateMachineDefinitionProps): sfn.IChainable {
  const b = new DefinitionBuilder(new Construct(scope, 'SyncRegionStates'), props);
  const s = b.scope;

  const syncFailed = new sfn.Fail(s, 'Sync failed, previous version restored', {
    errorPath: '$.failure.Error',
    causePath: '$.failure.Cause',
  });
  const restoreFailed = new sfn.Fail(s, 'Sync failed, restore failed', {
    errorPath: '$.rollbackFailure.Error',
    causePath: '$.rollbackFailure.Cause',
  });
  const afterRestore = b.finish('Restored: ', 'sync', 'rolled back', '$.failure', {}, syncFailed);
  const afterRestoreFailure = b.finish(
    'Restore failed: ',
    'sync',
    'rollback failed',
    '$.rollbackFailure',
    { syncFailure: sfn.JsonPath.objectAt('$.failure') },
    restoreFailed,
  );

  // Put back the pod templates the region served before this sync, and wait until they serve again.
  const restore = b.regionStep(
    'Restore previous version',
    'restoreWorkload',
    { previous: sfn.JsonPath.listAt('$.current.previous') },
    '$.restored',
  );
  const restorePoll = b.awaitWorkloadRollout('Previous version back', 'restoreRollout', afterRestoreFailure);
  b.catchFailure(restore, afterRestoreFailure, '$.rollbackFailure');
  b.catchFailure(restorePoll.check, afterRestoreFailure, '$.rollbackFailure');
  restore.next(restorePoll.entry);
  restorePoll.then(afterRestore);
  // A Choice on an absent path is a runtime error: test for the first element instead of the length.
  const onFailure = new sfn.Choice(s, 'Anything to restore?')
    .when(sfn.Condition.isPresent('$.current.previous[0]'), restore)
    .otherwise(afterRestore);

  const inspect = b.regionStep('Inspect workload', 'inspectWorkload', { manifests: props.manifests }, '$.current');
  const apply = b.regionStep('Apply workload', 'applyWorkload', { manifests: props.manifests }, '$.workload');
  const rolloutPoll = b.awaitWorkloadRollout('Workload rolled out', 'workloadRollout', onFailure);
  const healthCheck = b.pollStep('Check health check', 'healthCheckStatus', 'healthCheck');
  const healthPoll = b.poll('Health check passing', {
    check: healthCheck,
    counter: 'healthCheck',
    done: sfn.Condition.booleanEquals('$.healthCheck.healthy', true),
    // Route 53 checkers look every 30 s and need 3 failures to call a region unhealthy.
    interval: Duration.seconds(30),
    maxAttempts: 10,
    timeoutCause: 'the region health check did not pass within 5 minutes of the roll-out',
    onFailure,
    startWith: 'check',
  });
  // Before anything changed, a failure has nothing to undo: release, report, fail.
  const inspectFailed = new sfn.Fail(s, 'Sync failed', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  b.catchFailure(inspect, b.finish('Inspect failed: ', 'sync', 'failed', '$.failure', {}, inspectFailed), '$.failure');
  for (const task of [apply, rolloutPoll.check, healthCheck]) b.catchFailure(task, onFailure, '$.failure');

  const quiet = quietUnderWaves();
  const notServing = b.finish(
    'Not serving: ',
    'sync',
    'skipped',
    null,
    { why: sfn.JsonPath.stringAt('$.current.reason') },
    regionOutcome(s, 'Skipped', 'skipped'),
    quiet,
  );
  const synced = b.finish(
    '',
    'sync',
    'succeeded',
    null,
    { applied: sfn.JsonPath.listAt('$.workload.applied') },
    regionOutcome(s, 'Synced', 'succeeded'),
    quiet,
  );

  // The health check, once the new version serves. Nothing here restores the workload: it passed
  // the check the record uses; a failure leaves the record on a check that passed, and deletes none.
  const keptServing = b.finish(
    'Health check kept: ',
    'sync',
    'failed, kept serving',
    '$.failure',
    {
      kept: 'the new version serves, and the latency record uses a health check that passed: its previous one, unless the record was moved before the failure; no check was deleted. Fix the cause and run SyncRegion (or the roll-out) again',
      wantedHealthCheck: sfn.JsonPath.stringAt('$.wantedCheck.healthCheckId'),
    },
    new sfn.Fail(s, 'Sync failed, region kept serving', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }),
  );
  // Ensuring the wanted check failed: there is no id to report (a check it made is reused by the re-run).
  const noWantedCheckYet = new sfn.Pass(s, 'No wanted health check yet', {
    parameters: { healthCheckId: 'unknown: ensuring it failed' },
    resultPath: '$.wantedCheck',
  }).next(keptServing);
  const ensureWanted = b.regionStep(
    'Ensure wanted health check',
    'ensureHealthCheck',
    { loadBalancer: sfn.JsonPath.objectAt('$.current.healthCheck.loadBalancer') },
    '$.wantedCheck',
  );
  b.catchFailure(ensureWanted, noWantedCheckYet, '$.failure');
  const wantedCheck = b.pollStep('Check wanted health check', 'healthCheckStatus', 'wantedHealthCheck', {
    healthCheckId: sfn.JsonPath.stringAt('$.wantedCheck.healthCheckId'),
  });
  b.catchFailure(wantedCheck, keptServing, '$.failure');
  const wantedPoll = b.poll('Wanted health check passing', {
    check: wantedCheck,
    counter: 'wantedHealthCheck',
    done: sfn.Condition.booleanEquals('$.wantedHealthCheck.healthy', true),
    // A new check has no observations until Route 53's checkers have looked (every 30 s).
    interval: Duration.seconds(30),
    maxAttempts: 10,
    timeoutCause: 'the wanted health check did not pass within 5 minutes',
    timeout: {
      error: 'HealthCheckNotPassing',
      causePath:
        "States.Format('the health check the config wants did not pass within 5 minutes ({}); the latency record still uses health check {}, which is kept, and the region keeps serving', $.wantedHealthCheck.detail, $.current.healthCheck.id)",
    },
    onFailure: keptServing,
    startWith: 'wait',
  });
  // Under the record set lock like every change of a record; bounded retries keep it inside the lease.
  const moveRecord = b.regionStep(
    'Move latency record to the wanted check',
    'upsertRecord',
    {
      loadBalancer: sfn.JsonPath.objectAt('$.current.healthCheck.loadBalancer'),
      healthCheckId: sfn.JsonPath.stringAt('$.wantedCheck.healthCheckId'),
    },
    '$.record',
    { retries: 'bounded' },
  );
  const moveCheck = b.pollStep('Check record move', 'changeStatus', 'dnsChange', { changeId: sfn.JsonPath.stringAt('$.record.changeId') });
  b.catchFailure(moveCheck, keptServing, '$.failure');
  const movePoll = b.poll('Record move in sync', {
    check: moveCheck,
    counter: 'dnsChange',
    done: sfn.Condition.stringEquals('$.dnsChange.status', 'INSYNC'),
    interval: Duration.seconds(10),
    maxAttempts: 60,
    timeoutCause: 'Route 53 did not report the move of the latency record INSYNC within 10 minutes; the old health check is kept',
    onFailure: keptServing,
    startWith: 'wait',
  });
  // The record uses the wanted check everywhere now. Tidying up is best effort, as in StartRegion:
  // a check left here is found by its CallerReference and deleted by the next sync (or stop).
  const tidy = (id: string, keepPath: string) => {
    const task = b.regionStep(id, 'deleteHealthChecks', { keepHealthCheckId: sfn.JsonPath.stringAt(keepPath) }, sfn.JsonPath.DISCARD);
    task.addCatch(synced, { errors: ['States.ALL'], resultPath: '$.staleHealthCheckError' });
    task.next(synced);
    return task;
  };
  wantedPoll.then(b.guardRecordSet('', moveRecord, movePoll.entry, keptServing, '$.failure'));
  movePoll.then(tidy('Delete the old health check', '$.wantedCheck.healthCheckId'));
  const healthCheckAsWanted = new sfn.Choice(s, 'Health check as wanted?')
    .when(sfn.Condition.booleanEquals('$.current.healthCheck.replace', true), ensureWanted)
    .when(
      sfn.Condition.booleanEquals('$.current.healthCheck.superseded', true),
      tidy('Delete superseded health checks', '$.current.healthCheck.id'),
    )
    .otherwise(synced);
  ensureWanted.next(wantedPoll.entry);

  // The new version serves: ConfigMaps of older versions (content-named, see renderManifests) are
  // mounted by no pod now. Best effort: a failed prune never fails or rolls back a sync that
  // succeeded (the next sync or start prunes them). The restore path never prunes: the restored
  // template mounts the previous ConfigMap.
  const prune = b.pruneConfigMaps(healthCheckAsWanted);

  // The edge pods' Pod Identity association, converged like at a start (a redeploy may have
  // replaced the edge agent role): one check, which changes nothing when it is as wanted. Nothing
  // is applied yet if it fails, so the region keeps serving what it served.
  const podIdentityFailed = b.finish(
    'Pod identity failed: ',
    'sync',
    'failed, kept serving',
    '$.failure',
    { kept: 'nothing was applied: the region keeps serving the version it had' },
    new sfn.Fail(s, 'Sync failed before applying', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }),
  );
  const podIdentityPoll = b.ensurePodIdentity('', podIdentityFailed);
  b.catchFailure(podIdentityPoll.check, podIdentityFailed, '$.failure');
  // People's access entries, converged to the config's \`access\` lists before anything is applied:
  // a failure leaves the region serving what it served.
  const peopleAccessFailed = b.finish(
    'People access failed: ',
    'sync',
    'failed, kept serving',
    '$.failure',
    { kept: 'nothing was applied: the region keeps serving the version it had' },
    new sfn.Fail(s, 'Sync failed at people access', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }),
  );
  const grantPeopleAccess = b.regionStep('Grant people cluster access', 'grantPeopleAccess', {}, sfn.JsonPath.DISCARD);
  b.catchFailure(grantPeopleAccess, peopleAccessFailed, '$.failure');
  inspect.next(
    new sfn.Choice(s, 'Serving?').when(sfn.Condition.booleanEquals('$.current.serving', true), grantPeopleAccess).otherwise(notServing),
  );
  grantPeopleAccess.next(podIdentityPoll.entry);
  podIdentityPoll.then(apply);
  apply.next(rolloutPoll.entry);
  rolloutPoll.then(healthPoll.entry);
  healthPoll.then(prune);

  return b.validateInput('sync').next(b.acquireLock(LOCK_WAIT)).next(inspect);
}

export interface RolloutWorkloadDefinitionProps extends RegionStateMachineDefinitionProps {
  readonly syncRegion: sfn.IStateMachine;
  /** How many regions sync at once (config `workload.rolloutRegionsAtOnce`). */
  readonly regionsAtOnce: number;
}

/** RolloutWorkload: validate → (wave: sync each region → record → halted? stop) → report → notify. */
export function rolloutWorkloadDefinition(scope: Construct, props: RolloutWorkloadDefinitionProps): sfn.IChainable {
  return regionWavesDefinition(scope, {
    ...props,
    operation: 'rollout',
    perRegion: props.syncRegion,
    reason: "States.Format('workload roll-out of version {} ({})', $.input.version, $$.Execution.Name)",
    names: {
      scope: 'RolloutWorkloadStates',
      halted: 'Roll-out halted',
      haltedError: 'RolloutHalted',
      result: 'Roll-out result',
      succeeded: 'Rolled out',
      runRegion: 'Sync region',
      recordFailedRegion: 'Record failed sync',
      runWave: 'Sync the wave',
      recordWave: 'Record the wave',
      pickWave: 'Pick the wave',
      moreWaves: 'More waves?',
      start: 'Start at the first wave',
    },
  });
}
