/**
 * `kubecdn override <region> on|off --for <duration>`, `kubecdn override clear <region>` and
 * `kubecdn override list`: an operator's temporary pin on a region, which the autoscaler obeys
 * from its next tick over every rule (docs/autoscaler.md, "Overrides") and which lapses by itself.
 * Stored in the control stack's override table (lambdas/shared/region-override-item.ts); each set
 * and clear is told to the operations topic, and the autoscaler tells it when one lapses.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { utcClock } from '../core/autoscaler/reasons';
import type { KubeCdnConfig } from '../core/config';
import type { OverridePin, StoredOverride } from '../lambdas/shared/region-override-item';
import { WorkflowLookupError } from './control-stack-outputs';
import { durationWords, MAX_OVERRIDE_MS, overrideDuration } from './duration';
import { EXIT_FAILURE, usageError } from './exit-codes';
import { type CommandContext, type CommandIo, writeJson } from './io';
import type { OverrideStore } from './override-store';
import { configOption, jsonOption, once } from './shared-options';
import { checkConfiguredRegion, DEFAULT_CONFIG, loadDeployedConfig } from './workflow-command-options';

interface OverrideOptions {
  readonly config: string;
  readonly json?: boolean;
}

interface SetOptions extends OverrideOptions {
  readonly for?: number;
  readonly reason?: string;
  readonly force?: boolean;
}

/** The longest reason kept: it is quoted in every decision reason and notice while the override holds. */
const MAX_REASON = 200;

function reasonText(text: string): string {
  // Control and invisible format characters would break the one-line log lines and notices it is quoted in.
  if (/[\p{Cc}\p{Cf}]/u.test(text)) throw new InvalidArgumentError('expected one line of plain text');
  if (text.length > MAX_REASON) throw new InvalidArgumentError(`expected at most ${MAX_REASON} characters`);
  return text.trim();
}

const configFlag = () => configOption(`the kubecdn config file (regions.json) of the deployment (default: ${DEFAULT_CONFIG})`);

export function registerOverride(program: Command, context: CommandContext): void {
  const override = program
    .command('override')
    .argument('<region>', 'a region of the config (alwaysOn or scalable)')
    .argument('<on|off>', 'on: keep it running, starting it if down; off: keep it down, stopping it if up')
    .summary('pin a region on or off for a while, over every autoscaler rule')
    .description(
      'Pins a region on or off until the time given by --for, over demand, forecast, schedules and always-on. The autoscaler ' +
        'obeys it from its next tick, without waiting for the cooldown or the running cap (maxConcurrentOperations still ' +
        'holds), and never while the region is starting or stopping. It lapses by itself; setting one again replaces it. ' +
        'Set, cleared and lapsed overrides are told to the operations topic. Uses the standard AWS credential chain.',
    )
    // Options after `clear` or `list` are theirs: both take --config and --json of their own.
    .enablePositionalOptions()
    .addOption(
      new Option(
        '--for <duration>',
        `how long: 30m, 2h, 1d, 1h30m (days, hours, minutes); at most ${durationWords(MAX_OVERRIDE_MS)}`,
      ).argParser(once(overrideDuration)),
    )
    .addOption(
      new Option('--reason <text>', `why, one line of at most ${MAX_REASON} characters: quoted in decisions and notices`).argParser(
        once(reasonText),
      ),
    )
    .addOption(new Option('--force', 'pin an always-on region off too (refused without it)'))
    .addOption(configFlag())
    .addOption(jsonOption('the override written'))
    .action((region: string, pin: string, options: SetOptions, command: Command) => setOverride(region, pin, options, command, context));

  override
    .command('clear')
    .argument('<region>', 'a region of the config')
    .summary("remove a region's override now")
    .description("Removes the region's override: the autoscaler decides it by its rules again from its next tick.")
    .addOption(configFlag())
    .addOption(jsonOption('the override removed'))
    .action((region: string, options: OverrideOptions, command: Command) => clearOverride(region, options, command, context));

  override
    .command('list')
    .summary('show the overrides in force')
    .description('Lists the overrides in force with who set them and when they lapse, and any the autoscaler ignores and why.')
    .addOption(configFlag())
    .addOption(jsonOption('the overrides'))
    .action((options: OverrideOptions) => listAll(options, context));
}

/** The deployment's override store, or undefined after reporting why not (exit 1). */
async function open(config: KubeCdnConfig, context: CommandContext, command: string): Promise<OverrideStore | undefined> {
  try {
    const { openOverrideStore } = require('./override-store') as typeof import('./override-store');
    return await openOverrideStore(config);
  } catch (error) {
    if (!(error instanceof WorkflowLookupError)) throw error;
    context.io.err(`${command}: ${error.message}\n`);
    context.exitCode = EXIT_FAILURE;
    return undefined;
  }
}

/** An AWS failure after the inputs were accepted: one line, exit 1. */
function failed(context: CommandContext, command: string, what: string, error: unknown): void {
  context.io.err(`${command}: ${what}: ${(error as Error).name}: ${(error as Error).message}\n`);
  context.exitCode = EXIT_FAILURE;
}

const when = (epochSeconds: number, now: number) => utcClock(epochSeconds * 1000, now);

function described(override: StoredOverride, now: number): string {
  const reason = override.reason ? `, reason: ${override.reason}` : '';
  return `pinned ${override.pin} until ${when(override.expiresAt, now)} (set by ${override.setBy} at ${override.setAt}${reason})`;
}

function overrideJson(override: StoredOverride) {
  return { ...override, expiresAtIso: new Date(override.expiresAt * 1000).toISOString() };
}

async function setOverride(region: string, pinText: string, options: SetOptions, command: Command, context: CommandContext): Promise<void> {
  if (pinText !== 'on' && pinText !== 'off') usageError(command, `expected on or off after the region, not "${pinText}"`);
  const pin: OverridePin = pinText;
  if (options.for === undefined) usageError(command, "required option '--for <duration>' not specified (e.g. --for 2h)");
  const config = loadDeployedConfig(options, context.io);
  if (!config) {
    context.exitCode = EXIT_FAILURE;
    return;
  }
  checkConfiguredRegion(command, config, region);
  // Like `kubecdn stop`: an always-on region is kept running unless someone says otherwise on purpose.
  if (pin === 'off' && config.alwaysOn.includes(region) && !options.force) {
    usageError(command, `${region} is always on; pass --force to pin it off anyway`);
  }
  const store = await open(config, context, 'kubecdn override');
  if (!store) return;
  const { putOverride, notify } = require('./override-store') as typeof import('./override-store');
  const now = Date.now();
  let override: StoredOverride;
  let replaced: StoredOverride | undefined;
  try {
    override = {
      region,
      pin,
      expiresAt: Math.ceil((now + options.for) / 1000),
      reason: options.reason ?? '',
      setBy: await store.whoAmI(),
      setAt: new Date(now).toISOString(),
    };
    replaced = await putOverride(store, override);
  } catch (error) {
    failed(context, 'kubecdn override', `cannot set the override of ${region}`, error);
    return;
  }
  const what = described(override, now);
  const reason = override.reason ? `: ${override.reason}` : '';
  const notFailed = await notify(
    store,
    config,
    region,
    `kubecdn: ${region} pinned ${pin} for ${durationWords(options.for)}`,
    `${override.setBy} pinned ${region} ${pin} until ${when(override.expiresAt, now)} (for ${durationWords(options.for)})${reason}. ` +
      effect(config, pin, region) +
      (replaced ? ` It replaces the override ${described(replaced, now)}.` : ''),
  );
  report(context.io, options.json === true, notFailed, {
    json: { override: overrideJson(override), replaced: replaced ? overrideJson(replaced) : null, notified: !notFailed },
    text:
      `${region} ${what}.\n${effect(config, pin, region)}\n` +
      (replaced ? `It replaces the override ${described(replaced, now)}.\n` : '') +
      `It lapses by itself in ${durationWords(options.for)}; end it earlier with: kubecdn override clear ${region}\n`,
  });
}

/** What the autoscaler will do about it, and when. */
function effect(config: KubeCdnConfig, pin: OverridePin, region: string): string {
  const tick = `The autoscaler's next tick (within ${durationWords(config.periodSeconds * 1000)})`;
  return pin === 'on'
    ? `${tick} starts ${region} unless it is running, and keeps it running until then whatever demand, schedules or the cooldown say.`
    : `${tick} stops ${region} if it is up (to warm standby where configured), and starts it for no rule until then.`;
}

async function clearOverride(region: string, options: OverrideOptions, command: Command, context: CommandContext): Promise<void> {
  const config = loadDeployedConfig(options, context.io);
  if (!config) {
    context.exitCode = EXIT_FAILURE;
    return;
  }
  checkConfiguredRegion(command, config, region);
  const store = await open(config, context, 'kubecdn override clear');
  if (!store) return;
  const { deleteOverride, notify } = require('./override-store') as typeof import('./override-store');
  const now = Date.now();
  let cleared: StoredOverride | undefined;
  let caller: string;
  try {
    caller = await store.whoAmI();
    cleared = await deleteOverride(store, region);
  } catch (error) {
    failed(context, 'kubecdn override clear', `cannot clear the override of ${region}`, error);
    return;
  }
  if (!cleared) {
    if (options.json) writeJson(context.io, { region, cleared: null, notified: false });
    else context.io.out(`${region} has no override; nothing to clear.\n`);
    return;
  }
  const back = `The autoscaler decides ${region} by its rules again from its next tick.`;
  const notFailed = await notify(
    store,
    config,
    region,
    `kubecdn: override of ${region} cleared`,
    `${caller} cleared the override of ${region}, ${described(cleared, now)}. ${back}`,
  );
  report(context.io, options.json === true, notFailed, {
    json: { region, cleared: overrideJson(cleared), notified: !notFailed },
    text: `Cleared the override of ${region}, ${described(cleared, now)}.\n${back}\n`,
  });
}

/** The result, and a warning on standard error when the notice could not be sent (the change stands: exit 0). */
function report(io: CommandIo, json: boolean, notFailed: string | undefined, result: { json: object; text: string }): void {
  if (json) writeJson(io, result.json);
  else io.out(result.text);
  if (notFailed) io.err(`warning: the change is made, but the operations topic could not be told: ${notFailed}\n`);
}

async function listAll(options: OverrideOptions, context: CommandContext): Promise<void> {
  const config = loadDeployedConfig(options, context.io);
  if (!config) {
    context.exitCode = EXIT_FAILURE;
    return;
  }
  const store = await open(config, context, 'kubecdn override list');
  if (!store) return;
  const { listOverrides } = require('./override-store') as typeof import('./override-store');
  const now = Date.now();
  let reading;
  try {
    reading = await listOverrides(store, config, now);
  } catch (error) {
    failed(context, 'kubecdn override list', 'cannot read the overrides', error);
    return;
  }
  const active = Object.values(reading.active).sort((a, b) => a.region.localeCompare(b.region));
  if (options.json) {
    writeJson(context.io, { overrides: active.map(overrideJson), lapsed: reading.lapsed.map(overrideJson), ignored: reading.ignored });
    return;
  }
  const lines = active.map((o) => `${o.region} ${described(o, now)}; ${durationWords(o.expiresAt * 1000 - now)} left`);
  for (const o of reading.lapsed)
    lines.push(`${o.region} lapsed at ${when(o.expiresAt, now)}: no longer obeyed (the autoscaler removes it at its next tick)`);
  for (const item of reading.ignored) lines.push(`${item.region ?? '(no region)'} ignored: ${item.problem}`);
  context.io.out(lines.length > 0 ? `${lines.join('\n')}\n` : 'No override in force.\n');
}
