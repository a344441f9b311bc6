import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { demandWindow } from '../../../core/demand/demand-queries';
import { DemandHistory } from '../../../lambdas/autoscaler/demand-history';
import { readDemand } from '../../../lambdas/autoscaler/demand-reader';
import { validConfig } from '../../support/configs';
import { awsError, noSleep, steadyDemand, TICK } from './fixtures';

const cloudWatch = mockClient(CloudWatchClient);
const clientsByRegion = new Map<string, CloudWatchClient>();
const deps = {
  cloudWatchFor: (region: string) => {
    if (!clientsByRegion.has(region)) clientsByRegion.set(region, new CloudWatchClient({ region }));
    return clientsByRegion.get(region)!;
  },
  retry: noSleep,
};

beforeEach(() => cloudWatch.reset());

describe('reading demand from CloudWatch', () => {
  const config = validConfig();

  it('makes exactly one GetMetricData call per tick for all regions, with one demand query each', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(config, { 'us-east-1': 100, 'eu-west-1': 4000, 'ap-northeast-1': 10 }));
    const reading = await readDemand(deps, config, TICK);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    const demandIds = input.MetricDataQueries?.map((q) => q.Id).filter((id) => id?.startsWith('demand_'));
    expect(demandIds).toEqual(['demand_us_east_1', 'demand_eu_west_1', 'demand_ap_northeast_1']);
    expect(input.StartTime).toEqual(new Date(reading.window.start));
    expect(input.EndTime).toEqual(new Date(reading.window.end));
    expect(reading.demand['eu-west-1']).toHaveLength(15);
    expect(reading.demand['eu-west-1']!.every((v) => v === 4000)).toBe(true);
    expect(reading.failures).toEqual([]);
  });

  it('asks the us-east-1 CloudWatch for the query-log demand, whatever the home region', async () => {
    const home = validConfig((c) => {
      c.homeRegion = 'eu-west-1';
      c.demand = { source: 'route53-query-logs' };
    });
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await readDemand(deps, home, TICK);
    const demandCall = cloudWatch
      .commandCalls(GetMetricDataCommand)
      .find((call) => call.args[0].input.MetricDataQueries?.some((q) => q.Id?.startsWith('demand_')));
    expect(await demandCall!.thisValue.config.region()).toBe('us-east-1');
  });

  it('asks the home region’s CloudWatch for the edges’ request counts', async () => {
    const home = validConfig((c) => (c.homeRegion = 'eu-west-1'));
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await readDemand(deps, home, TICK);
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(await calls[0]!.thisValue.config.region()).toBe('eu-west-1');
    expect(calls[0]!.args[0].input.MetricDataQueries?.[0]?.MetricStat?.Metric?.Namespace).toBe('KubeCdn/Edge');
  });

  it('makes one call per metrics region when a brought metric lives in several', async () => {
    const brought = validConfig((c) => {
      c.demand = {
        source: 'cloudwatch-metric',
        metric: { namespace: 'Edge', metricName: 'Requests', metricsRegions: ['us-east-1', 'eu-west-1'] },
      };
    });
    cloudWatch.on(GetMetricDataCommand).resolves(steadyDemand(brought, { 'eu-west-1': 1000 }));
    const reading = await readDemand(deps, brought, TICK);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(2);
    expect(reading.demand['eu-west-1']![0]).toBe(2000); // the two regions' counts add up
  });

  it('follows NextToken and joins the pages', async () => {
    const full = steadyDemand(config, { 'eu-west-1': 7 });
    const result = full.MetricDataResults![0]!;
    cloudWatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { ...result, Timestamps: result.Timestamps!.slice(0, 5), Values: result.Values!.slice(0, 5), StatusCode: 'PartialData' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ MetricDataResults: [{ ...result, Timestamps: result.Timestamps!.slice(5), Values: result.Values!.slice(5) }] });
    const reading = await readDemand(deps, config, TICK);
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input.NextToken).toBeUndefined();
    expect(calls[1]!.args[0].input.NextToken).toBe('page-2');
    expect(reading.demand['eu-west-1']).toEqual(Array(15).fill(7));
  });

  it('retries a throttled call and then reads the data', async () => {
    cloudWatch
      .on(GetMetricDataCommand)
      .rejectsOnce(awsError('Throttling', 400))
      .rejectsOnce(awsError('ServiceUnavailable', 503))
      .resolves(steadyDemand(config, { 'eu-west-1': 5 }));
    const reading = await readDemand(deps, config, TICK);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(3);
    expect(reading.demand['eu-west-1']![14]).toBe(5);
    expect(reading.failures).toEqual([]);
  });

  it('retries a connection reset and an SDK timeout as it retries throttling', async () => {
    cloudWatch
      .on(GetMetricDataCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .rejectsOnce(Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' }))
      .resolves(steadyDemand(config, { 'eu-west-1': 5 }));
    const reading = await readDemand(deps, config, TICK);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(3);
    expect(reading.failures).toEqual([]);
  });

  it('gives up after the last attempt and reports every region as missing, not zero', async () => {
    cloudWatch.on(GetMetricDataCommand).rejects(awsError('Throttling', 400));
    const reading = await readDemand(deps, config, TICK);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(noSleep.attempts);
    expect(reading.failures).toEqual([{ metricsRegion: 'us-east-1', error: expect.stringMatching(/^Throttling/) }]);
    for (const series of Object.values(reading.demand)) expect(series.every((v) => v === null)).toBe(true);
  });

  it('does not retry a request CloudWatch refuses as invalid', async () => {
    cloudWatch.on(GetMetricDataCommand).rejects(awsError('InvalidParameterValueException', 400));
    const reading = await readDemand(deps, config, TICK);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(reading.failures).toHaveLength(1);
  });

  it('leaves periods without a datapoint missing', async () => {
    const answer = steadyDemand(config, { 'eu-west-1': 9 });
    const result = answer.MetricDataResults![0]!;
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ ...result, Timestamps: result.Timestamps!.slice(0, 14), Values: result.Values!.slice(0, 14) }],
    });
    const reading = await readDemand(deps, config, TICK);
    expect(reading.demand['eu-west-1']![14]).toBeNull();
    expect(reading.demand['eu-west-1']![13]).toBe(9);
    expect(reading.demand['us-east-1']!.every((v) => v === null)).toBe(true);
  });
});

describe('reading demand incrementally across warm ticks', () => {
  // A week of one-minute periods, as forecasting reads: the case the history is for.
  const config = validConfig();
  const window = demandWindow(config, TICK);
  const minute = 60_000;

  function answerWithMinutes(value: (t: number) => number) {
    cloudWatch.on(GetMetricDataCommand).callsFake((input: { StartTime: Date; EndTime: Date }) => {
      const timestamps: Date[] = [];
      for (let t = input.StartTime.getTime(); t < input.EndTime.getTime(); t += minute) timestamps.push(new Date(t));
      return { MetricDataResults: [{ Id: 'demand_eu_west_1', Timestamps: timestamps, Values: timestamps.map((t) => value(t.getTime())) }] };
    });
  }

  it('reads the whole window on a cold container, then only the newest periods (and a few again) on the next tick', async () => {
    const history = new DemandHistory(5);
    answerWithMinutes((t) => (t / minute) % 1000);
    await readDemand({ ...deps, history }, config, TICK);
    const second = await readDemand({ ...deps, history }, config, TICK + minute);
    const calls = cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.StartTime).toEqual(new Date(window.start));
    expect(calls[1]!.StartTime).toEqual(new Date(window.end - 5 * minute));
    expect(calls[1]!.EndTime).toEqual(new Date(window.end + minute));
    // The series is whole: held periods and newly read ones, each where it belongs.
    const series = second.demand['eu-west-1']!;
    expect(series).toHaveLength(window.periods);
    series.forEach((v, i) => expect(v).toBe(((second.window.start + i * minute) / minute) % 1000));
  });

  it('replaces re-read periods with what CloudWatch says now (a late datapoint arrives)', async () => {
    const history = new DemandHistory(5);
    answerWithMinutes(() => 1);
    await readDemand({ ...deps, history }, config, TICK);
    cloudWatch.reset();
    answerWithMinutes(() => 2);
    const second = await readDemand({ ...deps, history }, config, TICK + minute);
    const series = second.demand['eu-west-1']!;
    // The 5 periods held last time are read again, with the 1 new one.
    expect(series.slice(-6)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(series[series.length - 7]).toBe(1);
  });

  it('keeps what it held when a read fails, and reports that tick as missing', async () => {
    const history = new DemandHistory(5);
    answerWithMinutes(() => 3);
    await readDemand({ ...deps, history }, config, TICK);
    cloudWatch.reset();
    cloudWatch.on(GetMetricDataCommand).rejects(awsError('InvalidParameterValueException'));
    const failed = await readDemand({ ...deps, history }, config, TICK + minute);
    expect(failed.demand['eu-west-1']!.every((v) => v === null)).toBe(true);
    cloudWatch.reset();
    answerWithMinutes(() => 4);
    const recovered = await readDemand({ ...deps, history }, config, TICK + 2 * minute);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.StartTime).toEqual(new Date(window.end - 5 * minute));
    // 5 re-read + the 2 periods since the last good read.
    expect(recovered.demand['eu-west-1']!.slice(-9)).toEqual([3, 3, 4, 4, 4, 4, 4, 4, 4]);
  });

  it('starts over when the question changes (a new config)', async () => {
    const history = new DemandHistory(5);
    answerWithMinutes(() => 1);
    await readDemand({ ...deps, history }, config, TICK);
    const renamed = validConfig((c) => (c.name = 'other'));
    await readDemand({ ...deps, history }, renamed, TICK + minute);
    const second = cloudWatch.commandCalls(GetMetricDataCommand)[1]!.args[0].input;
    expect(second.StartTime).toEqual(new Date(demandWindow(renamed, TICK + minute).start));
  });
});
