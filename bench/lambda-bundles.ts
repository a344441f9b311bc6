/**
 * Per Lambda: the size of its deployment bundle and how long a cold container takes to load it.
 *
 * Every lambdas/<name>/handler.ts is found by listing, so a new function is measured without
 * touching this file. Each is bundled with lib/function-factory.ts's LAMBDA_BUNDLING, the settings
 * CDK bundles the deployed functions with (esbuild, minified, node22, CommonJS, the AWS SDK bundled
 * from its ES module builds less the credential providers a Lambda never reaches, a source map
 * without the sources' text cut down to our own code after esbuild), using esbuild's API directly
 * and the same map step so the numbers match the deployed asset without running `cdk synth`.
 *
 * Cold load is the time `require()` of the bundle takes in a fresh Node 22 process, the part of a
 * Lambda cold start our code controls (module init, including the handler's top-level setup).
 * It runs with the function's environment and NODE_OPTIONS (source maps on, as deployed) and no
 * NODE_PATH: the bundle carries everything it loads, so a module left out of it fails here as it
 * would in Lambda. The median of several processes is reported; the process's whole life (Node
 * start-up included) is given beside it, and so is the load without source maps, since
 * --enable-source-maps makes Node parse each bundle's map as it loads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { LAMBDA_BUNDLING } from '../lib/function-factory';
import { rewriteOwnCodeSourceMap } from '../lib/own-code-source-map';
import { PINNED_NODE, REPO_ROOT } from './inputs';
import { type Samples, summarize, timed, timedAsync } from './timing';

export interface LambdaBundle {
  /** The folder under lambdas/, e.g. "autoscaler". */
  readonly name: string;
  /** The handler file, relative to the repository root. */
  readonly entry: string;
  /** The minified JavaScript, without its source map. */
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  readonly bundleMs: number;
}

export interface LambdaColdLoad {
  /** require() of the bundle inside the fresh process, as deployed (source maps on). */
  readonly require: Samples;
  /** The whole child process, Node start-up included. */
  readonly process: Samples;
  /**
   * require() with NODE_OPTIONS emptied: what --enable-source-maps costs at load, measured in
   * processes alternating with the deployed ones so that load on the machine hits both alike.
   */
  readonly requireWithoutSourceMaps: Samples;
}

export interface LambdaMeasurement extends LambdaBundle {
  readonly coldLoad?: LambdaColdLoad;
  /** Why the bundle would not load (a handler needing an environment variable the bench does not set, ...). */
  readonly loadError?: string;
}

/** lambdas/<name>/handler.ts for every folder that has one, by name. */
export function listLambdaHandlers(lambdasDir: string): Array<{ readonly name: string; readonly entry: string }> {
  return readdirSync(lambdasDir, { withFileTypes: true })
    .filter((dirent) => dirent.isDirectory() && existsSync(join(lambdasDir, dirent.name, 'handler.ts')))
    .map((dirent) => ({ name: dirent.name, entry: join(lambdasDir, dirent.name, 'handler.ts') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** esbuild's options for one handler as LAMBDA_BUNDLING says (the source map step apart), with `constants` compiled in. */
export function lambdaBuildOptions(entry: string, constants: Record<string, string> = {}): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    target: LAMBDA_BUNDLING.target,
    platform: 'node',
    format: LAMBDA_BUNDLING.format,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    alias: { ...LAMBDA_BUNDLING.alias },
    external: LAMBDA_BUNDLING.bundleAwsSDK ? [] : ['@aws-sdk/*'],
    define: Object.fromEntries(Object.entries(constants).map(([name, value]) => [name, JSON.stringify(value)])),
    absWorkingDir: REPO_ROOT,
    logLevel: 'silent',
  };
}

/** Bundles one handler into `outDir`/<name>/index.js as deployed: the esbuild settings, compiled-in constants and the source map step. */
export async function bundleLambda(
  handler: { readonly name: string; readonly entry: string },
  outDir: string,
  constants: Record<string, string> = {},
): Promise<LambdaBundle> {
  const outfile = join(outDir, handler.name, 'index.js');
  const { ms } = await timedAsync(async () => {
    await build({ ...lambdaBuildOptions(handler.entry, constants), outfile });
    if (LAMBDA_BUNDLING.sourceMap && LAMBDA_BUNDLING.ownCodeSourceMap) rewriteOwnCodeSourceMap(`${outfile}.map`);
  });
  return {
    name: handler.name,
    entry: relative(REPO_ROOT, handler.entry),
    bundleBytes: statSync(outfile).size,
    sourceMapBytes: existsSync(`${outfile}.map`) ? statSync(`${outfile}.map`).size : 0,
    bundleMs: ms,
  };
}

// Printed by the child: the require() time in ms, measured around the require alone.
const LOAD_SCRIPT = `const { performance } = require('node:perf_hooks');
const started = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - started));`;

/** Loads `bundleFile` in fresh processes, `runs` as deployed and `runs` without source maps; throws with the child's stderr when it will not load. */
export function measureColdLoad(bundleFile: string, environment: Record<string, string>, runs: number): LambdaColdLoad {
  const deployed = {
    // Not the parent's environment: tsx and npm put loaders and settings there that a Lambda does not have.
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...environment,
  };
  const withoutSourceMaps = { ...deployed, NODE_OPTIONS: '' };
  const requireMs: number[] = [];
  const processMs: number[] = [];
  const requireWithoutMapsMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const asDeployed = loadOnce(bundleFile, deployed);
    requireMs.push(asDeployed.requireMs);
    processMs.push(asDeployed.processMs);
    requireWithoutMapsMs.push(loadOnce(bundleFile, withoutSourceMaps).requireMs);
  }
  return { require: summarize(requireMs), process: summarize(processMs), requireWithoutSourceMaps: summarize(requireWithoutMapsMs) };
}

function loadOnce(bundleFile: string, env: Record<string, string>): { readonly requireMs: number; readonly processMs: number } {
  const { result, ms } = timed(() => spawnSync(PINNED_NODE, ['-e', LOAD_SCRIPT, bundleFile], { env, encoding: 'utf8' }));
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(lastLines(result.stderr) || `exited with ${result.status}`);
  return { requireMs: Number(result.stdout), processMs: ms };
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n');
  const errorLine = lines.find((line) => /^\w*Error\b/.test(line));
  return errorLine ?? lines.slice(-3).join(' ');
}

export interface LambdaBundleOptions {
  readonly lambdasDir: string;
  readonly environment: Record<string, string>;
  /** Compiled into every bundle, as lib/function-factory.ts compiles them into those that read them. */
  readonly constants: Record<string, string>;
  /** Fresh processes per Lambda; 0 bundles only. */
  readonly loadRuns: number;
}

export async function benchLambdaBundles(options: LambdaBundleOptions): Promise<LambdaMeasurement[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'kubecdn-bench-bundles-'));
  try {
    const measurements: LambdaMeasurement[] = [];
    for (const handler of listLambdaHandlers(options.lambdasDir)) {
      const bundle = await bundleLambda(handler, outDir, options.constants);
      if (options.loadRuns === 0) {
        measurements.push(bundle);
        continue;
      }
      try {
        measurements.push({
          ...bundle,
          coldLoad: measureColdLoad(join(outDir, handler.name, 'index.js'), options.environment, options.loadRuns),
        });
      } catch (error) {
        measurements.push({ ...bundle, loadError: (error as Error).message });
      }
    }
    return measurements;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
