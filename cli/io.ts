/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** A mistake in how the command was called (not in the files it read): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
