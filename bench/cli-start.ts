/**
 * How fast the command line starts: the README's main job (`kubecdn simulate` on the small example)
 * in fresh Node 22 processes, beside `kubecdn --version` (start-up and loading the command line,
 * nothing else) and Node.js itself doing nothing, the floor under both. Target: the main job well
 * under 2 seconds. `npx` adds its own start-up (npm's) in front; that is not measured here.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, PINNED_NODE, REPO_ROOT } from './inputs';
import { type Samples, summarize, timed } from './timing';

export const SMALL_EXAMPLE_ARGS = [
  'simulate',
  '--config',
  join('config', 'examples', 'small.json'),
  '--trace',
  join('examples', 'traces', 'small-1d.csv'),
] as const;

export interface CliStartMeasurement {
  /** The main job's command, as measured. */
  readonly command: string;
  readonly simulate: Samples;
  readonly version: Samples;
  readonly nodeAlone: Samples;
}

/** One fresh process; a failing run is an error, not a fast time. */
function timeProcess(args: readonly string[]): number {
  const { result, ms } = timed(() => spawnSync(PINNED_NODE, [...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }));
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr.trim()}`);
  return ms;
}

function samples(args: readonly string[], runs: number): Samples {
  return summarize(Array.from({ length: runs }, () => timeProcess(args)));
}

export function benchCliStart(options: { readonly runs: number }): CliStartMeasurement {
  // Not measured: compiles the command line if a source changed since the last build, as a first run after an edit would.
  timeProcess([CLI, '--version']);
  return {
    command: `kubecdn ${SMALL_EXAMPLE_ARGS.join(' ')}`,
    simulate: samples([CLI, ...SMALL_EXAMPLE_ARGS], options.runs),
    version: samples([CLI, '--version'], options.runs),
    nodeAlone: samples(['-e', '0'], options.runs),
  };
}
