/**
 * The values the workload manifests' {{NAME}} placeholders take in one region (config/workload/README.md
 * lists them). Pure, so the tests that run the edge's nginx render exactly what a region gets.
 */
import type { KubeCdnConfig } from '../../core/config';
import type { PlaceholderValues } from './kubernetes-manifests';

export function workloadPlaceholders(config: KubeCdnConfig, region: string): PlaceholderValues {
  const origin = new URL(config.workload.originUrl);
  return {
    PROJECT: config.name,
    REGION: region,
    DOMAIN_NAME: config.dns.domainName,
    ORIGIN_URL: config.workload.originUrl.replace(/\/$/, ''),
    ORIGIN_HOST: origin.host,
    SERVICE_PORT: config.workload.servicePort,
    HEALTH_CHECK_PATH: config.workload.healthCheckPath,
  };
}
