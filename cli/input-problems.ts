/**
 * The one way every command reports problems in the files it was given (exit 1): each problem on
 * standard error as `<file>: <json path>: ...` or `<file>:<line>: ...` and a count, or with --json
 * one object on standard output. Other errors are not the input's fault and are passed on.
 */
import { ConfigError } from '../core/config';
import { TraceError } from '../core/traces';
import { EXIT_FAILURE } from './exit-codes';
import { type CommandIo, writeJson } from './io';

/** The --json form of invalid input, the same for every command. */
export interface InputProblemsJson {
  readonly file: string;
  readonly valid: false;
  /** `path` (JSON path) for config and model files, `line` (1-based; 0 for the file as a whole) for traces. */
  readonly problems: readonly ({ readonly path: string; readonly message: string } | { readonly line: number; readonly message: string })[];
  /** Problems found but not listed (a trace stops listing after its first ones). */
  readonly omittedProblems: number;
}

export function inputProblemsJson(error: ConfigError | TraceError): InputProblemsJson {
  if (error instanceof ConfigError) {
    return { file: error.file, valid: false, problems: error.problems.map(({ path, message }) => ({ path, message })), omittedProblems: 0 };
  }
  return {
    file: error.source,
    valid: false,
    problems: error.problems.map(({ line, message }) => ({ line, message })),
    omittedProblems: error.omitted,
  };
}

/** Returns EXIT_FAILURE after reporting a ConfigError or TraceError; rethrows anything else. */
export function reportInputProblems(error: unknown, io: CommandIo, json: boolean): number {
  if (!(error instanceof ConfigError) && !(error instanceof TraceError)) throw error;
  if (json) {
    writeJson(io, inputProblemsJson(error));
  } else {
    const count = error instanceof TraceError ? error.problems.length + error.omitted : error.problems.length;
    io.err(`${error.message}\n${count} problem(s) found.\n`);
  }
  return EXIT_FAILURE;
}
