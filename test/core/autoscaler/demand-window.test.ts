import { decide, demandPeriodsNeeded } from '../../../core/autoscaler';
import { engineConfig, NOW, running, steady } from './engine-fixtures';

const reactive = engineConfig;
const predictive = (prediction: { weeklySeasonality?: boolean } = {}) =>
  engineConfig((c) => (c.prediction = { enabled: true, ...prediction }));

describe('the demand window the engine needs', () => {
  it('is the longer of the scale-up and scale-down streaks when prediction is off', () => {
    expect(demandPeriodsNeeded(reactive())).toBe(15);
  });

  it('covers a per-region override that asks for a longer streak', () => {
    const config = reactive((c) => (c.thresholds = { perRegion: { 'eu-west-1': { scaleUpPeriods: 20 } } }));
    expect(demandPeriodsNeeded(config)).toBe(20);
  });

  it('reaches back a week and a level window (10 minutes) for the forecast', () => {
    expect(demandPeriodsNeeded(predictive())).toBe(7 * 1440 + 10);
  });

  it('reaches back one day when weekly seasonality is off, and counts periods, not minutes', () => {
    expect(demandPeriodsNeeded(predictive({ weeklySeasonality: false }))).toBe(1440 + 10);
    const fiveMinutes = engineConfig((c) => {
      c.periodSeconds = 300;
      c.prediction = { enabled: true, weeklySeasonality: false };
    });
    expect(demandPeriodsNeeded(fiveMinutes)).toBe(288 + 2);
  });

  it('is enough: periods older than the window never change a decision', () => {
    for (const config of [reactive(), predictive({ weeklySeasonality: false })]) {
      const needed = demandPeriodsNeeded(config);
      const recent = [...steady(0, needed - 1), 100];
      const regions = { 'us-east-1': running, 'eu-west-1': running };
      const short = decide({ config, now: NOW, demand: { 'eu-west-1': recent }, regions });
      const long = decide({ config, now: NOW, demand: { 'eu-west-1': [...steady(9000, 40), ...recent] }, regions });
      expect(long).toEqual(short);
    }
  });
});
