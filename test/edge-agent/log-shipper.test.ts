/**
 * Shipping sampled lines through the real CloudWatch Logs client (its send mocked, every request
 * shape-checked): the stream created once, batches within the limits, retries, a bounded queue.
 */
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { logStreamApi } from '../../edge-agent/aws-api';
import type { Log } from '../../edge-agent/log';
import { LogShipper } from '../../edge-agent/log-shipper';

const logs = mockClient(CloudWatchLogsClient);
const T0 = Date.UTC(2026, 10, 29, 10);
const GROUP = '/kubecdn/kubecdn/edge-access';
const STREAM = 'eu-west-1/edge-nginx-5d8f7c9b4-x2x4p/sampled-0.01';

describe('the access-log shipper', () => {
  let logged: string[];
  const log: Log = (level, msg) => logged.push(`${level} ${msg}`);
  const shipper = (options = {}) =>
    new LogShipper(logStreamApi(new CloudWatchLogsClient({ region: 'us-east-1', maxAttempts: 1 }), GROUP, STREAM, log), log, {
      random: () => 1,
      ...options,
    });
  const puts = () => logs.commandCalls(PutLogEventsCommand).map((call) => call.args[0].input);
  const creates = () => logs.commandCalls(CreateLogStreamCommand).map((call) => call.args[0].input);

  beforeEach(() => {
    logs.reset();
    logged = [];
  });

  it('creates its stream once, then sends the lines in time order', async () => {
    logs.on(CreateLogStreamCommand).resolves({}).on(PutLogEventsCommand).resolves({});
    const s = shipper();
    s.add({ timestamp: T0 + 2, message: 'b' });
    s.add({ timestamp: T0 + 1, message: 'a' });
    await s.ship(T0);
    s.add({ timestamp: T0 + 3, message: 'c' });
    await s.ship(T0 + 5000);
    expect(creates()).toEqual([{ logGroupName: GROUP, logStreamName: STREAM }]);
    expect(puts().map((p) => [p.logGroupName, p.logStreamName, p.logEvents!.map((e) => e.message).join('')])).toEqual([
      [GROUP, STREAM, 'ab'],
      [GROUP, STREAM, 'c'],
    ]);
    expect(s.pending).toBe(0);
  });

  it('takes a stream that exists already (a restarted container) as created', async () => {
    logs
      .on(CreateLogStreamCommand)
      .rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: { httpStatusCode: 400 } }))
      .on(PutLogEventsCommand)
      .resolves({});
    const s = shipper();
    s.add({ timestamp: T0, message: 'a' });
    await s.ship(T0);
    expect([creates().length, puts().length, s.pending]).toEqual([1, 1, 0]);
  });

  it('sends nothing, and creates no stream, when there is nothing to send', async () => {
    await shipper().ship(T0);
    expect([creates().length, puts().length]).toEqual([0, 0]);
  });

  it('cuts many lines into calls within the limits', async () => {
    logs.on(CreateLogStreamCommand).resolves({}).on(PutLogEventsCommand).resolves({});
    const s = shipper({ maxQueuedBytes: 64 * 1024 * 1024 });
    for (let i = 0; i < 12_000; i++) s.add({ timestamp: T0 + i, message: 'x'.repeat(200) });
    await s.ship(T0);
    // 1,048,576 / 226 bytes = 4639 events a call.
    expect(puts().map((p) => p.logEvents!.length)).toEqual([4639, 4639, 2722]);
  });

  it('keeps the lines while calls fail and creates the stream again when it was deleted', async () => {
    logs
      .on(CreateLogStreamCommand)
      .resolves({})
      .on(PutLogEventsCommand)
      .rejectsOnce(
        new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: { httpStatusCode: 400 } }),
      )
      .resolves({});
    const s = shipper();
    s.add({ timestamp: T0, message: 'a' });
    await s.ship(T0);
    expect(s.pending).toBe(1);
    await s.ship(T0 + 1000); // within the 2 s backoff
    expect(puts()).toHaveLength(1);
    await s.ship(T0 + 2000);
    expect([creates().length, puts().length, s.pending]).toEqual([2, 2, 0]);
    expect(logged).toContain('warn shipping access-log lines failed; will retry');
  });

  it('holds a bounded queue: beyond it the oldest lines are dropped and counted', () => {
    const s = shipper({ maxQueuedBytes: 10 * 126 });
    for (let i = 0; i < 15; i++) s.add({ timestamp: T0 + i, message: 'x'.repeat(100) });
    expect([s.pending, s.dropped]).toEqual([10, 5]);
    expect(logged).toContain('error access-log queue full: dropped the oldest lines');
  });
});
