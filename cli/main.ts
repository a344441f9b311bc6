/** `kubecdn <command>`: the operator's command line. Each command lives in its own file (cli/program.ts lists them). */
import { EXIT_FAILURE, EXIT_OK, exitCodeOfCommanderError, isCommanderError } from './exit-codes';
import { type CommandIo, processIo } from './io';
import { buildProgram } from './program';

/** Runs one command line and returns the process exit code (cli/exit-codes.ts). */
export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const context = { io, exitCode: EXIT_OK };
  try {
    await buildProgram(context).parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    // Commander has already printed its message (or the help or version asked for).
    if (isCommanderError(error)) return exitCodeOfCommanderError(error);
    // Anything else is a fault outside the inputs' own problems: one line, no stack trace.
    io.err(`kubecdn: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
