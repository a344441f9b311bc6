/**
 * `npm run bench [-- --json [--out file]] [-- --only decision-quality]`: the figures we track,
 * printed; with --json (or --out) also written as JSON (default bench-results/latest.json,
 * git-ignored); with --only decision-quality just the decision-quality part (reference, fixed
 * seeds, the corpus and its online alternatives), to iterate on the engine. Numbers are measured
 * and reported, never asserted: the targets sit beside them for a reader to compare.
 *
 * Repetition counts are chosen so the whole run stays well under two minutes on a busy 2-core
 * machine while every timing is still a median.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configuredRegions, type KubeCdnConfig, loadConfigFile } from '../core/config';
import type { SimulationReport } from '../core/simulator/simulate';
import { readTraceFile, type Trace } from '../core/traces';
import { benchAutoscalerTicks } from './autoscaler-tick';
import { benchCliStart } from './cli-start';
import { CORPUS_PARTS, corpusPart } from './decision-corpus';
import { benchDecisionQuality, type NamedTrace, summarizeCorpus, syntheticTrace } from './decision-quality';
import { ALTERNATIVE_FAMILIES, benchOnlineAlternatives, simulateEngine } from './online-alternatives';
import { edgeFilesConstants } from '../lambdas/region-ops/edge-files';
import { edgeAgentSource } from '../lib/edge-agent-bundle';
import { benchEdgeRegionTable } from './edge-region-table';
import { formatReport } from './format';
import { DEFAULT_OUT, LAMBDAS_DIR, REFERENCE_CONFIG, REFERENCE_TRACE, REPO_ROOT } from './inputs';
import { benchLambdaBundles } from './lambda-bundles';
import { configConstants } from '../lambdas/shared/deployed-config';
import { deployedLambdaEnvironment } from './lambda-environment';
import type { BenchReport } from './report';
import { benchSimulatorSpeed } from './simulator-speed';
import { timedAsync } from './timing';
import { runMain } from './run-main';

const SIMULATOR_RUNS = 5;
const COLD_LOAD_PROCESSES = 7;
const CLI_START_PROCESSES = 5;
const TICK_REGION_COUNTS = [10, 30];
const COLD_TICKS = 3;
const WARM_TICKS = 20;
const SYNTHETIC_SEEDS = [11, 12];

const ONLY = ['decision-quality'] as const;

const USAGE =
  'usage: npm run bench [-- [--json] [--out <file.json>] [--only decision-quality]]   (default --out: bench-results/latest.json)\n';

function progress(step: string): void {
  process.stderr.write(`bench: ${step}...\n`);
}

/** The commit measured, so results from different runs can be told apart. */
function currentCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

/**
 * The reference trace, the fixed synthetic seeds and both corpus parts, scored with prediction off
 * and on; then the online alternatives on two corpus families, from the engine's runs just made.
 */
function runDecisionQuality(
  config: KubeCdnConfig,
): Pick<BenchReport, 'decisionQuality' | 'corpusSummary' | 'onlineAlternatives'> & { corpus: Record<string, string[]> } {
  const corpus = CORPUS_PARTS.flatMap((part) => corpusPart(config, part));
  progress(
    `decision quality (reference trace, synthetic seeds ${SYNTHETIC_SEEDS.join(', ')} and ${corpus.length} corpus traces; about 10 s on a quiet machine)`,
  );
  const traces: NamedTrace[] = [
    { name: 'reference', trace: readTraceFile(REFERENCE_TRACE) },
    ...SYNTHETIC_SEEDS.map((seed) => syntheticTrace(config, seed)),
    ...corpus,
  ];
  const alternativeTraces = new Set(corpus.filter((t) => ALTERNATIVE_FAMILIES.includes(t.family)).map((t) => t.trace));
  const engineRuns = new Map<Trace, SimulationReport>();
  const decisionQuality = benchDecisionQuality({
    config,
    traces,
    bothModes: true,
    // The alternatives compare with the engine as configured, the mode engineVariants marks so.
    onReport: (named, engine, report) => {
      if (engine.endsWith('(as configured)') && alternativeTraces.has(named.trace)) engineRuns.set(named.trace, report);
    },
  });
  progress('online alternatives on the hovering and spikes traces (a few more runs)');
  const onlineAlternatives = benchOnlineAlternatives(corpus, (t) => engineRuns.get(t.trace) ?? simulateEngine(t));
  const names = Object.fromEntries(CORPUS_PARTS.map((part) => [part, corpus.filter((t) => t.part === part).map((t) => t.name)]));
  return { decisionQuality, corpusSummary: summarizeCorpus(decisionQuality), onlineAlternatives, corpus: names };
}

function header() {
  return {
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: currentCommit(),
    machine: { node: process.version, cpus: cpus().length, loadAverage: loadavg() },
    inputs: { trace: relative(REPO_ROOT, REFERENCE_TRACE), config: relative(REPO_ROOT, REFERENCE_CONFIG), syntheticSeeds: SYNTHETIC_SEEDS },
  };
}

async function runDecisionQualityOnly(): Promise<BenchReport> {
  const { config } = loadConfigFile(REFERENCE_CONFIG);
  const start = header();
  const { corpus, ...quality } = runDecisionQuality(config);
  return { ...start, inputs: { ...start.inputs, corpus }, ...quality, benchMs: 0 };
}

async function runBench(): Promise<BenchReport> {
  const { config } = loadConfigFile(REFERENCE_CONFIG);
  const start = header();

  progress(`simulator speed (${SIMULATOR_RUNS} in-process runs and one CLI run)`);
  const simulator = benchSimulatorSpeed({ configPath: REFERENCE_CONFIG, tracePath: REFERENCE_TRACE, runs: SIMULATOR_RUNS, cli: true });

  progress(`CLI start (${CLI_START_PROCESSES} processes each: simulate on the small example, --version, bare node)`);
  const cliStart = benchCliStart({ runs: CLI_START_PROCESSES });

  progress(`edge region table for ${configuredRegions(config).length} regions from the geolocation database (most of a minute)`);
  const regionTable = benchEdgeRegionTable(configuredRegions(config));

  progress(`Lambda bundles and cold loads (${COLD_LOAD_PROCESSES} processes each)`);
  const lambdas = await benchLambdaBundles({
    lambdasDir: LAMBDAS_DIR,
    environment: deployedLambdaEnvironment(config),
    // region-ops carries the edge files as the stacks compile them in; the other bundles do not read them.
    constants: {
      ...configConstants(config),
      ...edgeFilesConstants({ agentSource: edgeAgentSource(), regionTableGzip: regionTable.gzip }),
    },
    loadRuns: COLD_LOAD_PROCESSES,
  });

  progress(`autoscaler ticks (${TICK_REGION_COUNTS.join(' and ')} regions, prediction off and on)`);
  const autoscalerTicks = await benchAutoscalerTicks({
    base: config,
    regionCounts: TICK_REGION_COUNTS,
    predictionModes: [false, true],
    coldTicks: COLD_TICKS,
    warmTicks: WARM_TICKS,
  });

  const { corpus, ...quality } = runDecisionQuality(config);

  return {
    ...start,
    inputs: { ...start.inputs, corpus },
    simulator,
    cliStart,
    regionTable: regionTable.measurement,
    lambdas,
    autoscalerTicks,
    ...quality,
    benchMs: 0,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: { json?: boolean; out?: string; help?: boolean; only?: string };
  try {
    options = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, only: { type: 'string' } },
    }).values;
    if (options.only !== undefined && !(ONLY as readonly string[]).includes(options.only))
      throw new Error(`--only: expected one of ${ONLY.join(', ')}, got "${options.only}"`);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { result, ms } = await timedAsync(options.only === 'decision-quality' ? runDecisionQualityOnly : runBench);
  const report: BenchReport = { ...result, benchMs: ms };
  process.stdout.write(formatReport(report));
  if (options.json || options.out) {
    const out = resolve(options.out ?? DEFAULT_OUT);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`wrote ${relative(process.cwd(), out) || out}\n`);
  }
  return 0;
}

runMain(main);
