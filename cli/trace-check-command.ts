import type { Command } from 'commander';
import { readTraceFile } from '../core/traces';
import { EXIT_OK } from './exit-codes';
import { reportInputProblems } from './input-problems';
import { type CommandContext, type CommandIo, writeJson } from './io';
import { jsonOption } from './shared-options';
import { traceSummary } from './trace-summary';

export function registerTraceCheck(trace: Command, context: CommandContext): void {
  trace
    .command('check')
    .summary('validate a trace and summarise it')
    .description('Reads a trace and lists every problem as <file>:<line>: <what is wrong>. Exit 0 when valid, 1 when not.')
    .argument('<trace.csv>', 'the trace to check')
    .addOption(jsonOption('the summary (and the problems of an invalid trace)'))
    .action((file: string, options: { json?: boolean }) => {
      context.exitCode = runTraceCheck(file, options.json === true, context.io);
    });
}

export function runTraceCheck(file: string, json: boolean, io: CommandIo): number {
  try {
    const summary = traceSummary(file, readTraceFile(file));
    if (json) writeJson(io, { ...summary, valid: true });
    else {
      io.out(
        `${file}: valid: ${summary.minutes} minute(s) from ${summary.start}, ${summary.regions.length} region(s) ` +
          `(${summary.regions.join(', ')}), ${summary.missingValues} missing value(s)\n`,
      );
    }
    return EXIT_OK;
  } catch (error) {
    return reportInputProblems(error, io, json);
  }
}
