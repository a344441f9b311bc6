/** Builds the kubecdn app in memory for stack tests. */
import { App } from 'aws-cdk-lib';
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
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '[ASSET HASH]')) as T;
}
