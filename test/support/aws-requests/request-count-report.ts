/**
 * With KUBECDN_REPORT_REQUESTS set, how many AWS requests the whole run checked and how many it
 * refused, summed over the test files (each jest worker is its own process and appends one line
 * per file to the run's ledger directory). `setup` is jest's globalSetup, `report` its
 * globalTeardown; both do nothing without the variable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface FileLine {
  testFile: string;
  checked: Record<string, number>;
  refused: number;
  failedTests: number;
}

export function setup(): void {
  if (!process.env.KUBECDN_REPORT_REQUESTS) return;
  // Workers start after this and inherit the environment.
  process.env.KUBECDN_REQUEST_LEDGER_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecdn-requests-'));
}

export function summarize(lines: readonly FileLine[]): string {
  const byOperation = new Map<string, number>();
  for (const line of lines)
    for (const [operation, n] of Object.entries(line.checked)) byOperation.set(operation, (byOperation.get(operation) ?? 0) + n);
  const total = [...byOperation.values()].reduce((a, b) => a + b, 0);
  const refused = lines.reduce((a, l) => a + l.refused, 0);
  const failing = lines.reduce((a, l) => a + l.failedTests, 0);
  const withRequests = lines.filter((l) => Object.keys(l.checked).length > 0).length;
  return [
    `AWS requests checked: ${total} in ${withRequests} of ${lines.length} test files, ${byOperation.size} operations`,
    `refused: ${refused} (${failing} failed a test, ${refused - failing} expected by a test that makes bad requests on purpose)`,
    ...[...byOperation].sort((a, b) => b[1] - a[1]).map(([operation, n]) => `  ${String(n).padStart(7)} ${operation}`),
  ].join('\n');
}

export function report(): void {
  const directory = process.env.KUBECDN_REQUEST_LEDGER_DIR;
  if (!process.env.KUBECDN_REPORT_REQUESTS || !directory) return;
  const lines = fs
    .readdirSync(directory)
    .flatMap((name) => fs.readFileSync(path.join(directory, name), 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FileLine);
  const summary = summarize(lines);
  fs.writeFileSync(path.join(directory, 'summary.txt'), `${summary}\n`);
  process.stdout.write(`\n${summary}\n(per file: ${directory})\n`);
}
