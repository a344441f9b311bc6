/**
 * The schema of config/regions.json: what an operator may write, with defaults; the rules that
 * span fields are in cross-field-rules.ts. Pure (no AWS, no file system) so the CDK app, the Lambdas, the CLI and the
 * simulator all read the same config the same way.
 */
import { z } from 'zod';
import { parseIpv4Cidr } from './cidr';
import { checkAcrossFields } from './cross-field-rules';
import { accessSchema } from './access-schema';
import { cacheSchema } from './cache-schema';
import { edgeMonitoringSchema } from './edge-monitoring-schema';
import { demandSchema } from './demand-schema';
import { httpsSchema } from './https-schema';
import { regionCodeSchema } from './region-code';
import { DAYS_OF_WEEK } from './days-of-week';
import { OFFERED_KUBERNETES_VERSIONS } from './kubernetes-versions';

export { regionCodeSchema };

const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what} (a whole number of at least 1)` })
    .int({ error: `expected ${what} (a whole number of at least 1)` })
    .min(1, { error: `expected ${what} (a whole number of at least 1)` });

const requestsPerMinute = z
  .number({ error: 'expected requests per minute (a number)' })
  .nonnegative({ error: 'expected requests per minute of 0 or more' });

const thresholdFields = {
  /** Demand (requests per minute attributed to the region) above which a stopped region is started. */
  scaleUpRequestsPerMinute: requestsPerMinute.meta({
    description: 'Start a stopped region when its demand stays above this many requests per minute.',
  }),
  /** Consecutive periods above the scale-up threshold before a start. */
  scaleUpPeriods: positiveInt('a number of consecutive periods').meta({
    description: 'Consecutive periods above the scale-up threshold before the region is started.',
  }),
  /** Demand below which a running scalable region is stopped; must be below the scale-up threshold (hysteresis). */
  scaleDownRequestsPerMinute: requestsPerMinute.meta({
    description: 'Stop a running scalable region when its demand stays below this many requests per minute.',
  }),
  /** Consecutive periods below the scale-down threshold before a stop. */
  scaleDownPeriods: positiveInt('a number of consecutive periods').meta({
    description: 'Consecutive periods below the scale-down threshold before the region is stopped.',
  }),
  /** Minutes after any start or stop of a region during which it is not changed again. */
  cooldownMinutes: z
    .number({ error: 'expected minutes (a whole number of 0 or more)' })
    .int({ error: 'expected minutes (a whole number of 0 or more)' })
    .nonnegative({ error: 'expected minutes (a whole number of 0 or more)' })
    .meta({ description: 'Minutes after a start or stop during which the region is left alone.' }),
};

const thresholdOverrideSchema = z.strictObject(thresholdFields).partial();

const thresholdsSchema = z.strictObject({
  ...thresholdFields,
  scaleUpRequestsPerMinute: thresholdFields.scaleUpRequestsPerMinute.default(3000),
  scaleUpPeriods: thresholdFields.scaleUpPeriods.default(3),
  scaleDownRequestsPerMinute: thresholdFields.scaleDownRequestsPerMinute.default(1500),
  scaleDownPeriods: thresholdFields.scaleDownPeriods.default(15),
  cooldownMinutes: thresholdFields.cooldownMinutes.default(30),
  /** Per-region overrides of any of the fields above. */
  perRegion: z.partialRecord(regionCodeSchema, thresholdOverrideSchema).prefault({}),
});

const cidrSchema = z.string({ error: 'expected an IPv4 CIDR block such as "203.0.113.0/24"' }).superRefine((value, ctx) => {
  const problem = parseIpv4Cidr(value).problem;
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

// A DNS name of at least two labels, lower case; no trailing dot (Route 53 adds it).
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

const dnsSchema = z.strictObject({
  hostedZoneId: z.string({ error: 'expected a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' }).regex(/^Z[A-Z0-9]{1,32}$/, {
    error: 'expected a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (upper-case, starts with Z, no "/hostedzone/" prefix)',
  }),
  domainName: z
    .string({ error: 'expected the CDN domain name such as "cdn.example.com"' })
    .regex(DOMAIN_NAME, { error: 'expected a lower-case DNS name such as "cdn.example.com", without a trailing dot or scheme' }),
  recordTtlSeconds: z
    .number({ error: 'expected a TTL in seconds (a whole number from 10 to 3600)' })
    .int({ error: 'expected a TTL in seconds (a whole number from 10 to 3600)' })
    .min(10, { error: 'expected a TTL of at least 10 seconds; lower values multiply resolver load without speeding failover' })
    .max(3600, { error: 'expected a TTL of at most 3600 seconds; longer TTLs keep viewers on a stopped region' })
    .default(60),
  /** Further names the certificate covers and viewers may use (each needs its own alias record, which kubecdn does not create). */
  alternateNames: z
    .array(
      z
        .string()
        .regex(DOMAIN_NAME, { error: 'expected a lower-case DNS name such as "www.example.com", without a trailing dot or scheme' }),
    )
    .max(9, { error: 'expected at most 9 alternate names (ACM allows 10 names per certificate)' })
    .default([]),
});

const limitsSchema = z.strictObject({
  maxConcurrentOperations: positiveInt('a limit').default(3),
  maxRunningRegions: positiveInt('a limit').default(8),
});

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

const nodeGroupSchema = z.strictObject({
  instanceTypes: z
    .array(z.string().regex(INSTANCE_TYPE, { error: 'expected an EC2 instance type such as "m7i.large"' }), {
      error: 'expected a list of EC2 instance types',
    })
    .min(1, { error: 'expected at least one instance type' })
    .default(['m7i.large']),
  capacityType: z.enum(['ON_DEMAND', 'SPOT']).default('ON_DEMAND'),
  minSize: z.number().int().nonnegative({ error: 'expected a node count of 0 or more' }).default(1),
  desiredSize: z.number().int().nonnegative({ error: 'expected a node count of 0 or more' }).default(2),
  maxSize: positiveInt('a node count').default(4),
});

const clusterSchema = z.strictObject({
  /** `auto`: EKS Auto Mode manages compute; `managed-nodegroup`: a managed node group sized by `nodeGroup`. */
  mode: z.enum(['auto', 'managed-nodegroup']).default('auto'),
  /**
   * A version EKS offers (kubernetes-versions.ts). Raising it and deploying upgrades the running
   * and warm-standby clusters one minor at a time; lowering it is refused by the deploy.
   */
  kubernetesVersion: z
    .enum(OFFERED_KUBERNETES_VERSIONS as [string, ...string[]], {
      error: (issue) =>
        `${typeof issue.input === 'string' ? `"${issue.input}" is not a Kubernetes version EKS offers` : 'expected a Kubernetes minor version as a string'}; expected one of ${OFFERED_KUBERNETES_VERSIONS.map((v) => `"${v}"`).join(', ')}`,
    })
    .default('1.35'),
  nodeGroup: nodeGroupSchema.prefault({}),
  /**
   * Where the Kubernetes API endpoint answers. `private`: only inside the region's VPC; the
   * workflows reach it through the region's Kubernetes API relay function. `public`: also on the
   * internet, to `publicAccessCidrs`, and the workflows call it directly.
   */
  endpointAccess: z
    .enum(['private', 'public'], { error: 'expected "private" (reachable only inside the region\'s VPC) or "public"' })
    .default('private'),
  /** With `endpointAccess: "public"` only: who may reach the public endpoint (IAM-authenticated). Default: anywhere. */
  publicAccessCidrs: z.array(cidrSchema).min(1, { error: 'expected at least one CIDR block' }).optional(),
});

const workloadSchema = z.strictObject({
  /** Folder of Kubernetes manifests applied to each region, relative to the config file. */
  manifestsDir: z.string().min(1).default('workload'),
  /** The origin the edge caches in front of. */
  originUrl: z
    .url({ protocol: /^https?$/, error: 'expected the origin as an http(s) URL such as "https://origin.example.com"' })
    // The edge asks the origin for each request's own path and query, behind the URL's path.
    .refine((url) => !/[?#]/.test(url), {
      error: 'expected the origin without a query or fragment, such as "https://origin.example.com/base"',
    })
    .refine((url) => !new URL(url).username && !new URL(url).password, {
      error: 'expected the origin without a user name or password (nginx would not send them)',
    })
    // The URL is written into nginx.conf as it is.
    .refine((url) => !/[\s"'$;{}\\]/.test(url), {
      error: 'expected the origin without spaces, quotes, $, ;, braces or backslashes (percent-encode them)',
    }),
  /** The load balancer's plain-HTTP port (HTTPS is always 443): redirects to https unless `https.redirectHttp` is false. */
  servicePort: z
    .number({ error: 'expected a TCP port (1-65535)' })
    .int({ error: 'expected a TCP port (1-65535)' })
    .min(1, { error: 'expected a TCP port (1-65535)' })
    .max(65535, { error: 'expected a TCP port (1-65535)' })
    .refine((port) => port !== 443, { error: "expected a port other than 443, which is the load balancer's HTTPS port" })
    .default(80),
  healthCheckPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, {
      error: 'expected a URL path starting with "/" such as "/healthz", with no spaces or query',
    })
    .default('/healthz'),
  // One region at a time by default: a bad version then fails in one region and the roll-out
  // halts there, while every other region keeps serving the previous version.
  rolloutRegionsAtOnce: z
    .number({ error: 'expected a whole number of regions from 1 to 10' })
    .int({ error: 'expected a whole number of regions from 1 to 10' })
    .min(1, { error: 'expected a whole number of regions from 1 to 10' })
    .max(10, { error: 'expected a whole number of regions from 1 to 10' })
    .default(1)
    .meta({
      description:
        'How many regions RolloutWorkload updates at once (one wave); it halts after a wave in which a region failed, leaving later regions on the previous version.',
    }),
});

export { DAYS_OF_WEEK, type DayOfWeek } from './days-of-week';

const DAYS_EXPECTED = 'expected "daily", "weekdays", "weekends" or a list of days such as ["mon", "tue"]';

// "HH:MM" on a 24-hour clock; "24:00" is allowed as an end, meaning midnight at the end of the day.
const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const scheduleSchema = z.strictObject({
  region: regionCodeSchema.meta({ description: 'The scalable region this window keeps on.' }),
  days: z
    .union(
      [z.enum(['daily', 'weekdays', 'weekends']), z.array(z.enum(DAYS_OF_WEEK)).min(1, { error: `${DAYS_EXPECTED}; got an empty list` })],
      { error: DAYS_EXPECTED },
    )
    .meta({ description: "Days the window opens on, in the schedule's time zone. A window past midnight belongs to the day it opens." }),
  start: z
    .string({ error: 'expected a start time "HH:MM" on a 24-hour clock, such as "08:00"' })
    .regex(CLOCK_TIME, { error: 'expected a start time "HH:MM" on a 24-hour clock, such as "08:00"' }),
  end: z
    .string({ error: 'expected an end time "HH:MM" on a 24-hour clock, such as "20:00" (or "24:00" for midnight)' })
    .refine((v) => v === '24:00' || CLOCK_TIME.test(v), {
      error: 'expected an end time "HH:MM" on a 24-hour clock, such as "20:00" (or "24:00" for midnight)',
    })
    .meta({ description: 'End of the window (exclusive). Earlier than start means the window runs past midnight.' }),
  timeZone: z
    .string({ error: 'expected an IANA time zone such as "Asia/Tokyo"' })
    .refine(isIanaTimeZone, { error: 'expected an IANA time zone such as "Asia/Tokyo" or "UTC"' }),
});

const minutesAtLeastOne = (what: string) =>
  z
    .number({ error: `expected ${what} in whole minutes (at least 1)` })
    .int({ error: `expected ${what} in whole minutes (at least 1)` })
    .min(1, { error: `expected ${what} in whole minutes (at least 1)` });

/**
 * Anticipation: the engine forecasts each region's demand from the same time yesterday and last
 * week (scaled by how today compares) and its short-term trend, starts a region one start lead
 * ahead of forecast demand reaching the scale-up threshold, and stops it only when the forecast
 * stays below that threshold for as long as a stop would keep it down. The lead times are AWS's
 * (cluster create + workload + load balancer + DNS); the engine cannot measure them, so they are
 * configured. The reactive rules in `thresholds` still apply beside the forecast.
 */
const predictionSchema = z.strictObject({
  // Opt-in: it makes the autoscaler read a week of demand every tick (a day without weeklySeasonality).
  enabled: z.boolean({ error: 'expected true or false' }).default(false).meta({
    description:
      'Start regions ahead of forecast demand and stop them only when the forecast stays quiet (reads up to 7 days of demand each tick); false = purely reactive.',
  }),
  coldStartMinutes: minutesAtLeastOne('the time from StartRegion to serving for a stopped region').default(14).meta({
    description: 'Minutes from StartRegion to serving for a cold region (cluster create 10 + workload 1 + load balancer 2 + DNS 1).',
  }),
  warmStartMinutes: minutesAtLeastOne('the time from StartRegion to serving for a warm standby region').default(4).meta({
    description: 'Minutes from StartRegion to serving for a region in warm standby (workload + load balancer + DNS).',
  }),
  coldStopMinutes: minutesAtLeastOne('the time a cold StopRegion takes').default(14).meta({
    description: 'Minutes a cold StopRegion takes (DNS drain 2 + load balancer deletion 2 + cluster deletion 10).',
  }),
  warmStopMinutes: minutesAtLeastOne('the time a StopRegion to warm standby takes').default(4).meta({
    description: 'Minutes a StopRegion to warm standby takes (DNS drain + load balancer deletion).',
  }),
  breakEvenMinutes: minutesAtLeastOne('the running time a stop and restart cost').default(14).meta({
    description:
      'Minutes of running that cost as much as one stop and restart (about 14 for a cold region at AWS list prices); a stop needs at least this long a quiet forecast.',
  }),
  noiseMargin: z
    .number({ error: 'expected a number of standard deviations (0 to 5)' })
    .min(0, { error: 'expected a number of standard deviations (0 to 5)' })
    .max(5, { error: 'expected a number of standard deviations (0 to 5)' })
    .default(2)
    .meta({
      description: 'Standard deviations of minute-to-minute demand noise added to the forecast before comparing it with the threshold.',
    }),
  startMargin: z
    .number({ error: 'expected a share of the scale-up threshold (0 to 0.5)' })
    .min(0, { error: 'expected a share of the scale-up threshold (0 to 0.5)' })
    .max(0.5, { error: 'expected a share of the scale-up threshold (0 to 0.5)' })
    .default(0.03)
    .meta({
      description:
        "A forecast start also needs the expected demand (without the noise margin) to clear the scale-up threshold by this share at some point in the cooldown after the region would be serving: a peak forecast to stop just short of the threshold then starts nothing. 0 drops the check's margin; higher trades coverage of marginal peaks for fewer starts that serve no hot minute.",
    }),
  weeklySeasonality: z.boolean({ error: 'expected true or false' }).default(true).meta({
    description: 'Also forecast from the same time last week (reads 7 days of demand each tick instead of 1).',
  }),
});

const notificationsSchema = z.strictObject({
  emails: z.array(z.email({ error: 'expected an e-mail address' })).default([]),
  /**
   * What the e-mail subscriptions receive: `all` (every start and stop too), `warnings` (warnings
   * and errors) or `errors`. The topic itself receives everything, for other subscribers.
   */
  level: z
    .enum(['all', 'warnings', 'errors'], { error: 'expected "all", "warnings" (warnings and errors) or "errors"' })
    .default('warnings'),
});

const NAME = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/** Every field's own rules; validate.ts also runs the rules across fields over what parsed of it. */
export const configFieldsSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Names the stacks and tags every resource; two deployments in one account need different names. */
  name: z
    .string()
    .regex(NAME, { error: 'expected 3-20 characters: lower-case letters, digits and hyphens, starting with a letter' })
    .default('kubecdn'),
  homeRegion: regionCodeSchema.meta({ description: 'Where the control plane (workflows, autoscaler, dashboard) is deployed.' }),
  alwaysOn: z
    .array(regionCodeSchema, { error: 'expected a list of AWS region codes' })
    .min(1, { error: 'expected at least one always-on region: the CDN needs somewhere to serve from' }),
  scalable: z.array(regionCodeSchema, { error: 'expected a list of AWS region codes' }).default([]),
  /** Length of one autoscaler period: demand is read and decided once per period. */
  periodSeconds: z
    .number()
    .int()
    .refine((v) => v >= 60 && v % 60 === 0, {
      error: 'expected a whole number of minutes in seconds (60, 120, ...): the schedule runs at most once a minute',
    })
    .default(60),
  dns: dnsSchema,
  thresholds: thresholdsSchema.prefault({}),
  limits: limitsSchema.prefault({}),
  cluster: clusterSchema.prefault({}),
  standby: z.partialRecord(regionCodeSchema, z.enum(['cold', 'warm'])).prefault({}),
  workload: workloadSchema,
  https: httpsSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  edgeMonitoring: edgeMonitoringSchema.prefault({}),
  notifications: notificationsSchema.prefault({}),
  /** IAM roles people use to reach the clusters' Kubernetes API (EKS access entries). */
  access: accessSchema.prefault({}),
  /** Windows that keep scalable regions running regardless of traffic, such as Tokyo on weekdays 08:00-20:00 Asia/Tokyo. */
  schedules: z
    .array(scheduleSchema, { error: 'expected a list of schedules such as [{ "region": "ap-northeast-1", "days": "weekdays", ... }]' })
    .optional(),
  /** Decide and log, but start and stop nothing. */
  dryRun: z.boolean().default(false),
  demand: demandSchema.prefault({}),
  prediction: predictionSchema.prefault({}),
});

/** The config as its fields parse, before the rules across fields (cross-field-rules.ts). */
export type ConfigFields = z.output<typeof configFieldsSchema>;

export const configSchema = configFieldsSchema.superRefine((config, ctx) =>
  checkAcrossFields(config, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);

/** The config as read from regions.json: what the operator wrote plus defaults. */
export type KubeCdnConfig = z.output<typeof configSchema>;
/** What an operator may write: optional fields may be left out. */
export type KubeCdnConfigInput = z.input<typeof configSchema>;
export type RegionThresholds = Omit<KubeCdnConfig['thresholds'], 'perRegion'>;
export type StandbyMode = 'cold' | 'warm';
/** What the e-mail subscriptions of the operations topic receive (`notifications.level`). */
export type NotificationLevel = KubeCdnConfig['notifications']['level'];
export type PredictionSettings = KubeCdnConfig['prediction'];
/** One keep-on window of a scalable region, as validated. */
export type RegionSchedule = NonNullable<KubeCdnConfig['schedules']>[number];
