import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo } from '../../cli/io';
import { main } from '../../cli/main';
import { parseTraceCsv } from '../../core/traces';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { out: (t) => (stdout += t), err: (t) => (stderr += t) };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'kubecdn-trace-'));

describe('kubecdn trace synth', () => {
  it('writes a valid trace of the requested days and regions, the same for the same seed', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const result = await run('trace', 'synth', '--seed', '5', '--days', '1', '--regions', 'us-east-1,sa-east-1', '--out', a);
    expect(result).toEqual({ code: 0, stdout: `${a}: 1440 minutes x 2 region(s) (us-east-1, sa-east-1), seed 5\n`, stderr: '' });
    await run('trace', 'synth', '--seed', '5', '--days', '1', '--regions', 'us-east-1,sa-east-1', '--out', b);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const trace = parseTraceCsv(readFileSync(a, 'utf8'));
    expect(trace.regions).toEqual(['us-east-1', 'sa-east-1']);
    expect(trace.minutes).toBe(1440);
  });

  it('writes to standard output with --out - and starts on the --start date', async () => {
    const { code, stdout } = await run(
      'trace',
      'synth',
      '--seed',
      '1',
      '--days',
      '1',
      '--regions',
      'eu-west-1',
      '--start',
      '2027-01-04',
      '--out',
      '-',
    );
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      'timestamp,region,requests',
      expect.stringMatching(/^2027-01-04T00:00:00Z,eu-west-1,\d+$/),
    ]);
  });

  it('takes --gaps-per-week 0 as no gaps, not as the default', async () => {
    const args = ['trace', 'synth', '--seed', '4', '--days', '14', '--regions', 'eu-west-1', '--out', '-'];
    const missing = (csv: string) => [...parseTraceCsv(csv).requests.get('eu-west-1')!].filter(Number.isNaN).length;
    expect(missing((await run(...args)).stdout)).toBeGreaterThan(0);
    expect(missing((await run(...args, '--gaps-per-week', '0')).stdout)).toBe(0);
  });

  it.each([
    [['--days', '1', '--out', '-'], "error: required option '--seed <n>' not specified"],
    [
      ['--seed', 'x', '--days', '1', '--out', '-'],
      "error: option '--seed <n>' argument 'x' is invalid. expected a whole number from 0 to 4294967295",
    ],
    [
      ['--seed', '1', '--days', '0', '--out', '-'],
      "error: option '--days <n>' argument '0' is invalid. expected a whole number of days from 1 to 366",
    ],
    [
      ['--seed', '1', '--days', '1', '--out', '-', '--regions', 'eu-wset-1'],
      `error: option '--regions <a,b,...>' argument 'eu-wset-1' is invalid. "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`,
    ],
    [['--seed', '1', '--days', '1', '--out', '-', '--regions', 'eu-west-1,eu-west-1'], '"eu-west-1" is listed twice'],
    [
      ['--seed', '1', '--days', '1', '--out', '-', '--start', '2027-02-30'],
      "error: option '--start <YYYY-MM-DD>' argument '2027-02-30' is invalid. expected a date such as 2026-11-02 (UTC midnight)",
    ],
    [
      ['--seed', '1', '--days', '1', '--out', '/no/such/folder/t.csv'],
      "error: option '--out <file.csv|->' argument '/no/such/folder/t.csv' is invalid. its folder does not exist",
    ],
    [
      ['--seed', '1', '--seed', '2', '--days', '1', '--out', '-'],
      "error: option '--seed <n>' argument '2' is invalid. the option is given more than once",
    ],
  ])('exits 2 on %j', async (args, message) => {
    const { code, stderr } = await run('trace', 'synth', ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('kubecdn trace check', () => {
  it('summarises a valid trace', async () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, 'timestamp,region,requests\n2026-11-02T00:00:00Z,us-east-1,1\n2026-11-02T00:01:00Z,us-east-1,\n');
    expect(await run('trace', 'check', file)).toEqual({
      code: 0,
      stdout: `${file}: valid: 2 minute(s) from 2026-11-02T00:00:00Z, 1 region(s) (us-east-1), 1 missing value(s)\n`,
      stderr: '',
    });
  });

  it('exits 1 and lists the problems of a bad trace with line numbers', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'timestamp,region,requests\n2026-11-02T00:00:00Z,us-esat-1,1\n2026-11-02T00:00:00Z,eu-west-1,abc\n');
    const { code, stderr } = await run('trace', 'check', file);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `${file}:2: "us-esat-1" is not an AWS region code; did you mean "us-east-1"?\n` +
        `${file}:3: request count "abc" is not a number; expected a whole number of 0 or more, or an empty cell for missing data\n` +
        '2 problem(s) found.\n',
    );
  });

  it('prints the problems as JSON with --json, with their line numbers', async () => {
    const file = join(dir, 'bad-json.csv');
    writeFileSync(file, 'timestamp,region,requests\n2026-11-02T00:00:00Z,us-east-1,x\n');
    const { code, stdout, stderr } = await run('trace', 'check', '--json', file);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      file,
      valid: false,
      problems: [{ line: 2, message: expect.stringContaining('request count "x" is not a number') }],
      omittedProblems: 0,
    });
  });

  it('exits 2 on an unknown subcommand, suggesting the nearest', async () => {
    const unknown = await run('trace', 'from-s3');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'from-s3'");
    const typo = await run('trace', 'chek', 'a.csv');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('(Did you mean check?)');
  });

  it('exits 2 with the list of trace commands when none is given', async () => {
    const { code, stdout, stderr } = await run('trace');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    for (const command of ['synth', 'check', 'from-cloudwatch']) expect(stderr).toContain(`  ${command} `);
  });
});
