/** Config problems as a person reads them: `<file>: <json path>: <what is wrong, what was expected>`. */
export interface ConfigProblem {
  /** JSON path into the file, e.g. `$.thresholds.scaleUpPeriods` or `$.alwaysOn[1]`. */
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = 'ConfigError';
  }
}

export function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n');
}

/** `['thresholds', 'perRegion', 'eu-west-1']` → `$.thresholds.perRegion.eu-west-1`; numbers become `[i]`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z0-9_$-]+$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
