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

  describe('shape options', () => {
    const base = ['trace', 'synth', '--seed', '8', '--days', '2', '--regions', 'us-east-1,sa-east-1', '--out', '-'];
    const series = (csv: string, region: string) => [...parseTraceCsv(csv).requests.get(region)!];

    it('without a shape option writes the trace the seed always gave, and a shape changes only what it shapes', async () => {
      const plain = (await run(...base)).stdout;
      const shaped = await run(...base, '--bimodal-regions', 'sa-east-1');
      expect(shaped.code).toBe(0);
      expect(series(shaped.stdout, 'us-east-1')).toEqual(series(plain, 'us-east-1'));
      expect(series(shaped.stdout, 'sa-east-1')).not.toEqual(series(plain, 'sa-east-1'));
    });

    it('keeps a hovering region below --hover-rpm most of the day with bursts above it', async () => {
      const { code, stdout } = await run(
        ...base,
        '--gaps-per-week',
        '0',
        '--flash-crowds-per-week',
        '0',
        '--hovering-regions',
        'sa-east-1',
        '--hover-rpm',
        '3000',
      );
      expect(code).toBe(0);
      const hover = series(stdout, 'sa-east-1');
      const above = hover.filter((rpm) => rpm >= 3000).length;
      expect(above).toBeGreaterThan(0);
      expect(above).toBeLessThan(hover.length * 0.1);
      expect(Math.min(...hover)).toBeGreaterThan(3000 * 0.6);
    });

    it('blanks whole days with --missing-days and adds one-minute spikes with --spikes-per-day', async () => {
      const gaps = (await run(...base, '--gaps-per-week', '0', '--missing-days', '1')).stdout;
      const missing = ['us-east-1', 'sa-east-1'].map((region) => series(gaps, region).filter(Number.isNaN).length);
      expect(missing.sort((a, b) => a - b)).toEqual([0, 1440]);
      const plain = series((await run(...base)).stdout, 'sa-east-1');
      const spiky = series((await run(...base, '--spikes-per-day', '5')).stdout, 'sa-east-1');
      const jumps = spiky.filter((rpm, minute) => rpm >= plain[minute]! * 10).length;
      expect(jumps).toBeGreaterThanOrEqual(5);
    });

    it('adds multi-day events with --events-per-week and says which shapes it used in --json', async () => {
      const file = join(dir, 'events.csv');
      const { code, stdout } = await run(
        'trace',
        'synth',
        '--seed',
        '8',
        '--days',
        '7',
        '--regions',
        'us-east-1',
        '--events-per-week',
        '2',
        '--out',
        file,
        '--json',
      );
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ file, seed: 8, shapes: { eventsPerWeek: 2 } });
      const plain = series(
        (await run('trace', 'synth', '--seed', '8', '--days', '7', '--regions', 'us-east-1', '--out', '-')).stdout,
        'us-east-1',
      );
      const busier = series(readFileSync(file, 'utf8'), 'us-east-1').filter((rpm, minute) => rpm > plain[minute]! * 1.4).length;
      expect(busier).toBeGreaterThanOrEqual(1440);
    });

    it.each([
      [['--events-per-week', '-1'], "error: option '--events-per-week <n>' argument '-1' is invalid. expected a number from 0 to 1000"],
      [['--spikes-per-day', 'lots'], "error: option '--spikes-per-day <n>' argument 'lots' is invalid. expected a number from 0 to 1000"],
      [['--hover-rpm', '0'], "error: option '--hover-rpm <rpm>' argument '0' is invalid. expected requests per minute from 1 to 1e9"],
      [
        ['--missing-days', '1.5'],
        "error: option '--missing-days <n>' argument '1.5' is invalid. expected a whole number of days from 0 to 100000",
      ],
      [
        ['--bimodal-regions', 'eu-wset-1'],
        `error: option '--bimodal-regions <a,b,...>' argument 'eu-wset-1' is invalid. "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`,
      ],
      [['--bimodal-regions', 'eu-west-1'], '--bimodal-regions: "eu-west-1" is not one of the trace\'s regions (us-east-1, sa-east-1)'],
      [['--hovering-regions', 'ap-south-1', '--hover-rpm', '10'], '--hovering-regions: "ap-south-1" is not one of the trace\'s regions'],
      [['--hovering-regions', 'sa-east-1'], '--hovering-regions needs --hover-rpm <rpm>'],
      [['--hover-rpm', '3000'], '--hover-rpm applies to --hovering-regions, and none are given'],
      [['--hover-bursts-per-day', '4'], '--hover-bursts-per-day applies to --hovering-regions, and none are given'],
      [
        ['--hovering-regions', 'sa-east-1', '--hover-rpm', '10', '--bimodal-regions', 'sa-east-1'],
        '--bimodal-regions: "sa-east-1" is also in --hovering-regions',
      ],
      [['--missing-days', '5'], '--missing-days: expected at most 4 (days x regions'],
    ])('exits 2 on shape option %j, naming the option', async (args, message) => {
      const { code, stderr } = await run(...base, ...args);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
    });
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
