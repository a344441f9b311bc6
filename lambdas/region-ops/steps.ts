/**
 * The events the region-ops Lambda accepts: one per workflow step (StartRegion, StopRegion,
 * SyncRegion, RolloutWorkload, PurgeCache, UpgradeRegion, UpgradeClusters), told apart by `step`. The
 * state machines build them with Parameters; the schema is the contract between the two.
 */
import { z } from 'zod';
import { MAX_PURGE_PATHS, pathProblem } from './purge-input';
import { lockReadingSchema } from './purge-region';

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected an AWS region code' });
const attempt = z.number().int().nonnegative().default(0);
const loadBalancer = z.strictObject({ dnsName: z.string().min(1), canonicalHostedZoneId: z.string().min(1) });
const manifest = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
});

// Only Deployments are restored, and only at a path the inspect step returned.
const deploymentPath = z.string().regex(/^\/apis\/apps\/v1\/namespaces\/[a-z0-9-]+\/deployments\/[a-z0-9.-]+$/, {
  error: 'expected the API path of a Deployment such as /apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx',
});
const previousTemplate = z.strictObject({ path: deploymentPath, template: z.record(z.string(), z.unknown()) });
// One region's result in a roll-out. A Catch may leave error/cause null rather than absent.
const waveResult = z
  .strictObject({
    region: z.string().min(1),
    outcome: z.string().min(1),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  })
  .transform(({ error, cause, ...rest }) => ({ ...rest, ...(error == null ? {} : { error }), ...(cause == null ? {} : { cause }) }));

// PurgeCache: the request every region's companions act on, built by the state machine from the validated input.
const purgePath = z.string().superRefine((value, ctx) => {
  const problem = pathProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} ${problem}` });
});
const purgeRequest = z.strictObject({
  // The execution's name: unique per execution, the same for every retry and region within it.
  id: z.string().min(1).max(80),
  paths: z.array(purgePath).max(MAX_PURGE_PATHS),
  // Prefixes without their "*": any path, including "/" itself.
  prefixes: z.array(purgePath).max(MAX_PURGE_PATHS),
  everything: z.boolean(),
  requestedAt: z.iso.datetime({ error: 'expected an ISO 8601 UTC time such as 2026-01-05T09:00:00.000Z' }),
});
const podPurgeResult = z.union([
  z.strictObject({ pod: z.string().min(1), removed: z.number().int().nonnegative(), scanned: z.number().int().nonnegative() }),
  z.strictObject({ pod: z.string().min(1), error: z.string() }),
]);
const regionPurgeResult = z.strictObject({
  region: z.string().min(1),
  outcome: z.string().min(1),
  reason: z.string().nullish(),
  error: z.string().nullish(),
  cause: z.string().nullish(),
  pods: z.array(podPurgeResult).nullish(),
  waiting: z.array(z.string()).nullish(),
});

export const stepEventSchema = z.discriminatedUnion('step', [
  z.strictObject({
    step: z.literal('validateInput'),
    operation: z.enum(['start', 'stop', 'sync', 'rollout', 'purge', 'upgrade', 'upgradeClusters']),
    input: z.unknown(),
    lockSeconds: z.number().int().positive(),
  }),
  // The clock for a lock's expiry and condition, read again wherever a workflow waits or time has passed.
  z.strictObject({ step: z.literal('readClock') }),
  // StartRegion, before it changes anything: what a rollback must leave in place.
  z.strictObject({ step: z.literal('inspectRegion'), region }),
  // The execution's name: unique per execution, the same for every retry of the step within it.
  z.strictObject({ step: z.literal('ensureCluster'), region, execution: z.string().min(1), attempt }),
  z.strictObject({ step: z.literal('clusterStatus'), region, attempt }),
  z.strictObject({ step: z.literal('ensureCompute'), region, attempt, execution: z.string().min(1) }),
  z.strictObject({ step: z.literal('grantAccess'), region }),
  // StartRegion and SyncRegion: the access entries of the roles in the config's \`access\` lists.
  z.strictObject({ step: z.literal('grantPeopleAccess'), region }),
  // StartRegion and SyncRegion: the edge pods' Pod Identity association (and agent add-on), polled until the agent serves it.
  z.strictObject({ step: z.literal('ensurePodIdentity'), region, attempt }),
  z.strictObject({ step: z.literal('applyWorkload'), region, manifests: z.array(manifest).min(1) }),
  z.strictObject({ step: z.literal('findLoadBalancer'), region, attempt }),
  z.strictObject({ step: z.literal('ensureHealthCheck'), region, loadBalancer }),
  z.strictObject({ step: z.literal('upsertRecord'), region, loadBalancer, healthCheckId: z.string().min(1) }),
  z.strictObject({ step: z.literal('changeStatus'), region, changeId: z.string().nullable(), attempt }),
  // removeLastRecord: only a StopRegion with "decommission": true may delete the last record.
  z.strictObject({ step: z.literal('deleteRecord'), region, removeLastRecord: z.boolean().default(false) }),
  z.strictObject({ step: z.literal('deleteLoadBalancerServices'), region }),
  z.strictObject({ step: z.literal('loadBalancersGone'), region, hostnames: z.array(z.string()), attempt }),
  z.strictObject({ step: z.literal('scaleWorkloadToZero'), region, manifests: z.array(manifest).min(1) }),
  // Before the cluster is deleted (cold) or once the pods are gone (warm).
  z.strictObject({ step: z.literal('removePodIdentity'), region }),
  z.strictObject({ step: z.literal('deleteNodegroups'), region, attempt }),
  z.strictObject({ step: z.literal('deleteCluster'), region, attempt }),
  z.strictObject({ step: z.literal('deleteHealthChecks'), region, keepHealthCheckId: z.string().nullable().default(null) }),
  z.strictObject({ step: z.literal('sweep'), region }),
  // A removed region only. The execution's name makes the DeleteStack token (see ensureCluster).
  z.strictObject({ step: z.literal('deleteNetworkStack'), region, attempt, execution: z.string().min(1) }),
  // SyncRegion and RolloutWorkload.
  z.strictObject({ step: z.literal('inspectWorkload'), region, manifests: z.array(manifest).min(1) }),
  z.strictObject({ step: z.literal('workloadRollout'), region, manifests: z.array(manifest).min(1), attempt }),
  // healthCheckId: a check the record is not on yet (SyncRegion, before it moves the record); else the record's.
  z.strictObject({ step: z.literal('healthCheckStatus'), region, attempt, healthCheckId: z.string().min(1).optional() }),
  z.strictObject({ step: z.literal('restoreWorkload'), region, previous: z.array(previousTemplate) }),
  // StartRegion and SyncRegion, after the roll-out (and, for a sync, the health check) passed.
  z.strictObject({ step: z.literal('pruneConfigMaps'), region, manifests: z.array(manifest).min(1) }),
  // UpgradeRegion, polled: `previous` is the last call's result, whose `update` that call started (or still waits for).
  z.strictObject({
    step: z.literal('upgradeCluster'),
    region,
    attempt,
    previous: z.looseObject({
      update: z.strictObject({ id: z.string().min(1), nodegroup: z.string().min(1).optional() }).nullish(),
    }),
  }),
  // RolloutWorkload's and UpgradeClusters' bookkeeping after each wave (UpgradeClusters: one region a wave).
  z.strictObject({
    step: z.literal('rolloutProgress'),
    waveIndex: z.number().int().nonnegative(),
    results: z.array(waveResult),
    waveResults: z.array(waveResult),
  }),
  // PurgeCache, per region: refuse (busy), skip (not serving) or write the request; then poll for the pods' answers.
  z.strictObject({ step: z.literal('purgeRegion'), region, request: purgeRequest, lock: lockReadingSchema }),
  z.strictObject({ step: z.literal('purgeProgress'), region, request: purgeRequest, attempt }),
  z.strictObject({ step: z.literal('purgeOutcome'), results: z.array(regionPurgeResult) }),
  z.strictObject({
    step: z.literal('report'),
    operation: z.enum(['start', 'stop', 'sync', 'rollout', 'purge', 'upgrade', 'upgradeClusters']),
    outcome: z.enum(['succeeded', 'failed', 'rolled back', 'rollback failed', 'failed, kept serving', 'skipped', 'halted']),
    region: z.string(),
    reason: z.string(),
    startedAtEpochMs: z.number(),
    failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).nullable().default(null),
    details: z.record(z.string(), z.unknown()).default({}),
  }),
]);

export type StepEvent = z.output<typeof stepEventSchema>;
export type StepName = StepEvent['step'];
