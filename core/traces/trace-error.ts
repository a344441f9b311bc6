/** Trace problems as a person reads them: `<file>:<line>: <what is wrong, what was expected>`. */
export interface TraceProblem {
  /** 1-based line number in the file (the header is line 1); 0 when the problem is the file as a whole. */
  readonly line: number;
  readonly message: string;
}

export class TraceError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly TraceProblem[],
    /** Problems found but not listed, so a broken file does not flood the terminal. */
    readonly omitted = 0,
  ) {
    super(formatTraceProblems(source, problems, omitted));
    this.name = 'TraceError';
  }
}

export function formatTraceProblems(source: string, problems: readonly TraceProblem[], omitted = 0): string {
  const lines = problems.map((p) => (p.line > 0 ? `${source}:${p.line}: ${p.message}` : `${source}: ${p.message}`));
  if (omitted > 0) lines.push(`${source}: ... and ${omitted} more problem(s)`);
  return lines.join('\n');
}
