/**
 * The events the region-ops Lambda accepts: one per workflow step (StartRegion, StopRegion,
 * SyncRegion, RolloutWorkload, PurgeCache, UpgradeRegion, UpgradeClusters), told apart by `step`. The
 * state machines build them with Parameters; the schema is the contract between the two.
 */
import * as z from 'zod/mini';
import { MAX_PURGE_PATHS, pathProblem } from './purge-input';
import { lockReadingSchema } from './purge-region';

const region = z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected an AWS region code' }));
const nonnegativeInt = () => z.number().check(z.int(), z.nonnegative());
const nonempty = () => z.string().check(z.minLength(1));
const attempt = z._default(nonnegativeInt(), 0);
const loadBalancer = z.strictObject({ dnsName: nonempty(), canonicalHostedZoneId: nonempty() });
const manifest = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.optional(z.string()), labels: z.optional(z.record(z.string(), z.string())) }),
});
const manifests = z.array(manifest).check(z.minLength(1));

// Only Deployments are restored, and only at a path the inspect step returned.
const deploymentPath = z.string().check(
  z.regex(/^\/apis\/apps\/v1\/namespaces\/[a-z0-9-]+\/deployments\/[a-z0-9.-]+$/, {
    error: 'expected the API path of a Deployment such as /apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx',
  }),
);
const previousTemplate = z.strictObject({ path: deploymentPath, template: z.record(z.string(), z.unknown()) });
// One region's result in a roll-out. A Catch may leave error/cause null rather than absent.
const waveResult = z.pipe(
  z.strictObject({
    region: nonempty(),
    outcome: nonempty(),
    error: z.nullish(z.string()),
    cause: z.nullish(z.string()),
  }),
  z.transform(({ error, cause, ...rest }) => ({ ...rest, ...(error == null ? {} : { error }), ...(cause == null ? {} : { cause }) })),
);

// PurgeCache: the request every region's companions act on, built by the state machine from the validated input.
const purgePath = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = pathProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} ${problem}` });
  }),
);
const purgeRequest = z.strictObject({
  // The execution's name: unique per execution, the same for every retry and region within it.
  id: z.string().check(z.minLength(1), z.maxLength(80)),
  paths: z.array(purgePath).check(z.maxLength(MAX_PURGE_PATHS)),
  // Prefixes without their "*": any path, including "/" itself.
  prefixes: z.array(purgePath).check(z.maxLength(MAX_PURGE_PATHS)),
  everything: z.boolean(),
  requestedAt: z.iso.datetime({ error: 'expected an ISO 8601 UTC time such as 2026-01-05T09:00:00.000Z' }),
});
const podPurgeResult = z.union([
  z.strictObject({ pod: nonempty(), removed: nonnegativeInt(), scanned: nonnegativeInt() }),
  z.strictObject({ pod: nonempty(), error: z.string() }),
]);
const regionPurgeResult = z.strictObject({
  region: nonempty(),
  outcome: nonempty(),
  reason: z.nullish(z.string()),
  error: z.nullish(z.string()),
  cause: z.nullish(z.string()),
  pods: z.nullish(z.array(podPurgeResult)),
  waiting: z.nullish(z.array(z.string())),
});

export const stepEventSchema = z.discriminatedUnion('step', [
  z.strictObject({
    step: z.literal('validateInput'),
    operation: z.enum(['start', 'stop', 'sync', 'rollout', 'purge', 'upgrade', 'upgradeClusters']),
    input: z.unknown(),
    lockSeconds: z.number().check(z.int(), z.positive()),
  }),
  // The clock for a lock's expiry and condition, read again wherever a workflow waits or time has passed.
  z.strictObject({ step: z.literal('readClock') }),
  // StartRegion, before it changes anything: what a rollback must leave in place.
  z.strictObject({ step: z.literal('inspectRegion'), region }),
  // The execution's name: unique per execution, the same for every retry of the step within it.
  z.strictObject({ step: z.literal('ensureCluster'), region, execution: nonempty(), attempt }),
  z.strictObject({ step: z.literal('clusterStatus'), region, attempt }),
  z.strictObject({ step: z.literal('ensureCompute'), region, attempt, execution: nonempty() }),
  z.strictObject({ step: z.literal('grantAccess'), region }),
  // StartRegion and SyncRegion: the access entries of the roles in the config's \`access\` lists.
  z.strictObject({ step: z.literal('grantPeopleAccess'), region }),
  // StartRegion and SyncRegion: the edge pods' Pod Identity association (and agent add-on), polled until the agent serves it.
  z.strictObject({ step: z.literal('ensurePodIdentity'), region, attempt }),
  z.strictObject({ step: z.literal('applyWorkload'), region, manifests }),
  z.strictObject({ step: z.literal('findLoadBalancer'), region, attempt }),
  z.strictObject({ step: z.literal('ensureHealthCheck'), region, loadBalancer }),
  z.strictObject({ step: z.literal('upsertRecord'), region, loadBalancer, healthCheckId: nonempty() }),
  z.strictObject({ step: z.literal('changeStatus'), region, changeId: z.nullable(z.string()), attempt }),
  // removeLastRecord: only a StopRegion with "decommission": true may delete the last record.
  z.strictObject({ step: z.literal('deleteRecord'), region, removeLastRecord: z._default(z.boolean(), false) }),
  z.strictObject({ step: z.literal('deleteLoadBalancerServices'), region }),
  z.strictObject({ step: z.literal('loadBalancersGone'), region, hostnames: z.array(z.string()), attempt }),
  z.strictObject({ step: z.literal('scaleWorkloadToZero'), region, manifests }),
  // Before the cluster is deleted (cold) or once the pods are gone (warm).
  z.strictObject({ step: z.literal('removePodIdentity'), region }),
  z.strictObject({ step: z.literal('deleteNodegroups'), region, attempt }),
  z.strictObject({ step: z.literal('deleteCluster'), region, attempt }),
  z.strictObject({ step: z.literal('deleteHealthChecks'), region, keepHealthCheckId: z._default(z.nullable(z.string()), null) }),
  z.strictObject({ step: z.literal('sweep'), region }),
  // A removed region only. The execution's name makes the DeleteStack token (see ensureCluster).
  z.strictObject({ step: z.literal('deleteNetworkStack'), region, attempt, execution: nonempty() }),
  // SyncRegion and RolloutWorkload.
  z.strictObject({ step: z.literal('inspectWorkload'), region, manifests }),
  z.strictObject({ step: z.literal('workloadRollout'), region, manifests, attempt }),
  // healthCheckId: a check the record is not on yet (SyncRegion, before it moves the record); else the record's.
  z.strictObject({ step: z.literal('healthCheckStatus'), region, attempt, healthCheckId: z.optional(nonempty()) }),
  z.strictObject({ step: z.literal('restoreWorkload'), region, previous: z.array(previousTemplate) }),
  // StartRegion and SyncRegion, after the roll-out (and, for a sync, the health check) passed.
  z.strictObject({ step: z.literal('pruneConfigMaps'), region, manifests }),
  // UpgradeRegion, polled: `previous` is the last call's result, whose `update` that call started (or still waits for).
  z.strictObject({
    step: z.literal('upgradeCluster'),
    region,
    attempt,
    previous: z.looseObject({
      update: z.nullish(z.strictObject({ id: nonempty(), nodegroup: z.optional(nonempty()) })),
    }),
  }),
  // RolloutWorkload's and UpgradeClusters' bookkeeping after each wave (UpgradeClusters: one region a wave).
  z.strictObject({
    step: z.literal('rolloutProgress'),
    waveIndex: nonnegativeInt(),
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
    failure: z._default(z.nullable(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })), null),
    details: z._default(z.record(z.string(), z.unknown()), {}),
  }),
]);

export type StepEvent = z.output<typeof stepEventSchema>;
export type StepName = StepEvent['step'];
