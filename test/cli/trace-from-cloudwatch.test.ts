import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo } from '../../cli/io';
import { main } from '../../cli/main';
import { parseTraceCsv } from '../../core/traces';
import { minimalConfigInput, writeConfigFile } from '../support/configs';

const cloudWatch = mockClient(CloudWatchClient);
// 12:00:30Z; the default 120 s lag makes 11:58Z the end of the export window.
const NOW = Date.UTC(2026, 10, 20, 12, 0, 30);
const END = Date.UTC(2026, 10, 20, 11, 58);
const START = END - 24 * 60 * 60_000;

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { out: (t) => (stdout += t), err: (t) => (stderr += t) };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

beforeEach(() => {
  cloudWatch.reset();
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});
afterEach(() => jest.restoreAllMocks());

describe('kubecdn trace from-cloudwatch', () => {
  it('exports a day of the demand metric as a trace, missing minutes left empty', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'demand_us_east_1', Timestamps: [new Date(START), new Date(START + 60_000)], Values: [120, 130] },
        { Id: 'demand_eu_west_1', Timestamps: [new Date(START + 60_000)], Values: [7] },
      ],
    });
    const config = writeConfigFile(minimalConfigInput());
    const out = join(mkdtempSync(join(tmpdir(), 'kubecdn-cw-')), 'exported.csv');
    const { code, stdout, stderr } = await run('trace', 'from-cloudwatch', '--config', config, '--days', '1', '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${out}: 1440 minutes x 3 region(s) from 2026-11-19T11:58:00Z, ${3 * 1440 - 3} missing value(s)\n`);

    const trace = parseTraceCsv(readFileSync(out, 'utf8'));
    expect(trace.startMs).toBe(START);
    expect([...trace.requests.get('us-east-1')!.slice(0, 3)]).toEqual([120, 130, NaN]);
    expect([...trace.requests.get('eu-west-1')!.slice(0, 2)]).toEqual([NaN, 7]);

    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.StartTime).toEqual(new Date(START));
    expect(input.EndTime).toEqual(new Date(END));
    expect(input.MetricDataQueries?.every((q) => q.MetricStat?.Period === 60 && q.MetricStat.Stat === 'Sum')).toBe(true);
  });

  it('exports the edge-counted viewer requests, read from KubeCdn/Edge in the home region', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'demand_eu_west_1', Timestamps: [new Date(START)], Values: [4200] }],
    });
    const config = writeConfigFile({ ...minimalConfigInput(), homeRegion: 'eu-west-1', demand: { source: 'edge-requests' } });
    const { code, stdout, stderr } = await run('trace', 'from-cloudwatch', '--config', config, '--days', '1', '--out', '-');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect([...parseTraceCsv(stdout).requests.get('eu-west-1')!.slice(0, 2)]).toEqual([4200, NaN]);

    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(await calls[0]!.thisValue.config.region()).toBe('eu-west-1');
    expect(calls[0]!.args[0].input.MetricDataQueries).toContainEqual({
      Id: 'demand_eu_west_1',
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'KubeCdn/Edge',
          MetricName: 'ViewerRequests',
          Dimensions: [
            { Name: 'Project', Value: 'kubecdn' },
            { Name: 'Region', Value: 'eu-west-1' },
          ],
        },
        Period: 60,
        Stat: 'Sum',
      },
    });
  });

  it('exits 1 naming the region when CloudWatch refuses', async () => {
    cloudWatch.on(GetMetricDataCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const config = writeConfigFile(minimalConfigInput());
    const { code, stderr } = await run('trace', 'from-cloudwatch', '--config', config, '--days', '1', '--out', '-');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'kubecdn trace from-cloudwatch: cannot read the demand metric in us-east-1: AccessDeniedException: not authorized\n',
    );
  });

  it.each([
    [['--days', '1', '--out', '-'], "error: required option '--config <regions.json>' not specified"],
    [
      ['--config', 'nope.json', '--days', '1', '--out', '-'],
      "error: option '--config <regions.json>' argument 'nope.json' is invalid. no such file",
    ],
    [
      ['--config', __filename, '--days', '16', '--out', '-'],
      "error: option '--days <n>' argument '16' is invalid. expected a whole number of days from 1 to 15",
    ],
    [['--config', __filename, '--days', '1'], "error: required option '--out <file.csv|->' not specified"],
  ])('exits 2 on %j', async (args, message) => {
    const { code, stderr } = await run('trace', 'from-cloudwatch', ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
