/**
 * `npm run bench:lambdas [-- --runs N]`: only the Lambda part of `npm run bench` (bench/main.ts),
 * to compare bundling or import changes without the rest of the run. The region-ops bundle
 * carries the edge region table read from the synth cache (built once if missing, as a synth
 * does), not rebuilt as the full bench does to time it; the bundles are the same.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { configuredRegions, loadConfigFile } from '../core/config';
import { edgeFilesConstants } from '../lambdas/region-ops/edge-files';
import { configConstants } from '../lambdas/shared/deployed-config';
import { edgeAgentSource } from '../lib/edge-agent-bundle';
import { edgeRegionTable } from '../lib/edge-region-table';
import { formatLambdas } from './format';
import { LAMBDAS_DIR, REFERENCE_CONFIG } from './inputs';
import { benchLambdaBundles } from './lambda-bundles';
import { deployedLambdaEnvironment } from './lambda-environment';
import { runMain } from './run-main';

const DEFAULT_RUNS = 7;
const USAGE = `usage: npm run bench:lambdas [-- --runs <processes per Lambda, default ${DEFAULT_RUNS}>]\n`;

async function main(argv: readonly string[]): Promise<number> {
  let runs = DEFAULT_RUNS;
  try {
    const { values } = parseArgs({ args: [...argv], options: { runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (values.runs !== undefined) {
      runs = Number(values.runs);
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number of at least 1, got "${values.runs}"`);
    }
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const load = loadavg();
  const { config } = loadConfigFile(REFERENCE_CONFIG);
  const table = edgeRegionTable(configuredRegions(config));
  const lambdas = await benchLambdaBundles({
    lambdasDir: LAMBDAS_DIR,
    environment: deployedLambdaEnvironment(config),
    constants: { ...configConstants(config), ...edgeFilesConstants({ agentSource: edgeAgentSource(), regionTableGzip: table.gzip }) },
    loadRuns: runs,
  });
  const after = loadavg();
  process.stdout.write(
    `load average ${load.map((n) => n.toFixed(2)).join(' ')} at the start, ${after.map((n) => n.toFixed(2)).join(' ')} at the end\n${formatLambdas(lambdas)}\n`,
  );
  return 0;
}

runMain(main);
