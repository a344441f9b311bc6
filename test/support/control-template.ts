/**
 * The control stack's synthesized template, for the workflow tests, cached on disk by content.
 * Workflow tests need only this JSON (the state machine definitions and the region-ops
 * environment), and many test files synthesize the same few configs: a file that finds its
 * template cached does not load aws-cdk-lib or the constructs at all.
 *
 * The key hashes everything the template can depend on: the config, the workload manifests, the
 * sources under lib/, core/, lambdas/, config/ and test/support/, the fixture geolocation
 * databases the region table is built from (test/support/synthesis-settings.ts), and
 * package-lock.json (the CDK and cdk-nag versions). Delete the folder (KUBECDN_SYNTH_CACHE, default <tmp>/kubecdn-synth-cache)
 * to start cold; KUBECDN_SYNTH_CACHE=off synthesizes every time.
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { KubeCdnConfig } from '../../core/config';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['lib', 'core', 'lambdas', 'edge-agent', 'config', 'test/support', 'test/core/geo/fixtures', 'package-lock.json'];
const CACHE_DIR = process.env.KUBECDN_SYNTH_CACHE ?? join(tmpdir(), 'kubecdn-synth-cache');

export type ControlTemplate = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

function hashTree(hash: Hash, path: string, base: string): void {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    hash
      .update(`${relative(base, path)}\0`)
      .update(readFileSync(path))
      .update('\0');
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) hashTree(hash, join(path, entry.name), base);
}

let sourcesDigest: string | undefined;
function sourcesHash(): string {
  if (!sourcesDigest) {
    const hash = createHash('sha256');
    for (const source of SOURCES) hashTree(hash, join(ROOT, source), ROOT);
    sourcesDigest = hash.digest('hex');
  }
  return sourcesDigest;
}

function synthesize(config: KubeCdnConfig, manifestsDir: string | undefined): ControlTemplate {
  // Loaded only on a cache miss: they are most of a workflow test file's start-up time.
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { Template } = require('aws-cdk-lib/assertions') as typeof import('aws-cdk-lib/assertions');
  const { inlineFunctionFactory } = require('../../lib/function-factory') as typeof import('../../lib/function-factory');
  const { addKubeCdnStacks } = require('../../lib/kubecdn-app') as typeof import('../../lib/kubecdn-app');
  const app = new App();
  const { control } = addKubeCdnStacks(app, config, { functionFactory: inlineFunctionFactory, manifestsDir });
  return Template.fromStack(control).toJSON() as ControlTemplate;
}

/** Every source edit makes new keys: entries written over a day ago go, so the folder stays small. */
function pruneOldEntries(): void {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(CACHE_DIR)) {
    const file = join(CACHE_DIR, name);
    try {
      if (statSync(file).mtimeMs < dayAgo) rmSync(file, { force: true });
    } catch {
      // Another worker pruned it first.
    }
  }
}

/** `manifestsDir`: another set of workload manifests (default: the config's, in config/). */
export function controlTemplate(config: KubeCdnConfig, manifestsDir?: string): ControlTemplate {
  if (CACHE_DIR === 'off') return synthesize(config, manifestsDir);
  const key = createHash('sha256').update(sourcesHash()).update(JSON.stringify(config));
  // Where lib/kubecdn-app.ts looks when no folder is given.
  const manifests = manifestsDir ?? join(ROOT, 'config', config.workload.manifestsDir);
  hashTree(key, manifests, manifests);
  const file = join(CACHE_DIR, `${key.digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ControlTemplate;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const template = synthesize(config, manifestsDir);
  mkdirSync(CACHE_DIR, { recursive: true });
  pruneOldEntries();
  // Written whole under a temporary name, then renamed: a parallel worker never reads half a file.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(template));
  renameSync(partial, file);
  return template;
}
