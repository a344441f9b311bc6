/**
 * The simulator's `--model` file: overrides of the cost model's defaults, validated like the
 * config. Apart from cost-model.ts so that the autoscaler, which prices regions with the defaults,
 * does not load the schema library at cold start.
 */
import { z } from 'zod';
import { type ConfigProblem, jsonPath, regionCodeSchema } from '../config';
import { suggestRegion } from '../regions';
import { type CostModel, DEFAULT_LEAD_TIMES, DEFAULT_PRICES, type Prices, startMinutes, stopMinutes } from './cost-model';

const minutes = (what: string) =>
  z
    .number({ error: `expected ${what} in whole minutes (0 or more)` })
    .int({ error: `expected ${what} in whole minutes (0 or more)` })
    .nonnegative({ error: `expected ${what} in whole minutes (0 or more)` });
const usd = (what: string) =>
  z.number({ error: `expected ${what} in USD (a number of 0 or more)` }).nonnegative({ error: `expected ${what} in USD (0 or more)` });

const leadTimesSchema = z.strictObject({
  clusterCreateMinutes: minutes('the cluster creation time'),
  workloadReadyMinutes: minutes('the time for nodes and pods to be ready'),
  loadBalancerReadyMinutes: minutes('the load balancer provisioning time'),
  dnsChangeMinutes: minutes('the DNS change time'),
  dnsDrainMinutes: minutes('the DNS drain time'),
  loadBalancerDeleteMinutes: minutes('the load balancer deletion time'),
  clusterDeleteMinutes: minutes('the cluster deletion time'),
});

const pricesSchema = z.strictObject({
  eksControlPlanePerHour: usd('the EKS control plane price per hour'),
  nodeCount: z
    .number({ error: 'expected a node count (a whole number of 0 or more)' })
    .int({ error: 'expected a node count (a whole number of 0 or more)' })
    .nonnegative({ error: 'expected a node count (a whole number of 0 or more)' }),
  nodeInstancePerHour: usd('the node price per hour'),
  autoModeFeePerNodeHour: usd('the Auto Mode fee per node-hour'),
  nlbPerHour: usd('the NLB price per hour'),
  healthCheckPerMonth: usd('the health check price per month'),
  healthCheckHttpsPerMonth: usd("the health check's HTTPS feature price per month"),
});

/** The `--model` file: every field optional; what is left out keeps its default. */
export const costModelOverrideSchema = z.strictObject({
  $comment: z.string().optional(),
  leadTimes: leadTimesSchema.partial().optional(),
  prices: pricesSchema.partial().optional(),
  perRegion: z.partialRecord(regionCodeSchema, z.strictObject({ prices: pricesSchema.partial() })).optional(),
});

export type CostModelOverride = z.output<typeof costModelOverrideSchema>;

export type CostModelResult =
  { readonly ok: true; readonly model: CostModel } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Defaults with the file's overrides applied, or every problem with its JSON path. */
export function costModelFrom(raw: unknown): CostModelResult {
  const parsed = costModelOverrideSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(toProblems) };
  const override = parsed.data;
  const perRegion: Record<string, Partial<Prices>> = {};
  for (const [region, entry] of Object.entries(override.perRegion ?? {})) if (entry) perRegion[region] = entry.prices;
  const leadTimes = { ...DEFAULT_LEAD_TIMES, ...override.leadTimes };
  // The simulator steps whole minutes: a transition of zero minutes would start and finish inside one tick.
  const problems: ConfigProblem[] = [];
  if (startMinutes(leadTimes, true) < 1) {
    problems.push({ path: '$.leadTimes', message: 'expected a start (workload + load balancer + DNS) of at least 1 minute in total' });
  }
  if (stopMinutes(leadTimes, true) < 1) {
    problems.push({ path: '$.leadTimes', message: 'expected a stop (DNS drain + load balancer deletion) of at least 1 minute in total' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, model: { leadTimes, prices: { ...DEFAULT_PRICES, ...override.prices }, perRegion } };
}

function toProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  if (issue.code !== 'unrecognized_keys') return [{ path: jsonPath(issue.path), message: issue.message }];
  const where = issue.path[issue.path.length - 1];
  return issue.keys.map((key) => {
    const path = jsonPath([...issue.path, key]);
    if (where === 'perRegion') {
      const hint = suggestRegion(key);
      return {
        path,
        message: `"${key}" is not an AWS region code; ${hint ? `did you mean "${hint}"?` : 'expected a code such as "sa-east-1"'}`,
      };
    }
    const known =
      where === 'leadTimes'
        ? Object.keys(leadTimesSchema.shape)
        : where === 'prices'
          ? Object.keys(pricesSchema.shape)
          : issue.path.length === 0
            ? Object.keys(costModelOverrideSchema.shape)
            : ['prices'];
    return { path, message: `unknown field; expected one of: ${known.join(', ')}` };
  });
}
