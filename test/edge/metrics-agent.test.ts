/**
 * The edge metrics agent as it runs in the pod: the bundle lib/edge-agent-bundle.ts builds, run by
 * Node.js as a process beside the real nginx with the region's config, reading nginx's syslog
 * access log over UDP, with the region table as the projected volume lays it out (from the fixture
 * geolocation databases) and credentials the way EKS Pod Identity hands them out. AWS is a
 * loopback fake (support/fake-cloudwatch.ts); no real endpoint can be reached (every endpoint is
 * overridden, instance metadata is off). The agent is stopped with SIGTERM, after which it must
 * still read what nginx logs for a while (the pod's containers stop together) and then send the
 * current, partial minute: so the test needs no minute to pass.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { parseAccessLogLine } from '../../core/edge-metrics';
import { edgeAgentSource } from '../../lib/edge-agent-bundle';
import { validConfig } from '../support/configs';
import { requestShapeProblems } from '../support/simulated-aws/request-shapes';
import { tableFiles, writeTableDir } from '../edge-agent/region-table-fixture';
import { startEdge, TEST_REGION, type RunningEdge } from './support/edge-nginx';
import { CREDENTIALS_PATH, FAKE_ACCESS_KEY_ID, startFakeCloudWatch, type FakeCloudWatch } from './support/fake-cloudwatch';
import { answer, startOrigin, type TestOrigin } from './support/test-origin';
import { get } from './support/viewer';

jest.setTimeout(60_000);

const POD_NAME = 'edge-nginx-5d8f7c9b4-x2x4p';
const TOKEN = 'pod-identity-token-for-the-test';

/** Viewers from the fixture databases (test/core/geo/fixtures/networks.ts), by the region nearest them. */
const VIEWERS = {
  ashburn: ['3.0.0.5', '3.0.0.6', '3.0.1.7'], // us-east-1
  mountainView: '8.8.8.8', // us-west-2
  dublin: ['31.13.1.1', '31.13.2.2'], // eu-west-1
  frankfurt: '2a00:1450::1', // eu-central-1
  tokyo: '2400:cb00::1', // ap-northeast-1
  saoPaulo: '2804::1', // sa-east-1
  unplaced: '192.0.2.1', // in the database without coordinates
  unknown: '198.51.100.20', // in no network of the database
};

interface AgentRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('the edge metrics agent beside a real nginx', () => {
  let origin: TestOrigin;
  let edge: RunningEdge;
  let aws: FakeCloudWatch;
  let workDir: string;
  let agent: ChildProcess;
  let run: AgentRun;
  let accessLog: string[];
  let datums: MetricDatum[];

  const stdout: string[] = [];
  const stderr: string[] = [];
  /** Runs the bundle as the container does (node --max-old-space-size=48 edge-agent.mjs); resolves once it says it started. */
  const startAgent = (env: Record<string, string>): Promise<ChildProcess> => {
    const script = join(workDir, 'edge-agent.mjs');
    writeFileSync(script, edgeAgentSource());
    const child = spawn(process.execPath, ['--max-old-space-size=48', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', () => {
        if (stdout.join('').includes('"msg":"started"')) resolve(child);
      });
      child.once('exit', (code) =>
        reject(new Error(`the agent exited with ${code} before it started: ${stdout.join('')}${stderr.join('')}`)),
      );
    });
  };

  beforeAll(async () => {
    const started = Date.now();
    workDir = mkdtempSync(join(tmpdir(), 'kubecdn-agent-'));
    origin = await startOrigin();
    origin.on('/object', answer({ 'Cache-Control': 'max-age=600' }));
    origin.on('/broken', (_request, response) => response.writeHead(503, { 'Content-Type': 'text/plain' }).end('down'));
    edge = await startEdge(validConfig((input) => void (input.workload = { originUrl: origin.url })));
    aws = await startFakeCloudWatch(TOKEN);
    const tokenFile = join(workDir, 'eks-pod-identity-token');
    writeFileSync(tokenFile, TOKEN);

    agent = await startAgent({
      PATH: process.env.PATH ?? '',
      PROJECT: 'kubecdn',
      EDGE_REGION: TEST_REGION,
      METRICS_REGION: 'us-east-1',
      LOG_GROUP: '/kubecdn/kubecdn/edge-access',
      ACCESS_LOG_SAMPLE_RATE: '1',
      POD_NAME,
      SYSLOG_PORT: String(edge.ports[5140]),
      // Three parts: the table is checked whole, across ConfigMaps.
      STOP_DRAIN_MS: '1500',
      REGION_TABLE_DIR: writeTableDir(tableFiles(3), join(workDir, 'region-table')),
      // As EKS Pod Identity sets them, pointing at the fake.
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${aws.url}${CREDENTIALS_PATH}`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
      // Every endpoint the SDK could use is the fake; nothing reaches AWS.
      AWS_ENDPOINT_URL: aws.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: aws.url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: aws.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    });
    const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));

    const https = edge.ports[8080];
    const statuses = [];
    for (const viewer of VIEWERS.ashburn) statuses.push((await get({ port: https, path: '/object', viewer })).status);
    statuses.push((await get({ port: https, path: '/broken', viewer: VIEWERS.mountainView })).status);
    for (const viewer of [...VIEWERS.dublin, VIEWERS.frankfurt, VIEWERS.tokyo, VIEWERS.unplaced, VIEWERS.unknown]) {
      statuses.push((await get({ port: https, path: '/object', viewer })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 503, 200, 200, 200, 200, 200, 200]);
    await edge.logLine(/"viewer":"198\.51\.100\.20"/);

    // Stopped, the agent still reads for STOP_DRAIN_MS: a last request, and a datagram that is not nginx's (counted, not fatal).
    agent.kill('SIGTERM');
    while (!stdout.join('').includes('"msg":"stopping')) await new Promise((resolve) => setTimeout(resolve, 10));
    statuses.push((await get({ port: edge.ports[8081], path: '/moved', viewer: VIEWERS.saoPaulo })).status);
    expect(statuses.at(-1)).toBe(301);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      socket.send('not a syslog line', edge.ports[5140], '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
    socket.close();
    await edge.logLine(/moved/);
    accessLog = edge.accessLog();
    run = { exitCode: await exited, stdout: stdout.join(''), stderr: stderr.join('') };
    datums = aws.calls.filter((c) => c.operation === 'PutMetricData').flatMap((c) => c.body.MetricData as MetricDatum[]);
    if (process.env.EDGE_METRICS_REPORT) console.log(`agent test set-up: ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    await edge?.stop();
    await origin?.close();
    await aws?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** The sum over every datum (every minute the test spanned) of `name` with exactly these dimensions. */
  const sum = (name: string, dimensions: Record<string, string>): number =>
    datums
      .filter((d) => d.MetricName === name && sameDimensions(d, dimensions))
      .reduce((total, d) => total + (d.Value ?? (d.Counts ?? []).reduce((a, b) => a + b, 0)), 0);
  const sameDimensions = (datum: MetricDatum, dimensions: Record<string, string>): boolean =>
    JSON.stringify(Object.fromEntries((datum.Dimensions ?? []).map((d) => [d.Name, d.Value]))) === JSON.stringify(dimensions);
  const edgeDims = { Project: 'kubecdn', EdgeRegion: TEST_REGION };

  it('stops on SIGTERM after sending what it counted, having loaded the region table', () => {
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/"msg":"region table loaded","regions":\["us-east-1","us-west-2","eu-west-1","eu-central-1"/);
    expect(run.stdout).toMatch(/"msg":"stopped","unsentMetricCalls":0,"unsentLogLines":0/);
  });

  it('signs its calls with the credentials the Pod Identity endpoint gave it for the token in its file', () => {
    expect(aws.credentialRequests.length).toBeGreaterThan(0);
    expect(aws.credentialRequests.every((auth) => auth === TOKEN)).toBe(true);
    for (const call of aws.calls) expect(call.headers.authorization).toContain(`Credential=${FAKE_ACCESS_KEY_ID}/`);
    expect(
      aws.calls
        .filter((c) => c.operation === 'PutMetricData')
        .every((c) => /\/us-east-1\/monitoring\//.test(String(c.headers.authorization))),
    ).toBe(true);
  });

  it('sends metric calls real CloudWatch would accept, in KubeCdn/Edge, at minute starts with 60-second resolution', () => {
    const calls = aws.calls.filter((c) => c.operation === 'PutMetricData');
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) {
      const input = call.body as { Namespace: string; MetricData: (MetricDatum & { Timestamp: number })[] };
      expect(input.Namespace).toBe('KubeCdn/Edge');
      const asSent = { ...input, MetricData: input.MetricData.map((d) => ({ ...d, Timestamp: new Date(d.Timestamp * 1000) })) };
      expect(requestShapeProblems(new PutMetricDataCommand(asSent))).toEqual([]);
      for (const datum of input.MetricData) {
        expect(datum.StorageResolution).toBe(60);
        expect((datum.Timestamp * 1000) % 60_000).toBe(0);
      }
    }
  });

  it('counts the viewer requests of each configured region by the viewer address from the PROXY protocol header, zeros included', () => {
    const viewerRequests = (region: string) => sum('ViewerRequests', { Project: 'kubecdn', Region: region });
    expect(
      Object.fromEntries(
        ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1', 'sa-east-1', 'ap-south-1'].map((r) => [
          r,
          viewerRequests(r),
        ]),
      ),
    ).toEqual({
      'us-east-1': 3,
      'us-west-2': 1,
      'eu-west-1': 2,
      'eu-central-1': 1,
      'ap-northeast-1': 1,
      'ap-southeast-1': 0,
      'sa-east-1': 1,
      'ap-south-1': 0,
    });
    expect(datums.some((d) => d.MetricName === 'ViewerRequests' && d.Value === 0)).toBe(true);
    expect(sum('UnattributedRequests', { Project: 'kubecdn' })).toBe(2);
  });

  it("reports the edge's health: requests, hits and misses, bytes, responses by class, 5xx share, origin errors and latency", () => {
    expect(sum('Requests', edgeDims)).toBe(11);
    const counts = (name: string) => {
      const values = new Map<number, number>();
      for (const d of datums.filter((x) => x.MetricName === name)) {
        d.Values!.forEach((v, i) => values.set(v, (values.get(v) ?? 0) + d.Counts![i]!));
      }
      return Object.fromEntries([...values].sort(([a], [b]) => b - a));
    };
    // 8 hits; the first /object and /broken were misses; the redirect had no cache status.
    expect(counts('CacheHit')).toEqual({ 1: 8, 0: 2 });
    expect(counts('ServerError')).toEqual({ 1: 1, 0: 10 });
    const responses = (statusClass: string) => sum('Responses', { ...edgeDims, StatusClass: statusClass });
    expect(['2xx', '3xx', '4xx', '5xx'].map(responses)).toEqual([9, 1, 0, 1]);
    expect(sum('OriginErrors', edgeDims)).toBe(1);
    // Two requests asked the origin hop.
    expect(Object.values(counts('OriginLatency')).reduce((a, b) => a + b, 0)).toBe(2);
    // Exactly the bytes nginx logged.
    const bytes = accessLog.reduce((total, line) => total + Number((JSON.parse(line) as { bytes: string }).bytes), 0);
    expect(sum('BytesToViewers', edgeDims)).toBe(bytes);
    expect(sum('UnreadableLogLines', edgeDims)).toBe(1);
  });

  it('ships every line at sample rate 1, as nginx wrote it plus sampleRate, to its stream in the access log group', () => {
    const creates = aws.calls.filter((c) => c.operation === 'CreateLogStream');
    const streamName = `${TEST_REGION}/${POD_NAME}/sampled-1`;
    expect(creates.map((c) => c.body)).toEqual([{ logGroupName: '/kubecdn/kubecdn/edge-access', logStreamName: streamName }]);
    const puts = aws.calls.filter((c) => c.operation === 'PutLogEvents');
    for (const put of puts) {
      expect(put.body).toMatchObject({ logGroupName: '/kubecdn/kubecdn/edge-access', logStreamName: streamName });
      expect(requestShapeProblems(new PutLogEventsCommand(put.body as never))).toEqual([]);
    }
    const events = puts.flatMap((p) => p.body.logEvents as { timestamp: number; message: string }[]);
    expect(events.map((e) => e.message)).toEqual(accessLog.map((line) => `${line.slice(0, -1)},"sampleRate":1}`));
    for (const event of events) {
      const parsed = parseAccessLogLine(event.message);
      expect(parsed.ok && parsed.request.timeMs).toBe(event.timestamp);
    }
  });
});
