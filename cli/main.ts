/** `kubecdn <command>`: the operator's command line. Each command lives in its own file. */
import { type CommandIo, processIo, UsageError } from './io';
import { runSimulate, SIMULATE_USAGE } from './simulate-command';
import { runTrace, TRACE_USAGE } from './trace-command';
import { runValidate, VALIDATE_USAGE } from './validate-command';

type Command = (args: readonly string[], io: CommandIo) => number | Promise<number>;

const COMMANDS: Record<string, { readonly run: Command; readonly usage: string }> = {
  validate: { run: runValidate, usage: VALIDATE_USAGE },
  simulate: { run: runSimulate, usage: SIMULATE_USAGE },
  trace: { run: runTrace, usage: TRACE_USAGE },
};

export function usage(): string {
  return `usage:\n${Object.values(COMMANDS)
    .map((c) => `  ${c.usage}`)
    .join('\n')}\n`;
}

/** Runs one command and returns the process exit code: 0 ok, 1 the input was bad, 2 the call was. */
export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`kubecdn: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // node:util parseArgs reports unknown flags and missing values with these codes.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kubecdn ${name}: ${(error as Error).message}\nusage: ${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}
