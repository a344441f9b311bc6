/** `kubecdn trace`: a group of commands for demand traces, each in its own file. */
import type { Command } from 'commander';
import type { CommandContext } from './io';
import { registerTraceCheck } from './trace-check-command';
import { registerTraceFromCloudWatch } from './trace-from-cloudwatch-command';
import { registerTraceSynth } from './trace-synth-command';

export function registerTrace(program: Command, context: CommandContext): void {
  const trace = program
    .command('trace')
    .summary('make, check and export demand traces for the simulator')
    .description('Demand traces: CSV with the header timestamp,region,requests, one row per region per minute (ISO 8601 UTC).');
  registerTraceSynth(trace, context);
  registerTraceCheck(trace, context);
  registerTraceFromCloudWatch(trace, context);
}
