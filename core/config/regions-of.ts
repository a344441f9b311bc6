/** Read-side helpers over a validated config, so no caller re-derives "which thresholds apply here". */
import type { KubeCdnConfig, RegionThresholds, StandbyMode } from './schema';

/** Every configured region: always-on first, then scalable, in file order. */
export function configuredRegions(config: KubeCdnConfig): string[] {
  return [...config.alwaysOn, ...config.scalable];
}

export function isConfiguredRegion(config: KubeCdnConfig, region: string): boolean {
  return config.alwaysOn.includes(region) || config.scalable.includes(region);
}

/** The thresholds in force for one region: the global ones with its overrides applied. */
export function thresholdsFor(config: KubeCdnConfig, region: string): RegionThresholds {
  const { perRegion, ...base } = config.thresholds;
  return { ...base, ...perRegion[region] };
}

/** Always-on regions are never stopped, so they have no standby mode; scalable ones default to cold. */
export function standbyFor(config: KubeCdnConfig, region: string): StandbyMode {
  return config.standby[region] ?? 'cold';
}
