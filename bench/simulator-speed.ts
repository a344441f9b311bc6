/**
 * Simulator speed on the reference trace: the in-process run (read and parse the trace, replay it
 * through the engine, the optimum and both baselines) as a median of a few runs, and one run of
 * the whole CLI as an operator starts it, which adds Node start-up, loading the compiled command
 * line, and printing. The target is a full run under 2 seconds.
 */
import { spawnSync } from 'node:child_process';
import { loadConfigFile } from '../core/config';
import { DEFAULT_COST_MODEL } from '../core/simulator/cost-model';
import { simulate, type SimulationReport } from '../core/simulator/simulate';
import { readTraceFile } from '../core/traces';
import { CLI, PINNED_NODE, REPO_ROOT } from './inputs';
import { type Samples, summarize, timed } from './timing';

export interface SimulatorSpeedOptions {
  readonly configPath: string;
  readonly tracePath: string;
  /** In-process runs; the median is reported. */
  readonly runs: number;
  /** Also time one `node bin/kubecdn-cli.js simulate` child process. */
  readonly cli: boolean;
}

export interface SimulatorSpeed {
  readonly regions: number;
  readonly minutes: number;
  /** Regions replayed times trace minutes: the unit of simulator work. */
  readonly regionMinutes: number;
  /** config.prediction.enabled: forecasting makes each engine tick do more. */
  readonly prediction: boolean;
  /** Reading and parsing the trace CSV. */
  readonly parse: Samples;
  /** Replay through the engine plus the optimum and both baselines. */
  readonly simulate: Samples;
  /** Config + trace + simulate, as the CLI does before printing. */
  readonly fullRun: Samples;
  /** regionMinutes over the median simulate time. */
  readonly regionMinutesPerSecond: number;
  /** Wall time of one whole CLI run in a fresh Node 22 process, or undefined when not measured. */
  readonly cliRunMs?: number;
}

export function benchSimulatorSpeed(options: SimulatorSpeedOptions): SimulatorSpeed {
  const parseMs: number[] = [];
  const simulateMs: number[] = [];
  const fullMs: number[] = [];
  let report: SimulationReport | undefined;
  let prediction = false;
  for (let run = 0; run < options.runs; run++) {
    const full = timed(() => {
      const { config } = loadConfigFile(options.configPath);
      prediction = config.prediction.enabled;
      const parsed = timed(() => readTraceFile(options.tracePath));
      const simulated = timed(() => simulate({ config, trace: parsed.result, model: DEFAULT_COST_MODEL }));
      parseMs.push(parsed.ms);
      simulateMs.push(simulated.ms);
      return simulated.result;
    });
    fullMs.push(full.ms);
    report = full.result;
  }
  if (!report) throw new Error('simulator speed needs at least one run');
  const regionMinutes = report.trace.regions * report.trace.minutes;
  const simulateSamples = summarize(simulateMs);
  return {
    regions: report.trace.regions,
    minutes: report.trace.minutes,
    regionMinutes,
    prediction,
    parse: summarize(parseMs),
    simulate: simulateSamples,
    fullRun: summarize(fullMs),
    regionMinutesPerSecond: regionMinutes / (simulateSamples.medianMs / 1000),
    ...(options.cli ? { cliRunMs: timeCliRun(options.configPath, options.tracePath) } : {}),
  };
}

/** One `kubecdn simulate --json` in a child process; a failing run is an error, not a fast time. */
export function timeCliRun(configPath: string, tracePath: string): number {
  const { result, ms } = timed(() =>
    spawnSync(PINNED_NODE, [CLI, 'simulate', '--config', configPath, '--trace', tracePath, '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kubecdn simulate exited with ${result.status}: ${result.stderr.trim()}`);
  return ms;
}
