/**
 * Reads the operator's workload manifests (config/<manifestsDir>/*.yaml, *.yml, *.json) at synth
 * time, so a bad manifest fails `cdk synth` rather than a region start. They travel to the
 * region-ops Lambda inside the state machine definition: no bucket, no bundling step, and the
 * definition a test executes is exactly the one deployed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { manifestProblems, type KubernetesManifest } from '../lambdas/region-ops/kubernetes-manifests';

export class WorkloadManifestError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(`workload manifests in ${dir}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'WorkloadManifestError';
  }
}

export function loadWorkloadManifests(dir: string): KubernetesManifest[] {
  const files = readdirSync(dir)
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort();
  const found: { source: string; manifest: unknown }[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'));
    for (const [index, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
      const source = `${file}#${index + 1}`;
      if (doc.errors.length > 0) {
        problems.push(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      const manifest: unknown = doc.toJS();
      if (manifest !== null && manifest !== undefined) found.push({ source, manifest });
    }
  }
  if (found.length === 0) problems.push('no manifests found (expected *.yaml, *.yml or *.json files)');
  problems.push(...manifestProblems(found));
  if (problems.length > 0) throw new WorkloadManifestError(dir, problems);
  return found.map((f) => f.manifest as KubernetesManifest);
}
