/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Writes one JSON object, the whole of standard output for a command run with --json. */
export function writeJson(io: CommandIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** What a command's action receives besides its options, and where it leaves its exit code. */
export interface CommandContext {
  readonly io: CommandIo;
  exitCode: number;
}
