/**
 * Which clusters need an operator's eye for their Kubernetes version, from what the tick already
 * read (DescribeCluster of every configured region): clusters whose version is not the config's
 * (an upgrade halted or never ran, or someone upgraded by hand), and clusters within
 * SUPPORT_WARNING_DAYS of the end of EKS standard support or past it (billed about six times the
 * standard control-plane price). Pure; published as two metrics (see report.ts) that the
 * dashboard graphs and an alarm watches.
 */
import type { KubeCdnConfig } from '../../core/config';
// Not from the core/config barrel: that would bring the whole schema and zod into the autoscaler's bundle.
import { supportWarning } from '../../core/config/kubernetes-versions';
import type { RegionObservationDetail } from './region-state-reader';

export interface VersionDrift {
  /** Regions whose cluster runs another version than `cluster.kubernetesVersion`, as "<region> <version>". */
  readonly offConfig: string[];
  /** Regions whose cluster's version is ending standard support, in extended support or past it, as "<region> <version> <level>". */
  readonly nearEndOfSupport: string[];
}

export function versionDrift(config: KubeCdnConfig, observed: Readonly<Record<string, RegionObservationDetail>>, now: Date): VersionDrift {
  const offConfig: string[] = [];
  const nearEndOfSupport: string[] = [];
  for (const [region, seen] of Object.entries(observed)) {
    const version = seen.kubernetesVersion;
    if (!version) continue;
    if (version !== config.cluster.kubernetesVersion) offConfig.push(`${region} ${version}`);
    const { level } = supportWarning(version, now);
    if (level !== 'standard') nearEndOfSupport.push(`${region} ${version} ${level}`);
  }
  return { offConfig: offConfig.sort(), nearEndOfSupport: nearEndOfSupport.sort() };
}
