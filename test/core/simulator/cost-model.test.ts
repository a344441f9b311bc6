import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../core/config';
import { DEFAULT_COST_MODEL, regionCostProfile, startMinutes, stopMinutes } from '../../../core/simulator/cost-model';
import { costModelFrom } from '../../../core/simulator/cost-model-override';
import { readCostModelFile } from '../../../core/simulator/read-cost-model-file';
import { RUNNING, STARTING, STOPPED, STOPPING, timelineTotals } from '../../../core/simulator/timeline';
import { validConfig } from '../../support/configs';

const config = validConfig((c) => {
  c.standby = { 'ap-northeast-1': 'warm' };
});

describe('the default cost model', () => {
  it('bills a running Auto Mode region $0.4002 + an HTTPS health check per hour', () => {
    // 0.10 control plane + 2 × (0.1008 m7i.large + 0.0121 Auto Mode fee) + 0.0225 NLB + (0.50 basic + 1.00 HTTPS) / 730 health check
    const profile = regionCostProfile(DEFAULT_COST_MODEL, config, 'eu-west-1');
    expect(profile.runningPerMinute * 60).toBeCloseTo(0.1 + 2 * (0.1008 + 0.0121) + 0.0225 + 1.5 / 730, 12);
    expect(profile.stoppedPerMinute).toBe(0);
  });

  it('bills the basic health check alone where a TLS 1.3-only policy makes the check plain HTTP', () => {
    const tls13 = validConfig((c) => (c.https = { securityPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' }));
    const profile = regionCostProfile(DEFAULT_COST_MODEL, tls13, 'eu-west-1');
    expect(profile.runningPerMinute * 60).toBeCloseTo(0.1 + 2 * (0.1008 + 0.0121) + 0.0225 + 0.5 / 730, 12);
  });

  it('leaves out the Auto Mode fee for managed node groups', () => {
    const managed = validConfig((c) => {
      c.cluster = { mode: 'managed-nodegroup' };
    });
    const profile = regionCostProfile(DEFAULT_COST_MODEL, managed, 'eu-west-1');
    expect(profile.runningPerMinute * 60).toBeCloseTo(0.1 + 2 * 0.1008 + 0.0225 + 1.5 / 730, 12);
  });

  it('takes 14 minutes to start cold (cluster 10, workload 1, NLB 2, DNS 1) and 4 warm', () => {
    expect(startMinutes(DEFAULT_COST_MODEL.leadTimes, false)).toBe(14);
    expect(startMinutes(DEFAULT_COST_MODEL.leadTimes, true)).toBe(4);
    expect(stopMinutes(DEFAULT_COST_MODEL.leadTimes, false)).toBe(14);
    expect(stopMinutes(DEFAULT_COST_MODEL.leadTimes, true)).toBe(4);
  });

  it('bills only the control plane while a cold cluster is created or deleted', () => {
    const profile = regionCostProfile(DEFAULT_COST_MODEL, config, 'eu-west-1');
    const controlPlane = 0.1 / 60;
    expect([...profile.startMinuteCosts.slice(0, 10)]).toEqual(new Array(10).fill(controlPlane));
    expect([...profile.startMinuteCosts.slice(10)]).toEqual(new Array(4).fill(profile.runningPerMinute));
    expect([...profile.stopMinuteCosts.slice(0, 4)]).toEqual(new Array(4).fill(profile.runningPerMinute));
    expect([...profile.stopMinuteCosts.slice(4)]).toEqual(new Array(10).fill(controlPlane));
  });

  it('bills a warm standby region its control plane while stopped', () => {
    const profile = regionCostProfile(DEFAULT_COST_MODEL, config, 'ap-northeast-1');
    expect(profile.warm).toBe(true);
    expect(profile.stoppedPerMinute * 60).toBeCloseTo(0.1, 12);
    expect(profile.startMinuteCosts).toHaveLength(4);
  });

  it('prices a day with one cold start, 6 hours running and one cold stop as computed by hand', () => {
    const profile = regionCostProfile(DEFAULT_COST_MODEL, config, 'eu-west-1');
    const phases = new Uint8Array(24 * 60);
    phases
      .fill(STARTING, 60, 74)
      .fill(RUNNING, 74, 74 + 360)
      .fill(STOPPING, 434, 448)
      .fill(STOPPED, 448);
    const demand = new Float64Array(24 * 60).fill(100);
    const totals = timelineTotals(phases, demand, 3000, profile);
    const runningPerHour = 0.1 + 2 * 0.1129 + 0.0225 + 1.5 / 730;
    // start: 10 min of control plane + 4 min full; 360 min full; stop: 4 min full + 10 min control plane
    const expected = (20 * 0.1) / 60 + ((4 + 360 + 4) * runningPerHour) / 60;
    expect(totals.cost).toBeCloseTo(expected, 10);
    expect(totals.starts).toBe(1);
    expect(totals.stops).toBe(1);
    expect(totals.startingMinutes).toBe(14);
    expect(totals.servedRequests).toBe(360 * 100);
  });
});

describe('cost model overrides', () => {
  it('applies overrides field by field, per region too', () => {
    const result = costModelFrom({
      leadTimes: { clusterCreateMinutes: 15 },
      prices: { nodeCount: 3, healthCheckHttpsPerMonth: 2 },
      perRegion: { 'sa-east-1': { prices: { nodeInstancePerHour: 0.16 } } },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(startMinutes(result.model.leadTimes, false)).toBe(19);
    const sa = regionCostProfile(
      result.model,
      validConfig((c) => void (c.scalable = ['sa-east-1'])),
      'sa-east-1',
    );
    expect(sa.runningPerMinute * 60).toBeCloseTo(0.1 + 3 * (0.16 + 0.0121) + 0.0225 + (0.5 + 2) / 730, 12);
  });

  it('rejects unknown fields, wrong types and unknown regions with their JSON paths', () => {
    const result = costModelFrom({
      leadTimes: { clusterCreateMinutes: -1, clusterCreateMins: 3 },
      prices: { nlbPerHour: 'cheap', healthCheckHttpsPerMonth: -1 },
      perRegion: { 'sa-esat-1': { prices: {} } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((p) => [p.path, p.message]));
    expect(byPath['$.leadTimes.clusterCreateMinutes']).toBe('expected the cluster creation time in whole minutes (0 or more)');
    expect(byPath['$.leadTimes.clusterCreateMins']).toMatch(/^unknown field; expected one of: clusterCreateMinutes, /);
    expect(byPath['$.prices.nlbPerHour']).toBe('expected the NLB price per hour in USD (a number of 0 or more)');
    expect(byPath['$.prices.healthCheckHttpsPerMonth']).toBe(
      "expected the health check's HTTPS feature price per month in USD (0 or more)",
    );
    expect(byPath['$.perRegion.sa-esat-1']).toBe('"sa-esat-1" is not an AWS region code; did you mean "sa-east-1"?');
  });

  it('rejects lead times that make a start or stop take no time', () => {
    const result = costModelFrom({ leadTimes: { workloadReadyMinutes: 0, loadBalancerReadyMinutes: 0, dnsChangeMinutes: 0 } });
    expect(result).toEqual({
      ok: false,
      problems: [{ path: '$.leadTimes', message: 'expected a start (workload + load balancer + DNS) of at least 1 minute in total' }],
    });
  });

  it('reports an unreadable or malformed model file as a ConfigError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubecdn-model-'));
    const file = join(dir, 'model.json');
    writeFileSync(file, '{ not json');
    expect(() => readCostModelFile(file)).toThrow(ConfigError);
    expect(() => readCostModelFile(file)).toThrow(new RegExp(`^${file}: \\$: not valid JSON`));
    expect(() => readCostModelFile(join(dir, 'missing.json'))).toThrow(/: \$: cannot read the model file: no such file$/);
  });
});
