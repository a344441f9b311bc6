import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo } from '../../cli/io';
import { main } from '../../cli/main';
import { loadConfigFile } from '../../core/config';
import { DEFAULT_COST_MODEL } from '../../core/simulator/cost-model';
import { simulate } from '../../core/simulator/simulate';
import { readTraceFile } from '../../core/traces';
import { minimalConfigInput, writeConfigFile } from '../support/configs';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, 'config', 'examples', 'small.json');
const TRACE = join(ROOT, 'examples', 'traces', 'small-1d.csv');

function capture(): CommandIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), stdout: () => out, stderr: () => err };
}

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubecdn-sim-')), name);
  writeFileSync(file, content);
  return file;
}

describe('kubecdn simulate on the small example trace', () => {
  it('prints the four schedules and a row per region as a table', async () => {
    const { code, stdout, stderr } = await run('simulate', '--config', CONFIG, '--trace', TRACE);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^kubecdn simulate: small\.json on small-1d\.csv\n1 day from 2026-11-02T00:00:00Z to 2026-11-03T00:00:00Z, 3 configured region\(s\)/,
    );
    for (const label of ['autoscaler (decide)', 'optimum (clairvoyant)', 'all regions always on', 'always-on list only']) {
      expect(stdout).toContain(label);
    }
    expect(stdout).toMatch(/\n {2}us-east-1 +always-on +\d+\.\d\d/);
    expect(stdout).toMatch(/\n {2}ap-northeast-1 +scalable, warm +\d+\.\d\d/);
  });

  it('prints one JSON object with the same figures as the simulator itself', async () => {
    const { code, stdout } = await run('simulate', '--config', CONFIG, '--trace', TRACE, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    for (const key of [
      'cost',
      'oracleCost',
      'allOnCost',
      'alwaysOnOnlyCost',
      'servedInRegionPct',
      'hotCoveragePct',
      'oracleServedInRegionPct',
      'transitions',
      'shortCycles',
      'perRegion',
    ]) {
      expect(report).toHaveProperty(key);
    }
    const direct = simulate({ config: loadConfigFile(CONFIG).config, trace: readTraceFile(TRACE), model: DEFAULT_COST_MODEL });
    expect(report).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(report.perRegion.map((r: { region: string }) => r.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
    expect(report.oracleHotCoveragePct).toBe(100);
    expect(report.shortCycles).toBe(0);
    expect(report.oracleCost).toBeLessThan(report.allOnCost);
  });

  it('applies a --model file: two more nodes cost 2 × (0.1008 + 0.0121) USD per region-hour more with everything on', async () => {
    const model = tempFile('model.json', JSON.stringify({ prices: { nodeCount: 4 } }));
    const base = JSON.parse((await run('simulate', '--config', CONFIG, '--trace', TRACE, '--json')).stdout);
    const more = JSON.parse((await run('simulate', '--config', CONFIG, '--trace', TRACE, '--json', '--model', model)).stdout);
    expect(more.allOnCost - base.allOnCost).toBeCloseTo(3 * 24 * 2 * (0.1008 + 0.0121), 9);
  });

  it('writes the chart as a Vega-Lite spec with a panel per region', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kubecdn-plot-')), 'chart.vl.json');
    const { code } = await run('simulate', '--config', CONFIG, '--trace', TRACE, '--plot', file);
    expect(code).toBe(0);
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    expect(spec.$schema).toMatch(/vega-lite/);
    expect(spec.vconcat.map((panel: { title: string }) => panel.title)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
  });

  it('runs with the example --model file: cold starts of 19 minutes', async () => {
    const model = join(ROOT, 'examples', 'models', 'slow-create-three-nodes.json');
    const { code, stdout } = await run('simulate', '--config', CONFIG, '--trace', TRACE, '--json', '--model', model);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).leadTimes).toEqual({ coldStart: 19, warmStart: 4, coldStop: 14, warmStop: 4 });
  });
});

describe('kubecdn simulate rejects bad calls and bad files', () => {
  it('exits 2 naming the option when --config or --trace is missing', async () => {
    const { code, stderr } = await run('simulate', '--trace', TRACE);
    expect(code).toBe(2);
    expect(stderr).toBe("error: required option '--config <regions.json>' not specified\n(add --help for usage)\n");
  });

  it('exits 2 on a mistyped option, suggesting the real one before complaining of the missing one', async () => {
    const { code, stderr } = await run('simulate', '--conf', CONFIG, '--trace', TRACE);
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown option '--conf'\n(Did you mean --config?)");
    expect(stderr).not.toContain('not specified');
  });

  it('exits 2 when a file does not exist, a flag repeats, or a stray argument is given', async () => {
    expect((await run('simulate', '--config', CONFIG, '--trace', 'nope.csv')).stderr).toContain(
      "error: option '--trace <trace.csv>' argument 'nope.csv' is invalid. no such file",
    );
    expect((await run('simulate', '--config', CONFIG, '--config', CONFIG, '--trace', TRACE)).stderr).toContain(
      'the option is given more than once',
    );
    const stray = await run('simulate', 'extra', '--config', CONFIG, '--trace', TRACE);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("error: too many arguments for 'simulate'");
    const unknown = await run('simulate', '--config', CONFIG, '--trace', TRACE, '--fast');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown option '--fast'");
  });

  it('exits 2 on a --plot file that is neither .svg nor .vl.json', async () => {
    const png = await run('simulate', '--config', CONFIG, '--trace', TRACE, '--plot', 'chart.png');
    expect(png.code).toBe(2);
    expect(png.stderr).toContain(
      "error: option '--plot <chart.svg|chart.vl.json>' argument 'chart.png' is invalid. expected a file name ending in .svg (chart) or .vl.json (its Vega-Lite spec)",
    );
  });

  it('renders the --plot chart to SVG, one panel per region with its thresholds, without a browser', () => {
    // Vega is ESM with top-level await, which Jest's CommonJS runtime cannot load: run the real binary.
    const svgFile = join(mkdtempSync(join(tmpdir(), 'kubecdn-plot-')), 'chart.svg');
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'kubecdn-cli.js'), 'simulate', '--config', CONFIG, '--trace', TRACE, '--plot', svgFile],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const svg = readFileSync(svgFile, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // The title sums the run up: the autoscaler's cost against the optimum's.
    expect(svg).toMatch(/autoscaler \$[\d.]+ vs optimum \$[\d.]+/);
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) expect(svg).toContain(`Title text '${region}'`);
    expect(svg).toContain('threshold: scale up');
    expect(svg).toContain('autoscaler: running');
  }, 60_000);

  it('exits 1 and names the line of a bad trace', async () => {
    const trace = tempFile('bad.csv', 'timestamp,region,requests\n2026-11-02T00:00:00Z,us-east-1,10\n2026-11-02T00:01:00Z,us-east-1,-3\n');
    const { code, stderr } = await run('simulate', '--config', CONFIG, '--trace', trace);
    expect(code).toBe(1);
    expect(stderr).toBe(`${trace}:3: request count -3 is negative; expected a whole number of 0 or more\n1 problem(s) found.\n`);
  });

  it('exits 1 and names the JSON path of a bad config or model', async () => {
    const config = writeConfigFile({ ...minimalConfigInput(), scalable: ['eu-wst-1'] });
    const badConfig = await run('simulate', '--config', config, '--trace', TRACE);
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain(`${config}: $.scalable[0]: "eu-wst-1" is not an AWS region code; did you mean "eu-west-1"?`);
    const model = tempFile('model.json', JSON.stringify({ prices: { nlbPerHour: -1 } }));
    const badModel = await run('simulate', '--config', CONFIG, '--trace', TRACE, '--model', model);
    expect(badModel.code).toBe(1);
    expect(badModel.stderr).toContain(`${model}: $.prices.nlbPerHour: expected the NLB price per hour in USD (0 or more)`);
  });
});
