/**
 * The binary runs the command line compiled to JavaScript (bin/compiled-cli.js): a source edited
 * since the last build must never run in its old form, an unchanged one must not be rebuilt, and a
 * source that does not compile is reported in one line. Run on a scratch project with the real
 * launcher, so the repository's own sources and cache are not touched.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function scratchProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'kubecdn-compiled-cli-'));
  mkdirSync(join(project, 'bin'));
  mkdirSync(join(project, 'cli'));
  for (const file of ['kubecdn-cli.js', 'compiled-cli.js']) copyFileSync(join(ROOT, 'bin', file), join(project, 'bin', file));
  writeFileSync(join(project, 'package-lock.json'), '{}\n');
  writeFileSync(join(project, 'tsconfig.json'), '{}\n');
  // Its own node_modules (so its cache is its own), with the real esbuild in it.
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(join(ROOT, 'node_modules', 'esbuild'), join(project, 'node_modules', 'esbuild'));
  return project;
}

function writeMain(project: string, greeting: string): void {
  writeFileSync(join(project, 'cli', 'words.ts'), `export const GREETING: string = ${JSON.stringify(greeting)};\n`);
  writeFileSync(
    join(project, 'cli', 'main.ts'),
    "import { GREETING } from './words';\nexport async function main(argv: readonly string[]): Promise<number> {\n" +
      "  process.stdout.write(`${GREETING} ${argv.join(' ')}\\n`);\n  return 3;\n}\n",
  );
}

function run(project: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(project, 'bin', 'kubecdn-cli.js'), ...args], { encoding: 'utf8' });
}

const bundles = (project: string) =>
  readdirSync(join(project, 'node_modules', '.cache', 'kubecdn', 'cli')).filter((name) => /^cli-[0-9a-f]+\.js$/.test(name));

describe('the compiled command line', () => {
  it('runs the compiled main with the arguments and its exit code, and builds it once', () => {
    const project = scratchProject();
    writeMain(project, 'hello');
    expect(run(project, 'a', 'b')).toMatchObject({ status: 3, stdout: 'hello a b\n', stderr: '' });
    const built = bundles(project);
    expect(built).toHaveLength(1);
    expect(run(project)).toMatchObject({ status: 3, stdout: 'hello \n' });
    expect(bundles(project)).toEqual(built);
  }, 60_000);

  it('rebuilds when any source it was built from changes, not only the entry point', () => {
    const project = scratchProject();
    writeMain(project, 'hello');
    expect(run(project).stdout).toBe('hello \n');
    writeFileSync(join(project, 'cli', 'words.ts'), 'export const GREETING: string = "changed";\n');
    expect(run(project).stdout).toBe('changed \n');
    expect(bundles(project)).toHaveLength(2);
  }, 60_000);

  it('exits 1 with the first compile error in one line', () => {
    const project = scratchProject();
    writeMain(project, 'hello');
    writeFileSync(join(project, 'cli', 'words.ts'), 'export const GREETING: string = ;\n');
    const result = run(project);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^kubecdn: cannot compile the command line: cli\/words\.ts:1:\d+: Unexpected ";"\n$/);
  }, 60_000);
});
