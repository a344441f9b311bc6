/**
 * What the engine derives from a config, computed once per config object and reused every tick:
 * the simulator passes the same config for a week of minutes, the Lambda for one tick.
 * Configs are treated as immutable (they come out of zod validation and are never edited).
 */
import type { KubeCdnConfig, RegionThresholds } from '../config';
import { configuredRegions, standbyFor, thresholdsFor } from '../config/regions-of';
import { type AnticipationPlan, anticipationPlan } from './anticipation';
import { compileSchedule, type KeepOnWindow } from './schedules';

export interface ConfigView {
  /** Always-on first, then scalable, in file order: the order decisions are returned in. */
  readonly configured: readonly string[];
  readonly configuredSet: ReadonlySet<string>;
  readonly alwaysOn: ReadonlySet<string>;
  readonly warmStandby: ReadonlySet<string>;
  /** Keep-on windows per scalable region; regions without any are absent. */
  readonly windows: ReadonlyMap<string, readonly KeepOnWindow[]>;
  /** Thresholds in force for a region, configured or not (removed regions get the global ones). */
  thresholdsOf(region: string): RegionThresholds;
  /** The forecast rules' settings for a configured region; undefined when config.prediction is off. */
  anticipationOf(region: string): AnticipationPlan | undefined;
}

const views = new WeakMap<KubeCdnConfig, ConfigView>();

function buildView(config: KubeCdnConfig): ConfigView {
  const configured = configuredRegions(config);
  const thresholds = new Map<string, RegionThresholds>();
  const plans = new Map<string, AnticipationPlan | undefined>();
  const windows = new Map<string, KeepOnWindow[]>();
  for (const schedule of config.schedules ?? []) {
    const compiled = compileSchedule(schedule);
    const list = windows.get(schedule.region);
    if (list) list.push(compiled);
    else windows.set(schedule.region, [compiled]);
  }
  const warmStandby = new Set(config.scalable.filter((region) => standbyFor(config, region) === 'warm'));
  const view: ConfigView = {
    configured,
    configuredSet: new Set(configured),
    alwaysOn: new Set(config.alwaysOn),
    warmStandby,
    windows,
    thresholdsOf(region) {
      let found = thresholds.get(region);
      if (!found) {
        found = Object.freeze(thresholdsFor(config, region));
        thresholds.set(region, found);
      }
      return found;
    },
    anticipationOf(region) {
      if (!plans.has(region)) plans.set(region, anticipationPlan(config, view.thresholdsOf(region), warmStandby.has(region)));
      return plans.get(region);
    },
  };
  return view;
}

export function viewOf(config: KubeCdnConfig): ConfigView {
  let view = views.get(config);
  if (!view) {
    view = buildView(config);
    views.set(config, view);
  }
  return view;
}
