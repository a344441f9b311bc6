/**
 * The README's command reference is the commands' own --help output: every command has its
 * section, each section holds exactly what --help prints today, and no section describes a
 * command that no longer exists. `npx tsx scripts/update-command-reference.ts` rewrites the sections.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandPaths, helpOf, referenceHeading } from '../../cli/command-reference';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

const paths = commandPaths();

describe('the README command reference', () => {
  it('covers the commands there are', () => {
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining(['validate', 'simulate', 'trace synth', 'trace check', 'trace from-cloudwatch']),
    );
    const documented = [...README.matchAll(/^### `kubecdn([^`]*)`$/gm)].map((m) => m[1]!.trim());
    expect(documented.sort()).toEqual(paths.map((p) => p.join(' ')).sort());
  });

  it.each(paths.map((p) => [p.join(' ') || '(no command)', p] as const))('shows the --help of %s as it is', async (_name, path) => {
    const heading = referenceHeading(path);
    const start = README.indexOf(heading);
    expect(start).toBeGreaterThanOrEqual(0);
    const block = README.slice(start + heading.length, README.indexOf('```', start + heading.length));
    expect(block).toBe(await helpOf(path));
  });
});
