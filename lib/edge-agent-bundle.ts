/**
 * The edge metrics agent (edge-agent/) as the pod runs it: one self-contained ES module, the AWS
 * SDK and core/ included, minified for Node.js 22, small enough for the ConfigMap that carries it
 * (a ConfigMap holds at most 1 MiB). Built with esbuild at synth; built once per process for the
 * same sources, since a synth and its tests ask for it many times.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';

export const EDGE_AGENT_ENTRY = join(__dirname, '..', 'edge-agent', 'main.ts');

const OPTIONS: BuildOptions = {
  entryPoints: [EDGE_AGENT_ENTRY],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  legalComments: 'none',
  // The SDK's ES module builds: smaller, and they leave more to tree-shaking than the CommonJS ones.
  mainFields: ['module', 'main'],
  // CommonJS code in the bundle (some SDK dependencies) calls require() for Node's built-ins, which an ES module lacks.
  banner: { js: "import{createRequire as __agentRequire}from'node:module';const require=__agentRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'silent',
};

/** The last build: its source and what it read, with a digest of those files' contents. */
let cached: { readonly inputs: readonly string[]; readonly key: string; readonly source: string } | undefined;

/** A digest of the files a build read: the bundle is built again only when one of them changed. */
function inputsKey(inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(input).update('\0').update(readFileSync(input)).update('\0');
  return hash.digest('hex');
}

/** The agent's code, the file `edge-agent.mjs` of ConfigMap `edge-metrics-agent`. */
export function edgeAgentSource(): string {
  if (cached && inputsKey(cached.inputs) === cached.key) return cached.source;
  const result = buildSync(OPTIONS);
  // Paths relative to the working directory esbuild ran in.
  const inputs = Object.keys(result.metafile!.inputs).map((input) => join(process.cwd(), input));
  cached = { inputs, key: inputsKey(inputs), source: result.outputFiles![0]!.text };
  return cached.source;
}
