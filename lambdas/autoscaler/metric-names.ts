/**
 * The autoscaler's custom metrics (namespace KubeCdn, dimension `service` = the function's
 * POWERTOOLS_SERVICE_NAME), named once for the Lambda that writes them and the dashboard and
 * alarms (lib/operations-*.ts) that read them.
 */
export const AUTOSCALER_METRICS = {
  regionsRunning: 'RegionsRunning',
  regionsUnknown: 'RegionsUnknown',
  /** Regions with a cluster up, no DNS record and no workflow running in a cold region: billing, serving nobody (phase 'stranded'). */
  regionsStranded: 'RegionsStranded',
  /** Regions whose most recent complete period has no demand datapoint. */
  regionsWithoutDemand: 'RegionsWithoutDemand',
  /** Serving regions whose edges published no `Requests` datapoint for edgeMonitoring.alarms.silentMinutes. */
  regionsSilent: 'RegionsSilent',
  /** With dimension Action = start | stop | none. */
  decisions: 'Decisions',
  actionFailures: 'ActionFailures',
  estimatedHourlyCost: 'EstimatedHourlyCostUSD',
  /** Clusters whose Kubernetes version is not cluster.kubernetesVersion (an upgrade halted or never ran). */
  clustersOffConfiguredVersion: 'ClustersOffConfiguredVersion',
  /** Clusters within 60 days of the end of EKS standard support for their version, or past it (extended-support prices). */
  clustersNearEndOfSupport: 'ClustersNearEndOfStandardSupport',
  /** With dimension Region: +1 pinned on, -1 pinned off, published only while an override is in force. */
  regionOverride: 'RegionOverride',
} as const;

export const REGION_DIMENSION = 'Region';
export const OVERRIDE_PIN_VALUE = { on: 1, off: -1 } as const;

/** Equals METRICS_NAMESPACE in lambdas/shared/powertools.ts (a test holds them together); not imported, so CDK code does not load Powertools. */
export const AUTOSCALER_NAMESPACE = 'KubeCdn';
export const ACTION_DIMENSION = 'Action';
export const SERVICE_DIMENSION = 'service';

/** The POWERTOOLS_SERVICE_NAME of a project's autoscaler, and so its metrics' `service` dimension. */
export function autoscalerServiceName(project: string): string {
  return `${project}-autoscaler`;
}
