import { benchCliStart } from '../../bench/cli-start';

describe('CLI start benchmark', () => {
  it('times the main job, --version and bare Node.js in fresh processes', () => {
    const start = benchCliStart({ runs: 1 });
    expect(start.command).toBe('kubecdn simulate --config config/examples/small.json --trace examples/traces/small-1d.csv');
    for (const samples of [start.simulate, start.version, start.nodeAlone]) {
      expect(samples.runs).toBe(1);
      expect(samples.medianMs).toBeGreaterThan(0);
    }
    // Node.js doing nothing is the floor under any command.
    expect(start.nodeAlone.medianMs).toBeLessThan(start.simulate.medianMs);
  }, 60_000);
});
