/**
 * Every command through the real binary (test/support/run-kubecdn.ts): each command, each exit code,
 * --help, --version and --json as a user or a script meets them. The in-process tests beside this
 * one cover the details more cheaply; these show the binary loads and behaves the same.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../../core/config';
import { DEFAULT_COST_MODEL } from '../../core/simulator/cost-model';
import { simulate } from '../../core/simulator/simulate';
import { parseTraceCsv, readTraceFile } from '../../core/traces';
import { minimalConfigInput, writeConfigFile } from '../support/configs';
import { runKubecdn } from '../support/run-kubecdn';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, 'config', 'examples', 'small.json');
const TRACE = join(ROOT, 'examples', 'traces', 'small-1d.csv');
const COMMANDS = [
  'validate',
  'simulate',
  'trace synth',
  'trace check',
  'trace from-cloudwatch',
  'start',
  'stop',
  'purge',
  'rollout',
  'kubeconfig',
];
const FAKE_AWS = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-secret',
  AWS_REGION: 'us-east-1',
  AWS_MAX_ATTEMPTS: '1',
};

const dir = mkdtempSync(join(tmpdir(), 'kubecdn-bin-'));

jest.setTimeout(60_000);

describe('kubecdn --version and --help', () => {
  it('prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runKubecdn(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists every command and the exit codes, and exits 0', async () => {
    const { code, stdout } = await runKubecdn(['--help']);
    expect(code).toBe(0);
    for (const command of ['validate', 'simulate', 'trace']) expect(stdout).toMatch(new RegExp(`\\n {2}${command} `));
    expect(stdout).toContain('Exit codes:\n  0  success\n  1  failure');
  });

  it.each(COMMANDS)('explains every flag of %s', async (command) => {
    const { code, stdout } = await runKubecdn([...command.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: kubecdn ${command} `);
    // Every option line carries a description after its flags.
    const optionLines = stdout
      .split('Options:\n')[1]!
      .split('\n')
      .filter((line) => /^ {2}-/.test(line));
    expect(optionLines.length).toBeGreaterThanOrEqual(2);
    for (const line of optionLines) expect(line).toMatch(/^ {2}-\S.*\S {2,}\S/);
  });

  it('exits 2 with the command list on standard error when no command is given', async () => {
    const { code, stdout, stderr } = await runKubecdn([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: kubecdn [options] [command]');
  });

  it('exits 2 suggesting the command meant by a typo', async () => {
    const { code, stderr } = await runKubecdn(['simulat', '--config', CONFIG]);
    expect(code).toBe(2);
    expect(stderr).toBe("error: unknown command 'simulat'\n(Did you mean simulate?)\n(add --help for usage)\n");
  });
});

describe('kubecdn validate (binary)', () => {
  it('exits 0 on a valid file', async () => {
    const { code, stdout } = await runKubecdn(['validate', CONFIG]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `${CONFIG}: valid: 1 always-on and 2 scalable region(s) (us-east-1, eu-west-1, ap-northeast-1); control plane in us-east-1\n`,
    );
  });

  it('exits 1 listing the problems of an invalid file, without a stack trace', async () => {
    const file = writeConfigFile({ ...minimalConfigInput(), homeRegion: 'xx' });
    const { code, stderr } = await runKubecdn(['validate', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}: $.homeRegion: "xx" is not an AWS region code`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the problems as JSON with --json', async () => {
    const file = writeConfigFile({ ...minimalConfigInput(), scalable: ['eu-wst-1'] });
    const { code, stdout, stderr } = await runKubecdn(['validate', file, '--json']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      file,
      valid: false,
      problems: [{ path: '$.scalable[0]', message: '"eu-wst-1" is not an AWS region code; did you mean "eu-west-1"?' }],
      omittedProblems: 0,
    });
  });
});

describe('kubecdn simulate (binary)', () => {
  it('prints the simulator report as it is with --json', async () => {
    const { code, stdout, stderr } = await runKubecdn(['simulate', '--config', CONFIG, '--trace', TRACE, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const direct = simulate({ config: loadConfigFile(CONFIG).config, trace: readTraceFile(TRACE), model: DEFAULT_COST_MODEL });
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it('exits 2 on a mistyped option, suggesting the real one', async () => {
    const { code, stderr } = await runKubecdn(['simulate', '--config', CONFIG, '--trace', TRACE, '--jsn']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown option '--jsn'\n(Did you mean --json?)");
  });
});

describe('kubecdn trace (binary)', () => {
  it('synth writes a trace that check accepts, and check --json summarises it', async () => {
    const file = join(dir, 'synth.csv');
    const synth = await runKubecdn(['trace', 'synth', '--seed', '3', '--days', '1', '--regions', 'eu-west-1', '--out', file, '--json']);
    expect(synth.code).toBe(0);
    const summary = { file, start: '2026-11-02T00:00:00Z', minutes: 1440, regions: ['eu-west-1'], missingValues: expect.any(Number) };
    expect(JSON.parse(synth.stdout)).toEqual({ ...summary, seed: 3 });
    const check = await runKubecdn(['trace', 'check', file, '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual({ ...summary, valid: true, missingValues: JSON.parse(synth.stdout).missingValues });
  });

  it('synth takes the shape options, and exits 2 naming the option when they do not fit together', async () => {
    const file = join(dir, 'shaped.csv');
    const args = ['trace', 'synth', '--seed', '3', '--days', '1', '--regions', 'eu-west-1', '--out', file, '--json'];
    const shaped = await runKubecdn([...args, '--hovering-regions', 'eu-west-1', '--hover-rpm', '3000', '--spikes-per-day', '4']);
    expect(shaped.code).toBe(0);
    expect(JSON.parse(shaped.stdout).shapes).toEqual({ hoveringRegions: ['eu-west-1'], hoverRequestsPerMinute: 3000, spikesPerDay: 4 });
    const unfit = await runKubecdn([...args, '--hovering-regions', 'eu-west-1']);
    expect(unfit.code).toBe(2);
    expect(unfit.stderr).toContain('--hovering-regions needs --hover-rpm <rpm>');
  });

  it('check exits 1 naming the line of a bad trace', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'timestamp,region,requests\n2026-11-02T00:00:00Z,us-east-1,-3\n');
    const { code, stdout, stderr } = await runKubecdn(['trace', 'check', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${file}:2: request count -3 is negative; expected a whole number of 0 or more\n1 problem(s) found.\n`);
  });

  it('exits 1 with one line, no stack trace, when the output cannot be written', async () => {
    const { code, stderr } = await runKubecdn(['trace', 'synth', '--seed', '1', '--days', '1', '--out', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^kubecdn: EISDIR: illegal operation on a directory.*\n$/);
  });
});

/** A loopback stand-in for CloudWatch's JSON protocol, answering each GetMetricData with `answer`. */
async function cloudWatchStandIn(answer: (body: { MetricDataQueries: { Id: string }[]; StartTime: number }) => [number, unknown]) {
  const requests: { target: string | undefined; body: string }[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ target: request.headers['x-amz-target'] as string | undefined, body });
      const [status, payload] = answer(JSON.parse(body));
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { requests, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('kubecdn trace from-cloudwatch (binary)', () => {
  it('loads the AWS reader and exports what CloudWatch (a local stand-in) returns', async () => {
    const cloudWatch = await cloudWatchStandIn((body) => [
      200,
      {
        MetricDataResults: body.MetricDataQueries.map(({ Id }) => ({
          Id,
          StatusCode: 'Complete',
          Timestamps: [body.StartTime],
          Values: [42],
        })),
      },
    ]);
    try {
      const config = writeConfigFile(minimalConfigInput());
      const out = join(dir, 'exported.csv');
      const result = await runKubecdn(['trace', 'from-cloudwatch', '--config', config, '--days', '1', '--out', out, '--json'], {
        env: { ...FAKE_AWS, AWS_ENDPOINT_URL: cloudWatch.endpoint },
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ file: out, minutes: 1440, regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] });
      expect(cloudWatch.requests[0]!.target).toBe('GraniteServiceVersion20100801.GetMetricData');
      const trace = parseTraceCsv(readFileSync(out, 'utf8'));
      expect(trace.requests.get('eu-west-1')![0]).toBe(42);
    } finally {
      cloudWatch.close();
    }
  });

  it('exits 1 naming the region when CloudWatch (a local stand-in) refuses', async () => {
    const cloudWatch = await cloudWatchStandIn(() => [400, { __type: 'AccessDeniedException', message: 'denied by the test' }]);
    try {
      const config = writeConfigFile(minimalConfigInput());
      const result = await runKubecdn(['trace', 'from-cloudwatch', '--config', config, '--days', '1', '--out', '-'], {
        env: { ...FAKE_AWS, AWS_ENDPOINT_URL: cloudWatch.endpoint },
      });
      expect(result.stderr).not.toMatch(/Cannot find module/);
      expect(result.stderr).toBe(
        'kubecdn trace from-cloudwatch: cannot read the demand metric in us-east-1: AccessDeniedException: denied by the test\n',
      );
      expect(result.code).toBe(1);
      expect(cloudWatch.requests.length).toBeGreaterThanOrEqual(1);
    } finally {
      cloudWatch.close();
    }
  });

  it('exits 2 when --json is asked of a trace written to standard output', async () => {
    const result = await runKubecdn(['trace', 'from-cloudwatch', '--config', CONFIG, '--days', '1', '--out', '-', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --json describes a written file; with --out - standard output is the CSV');
  });
});
