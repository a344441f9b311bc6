/**
 * Rewrites the README's command reference from the commands' own --help: each `### \`kubecdn ...\``
 * section's text block becomes what that command prints today. Sections for new commands are not
 * invented here (where one belongs is a writing decision): test/cli/readme-reference.test.ts names
 * any command without one. Run with `npx tsx scripts/update-command-reference.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandPaths, helpOf, referenceHeading } from '../cli/command-reference';

const README = join(__dirname, '..', 'README.md');

async function update(): Promise<void> {
  let readme = readFileSync(README, 'utf8');
  const missing: string[] = [];
  for (const path of commandPaths()) {
    const heading = referenceHeading(path);
    const start = readme.indexOf(heading);
    if (start < 0) {
      missing.push(['kubecdn', ...path].join(' '));
      continue;
    }
    const from = start + heading.length;
    readme = readme.slice(0, from) + (await helpOf(path)) + readme.slice(readme.indexOf('```', from));
  }
  writeFileSync(README, readme);
  if (missing.length > 0) console.error(`no README section for: ${missing.join(', ')} (add "### \`<command>\`" and a text block)`);
}

void update();
