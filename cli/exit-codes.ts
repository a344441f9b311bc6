/**
 * What the process exit code means, for every command: scripts branch on it, so a command never
 * invents its own.
 */
import { CommanderError } from 'commander';

/** The command did what was asked. */
export const EXIT_OK = 0;
/** The call was understood but failed: an input file is invalid, AWS refused, a check found problems. */
export const EXIT_FAILURE = 1;
/** The call itself is wrong: unknown command or option, a missing or malformed flag value. */
export const EXIT_USAGE = 2;

/** The code commander gives its own usage errors: mapped to EXIT_USAGE with the parser's. */
export const USAGE_ERROR_CODE = 'kubecdn.usage';

/**
 * Commander reports --help, --version and every parse error by throwing (exitOverride) with an exit
 * code of its own: 0 after help or the version, 1 for everything else, including the help it prints
 * when a command group is called without a command. All of those non-zero ones are usage errors.
 */
export function exitCodeOfCommanderError(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
}

export function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof CommanderError;
}

/** A usage error found after parsing (a combination of options, say), printed and mapped like the parser's own. */
export function usageError(
  command: { error(message: string, options: { exitCode: number; code: string }): never },
  message: string,
): never {
  return command.error(`error: ${message}`, { exitCode: EXIT_USAGE, code: USAGE_ERROR_CODE });
}

/**
 * Ctrl-C while a command waits for a workflow: the shell's code for SIGINT. The execution goes on
 * in AWS; only the following stopped.
 */
export const EXIT_INTERRUPTED = 130;
