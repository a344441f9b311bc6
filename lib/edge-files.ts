/**
 * The edge files for a deployed config, made at synth: the edge agent's bundled code and the
 * region table for the config's regions. region-ops carries them as code constants
 * (lambdas/region-ops/edge-files.ts); the workload version covers what they say.
 */
import { createHash } from 'node:crypto';
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import type { EdgeFiles } from '../lambdas/region-ops/edge-files';
import { regionTableParts } from '../lambdas/region-ops/edge-file-manifests';
import { edgeAgentSource } from './edge-agent-bundle';
import { edgeRegionTable } from './edge-region-table';

/** What the edge files are, as hashes: a change to either rolls the workload out. */
export interface EdgeFilesIdentity {
  /** SHA-256 of the encoded region table (not of its gzip, which depends on the zlib build). */
  readonly regionTableSha256: string;
  readonly agentSha256: string;
}

export interface SynthesizedEdgeFiles {
  readonly files: EdgeFiles;
  readonly identity: EdgeFilesIdentity;
}

export function synthesizeEdgeFiles(config: KubeCdnConfig, env: NodeJS.ProcessEnv = process.env): SynthesizedEdgeFiles {
  const table = edgeRegionTable(configuredRegions(config), env);
  // Refused here, at synth, rather than by a region start: a table the pods cannot mount whole.
  regionTableParts(table.gzip);
  const agentSource = edgeAgentSource();
  return {
    files: { agentSource, regionTableGzip: table.gzip },
    identity: {
      regionTableSha256: table.contentSha256,
      agentSha256: createHash('sha256').update(agentSource).digest('hex'),
    },
  };
}
