/**
 * The events the region-ops Lambda accepts: one per workflow step, told apart by `step`. The
 * state machines build them with Parameters; the schema is the contract between the two.
 */
import { z } from 'zod';

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected an AWS region code' });
const attempt = z.number().int().nonnegative().default(0);
const loadBalancer = z.strictObject({ dnsName: z.string().min(1), canonicalHostedZoneId: z.string().min(1) });
const manifest = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
});

export const stepEventSchema = z.discriminatedUnion('step', [
  z.strictObject({
    step: z.literal('validateInput'),
    operation: z.enum(['start', 'stop']),
    input: z.unknown(),
    lockSeconds: z.number().int().positive(),
  }),
  // The execution's name: unique per execution, the same for every retry of the step within it.
  z.strictObject({ step: z.literal('ensureCluster'), region, execution: z.string().min(1), attempt }),
  z.strictObject({ step: z.literal('clusterStatus'), region, attempt }),
  z.strictObject({ step: z.literal('ensureCompute'), region, attempt, execution: z.string().min(1) }),
  z.strictObject({ step: z.literal('grantAccess'), region }),
  z.strictObject({ step: z.literal('applyWorkload'), region, manifests: z.array(manifest).min(1) }),
  z.strictObject({ step: z.literal('findLoadBalancer'), region, attempt }),
  z.strictObject({ step: z.literal('ensureHealthCheck'), region, loadBalancer }),
  z.strictObject({ step: z.literal('upsertRecord'), region, loadBalancer, healthCheckId: z.string().min(1) }),
  z.strictObject({ step: z.literal('changeStatus'), region, changeId: z.string().nullable(), attempt }),
  z.strictObject({ step: z.literal('deleteRecord'), region }),
  z.strictObject({ step: z.literal('deleteLoadBalancerServices'), region }),
  z.strictObject({ step: z.literal('loadBalancersGone'), region, hostnames: z.array(z.string()), attempt }),
  z.strictObject({ step: z.literal('scaleWorkloadToZero'), region, manifests: z.array(manifest).min(1) }),
  z.strictObject({ step: z.literal('deleteNodegroups'), region, attempt }),
  z.strictObject({ step: z.literal('deleteCluster'), region, attempt }),
  z.strictObject({ step: z.literal('deleteHealthChecks'), region, keepHealthCheckId: z.string().nullable().default(null) }),
  z.strictObject({ step: z.literal('sweep'), region }),
  z.strictObject({
    step: z.literal('report'),
    operation: z.enum(['start', 'stop']),
    outcome: z.enum(['succeeded', 'failed', 'rolled back', 'rollback failed']),
    region: z.string(),
    reason: z.string(),
    startedAtEpochMs: z.number(),
    failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).nullable().default(null),
    details: z.record(z.string(), z.unknown()).default({}),
  }),
]);

export type StepEvent = z.output<typeof stepEventSchema>;
export type StepName = StepEvent['step'];
