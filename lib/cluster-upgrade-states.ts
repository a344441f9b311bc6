/**
 * The UpgradeRegion and UpgradeClusters definitions: how the clusters follow a raised
 * `cluster.kubernetesVersion` (see docs/upgrades.md).
 *
 * UpgradeRegion: validate → lock (waiting for a start or stop of the region to finish) → poll the
 * upgradeCluster step until the cluster runs the configured version (each call makes at most one
 * change: a node group to the control plane's version, or the control plane one minor up; see
 * lambdas/region-ops/cluster-upgrade.ts) → release → notify. A region without a cluster (stopped
 * cold) is skipped. Holding the region lock for the whole upgrade keeps the autoscaler (and any
 * operator) from stopping or starting the region half-way; they are refused with RegionBusy and
 * try again once the upgrade is done.
 *
 * UpgradeClusters runs UpgradeRegion for each configured region, one region at a time (scalable
 * regions first, then always-on ones) and halts at the first region that fails; it holds no lock
 * itself. It reuses RolloutWorkload's bookkeeping step, with waves of one region.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { UPGRADE_EXECUTION_NAME_PREFIX } from '../lambdas/autoscaler/execution-names';
import { DefinitionBuilder, type RegionStateMachineDefinitionProps } from './region-state-machines';
import { quietUnderWaves, regionOutcome, regionWavesDefinition } from './region-waves-states';

/** How long an upgrade waits for a start or stop of its region to finish: 30 minutes. */
const LOCK_WAIT = { interval: Duration.minutes(1), maxAttempts: 30 };

/**
 * One poll every 90 s for at most 2 hours: a control-plane minor takes EKS about 10-25 minutes and
 * a managed node group's rolling update about as long again, so two minors fit, and nothing this
 * slow needs a finer poll; a larger raise that runs out is continued by running the upgrade again
 * (nothing is started twice). With the lock wait this stays inside the region workflows' 3-hour
 * timeout, which is also the lock's lease.
 */
export const UPGRADE_POLL = { interval: Duration.seconds(90), maxAttempts: 80 };

/** UpgradeRegion: validate → lock → upgrade poll → (no cluster: skipped) → release → notify. */
export function upgradeRegionDefinition(scope: Construct, props: RegionStateMachineDefinitionProps): sfn.IChainable {
  const b = new DefinitionBuilder(new Construct(scope, 'UpgradeRegionStates'), props);
  const s = b.scope;
  // What UpgradeClusters reads, with the version the cluster ran at the end.
  const result = (id: string, outcome: string) => regionOutcome(s, id, outcome, { 'version.$': '$.upgrade.version' });
  const quiet = quietUnderWaves();
  const upgraded = b.finish(
    '',
    'upgrade',
    'succeeded',
    null,
    { version: sfn.JsonPath.stringAt('$.upgrade.version') },
    result('Upgraded', 'succeeded'),
    quiet,
  );
  const noCluster = b.finish(
    'No cluster: ',
    'upgrade',
    'skipped',
    null,
    { why: sfn.JsonPath.stringAt('$.upgrade.detail') },
    result('Skipped', 'skipped'),
    quiet,
  );
  const failed = b.finish(
    'Failed: ',
    'upgrade',
    'failed',
    '$.failure',
    {},
    new sfn.Fail(s, 'Upgrade failed', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }),
  );

  const check = b.pollStep('Upgrade cluster', 'upgradeCluster', 'upgrade', { previous: sfn.JsonPath.objectAt('$.upgrade') });
  b.catchFailure(check, failed, '$.failure');
  const poll = b.poll('Cluster at the configured version', {
    check,
    counter: 'upgrade',
    done: sfn.Condition.stringEquals('$.upgrade.status', 'UPGRADED'),
    failed: { when: sfn.Condition.stringEquals('$.upgrade.status', 'FAILED'), error: 'UpgradeFailed', causePath: '$.upgrade.detail' },
    redirect: { when: sfn.Condition.stringEquals('$.upgrade.status', 'ABSENT'), next: noCluster },
    interval: UPGRADE_POLL.interval,
    maxAttempts: UPGRADE_POLL.maxAttempts,
    timeoutCause: 'the cluster upgrade did not finish within 2 hours; run UpgradeClusters again to continue from where it is',
    timeoutDetailPath: '$.upgrade.detail',
    onFailure: failed,
    startWith: 'check',
  });
  poll.then(upgraded);
  // The poll's own state: its counter, and no update started yet.
  const begin = new sfn.Pass(s, 'No update started yet', { parameters: { attempt: 0 }, resultPath: '$.upgrade' });
  begin.next(poll.entry);
  return b.validateInput('upgrade').next(b.acquireLock(LOCK_WAIT)).next(begin);
}

export interface UpgradeClustersDefinitionProps extends RegionStateMachineDefinitionProps {
  readonly upgradeRegion: sfn.IStateMachine;
}

/** UpgradeClusters: validate → (each region in turn: UpgradeRegion → record → halted? stop) → report → notify. */
export function upgradeClustersDefinition(scope: Construct, props: UpgradeClustersDefinitionProps): sfn.IChainable {
  // Waves of one region (the validate step makes them), so the roll-out's bookkeeping applies.
  return regionWavesDefinition(scope, {
    ...props,
    operation: 'upgradeClusters',
    perRegion: props.upgradeRegion,
    regionsAtOnce: 1,
    reason: "States.Format('upgrade to Kubernetes {} ({})', $.input.version, $$.Execution.Name)",
    // Each UpgradeRegion's name carries its region, which the autoscaler reads to hold that region
    // while the upgrade runs (parseUpgradeExecutionName in lambdas/autoscaler/execution-names.ts);
    // a UUID keeps it unique and within 80 characters.
    regionExecutionName: sfn.JsonPath.format(
      `${UPGRADE_EXECUTION_NAME_PREFIX}-{}-{}`,
      sfn.JsonPath.stringAt('$.region'),
      sfn.JsonPath.uuid(),
    ),
    names: {
      scope: 'UpgradeClustersStates',
      halted: 'Upgrade halted',
      haltedError: 'UpgradeHalted',
      result: 'Upgrade result',
      succeeded: 'Clusters upgraded',
      runRegion: 'Upgrade region',
      recordFailedRegion: 'Record failed upgrade',
      runWave: 'Upgrade the region',
      recordWave: 'Record the region',
      pickWave: 'Pick the region',
      moreWaves: 'More regions?',
      start: 'Start at the first region',
    },
  });
}
