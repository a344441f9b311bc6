import { decide, demandPeriodsNeeded } from '../../../core/autoscaler';
import { engineConfig, NOW, running, steady } from './engine-fixtures';

describe('the demand window the engine needs', () => {
  it('is the longer of the scale-up and scale-down streaks', () => {
    expect(demandPeriodsNeeded(engineConfig())).toBe(15);
  });

  it('covers a per-region override that asks for a longer streak', () => {
    const config = engineConfig((c) => (c.thresholds = { perRegion: { 'eu-west-1': { scaleUpPeriods: 20 } } }));
    expect(demandPeriodsNeeded(config)).toBe(20);
  });

  it('is enough: periods older than the window never change a decision', () => {
    const config = engineConfig();
    const needed = demandPeriodsNeeded(config);
    const recent = [...steady(0, needed - 1), 100];
    const regions = { 'us-east-1': running, 'eu-west-1': running };
    const short = decide({ config, now: NOW, demand: { 'eu-west-1': recent }, regions });
    const long = decide({ config, now: NOW, demand: { 'eu-west-1': [...steady(9000, 40), ...recent] }, regions });
    expect(long).toEqual(short);
  });
});
