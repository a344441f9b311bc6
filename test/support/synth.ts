/** Builds the kubecdn app in memory for stack tests. */
import { App } from 'aws-cdk-lib';
import { createHash } from 'node:crypto';
import type { KubeCdnConfig } from '../../core/config';
import { inlineFunctionFactory } from '../../lib/function-factory';
import { addKubeCdnStacks, type KubeCdnStacks } from '../../lib/kubecdn-app';

export function buildApp(config: KubeCdnConfig): { app: App; stacks: KubeCdnStacks } {
  const app = new App();
  // No bundling in stack tests: fast, and templates do not change with Lambda code.
  return { app, stacks: addKubeCdnStacks(app, config, { functionFactory: inlineFunctionFactory }) };
}

/**
 * Template JSON with content hashes (asset file names, S3 keys, bundling hashes) replaced, so a
 * snapshot changes when the infrastructure does, not when a Lambda's code does.
 */
export function blankAssetHashes<T>(template: T): T {
  return JSON.parse(JSON.stringify(summarizeEdgeFiles(template)).replace(/[0-9a-f]{64}/g, '[ASSET HASH]')) as T;
}

/**
 * The edge files compiled into region-ops (the agent's bundle, the region table) are built
 * artifacts of hundreds of kilobytes: a snapshot keeps their size and digest, not their bytes.
 */
function summarizeEdgeFiles(node: unknown): unknown {
  if (typeof node === 'string')
    return node.replace(/^(var (?:KUBECDN_EDGE_AGENT|KUBECDN_EDGE_REGION_TABLE) = )(".*");$/gm, (_line, head: string, literal: string) => {
      const value = JSON.parse(literal) as string;
      return `${head}[${value.length} characters, sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 12)}];`;
    });
  if (Array.isArray(node)) return node.map(summarizeEdgeFiles);
  if (node !== null && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, summarizeEdgeFiles(value)]));
  return node;
}
