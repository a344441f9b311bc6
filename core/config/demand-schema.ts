/**
 * The `demand` section of regions.json: where the autoscaler reads per-region demand from.
 *
 * - `edge-requests` (default): the HTTP requests the running edges served, each attributed to the
 *   configured region nearest the viewer (a geolocation of the viewer's address), published by
 *   every edge pod per minute in the home region. Every viewer is served by some running region,
 *   so the running edges count the viewers of stopped regions too. Thresholds are HTTP requests
 *   per minute.
 * - `route53-query-logs`: kubecdn deploys Route 53 query logging for the CDN's zone and a
 *   producer that attributes each DNS query to the configured region nearest the Route 53 edge
 *   location that answered it. Resolvers cache answers for the record TTL, so this counts
 *   lookups, not requests: thresholds are DNS queries per minute.
 * - `cloudwatch-metric` ("bring your own metric"): any CloudWatch metric with a region dimension
 *   whose value is the configured region the demand belongs to.
 */
import { z } from 'zod';
import { regionCodeSchema } from './region-code';

const dimensionValue = z
  .string({ error: 'expected a CloudWatch dimension value (text)' })
  .min(1, { error: 'expected a non-empty dimension value' })
  .max(1024, { error: 'expected a dimension value of at most 1024 characters' });

const metricSchema = z.strictObject({
  namespace: z
    .string({ error: 'expected a CloudWatch namespace such as "MyCdn"' })
    .regex(/^[^:][^:]{0,254}$/, { error: 'expected a CloudWatch namespace of 1-255 characters without ":"' })
    .refine((v) => !v.startsWith('AWS/'), { error: 'expected your own namespace; "AWS/" namespaces have no per-viewer-region metric' }),
  metricName: z.string({ error: 'expected a CloudWatch metric name' }).min(1).max(255),
  /** The dimension whose value is the configured region the demand is attributed to. */
  regionDimension: z.string().min(1).max(255).default('Region'),
  /** Other dimensions the metric is published with, matched exactly. */
  dimensions: z.record(z.string().min(1).max(255), dimensionValue).default({}),
  /** How datapoints within one period are combined; Sum for a per-request counter. */
  statistic: z.enum(['Sum', 'Average', 'Maximum', 'SampleCount']).default('Sum'),
  /** Regions whose CloudWatch holds the metric; demand for a region is the sum over them. Defaults to the home region. */
  metricsRegions: z.array(regionCodeSchema).min(1, { error: 'expected at least one region' }).optional(),
});

export const demandSchema = z
  .strictObject({
    source: z
      .enum(['edge-requests', 'route53-query-logs', 'cloudwatch-metric'], {
        error: 'expected "edge-requests", "route53-query-logs" or "cloudwatch-metric"',
      })
      .default('edge-requests')
      .meta({
        description:
          'edge-requests: HTTP requests counted by the edges (default); route53-query-logs: DNS queries from Route 53 query logs; cloudwatch-metric: your own metric, described in `metric`.',
      }),
    metric: metricSchema.optional().meta({ description: 'The metric to read when source is cloudwatch-metric.' }),
    /** Delivery delay of the metric: a period is read only once this long has passed after its end. */
    lagSeconds: z
      .number({ error: 'expected seconds (a whole number from 0 to 900)' })
      .int({ error: 'expected seconds (a whole number from 0 to 900)' })
      .min(0, { error: 'expected seconds (a whole number from 0 to 900)' })
      .max(900, { error: 'expected at most 900 seconds; older data makes the autoscaler react late' })
      .default(120),
    /** The operations alarm fires when some region has had no demand data for this long. */
    missingDataAlarmMinutes: z
      .number({ error: 'expected minutes (a whole number from 5 to 1440)' })
      .int({ error: 'expected minutes (a whole number from 5 to 1440)' })
      .min(5, { error: 'expected minutes (a whole number from 5 to 1440)' })
      .max(1440, { error: 'expected at most 1440 minutes (a day, the longest a CloudWatch alarm can look back)' })
      .default(15),
  })
  .superRefine((demand, ctx) => {
    if (demand.source === 'cloudwatch-metric' && !demand.metric) {
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: 'is required when source is "cloudwatch-metric"; expected { "namespace": ..., "metricName": ... }',
      });
    }
    if (demand.source !== 'cloudwatch-metric' && demand.metric) {
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: `is only read when source is "cloudwatch-metric", not "${demand.source}"; remove it or set "source": "cloudwatch-metric"`,
      });
    }
  });

export type DemandConfig = z.output<typeof demandSchema>;
