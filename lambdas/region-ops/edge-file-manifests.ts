/**
 * The edge files (edge-files.ts) as ConfigMaps in the edge namespace, applied with the workload:
 *
 *   edge-metrics-agent      data `edge-agent.mjs`: the agent's code
 *   edge-region-table-<i>   binaryData `part`: slice i of the gzipped table; i = 0 also has data
 *                           `sha256` (hex of the whole gzip, before slicing) and `parts` (how many);
 *                           each annotated with the geolocation data's attribution
 *
 * The pod mounts them in a projected volume (`edge-region-table-0` … `-7`, all optional) and the
 * agent joins the parts, checks the hash and gunzips. A ConfigMap holds at most 1 MiB, binaryData
 * counted as base64: a part of 640 KiB is 853,334 characters, leaving room for the keys and labels.
 *
 * They go through renderManifests like the operator's ConfigMaps: project label, content name,
 * and the Deployment's references pointed at those names. So a restored pod template mounts the
 * table it ran with, and a table with fewer parts leaves no stale part behind once the prune step
 * removes the previous version's ConfigMaps. Pure.
 */
import { createHash } from 'node:crypto';
import type { EdgeFiles } from './edge-files';
import type { KubernetesManifest } from './kubernetes-manifests';
import { EDGE_NAMESPACE } from './purge-region';

export const AGENT_CONFIGMAP = 'edge-metrics-agent';
export const AGENT_KEY = 'edge-agent.mjs';
export const REGION_TABLE_CONFIGMAP_PREFIX = 'edge-region-table-';
export const REGION_TABLE_PART_BYTES = 640 * 1024;
/** The projected volume in the workload's Deployment lists this many parts. */
export const REGION_TABLE_MAX_PARTS = 8;

/**
 * The credit CC BY 4.0 asks for, beside the data wherever it ships (docs/geolocation.md): on every
 * ConfigMap holding part of the table.
 */
export const ATTRIBUTION_ANNOTATION = 'kubecdn.io/geolocation-attribution';
export const ATTRIBUTION =
  'IP geolocation by DB-IP (https://db-ip.com), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). ' +
  'kubecdn reduces it to the nearest configured AWS region for each address range.';

export class RegionTableTooLargeError extends Error {
  override name = 'RegionTableTooLargeError';
}

/** The gzipped table cut into slices of at most REGION_TABLE_PART_BYTES, in order; joined they are the table. */
export function regionTableParts(gzip: Uint8Array): Buffer[] {
  const bytes = Buffer.from(gzip.buffer, gzip.byteOffset, gzip.byteLength);
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += REGION_TABLE_PART_BYTES) parts.push(bytes.subarray(at, at + REGION_TABLE_PART_BYTES));
  if (parts.length === 0) throw new RegionTableTooLargeError('the region table is empty');
  if (parts.length > REGION_TABLE_MAX_PARTS) {
    throw new RegionTableTooLargeError(
      `the gzipped region table is ${bytes.length} bytes: ${parts.length} parts of ${REGION_TABLE_PART_BYTES}, and edge pods mount at most ${REGION_TABLE_MAX_PARTS}`,
    );
  }
  return parts;
}

function configMap(
  name: string,
  content: { data?: Record<string, string>; binaryData?: Record<string, string> },
  annotations?: Record<string, string>,
): KubernetesManifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: EDGE_NAMESPACE, ...(annotations ? { annotations } : {}) },
    ...content,
  };
}

/** The agent's ConfigMap and the table's parts, unnamed by content and unlabelled: renderManifests does both. */
export function edgeFileManifests(files: EdgeFiles): KubernetesManifest[] {
  const parts = regionTableParts(files.regionTableGzip);
  const sha256 = createHash('sha256').update(files.regionTableGzip).digest('hex');
  return [
    configMap(AGENT_CONFIGMAP, { data: { [AGENT_KEY]: files.agentSource } }),
    ...parts.map((part, i) =>
      configMap(
        `${REGION_TABLE_CONFIGMAP_PREFIX}${i}`,
        { ...(i === 0 ? { data: { sha256, parts: String(parts.length) } } : {}), binaryData: { part: part.toString('base64') } },
        { [ATTRIBUTION_ANNOTATION]: ATTRIBUTION },
      ),
    ),
  ];
}
