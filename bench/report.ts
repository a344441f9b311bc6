/** The whole benchmark result: what `--json` writes and format.ts prints. */
import type { TickMeasurement } from './autoscaler-tick';
import type { CliStartMeasurement } from './cli-start';
import type { CorpusSummary, QualityRow } from './decision-quality';
import type { RegionTableMeasurement } from './edge-region-table';
import type { LambdaMeasurement } from './lambda-bundles';
import type { AlternativeRow } from './online-alternatives';
import type { SimulatorSpeed } from './simulator-speed';

export interface BenchMachine {
  readonly node: string;
  readonly cpus: number;
  /** 1, 5 and 15 minute load averages at the start: other work on the machine slows every figure. */
  readonly loadAverage: readonly number[];
}

export interface BenchReport {
  readonly generatedAt: string;
  /** The commit measured, with "+changes" when the working tree differs from it. */
  readonly commit: string;
  readonly machine: BenchMachine;
  readonly inputs: {
    readonly trace: string;
    readonly config: string;
    readonly syntheticSeeds: readonly number[];
    /** The corpus traces scored, by part (bench/decision-corpus.ts); absent in a report from before the corpus. */
    readonly corpus?: Readonly<Record<string, readonly string[]>>;
  };
  /** The timing sections are absent when only decision quality was run (`--only decision-quality`). */
  readonly simulator?: SimulatorSpeed;
  readonly cliStart?: CliStartMeasurement;
  readonly regionTable?: RegionTableMeasurement;
  readonly lambdas?: readonly LambdaMeasurement[];
  readonly autoscalerTicks?: readonly TickMeasurement[];
  /** Every scored trace and engine mode: the reference, the fixed synthetic seeds, then the corpus. */
  readonly decisionQuality: readonly QualityRow[];
  /** The corpus by part and engine mode: median and worst case of each target figure. */
  readonly corpusSummary?: readonly CorpusSummary[];
  /** Simple policies with no foresight beside the engine on the hovering and spikes traces, against the engine's optimum. */
  readonly onlineAlternatives?: readonly AlternativeRow[];
  /** Wall time of the whole benchmark. */
  readonly benchMs: number;
}
