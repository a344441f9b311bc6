import { configWithRegions, measureTicks } from '../../bench/autoscaler-tick';
import { validConfig } from '../support/configs';

describe('autoscaler tick benchmark', () => {
  it('builds a config with the asked number of regions from the base config', () => {
    const config = configWithRegions(validConfig(), 12, false);
    expect(config.alwaysOn.length + config.scalable.length).toBe(12);
    expect(config.limits.maxRunningRegions).toBe(12);
  });

  it('counts the calls of a quiet 3-region tick by command: one DescribeCluster per region, one each of the rest (the override table Scan included), four ListExecutions', async () => {
    const config = configWithRegions(validConfig(), 3, false);
    const measured = await measureTicks(config, { coldTicks: 1, warmTicks: 2 });
    expect(measured.actions).toBe(0);
    expect(measured.warmTickCalls.byCommand).toEqual({
      DescribeClusterCommand: 3,
      GetMetricDataCommand: 1,
      ListResourceRecordSetsCommand: 1,
      ListExecutionsCommand: 4,
      ScanCommand: 1,
    });
    expect(measured.warmTickCalls.total).toBe(10);
    expect(measured.coldTick.runs).toBe(1);
    expect(measured.warmTick.runs).toBe(2);
    expect(measured.warmTick.medianMs).toBeGreaterThan(0);
  });

  it('keeps a fleet quiet with prediction on too, so only reads are counted', async () => {
    const config = configWithRegions(validConfig(), 3, true);
    const measured = await measureTicks(config, { coldTicks: 1, warmTicks: 1 });
    expect(measured.actions).toBe(0);
    // The week of demand, and apart from it the edges' reports over the last few minutes.
    expect(measured.coldTickCalls.byCommand.GetMetricDataCommand).toBe(2);
    expect(measured.warmTickCalls.byCommand.GetMetricDataCommand).toBe(1);
  });
});
