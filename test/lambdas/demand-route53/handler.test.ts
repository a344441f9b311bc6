import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { gzipSync } from 'node:zlib';
import { demandDatums, MAX_DATUMS_PER_CALL, publishDemand } from '../../../lambdas/demand-route53/publish-demand';
import { producerSettings } from '../../../lambdas/demand-route53/producer-settings';

const cloudWatch = mockClient(CloudWatchClient);
const context = { functionName: 'demand', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const env = { KUBECDN_PROJECT: 'kubecdn', KUBECDN_DOMAIN_NAME: 'cdn.example.com', KUBECDN_REGIONS: 'us-east-1,eu-west-1,ap-northeast-1' };
function loadHandler(): (event: unknown, context: Context) => Promise<Record<string, number>> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return (
      require('../../../lambdas/demand-route53/handler') as {
        handler: (event: unknown, context: Context) => Promise<Record<string, number>>;
      }
    ).handler;
  } finally {
    process.env = saved;
  }
}

function subscriptionEvent(messages: string[], messageType = 'DATA_MESSAGE') {
  const payload = {
    messageType,
    owner: '123456789012',
    logGroup: '/aws/route53/cdn.example.com',
    logStream: 'Z0123456789EXAMPLE0/FRA6',
    subscriptionFilters: ['demand'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: Date.parse('2026-11-25T20:00:00Z'), message })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}
const query = (time: string, edge: string, type = 'A') =>
  `1.0 ${time} Z0123456789EXAMPLE0 cdn.example.com ${type} NOERROR UDP ${edge} 192.0.2.1 -`;

beforeEach(() => {
  cloudWatch.reset();
  cloudWatch.on(PutMetricDataCommand).resolves({});
});

describe('the Route 53 demand producer', () => {
  it('publishes per-minute queries per nearest configured region, zeros included, in one PutMetricData call', async () => {
    const handler = loadHandler();
    const result = await handler(
      subscriptionEvent([
        query('2026-11-25T20:00:01Z', 'FRA6'),
        query('2026-11-25T20:00:02Z', 'LHR50-C1'),
        query('2026-11-25T20:00:03Z', 'LHR50-C1', 'AAAA'),
        query('2026-11-25T20:01:04Z', 'NRT12'),
      ]),
      context,
    );
    expect(result).toEqual({ logEvents: 4, minutes: 2, queries: 3, unattributed: 0, putMetricDataCalls: 1 });
    const [call] = cloudWatch.commandCalls(PutMetricDataCommand);
    expect(call!.args[0].input.Namespace).toBe('KubeCdn/Demand');
    const points = call!.args[0].input
      .MetricData!.filter((d) => d.MetricName === 'ViewerQueries')
      .map((d) => [d.Timestamp!.toISOString(), d.Dimensions![1]!.Value, d.Value]);
    expect(points).toEqual([
      ['2026-11-25T20:00:00.000Z', 'us-east-1', 0],
      ['2026-11-25T20:00:00.000Z', 'eu-west-1', 2],
      ['2026-11-25T20:00:00.000Z', 'ap-northeast-1', 0],
      ['2026-11-25T20:01:00.000Z', 'us-east-1', 0],
      ['2026-11-25T20:01:00.000Z', 'eu-west-1', 0],
      ['2026-11-25T20:01:00.000Z', 'ap-northeast-1', 1],
    ]);
    expect(call!.args[0].input.MetricData![0]).toMatchObject({
      Dimensions: [
        { Name: 'Project', Value: 'kubecdn' },
        { Name: 'Region', Value: 'us-east-1' },
      ],
      Unit: 'Count',
    });
  });

  it('counts unknown edge locations as unattributed', async () => {
    const result = await loadHandler()(subscriptionEvent([query('2026-11-25T20:00:01Z', 'QQQ1')]), context);
    expect(result.unattributed).toBe(1);
    const data = cloudWatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData!;
    expect(data.find((d) => d.MetricName === 'UnattributedQueries')?.Value).toBe(1);
  });

  it('publishes nothing for the control message CloudWatch Logs sends when subscribing', async () => {
    const result = await loadHandler()(subscriptionEvent([], 'CONTROL_MESSAGE'), context);
    expect(result.putMetricDataCalls).toBe(0);
    expect(cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it('rejects an event that is not a subscription batch', async () => {
    await expect(loadHandler()({ Records: [] }, context)).rejects.toThrow(/\$\.awslogs/);
  });

  it('splits large batches into calls of at most 1000 datapoints', async () => {
    const minutes = Array.from({ length: 300 }, (_, i) => ({
      minute: i * 60_000,
      perRegion: { 'us-east-1': 1, 'eu-west-1': 2, 'ap-northeast-1': 3 },
      unattributed: 0,
      unknownEdges: [],
    }));
    const datums = demandDatums('kubecdn', minutes);
    expect(datums).toHaveLength(1200);
    expect(await publishDemand(new CloudWatchClient({}), datums)).toBe(2);
    expect(cloudWatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData!.length)).toEqual([
      MAX_DATUMS_PER_CALL,
      200,
    ]);
  });

  it('refuses to start without its settings, naming the variable', () => {
    expect(() => producerSettings({ ...env, KUBECDN_REGIONS: 'eu-west-1,moon-1' })).toThrow(
      /\$\.KUBECDN_REGIONS: expected AWS region codes/,
    );
    expect(() => producerSettings({ KUBECDN_REGIONS: 'eu-west-1' })).toThrow(/\$\.KUBECDN_PROJECT/);
  });
});
