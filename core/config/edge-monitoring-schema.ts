/**
 * The `edgeMonitoring` section of regions.json: what the edges report about themselves beside the
 * demand they count, and when the operations alarms speak up.
 *
 * Access logs are sampled before they leave the pod: CloudWatch Logs bills ingestion per GB, and a
 * region at 1,000 requests/s writes about a terabyte of log lines a month. The default keeps one
 * line in a hundred, a few dollars a month at that rate; every shipped line and its stream name
 * carry the rate, so a count read from the logs can be scaled back up.
 */
import { z } from 'zod';

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const accessLogsSchema = z.strictObject({
  sampleRate: z
    .number({ error: 'expected a fraction of requests from 0 to 1, such as 0.01 for one line in a hundred' })
    .min(0, { error: 'expected a fraction of requests from 0 to 1 (0 ships no lines)' })
    .max(1, { error: 'expected a fraction of requests from 0 to 1 (1 ships every line)' })
    .default(0.01)
    .meta({ description: 'The fraction of access-log lines shipped to CloudWatch Logs (0 to 1).' }),
  retentionDays: z
    .number({ error: `expected one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(', ')}` })
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      error: `expected one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(30)
    .meta({ description: 'How long shipped access-log lines are kept.' }),
});

const alarmsSchema = z.strictObject({
  serverErrorPercent: z
    .number({ error: 'expected a percentage of requests (above 0, at most 100)' })
    .gt(0, { error: 'expected a percentage of requests above 0' })
    .max(100, { error: 'expected a percentage of requests of at most 100' })
    .default(5)
    .meta({ description: 'A region alarms when more than this share of its requests are answered 5xx.' }),
  serverErrorMinutes: z
    .number({ error: 'expected minutes (a whole number from 1 to 60)' })
    .int({ error: 'expected minutes (a whole number from 1 to 60)' })
    .min(1, { error: 'expected minutes (a whole number from 1 to 60)' })
    .max(60, { error: 'expected minutes (a whole number from 1 to 60)' })
    .default(5)
    .meta({ description: 'For how many consecutive minutes the 5xx share must stay above the limit.' }),
  silentMinutes: z
    .number({ error: 'expected minutes (a whole number from 2 to 60)' })
    .int({ error: 'expected minutes (a whole number from 2 to 60)' })
    .min(2, { error: 'expected minutes (a whole number from 2 to 60)' })
    .max(60, { error: 'expected minutes (a whole number from 2 to 60)' })
    .default(5)
    .meta({ description: 'A serving region whose edges report nothing for this long alarms.' }),
});

export const edgeMonitoringSchema = z.strictObject({
  accessLogs: accessLogsSchema.prefault({}),
  alarms: alarmsSchema.prefault({}),
});

export type EdgeMonitoringConfig = z.output<typeof edgeMonitoringSchema>;
