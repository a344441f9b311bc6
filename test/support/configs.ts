/** Config fixtures: a minimal valid regions.json as an operator would write it, fresh for each test. */
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeCdnConfig, KubeCdnConfigInput } from '../../core/config';
import { validateConfig } from '../../core/config';
import { AWS_REGION_CODES } from '../../core/regions';

export function minimalConfigInput(): KubeCdnConfigInput & Record<string, unknown> {
  return {
    homeRegion: 'us-east-1',
    alwaysOn: ['us-east-1'],
    scalable: ['eu-west-1', 'ap-northeast-1'],
    dns: { hostedZoneId: 'Z0123456789EXAMPLE0', domainName: 'cdn.example.com' },
    workload: { originUrl: 'https://origin.example.com' },
  };
}

/** A validated config with defaults filled in, optionally changed first. */
export function validConfig(change: (input: ReturnType<typeof minimalConfigInput>) => void = () => {}): KubeCdnConfig {
  const input = minimalConfigInput();
  change(input);
  const result = validateConfig(input);
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** Writes a config (and an empty workload folder beside it) to a fresh temp folder; returns the file path. */
export function writeConfigFile(content: unknown, options: { withWorkloadDir?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubecdn-config-'));
  if (options.withWorkloadDir ?? true) {
    // The repository's default edge workload: synthesis reads and checks the manifests.
    mkdirSync(join(dir, 'workload'));
    cpSync(join(__dirname, '..', '..', 'config', 'workload'), join(dir, 'workload'), { recursive: true });
  }
  const file = join(dir, 'regions.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/**
 * A large deployment: `count` regions (2 always on, the rest scalable), every one with its own
 * thresholds, every scalable one with its standby mode and a keep-on schedule. Well beyond what
 * fits in a Lambda environment variable as JSON.
 */
export function manyRegionsConfigInput(count = 30): ReturnType<typeof minimalConfigInput> {
  const regions = AWS_REGION_CODES.slice(0, count);
  if (regions.length < count) throw new Error(`only ${AWS_REGION_CODES.length} region codes are known`);
  const [alwaysOn, scalable] = [regions.slice(0, 2), regions.slice(2)];
  return {
    ...minimalConfigInput(),
    alwaysOn,
    scalable,
    limits: { maxConcurrentOperations: 5, maxRunningRegions: count },
    thresholds: {
      perRegion: Object.fromEntries(
        regions.map((region, i) => [
          region,
          {
            scaleUpRequestsPerMinute: 2000 + 100 * i,
            scaleUpPeriods: 2 + (i % 3),
            scaleDownRequestsPerMinute: 500 + 10 * i,
            scaleDownPeriods: 10 + i,
            cooldownMinutes: 20 + (i % 5),
          },
        ]),
      ),
    },
    standby: Object.fromEntries(scalable.map((region, i) => [region, i % 2 ? 'warm' : 'cold'])),
    schedules: scalable.map((region) => ({ region, days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'UTC' })),
  };
}
