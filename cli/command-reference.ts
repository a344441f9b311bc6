/**
 * The command reference as the commands print it: every command path under `kubecdn` and its
 * --help text. The README's reference is this text (scripts/update-command-reference.ts writes
 * it, test/cli/readme-reference.test.ts holds the two together).
 */
import type { Command } from 'commander';
import { main } from './main';
import { buildProgram } from './program';

/** Every command path under kubecdn, the program itself first (commander's own `help` left out). */
export function commandPaths(
  command: Command = buildProgram({ io: { out: () => undefined, err: () => undefined }, exitCode: 0 }),
  prefix: readonly string[] = [],
): string[][] {
  return [
    prefix as string[],
    ...command.commands.filter((c) => c.name() !== 'help').flatMap((c) => commandPaths(c, [...prefix, c.name()])),
  ];
}

export async function helpOf(path: readonly string[]): Promise<string> {
  let out = '';
  await main([...path, '--help'], { out: (text) => (out += text), err: (text) => (out += text) });
  return out;
}

/** The README heading and the opening of the text block that holds a command's --help. */
export function referenceHeading(path: readonly string[]): string {
  return `### \`${['kubecdn', ...path].join(' ')}\`\n\n\`\`\`text\n`;
}
