/**
 * README's Cleanup section, word for word: the outputs it reads exist, its region list is every
 * configured region, and the StopRegion input it sends for each takes everything down through
 * the workflows, the last serving region included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minimalConfigInput } from '../support/configs';
import { scenario } from './scenario';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function cleanupCommands(): string {
  const section = readme.slice(readme.indexOf('## Cleanup\n'), readme.indexOf('\n## ', readme.indexOf('## Cleanup\n') + 1));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("README's Cleanup section has no sh block");
  return block[1]!;
}

/** The regions the loop in step 2 goes over, computed as its `node -p` expression would from `config`. */
function regionsOfTheLoop(commands: string, config: unknown): string[] {
  const expression = /node -p "([^"]+)"/.exec(commands)![1]!;
  // `node -p` prints the value of the last statement: run the rest, then return that one.
  const last = expression.lastIndexOf(';');
  const body = new Function('require', `${expression.slice(0, last + 1)} return ${expression.slice(last + 1)};`) as (
    require: (path: string) => unknown,
  ) => string;
  return body((path) => {
    expect(path).toBe('./config/regions.json');
    return config;
  }).split(' ');
}

/** The StopRegion input step 2 sends for `region` (the shell's `\"` unescaped, `$region` substituted). */
function decommissionInput(commands: string, region: string): unknown {
  const quoted = /--input "((?:[^"\\]|\\.)*)"/.exec(commands)![1]!;
  return JSON.parse(quoted.replace(/\\"/g, '"').replace(/\$region/g, region));
}

describe("README's Cleanup procedure", () => {
  it('reads only outputs the control stack has, and stops every configured region', () => {
    const s = scenario();
    const commands = cleanupCommands();
    const outputs = Object.keys((s.harness.synthesized.template as unknown as { Outputs: Record<string, unknown> }).Outputs);
    const used = [...commands.matchAll(/\$\(output (\w+)\)/g), ...commands.matchAll(/\b(\w+StateMachineArn)\b/g)].map((m) => m[1]!);
    expect(used).toEqual(expect.arrayContaining(['AutoscalerScheduleRuleName', 'StopRegionStateMachineArn']));
    for (const key of used) expect(outputs).toContain(key);
    expect(commands).toContain('aws events disable-rule');
    expect(commands.indexOf('disable-rule')).toBeLessThan(commands.indexOf('start-execution'));
    expect(commands.indexOf('start-execution')).toBeLessThan(commands.indexOf('npx cdk destroy --all'));
    expect(regionsOfTheLoop(commands, minimalConfigInput()).sort()).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
  });

  it('leaves no cluster, load balancer, health check, record or lock in any region, warm standby included', async () => {
    const s = scenario((c) => (c.standby = { 'eu-west-1': 'warm' }));
    const regions = regionsOfTheLoop(cleanupCommands(), { alwaysOn: s.config.alwaysOn, scalable: s.config.scalable });
    for (const region of regions) await s.succeed('StartRegion', { region });
    // eu-west-1 sits in warm standby (its control plane kept) when the cleanup begins.
    await s.succeed('StopRegion', { region: 'eu-west-1' });
    expect(s.resources('eu-west-1')).toEqual(['cluster kubecdn-eu-west-1 (ACTIVE)']);

    // Step 2 starts the stops one after the other without waiting: they run at the same time.
    const runs = await Promise.all(regions.map((region) => s.run('StopRegion', decommissionInput(cleanupCommands(), region))));

    expect(runs.map((r) => `${r.status} ${r.error ?? ''} ${r.cause ?? ''}`.trim())).toEqual(regions.map(() => 'SUCCEEDED'));
    for (const region of regions) expect(s.resources(region)).toEqual([]);
    expect(s.world.latencyRecords('cdn.example.com')).toEqual([]);
    expect(s.world.lockItems.size).toBe(0);
  });

  it('is needed: without "decommission" the last serving region refuses even a forced stop', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    const run = await s.run('StopRegion', { region: 'us-east-1', force: true });
    expect(run).toMatchObject({ status: 'FAILED', error: 'StopRefused' });
    const decommissioned = await s.run('StopRegion', decommissionInput(cleanupCommands(), 'us-east-1'));
    expect(decommissioned.status).toBe('SUCCEEDED');
    expect(s.resources('us-east-1')).toEqual([]);
    expect(s.world.latencyRecords('cdn.example.com')).toEqual([]);
  });
});
