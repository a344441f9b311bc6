/**
 * Sending minutes to CloudWatch through the real SDK client (its send mocked, every request
 * shape-checked): one call a minute, whole minutes per call when catching up, retries with
 * backoff, a bounded backlog, refused requests dropped.
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { putMetrics } from '../../edge-agent/aws-api';
import type { Log } from '../../edge-agent/log';
import { MetricPublisher } from '../../edge-agent/metric-publisher';

const cloudWatch = mockClient(CloudWatchClient);
const T0 = Date.UTC(2026, 10, 29, 10);

/** A minute of `n` datums (a real minute is a few dozen), told apart by its timestamp. */
const minute = (i: number, n = 20): MetricDatum[] =>
  Array.from({ length: n }, (_, k) => ({
    MetricName: 'Requests',
    Dimensions: [
      { Name: 'Project', Value: 'kubecdn' },
      { Name: 'EdgeRegion', Value: `r-${k}` },
    ],
    Timestamp: new Date(T0 + i * 60_000),
    Value: i,
    Unit: 'Count',
    StorageResolution: 60,
  }));

const minutesOf = (datums: MetricDatum[]) => [...new Set(datums.map((d) => (d.Timestamp!.getTime() - T0) / 60_000))];

describe('the metric publisher', () => {
  let logged: string[];
  const log: Log = (level, msg, fields) => logged.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const publisher = (options = {}) =>
    new MetricPublisher(putMetrics(new CloudWatchClient({ region: 'us-east-1', maxAttempts: 1 })), log, { random: () => 1, ...options });
  const sent = () => cloudWatch.commandCalls(PutMetricDataCommand).map((call) => call.args[0].input);

  beforeEach(() => {
    cloudWatch.reset();
    logged = [];
  });

  it('sends each minute in one PutMetricData call to KubeCdn/Edge', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});
    const p = publisher();
    p.enqueue(minute(0));
    await p.publish(T0);
    p.enqueue(minute(1));
    await p.publish(T0 + 60_000);
    expect(sent().map((input) => [input.Namespace, minutesOf(input.MetricData!)])).toEqual([
      ['KubeCdn/Edge', [0]],
      ['KubeCdn/Edge', [1]],
    ]);
    expect(p.pending).toBe(0);
  });

  it('keeps minutes while calls fail, waits (2 s doubling) before trying again, then sends them together, whole minutes, at most 1000 datums a call', async () => {
    cloudWatch
      .on(PutMetricDataCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    const p = publisher();
    p.enqueue(minute(0, 400));
    await p.publish(T0);
    expect(sent()).toHaveLength(1);
    p.enqueue(minute(1, 400));
    await p.publish(T0 + 1999); // within the 2 s backoff: no call
    expect(sent()).toHaveLength(1);
    await p.publish(T0 + 2000); // fails again: now 4 s
    expect(sent()).toHaveLength(2);
    await p.publish(T0 + 5999);
    expect(sent()).toHaveLength(2);

    cloudWatch.reset();
    cloudWatch.on(PutMetricDataCommand).resolves({});
    p.enqueue(minute(2, 400));
    await p.publish(T0 + 6000);
    expect(sent().map((input) => [input.MetricData!.length, minutesOf(input.MetricData!)])).toEqual([
      [800, [0, 1]],
      [400, [2]],
    ]);
    expect(p.pending).toBe(0);
    expect(logged.filter((l) => l.startsWith('warn PutMetricData failed'))).toHaveLength(2);
  });

  it('sends a minute of more than 1000 datums in pieces of 1000', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});
    const p = publisher();
    p.enqueue(minute(0, 2500));
    await p.publish(T0);
    expect(sent().map((input) => input.MetricData!.length)).toEqual([1000, 1000, 500]);
  });

  it('holds at most 10 minutes: the oldest are dropped, and the log says how many', async () => {
    cloudWatch.on(PutMetricDataCommand).rejects(new Error('connect ETIMEDOUT'));
    const p = publisher();
    for (let i = 0; i < 13; i++) p.enqueue(minute(i));
    expect([p.pending, p.droppedMinutes]).toEqual([10, 3]);
    expect(logged.filter((l) => l.startsWith('error metrics backlog full'))).toHaveLength(3);
    cloudWatch.reset();
    cloudWatch.on(PutMetricDataCommand).resolves({});
    await p.publish(T0);
    expect(sent().flatMap((input) => minutesOf(input.MetricData!))).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('drops a call CloudWatch refuses for its content (it can never succeed) and sends the rest', async () => {
    cloudWatch
      .on(PutMetricDataCommand)
      .rejectsOnce(Object.assign(new Error('bad value'), { name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } }))
      .resolves({});
    const p = publisher();
    p.enqueue(minute(0, 600));
    p.enqueue(minute(1, 600));
    await p.publish(T0);
    expect(sent().map((input) => minutesOf(input.MetricData!))).toEqual([[0], [1]]);
    expect([p.pending, p.droppedMinutes]).toEqual([0, 1]);
    expect(logged.some((l) => l.startsWith('error CloudWatch refused metrics'))).toBe(true);
  });

  it('tries at once when stopping, backoff or not', async () => {
    cloudWatch.on(PutMetricDataCommand).rejectsOnce(new Error('socket hang up')).resolves({});
    const p = publisher();
    p.enqueue(minute(0));
    await p.publish(T0);
    await p.publish(T0 + 1, true);
    expect([sent().length, p.pending]).toEqual([2, 0]);
  });
});
