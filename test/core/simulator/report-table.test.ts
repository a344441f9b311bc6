import { DEFAULT_COST_MODEL } from '../../../core/simulator/cost-model';
import { formatReportTable } from '../../../core/simulator/report-table';
import { simulate } from '../../../core/simulator/simulate';
import type { Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const START = Date.UTC(2026, 10, 2);

function oneRegion(eu: Float64Array): Trace {
  return {
    startMs: START,
    minutes: eu.length,
    regions: ['us-east-1', 'eu-west-1'],
    requests: new Map([
      ['us-east-1', new Float64Array(eu.length).fill(100)],
      ['eu-west-1', eu],
    ]),
  };
}

const reactive = validConfig((c) => {
  c.demand = { lagSeconds: 0 };
  c.scalable = ['eu-west-1'];
  c.thresholds = {
    scaleUpRequestsPerMinute: 3000,
    scaleUpPeriods: 3,
    scaleDownRequestsPerMinute: 1500,
    scaleDownPeriods: 5,
    cooldownMinutes: 10,
  };
});

describe('simulate report table', () => {
  // A 4-minute burst over the threshold every 90 minutes for a day: 16 starts that serve no hot minute.
  const hovering = Float64Array.from({ length: 1440 }, (_, m) => (m % 90 >= 30 && m % 90 < 34 ? 3100 : 1000));
  const report = simulate({ config: reactive, trace: oneRegion(hovering), model: DEFAULT_COST_MODEL });
  const text = formatReportTable(report, 'kubecdn simulate: test');

  it("shows short cycles in total, split by kind, and per region beside the optimum's", () => {
    expect(report.shortCycles).toBe(16);
    expect(text).toMatch(/autoscaler \(decide\)(\s+\S+){5}\s+16\n/);
    expect(text).toContain(
      '16 short cycle(s) (0 stop(s) undone before they paid for themselves, 16 start(s) that served no hot minute: 16 late, 0 near miss, 0 quiet)',
    );
    expect(text).toMatch(/\n {2}eu-west-1\s+scalable\s.*\s16 \(0\)\s+224\n/);
  });

  it('lists the first short cycles with their times and figures, and points to --json for the rest', () => {
    expect(text).toContain('  eu-west-1  start  2026-11-02T00:33:00Z  ran 10 min from 2026-11-02T00:47:00Z without a hot minute');
    expect(text.match(/ without a hot minute/g)).toHaveLength(12);
    expect(text).toContain('  ... and 4 more: --json lists every transition (perRegion[].transitionLog)');
  });

  it('names the optimum as keeping the always-on list on, and shows the optimum without it', () => {
    expect(text).toMatch(/optimum \(clairvoyant\), always-on list kept on\s+\d+\.\d\d\s+1\.00x/);
    expect(text).toMatch(/optimum without the always-on list\s+\d+\.\d\d\s+0\.\d\dx/);
  });

  it('says where a cost below the optimum comes from, in the summary line and a note', () => {
    const capped = { ...reactive, limits: { ...reactive.limits, maxRunningRegions: 1 } };
    const busy = Float64Array.from({ length: 600 }, (_, m) => (m >= 120 && m < 300 ? 9000 : 200));
    const cheap = formatReportTable(simulate({ config: capped, trace: oneRegion(busy), model: DEFAULT_COST_MODEL }), 'test');
    expect(cheap).toMatch(/autoscaler: 0\.\d\dx the optimum's cost \(below it only by missing hot minutes: see the note\)/);
    expect(cheap).toMatch(/\nnote: the autoscaler cost less than the optimum \(0\.\d\dx\) only by leaving hot minutes unserved/);
    expect(text).not.toContain('below it only by missing hot minutes');
  });
});
