/** Where the benchmark's inputs live: the shared reference trace and the project's copy of its config. */
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..');

/** Node 22, the project's pinned version (the machine's own node is older). */
export const PINNED_NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');

export const REFERENCE_TRACE = join(REPO_ROOT, '..', 'shared', 'traces', 'reference-7d.csv');

/** The reference scenario in the project's config format (same values as ../shared/traces/reference-config.json). */
export const REFERENCE_CONFIG = join(REPO_ROOT, 'config', 'examples', 'reference.json');

export const CLI = join(REPO_ROOT, 'bin', 'kubecdn-cli.js');

export const LAMBDAS_DIR = join(REPO_ROOT, 'lambdas');

export const DEFAULT_OUT = join(REPO_ROOT, 'bench-results', 'latest.json');
