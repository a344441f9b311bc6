import { readingWarnings } from '../../cli/reading-warnings';
import type { TickPlan } from '../../lambdas/autoscaler/read-and-decide';

const DIGESTS = { local: 'a'.repeat(64), deployed: 'a'.repeat(64) };
const RANGE = { start: 0, end: 300_000 };

function plan(observed: TickPlan['states']['observed'], edgeReporting: TickPlan['demandReading']['edgeReporting']): TickPlan {
  return {
    demandReading: { demand: {}, window: { start: 0, end: 0, periodSeconds: 60, periods: 0 }, failures: [], edgeReporting },
    states: { regions: {}, observed, unconfiguredServingRegions: [] },
    overrides: { overrides: {}, active: {}, lapsed: [], ignored: [] },
    silentRegions: 'datapoints' in edgeReporting ? { silent: ['eu-west-1'], checked: ['eu-west-1'], tooRecent: [] } : undefined,
    decisions: [],
  };
}

describe('the warnings of plan and status', () => {
  it('says a problem every region shares (Route 53 unreadable) once, naming the regions', () => {
    const problem = 'Route 53 records: Throttling: Rate exceeded';
    const observed = {
      'us-east-1': { cluster: 'ACTIVE' as const, serving: 'unreadable' as const, problems: [problem] },
      'eu-west-1': {
        cluster: 'absent' as const,
        serving: 'unreadable' as const,
        problems: [problem, 'DescribeCluster in eu-west-1 timed out'],
      },
    };
    expect(readingWarnings(plan(observed, { range: RANGE, error: 'AccessDenied: no' }), 'regions.json', DIGESTS)).toEqual([
      'us-east-1, eu-west-1: Route 53 records: Throttling: Rate exceeded; unknown, so the autoscaler holds them',
      'eu-west-1: DescribeCluster in eu-west-1 timed out; unknown, so the autoscaler holds it',
      'could not read whether the edges report (AccessDenied: no): serving regions are not checked',
    ]);
  });

  it('names serving regions whose edges report nothing', () => {
    expect(readingWarnings(plan({}, { range: RANGE, datapoints: new Map() }), 'regions.json', DIGESTS)).toEqual([
      'serving regions whose edges report nothing: eu-west-1',
    ]);
  });
});
