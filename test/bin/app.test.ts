import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimalConfigInput, writeConfigFile } from '../support/configs';

const root = join(__dirname, '..', '..');

/** Runs bin/app.ts the way `cdk synth -c config=<file>` does: context through CDK_CONTEXT_JSON. */
function synth(configFile: string) {
  const { CDK_VALIDATION: _off, ...inheritedEnv } = process.env;
  const outdir = mkdtempSync(join(tmpdir(), 'kubecdn-synth-'));
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'bin', 'app.ts')], {
    cwd: root,
    encoding: 'utf8',
    // CDK's built-in template validation stays on here (test/support/synthesis-settings.ts turns it off in-process).
    env: { ...inheritedEnv, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config: configFile }) },
  });
  return { ...result, outdir };
}

describe('the CDK app entry point', () => {
  it('refuses a bad config before synthesizing anything, one line per problem and no stack trace', () => {
    const file = writeConfigFile({ ...minimalConfigInput(), homeRegion: 'eu-wset-1', thresholds: { scaleUpPeriods: 0 } });
    const result = synth(file);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `${file}: $.homeRegion: "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`,
      `${file}: $.thresholds.scaleUpPeriods: expected a number of consecutive periods (a whole number of at least 1)`,
      `2 problem(s) in ${file}; nothing was synthesized.`,
      '',
    ]);
    expect(readdirSync(result.outdir)).toEqual([]);
  });

  it('synthesizes the control stack and one network stack per region from the file named in context', () => {
    const config = minimalConfigInput();
    config.workload = { ...config.workload, manifestsDir: join(root, 'config', 'workload') };
    const result = synth(writeConfigFile(config));
    // esbuild reports each Lambda it bundles on stderr; anything else there is a problem.
    const unexpected = result.stderr
      .split('\n')
      .filter((line) => line.trim() && !/^(Bundling asset |\s*\.\.\.\S+\s+[\d.]+[kmg]?b$|⚡ Done in )/.test(line));
    expect(unexpected).toEqual([]);
    expect(result.status).toBe(0);
    const templates = readdirSync(result.outdir).filter((f) => f.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'kubecdn-control.template.json',
      'kubecdn-demand.template.json',
      'kubecdn-network-ap-northeast-1.template.json',
      'kubecdn-network-eu-west-1.template.json',
      'kubecdn-network-us-east-1.template.json',
    ]);
  }, 60_000);
});
