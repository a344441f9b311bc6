/** What the producer needs from the config, passed by lib/demand-route53.ts as environment variables. */
import * as z from 'zod/mini';
import { isAwsRegion } from '../../core/regions';
import { describeIssues } from '../shared/validated-event';

export const settingsSchema = z.object({
  KUBECDN_PROJECT: z.string().check(z.minLength(1)),
  KUBECDN_DOMAIN_NAME: z.string().check(z.minLength(1)),
  /** Configured regions, comma-separated, in config order. */
  KUBECDN_REGIONS: z
    .pipe(
      z.string(),
      z.transform((v) =>
        v
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      ),
    )
    .check(
      z.refine((regions) => regions.length > 0 && regions.every(isAwsRegion), { error: 'expected AWS region codes separated by commas' }),
    ),
});

export interface ProducerSettings {
  readonly project: string;
  readonly domainName: string;
  readonly regions: readonly string[];
}

export function producerSettings(env: NodeJS.ProcessEnv): ProducerSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new Error(`demand producer environment: ${describeIssues(parsed.error)}`);
  return { project: parsed.data.KUBECDN_PROJECT, domainName: parsed.data.KUBECDN_DOMAIN_NAME, regions: parsed.data.KUBECDN_REGIONS };
}
