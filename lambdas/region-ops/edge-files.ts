/**
 * The files region-ops puts into every edge region beside the operator's manifests: the edge
 * metrics agent's code and the gzipped region table (lib/edge-region-table.ts). Both are made at
 * synth and compiled into this function's code as constants (lib/function-factory.ts), like the
 * deployed config: they outgrow the environment's 4 KB by far, need no bucket or AWS call, and a
 * changed table or agent changes the code asset. Checked at cold start like every other input.
 */
import { DeployedConfigError } from '../shared/deployed-config';

export const AGENT_CONSTANT = 'KUBECDN_EDGE_AGENT';
export const REGION_TABLE_CONSTANT = 'KUBECDN_EDGE_REGION_TABLE';

// Free in the source: bundling replaces them with string literals. Unbundled (tests), they are undefined.
declare const KUBECDN_EDGE_AGENT: string | undefined;
declare const KUBECDN_EDGE_REGION_TABLE: string | undefined;

export interface EdgeFiles {
  /** The agent's bundled ES module, run by the pod's metrics-agent container. */
  readonly agentSource: string;
  /** The encoded region table, gzipped. */
  readonly regionTableGzip: Buffer;
}

/** What the stacks compile into region-ops: the agent as text, the table as base64. */
export function edgeFilesConstants(files: EdgeFiles): Record<string, string> {
  return { [AGENT_CONSTANT]: files.agentSource, [REGION_TABLE_CONSTANT]: files.regionTableGzip.toString('base64') };
}

/** The two constants as compiled into this function's code (undefined where not bundled). */
export function compiledEdgeConstants(): Record<string, string | undefined> {
  return {
    [AGENT_CONSTANT]: typeof KUBECDN_EDGE_AGENT === 'string' ? KUBECDN_EDGE_AGENT : undefined,
    [REGION_TABLE_CONSTANT]: typeof KUBECDN_EDGE_REGION_TABLE === 'string' ? KUBECDN_EDGE_REGION_TABLE : undefined,
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The edge files from the constants, each checked: a hand-edited or half-built bundle fails at cold start, not in a pod. */
export function edgeFilesFromConstants(constants: Record<string, string | undefined> = compiledEdgeConstants()): EdgeFiles {
  const agentSource = constants[AGENT_CONSTANT];
  if (!agentSource) throw new DeployedConfigError(`${AGENT_CONSTANT} is not compiled in; expected the edge agent's code`);
  const table = constants[REGION_TABLE_CONSTANT];
  if (!table) throw new DeployedConfigError(`${REGION_TABLE_CONSTANT} is not compiled in; expected the gzipped region table as base64`);
  if (table.length % 4 !== 0 || !BASE64.test(table)) throw new DeployedConfigError(`${REGION_TABLE_CONSTANT} is not base64`);
  const regionTableGzip = Buffer.from(table, 'base64');
  // gzip's magic number: the agent gunzips what it reassembles.
  if (regionTableGzip.length < 18 || regionTableGzip[0] !== 0x1f || regionTableGzip[1] !== 0x8b)
    throw new DeployedConfigError(`${REGION_TABLE_CONSTANT} is not a gzip stream`);
  return { agentSource, regionTableGzip };
}
