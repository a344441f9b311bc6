/**
 * The README's command reference is the commands' own --help output: every command has its
 * section, each section holds exactly what --help prints today, and no section describes a
 * command that no longer exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { main } from '../../cli/main';
import { buildProgram } from '../../cli/program';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** Every command path under kubecdn, the program itself first (commander's own `help` left out). */
function commandPaths(command: Command, prefix: readonly string[] = []): string[][] {
  return [
    prefix as string[],
    ...command.commands.filter((c) => c.name() !== 'help').flatMap((c) => commandPaths(c, [...prefix, c.name()])),
  ];
}

async function helpOf(path: readonly string[]): Promise<string> {
  let out = '';
  await main([...path, '--help'], { out: (text) => (out += text), err: (text) => (out += text) });
  return out;
}

const paths = commandPaths(buildProgram({ io: { out: () => undefined, err: () => undefined }, exitCode: 0 }));

describe('the README command reference', () => {
  it('covers the commands there are', () => {
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining(['validate', 'simulate', 'trace synth', 'trace check', 'trace from-cloudwatch']),
    );
    const documented = [...README.matchAll(/^### `kubecdn([^`]*)`$/gm)].map((m) => m[1]!.trim());
    expect(documented.sort()).toEqual(paths.map((p) => p.join(' ')).sort());
  });

  it.each(paths.map((p) => [p.join(' ') || '(no command)', p] as const))('shows the --help of %s as it is', async (_name, path) => {
    const heading = `### \`${['kubecdn', ...path].join(' ')}\`\n\n\`\`\`text\n`;
    const start = README.indexOf(heading);
    expect(start).toBeGreaterThanOrEqual(0);
    const block = README.slice(start + heading.length, README.indexOf('```', start + heading.length));
    expect(block).toBe(await helpOf(path));
  });
});
