/**
 * status and plan through the real binary, against the loopback AWS stand-in
 * (test/support/workflow-aws-stand-in.ts) answering what the autoscaler reads: demand and edge
 * reporting from CloudWatch, the zone's records from Route 53, clusters from EKS, executions from
 * Step Functions. Every request is shape-checked; neither command may start anything.
 */
import { loadConfigFile } from '../../core/config';
import { executionName } from '../../lambdas/autoscaler/execution-names';
import { CONFIG_DIGEST_CONSTANT, configConstants } from '../../lambdas/shared/deployed-config';
import { overrideItem } from '../../lambdas/shared/region-override-item';
import { minimalConfigInput, writeConfigFile } from '../support/configs';
import { runKubecdn } from '../support/run-kubecdn';
import { OVERRIDE_TABLE, type StandInWorld, workflowAwsStandIn, workflowOutputs } from '../support/workflow-aws-stand-in';

jest.setTimeout(60_000);

/** What `status` says of a cluster whose Kubernetes version nears or left EKS standard support (depends on the date). */
const SUPPORT_WARNING = /^(\s*)\S+: Kubernetes \d+\.\d+ (leaves|is in|left) EKS (standard|extended) support/;
const FAKE_AWS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_MAX_ATTEMPTS: '1' };
const THRESHOLDS = {
  scaleUpRequestsPerMinute: 100,
  scaleUpPeriods: 3,
  scaleDownRequestsPerMinute: 50,
  scaleDownPeriods: 3,
  cooldownMinutes: 30,
  perRegion: {},
};
const CONFIG = writeConfigFile({ ...minimalConfigInput(), thresholds: THRESHOLDS });
const config = loadConfigFile(CONFIG).config;
const DIGEST = configConstants(config)[CONFIG_DIGEST_CONSTANT]!;
/** A past minute for plan --at, so its demand reads are the same on every run. */
const AT = '2026-11-20T12:00:00Z';
const MIN = 60_000;
const START_MACHINE = workflowOutputs('us-east-1').StartRegionStateMachineArn!;
const STOP_MACHINE = workflowOutputs('us-east-1').StopRegionStateMachineArn!;
const UPGRADE_MACHINE = workflowOutputs('us-east-1').UpgradeRegionStateMachineArn!;

/** Every period of the asked range at a steady rate per query id (demand_<region>, reporting_<region>). */
function steady(rates: Record<string, number>): NonNullable<StandInWorld['metricData']> {
  return (id, startMs, endMs, periodSeconds) => {
    const rate = rates[id];
    const timestamps: number[] = [];
    if (rate === undefined) return { timestamps, values: [] };
    const step = periodSeconds * 1000;
    for (let t = Math.ceil(startMs / step) * step; t < endMs; t += step) timestamps.push(t);
    return { timestamps, values: timestamps.map(() => rate) };
  };
}

const cluster = (version = '1.35') => ({ status: 'ACTIVE', endpointPublicAccess: false, version });
const record = (region: string) => ({ name: 'cdn.example.com.', type: 'A', setIdentifier: region });

let world: StandInWorld;
let standIn: Awaited<ReturnType<typeof workflowAwsStandIn>>;

beforeEach(async () => {
  // us-east-1 always on and serving; ap-northeast-1 serving and quiet; eu-west-1 stopped and busy.
  world = {
    outputs: { ...workflowOutputs('us-east-1'), DeployedConfigSha256: DIGEST },
    history: [],
    pageSize: 100,
    clusters: { 'kubecdn-us-east-1': cluster(), 'kubecdn-ap-northeast-1': cluster() },
    records: [record('ap-northeast-1'), record('us-east-1')],
    metricData: steady({
      demand_us_east_1: 400,
      demand_eu_west_1: 500,
      demand_ap_northeast_1: 5,
      reporting_us_east_1: 400,
      reporting_ap_northeast_1: 5,
    }),
    executions: {},
  };
  standIn = await workflowAwsStandIn(world);
});
afterEach(() => standIn.close());

function kubecdn(...args: string[]) {
  return runKubecdn([...args, '--config', CONFIG], { env: { ...FAKE_AWS, AWS_ENDPOINT_URL: standIn.endpoint } });
}

const operations = () => standIn.requests.map((r) => r.operation);

/** What plan and status may call: reads only. */
const READS = new Set([
  'DescribeStacks',
  'GetMetricData',
  'ListResourceRecordSets',
  'DescribeCluster',
  'ListExecutions',
  'DescribeExecution',
]);

function expectOnlyReads() {
  expect(operations().filter((operation) => !READS.has(operation))).toEqual([]);
}

const MISSING_STACK =
  "the control stack kubecdn-control in us-east-1 (the config's homeRegion) is not deployed (npx cdk deploy), or the credentials are for another account\n";

describe('kubecdn plan', () => {
  it('prints what the autoscaler would do: start the busy stopped region, stop the quiet one, keep the always-on one; starts nothing', async () => {
    const result = await kubecdn('plan', '--at', AT);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `What the autoscaler would do at 2026-11-20T12:00:00Z with ${CONFIG} (nothing is changed):\n` +
        '\n' +
        '  REGION          PHASE    LATEST RPM  WOULD  WHY\n' +
        '  us-east-1       serving         400  -      kept running: always-on region, never stopped (latest 400 rpm)\n' +
        '  eu-west-1       stopped         500  start  would start: 3 periods at or above 100 rpm (latest 500)\n' +
        '  ap-northeast-1  serving           5  stop   would stop: 3 periods below 50 rpm (latest 5)\n' +
        '\n' +
        'It would start eu-west-1, stop ap-northeast-1.\n',
    );
    expectOnlyReads();
    // Demand is read up to --at (less the configured lag), in the home region where the edges publish.
    const demandCalls = standIn.requests.filter((r) => r.operation === 'GetMetricData');
    expect(demandCalls.map((r) => r.region)).toEqual(['us-east-1']);
    expect((demandCalls[0]!.input.EndTime as Date).toISOString()).toBe('2026-11-20T11:58:00.000Z');
    expect(
      standIn.requests
        .filter((r) => r.operation === 'DescribeCluster')
        .map((r) => r.region)
        .sort(),
    ).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
  });

  it('with --json prints the decisions with their rules and no warnings when the local config is the deployed one', async () => {
    const result = await kubecdn('plan', '--at', AT, '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toEqual({
      at: '2026-11-20T12:00:00.000Z',
      config: CONFIG,
      dryRun: false,
      decisions: [
        {
          region: 'us-east-1',
          phase: 'serving',
          action: 'none',
          reason: 'kept running: always-on region, never stopped (latest 400 rpm)',
          latestDemand: 400,
        },
        {
          region: 'eu-west-1',
          phase: 'stopped',
          action: 'start',
          wanted: 'start',
          rule: 'demand',
          reason: 'would start: 3 periods at or above 100 rpm (latest 500)',
          latestDemand: 500,
        },
        {
          region: 'ap-northeast-1',
          phase: 'serving',
          action: 'stop',
          wanted: 'stop',
          rule: 'demand',
          reason: 'would stop: 3 periods below 50 rpm (latest 5)',
          latestDemand: 5,
        },
      ],
      warnings: [],
    });
  });

  it('obeys the overrides as the autoscaler does, retiring none, and stops nothing when they cannot be read', async () => {
    world.outputs = { ...world.outputs, RegionOverrideTableName: OVERRIDE_TABLE };
    const pin = {
      region: 'ap-northeast-1',
      pin: 'on' as const,
      expiresAt: 1_900_000_000,
      reason: 'launch',
      setBy: 'arn:aws:iam::123456789012:user/ana',
      setAt: '2026-11-20T11:00:00.000Z',
    };
    world.tables = {
      [OVERRIDE_TABLE]: {
        'ap-northeast-1': overrideItem(pin),
        'eu-west-1': overrideItem({ ...pin, region: 'eu-west-1', expiresAt: 1_000_000_000 }),
      },
    };
    const pinned = JSON.parse((await kubecdn('plan', '--at', AT, '--json')).stdout) as {
      decisions: Array<Record<string, unknown>>;
      warnings: string[];
    };
    expect(pinned.decisions.find((d) => d.region === 'ap-northeast-1')).toMatchObject({
      action: 'none',
      rule: 'override',
      reason: 'kept running: pinned on by override until 2030-03-17T17:46:40Z: launch (latest 5 rpm)',
    });
    // The lapsed eu-west-1 override is not obeyed, and plan leaves it for the autoscaler to retire.
    expect(pinned.decisions.find((d) => d.region === 'eu-west-1')).toMatchObject({ action: 'start', rule: 'demand' });
    expect(operations().filter((operation) => !READS.has(operation))).toEqual(['Scan']);
    // status names the override with its pin and when it lapses.
    const status = JSON.parse((await kubecdn('status', '--json')).stdout) as import('../../cli/status-report').StatusReport;
    expect(status.regions.find((r) => r.region === 'ap-northeast-1')!.heldBy).toMatchObject({
      rule: 'override',
      pin: 'on',
      until: '2030-03-17T17:46:40.000Z',
    });

    world.tables = {};
    const unreadable = JSON.parse((await kubecdn('plan', '--at', AT, '--json')).stdout) as typeof pinned;
    expect(unreadable.decisions.find((d) => d.region === 'ap-northeast-1')).toMatchObject({
      action: 'none',
      heldBy: 'overrides-unreadable',
    });
    expect(unreadable.warnings).toEqual([
      expect.stringMatching(
        /^the overrides could not be read \(ResourceNotFoundException: .*\): no region is stopped, as the autoscaler stops none$/,
      ),
    ]);
  });

  it('warns when the local config is not the deployed one, and when the stack cannot tell', async () => {
    world.outputs = { ...workflowOutputs('us-east-1'), DeployedConfigSha256: 'e'.repeat(64) };
    const differs = await kubecdn('plan', '--at', AT);
    expect(differs.code).toBe(0);
    expect(differs.stdout).toContain(
      `Warnings:\n  ${CONFIG} is not the config deployed (SHA-256 ${DIGEST.slice(0, 12)}… here, eeeeeeeeeeee… deployed): ` +
        'this shows what the autoscaler would do with the local file; it decides with the deployed one until you deploy (npx cdk deploy)\n',
    );
    world.outputs = workflowOutputs('us-east-1');
    const unknown = await kubecdn('plan', '--at', AT, '--json');
    expect((JSON.parse(unknown.stdout) as { warnings: string[] }).warnings).toEqual([
      `cannot tell whether ${CONFIG} is the deployed config: the control stack has no DeployedConfigSha256 output ` +
        '(deployed by an earlier kubecdn; deploy again to add it)',
    ]);
  });

  it('shows a region whose cluster cannot be described as unknown and held, with the error, and still decides the others', async () => {
    world.clusters!['kubecdn-eu-west-1'] = { error: 'AccessDeniedException', message: 'not authorized to perform eks:DescribeCluster' };
    const result = await kubecdn('plan', '--at', AT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '  eu-west-1       unknown         500  -      held: its state could not be read this tick (latest 500 rpm)\n',
    );
    expect(result.stdout).toContain('It would stop ap-northeast-1.\n');
    expect(result.stdout).toContain(
      'Warnings:\n  eu-west-1: AccessDeniedException: not authorized to perform eks:DescribeCluster; unknown, so the autoscaler holds it\n',
    );
  });

  it('exits 1 with one line when the control stack is not deployed, reading nothing else', async () => {
    world.outputs = undefined;
    const result = await kubecdn('plan');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`kubecdn plan: ${MISSING_STACK}`);
    expect(operations()).toEqual(['DescribeStacks']);
  });

  it('exits 2 for an --at that is not a time with its zone, asking AWS nothing', async () => {
    const result = await kubecdn('plan', '--at', '2026-11-20 12:00');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--at <time>' argument '2026-11-20 12:00' is invalid. expected an ISO 8601 time with its zone");
    expect(standIn.requests).toEqual([]);
  });
});

describe('kubecdn status', () => {
  /** A month of history as of `now`: eu-west-1 starting for 12 minutes, ap-northeast-1 started half an hour ago from the command line (its cooldown has 14 minutes left). */
  function executionsAsOf(now: number): StandInWorld['executions'] {
    const seconds = (ms: number) => ms / 1000;
    const starting = now - 12 * MIN;
    const started = now - 30 * MIN;
    return {
      [START_MACHINE]: [
        { name: executionName('start', 'eu-west-1', starting), status: 'RUNNING', startDate: seconds(starting) },
        {
          name: 'cli-StartRegion-ap-northeast-1-20261129T040000Z-ab12',
          status: 'SUCCEEDED',
          startDate: seconds(started),
          stopDate: seconds(started + 14 * MIN),
          input: '{"region":"ap-northeast-1"}',
        },
      ],
      [STOP_MACHINE]: [],
    };
  }

  it('shows each region with its phase, demand, thresholds, the rule holding it, work in flight, version and cost, and warns of version drift', async () => {
    world.executions = executionsAsOf(Date.now());
    world.clusters!['kubecdn-ap-northeast-1'] = cluster('1.33');
    const result = await kubecdn('status');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^kubecdn status of kubecdn \\(home us-east-1\\) at \\S+Z, config ${CONFIG}:$`));
    // Cells are two or more spaces apart.
    const cells = (line: string | undefined) => (line ?? '').trim().split(/ {2,}/);
    const usd = expect.stringMatching(/^\d+\.\d\d$/);
    expect(lines.slice(2, 7).map(cells)).toEqual([
      ['REGION', 'PHASE', 'DEMAND RPM (LATEST LAST)', 'START AT / STOP BELOW', 'HELD BY', 'IN FLIGHT', 'K8S', 'TODAY $', 'MONTH $'],
      ['us-east-1', 'serving', '400 400 400', '100 x3 / 50 x3', 'always-on', '-', '1.35', usd, usd],
      [
        'eu-west-1',
        'starting',
        '500 500 500',
        '100 x3 / 50 x3',
        'in-flight',
        expect.stringMatching(/^start-eu-west-1-\d{8}T\d{6}Z \(12 min\)$/),
        '-',
        usd,
        usd,
      ],
      [
        'ap-northeast-1',
        'serving',
        '5 5 5',
        '100 x3 / 50 x3',
        expect.stringMatching(/^cooldown \(1[34] min left\)$/),
        '-',
        '1.33',
        usd,
        usd,
      ],
      ['TOTAL', usd, usd],
    ]);
    expect(lines.slice(8, 12)).toEqual([
      'Next minute:',
      '  us-east-1: kept running: always-on region, never stopped (latest 400 rpm)',
      '  eu-west-1: held: a StartRegion execution is in flight (latest 500 rpm)',
      expect.stringMatching(
        /^ {2}ap-northeast-1: held: in cooldown until \S+ after start \(30 min\); would stop: 3 periods below 50 rpm \(latest 5\)$/,
      ),
    ]);
    expect(result.stdout).toContain(
      '\n  ap-northeast-1 runs Kubernetes 1.33, the config says 1.35 (cluster.kubernetesVersion): an upgrade has not brought it there yet (kubecdn upgrade --wait continues one that halted)\n',
    );
    expect(result.stdout).toContain('\nWarnings:\n');
    // 1.33 left EKS standard support on 2026-07-29 (core/config/kubernetes-versions.ts): billed at extended-support prices, or past them.
    expect(result.stdout).toMatch(/\n {2}ap-northeast-1: Kubernetes 1\.33 (is in|left) EKS extended support/);
    expect(result.stdout).toContain('\nCosts are estimates in USD');
    expectOnlyReads();
  });

  it('with --json reports the same, costs reconstructed from the executions, and lists a serving region no longer configured', async () => {
    const asOf = Date.now();
    world.executions = executionsAsOf(asOf);
    world.records = [record('ap-northeast-1'), record('sa-east-1'), record('us-east-1')];
    const result = await kubecdn('status', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as import('../../cli/status-report').StatusReport;
    const now = Date.parse(report.at);
    const byRegion = Object.fromEntries(report.regions.map((r) => [r.region, r]));
    expect(Object.keys(byRegion)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1']);
    expect(byRegion['eu-west-1']).toMatchObject({
      phase: 'starting',
      heldBy: { rule: 'in-flight' },
      inFlight: {
        action: 'start',
        name: executionName('start', 'eu-west-1', asOf - 12 * MIN),
        startedAt: new Date(asOf - 12 * MIN).toISOString(),
        runningMinutes: 12,
      },
    });
    expect(byRegion['ap-northeast-1']).toMatchObject({
      phase: 'serving',
      demand: [5, 5, 5],
      thresholds: {
        scaleUpRequestsPerMinute: 100,
        scaleUpPeriods: 3,
        scaleDownRequestsPerMinute: 50,
        scaleDownPeriods: 3,
        cooldownMinutes: 30,
      },
      heldBy: { rule: 'cooldown' },
      next: 'none',
      kubernetesVersion: '1.35',
    });
    expect(byRegion['sa-east-1']).toMatchObject({
      configured: false,
      phase: 'serving',
      heldBy: { rule: 'removed-from-config' },
      next: 'stop',
    });
    // Started half an hour ago from down: the model's cold start, then a quarter of an hour serving.
    const { estimateRegionCost } = await import('../../core/operations/region-cost-estimate');
    const { DEFAULT_COST_MODEL } = await import('../../core/simulator/cost-model');
    const expected = estimateRegionCost({
      config,
      model: DEFAULT_COST_MODEL,
      region: 'ap-northeast-1',
      executions: [
        { action: 'start', region: 'ap-northeast-1', name: 'x', status: 'SUCCEEDED', startMs: asOf - 30 * MIN, stopMs: asOf - 16 * MIN },
      ],
      current: 'up',
      now,
    });
    expect(byRegion['ap-northeast-1']!.cost!.monthToDate).toBeCloseTo(expected.monthToDate, 1);
    expect(byRegion['ap-northeast-1']!.cost!.monthToDate).toBeLessThan(byRegion['us-east-1']!.cost!.monthToDate);
    const sum = report.regions.reduce((total, r) => total + (r.cost?.monthToDate ?? 0), 0);
    expect(report.totalCost.monthToDate).toBeCloseTo(sum, 1);
    expect(report.costNote).toMatch(/^Costs are estimates/);
    // No drift; the only warnings are EKS support ending for the versions the clusters run, as of the report's time.
    const { supportWarning } = await import('../../core/config/kubernetes-versions');
    const support = report.regions
      .filter((r) => r.kubernetesVersion)
      .map((r) => ({ region: r.region, warning: supportWarning(r.kubernetesVersion!, new Date(now)) }))
      .filter(({ warning }) => warning.level !== 'standard')
      .map(({ region, warning }) => `${region}: ${warning.message}`);
    expect(report.warnings).toEqual(support);
  });

  it('shows a region whose Kubernetes upgrade runs held in flight by that upgrade, and warns when the stack does not name UpgradeRegion', async () => {
    const upgrade = 'upgrade-ap-northeast-1-0d9e6c1a-8f1e-4c5b-9a55-3f1f3a1b2c3d';
    world.executions = { [UPGRADE_MACHINE]: [{ name: upgrade, status: 'RUNNING', startDate: (Date.now() - 25 * MIN) / 1000 }] };
    const result = await kubecdn('status');
    expect(result.code).toBe(0);
    const row = result.stdout.split('\n').find((line) => line.trim().startsWith('ap-northeast-1'));
    expect(row?.trim().split(/ {2,}/).slice(4, 6)).toEqual([
      'in-flight',
      expect.stringMatching(new RegExp(`^${upgrade} \\(2[45] min\\)$`)),
    ]);
    expect(result.stdout).toContain(
      '\n  ap-northeast-1: held: a Kubernetes upgrade (UpgradeRegion execution) is running and holds the region lock (latest 5 rpm)\n',
    );
    // Warnings, if any, are only EKS support ending for the versions the clusters run (as of today's date).
    const warned = result.stdout.split('\nWarnings:\n')[1]?.trim().split('\n') ?? [];
    expect(warned.filter((line) => !SUPPORT_WARNING.test(line))).toEqual([]);
    expectOnlyReads();

    // A control stack deployed before the autoscaler held upgrading regions: the quiet region would be stopped, with a warning.
    delete world.outputs!.UpgradeRegionStateMachineArn;
    const older = await kubecdn('status', '--json');
    const report = JSON.parse(older.stdout) as import('../../cli/status-report').StatusReport;
    expect(report.regions.find((r) => r.region === 'ap-northeast-1')).toMatchObject({ next: 'stop' });
    expect(report.warnings.filter((warning) => !SUPPORT_WARNING.test(warning))).toEqual([
      expect.stringMatching(/^the control stack has no UpgradeRegionStateMachineArn output/),
    ]);
  });

  it('exits 1 with one line when the control stack is not deployed', async () => {
    world.outputs = undefined;
    const result = await kubecdn('status', '--json');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`kubecdn status: ${MISSING_STACK}`);
  });
});
