import { App } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeRegionTable } from '../../lib/edge-region-table';
import { synthesizeConfigFile } from '../../lib/synthesize-config';
import { manyRegionsConfigInput, minimalConfigInput, writeConfigFile } from '../support/configs';

const root = join(__dirname, '..', '..');

/** Runs bin/app.ts the way `cdk synth -c config=<file>` does: context through CDK_CONTEXT_JSON. */
function synth(configFile: string) {
  const { CDK_VALIDATION: _off, ...inheritedEnv } = process.env;
  // The region table is built from the fixture databases, as in every test (set in
  // test/support/synthesis-settings.ts and inherited here): never from the 134 MB package.
  if (!inheritedEnv.KUBECDN_GEO_DATABASE_DIR)
    throw new Error('KUBECDN_GEO_DATABASE_DIR is not set; the synth would read the real database');
  const outdir = mkdtempSync(join(tmpdir(), 'kubecdn-synth-'));
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'bin', 'app.ts')], {
    cwd: root,
    encoding: 'utf8',
    // CDK's built-in template validation stays on here (test/support/synthesis-settings.ts turns it off in-process).
    env: { ...inheritedEnv, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config: configFile }) },
  });
  return { ...result, outdir };
}

/** stderr without the lines esbuild writes for each Lambda it bundles. */
// esbuild marks an output over a megabyte with ⚠️: region-ops is, on purpose, since it carries the
// edge agent and the region table it applies to every region.
function unexpectedStderr(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.trim() && !/^(Bundling asset |\s*\.\.\.\S+\s+[\d.]+[kmg]?b( ⚠️)?$|⚡ Done in )/.test(line));
}

type SynthTemplate = { Resources: Record<string, { Type: string; Properties: { Code: { S3Key?: string } } }> };

/** Starts a bundled function's code the way a Lambda cold start does (its module init), in a fresh Node process. */
function coldStart(bundleFile: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['-e', 'require(process.argv[1])', bundleFile], {
    encoding: 'utf8',
    // The SDK is external to the bundles; Lambda's runtime provides it, here node_modules does.
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(root, 'node_modules'), AWS_REGION: 'us-east-1', ...env },
  });
}

describe('the CDK app entry point', () => {
  it('refuses a bad config before synthesizing anything, one line per problem and no stack trace', () => {
    const file = writeConfigFile({
      ...minimalConfigInput(),
      homeRegion: 'eu-wset-1',
      thresholds: { scaleUpPeriods: 0 },
      cluster: { kubernetesVersion: '1.36' },
    });
    const result = synth(file);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `${file}: $.homeRegion: "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`,
      `${file}: $.thresholds.scaleUpPeriods: expected a number of consecutive periods (a whole number of at least 1)`,
      `${file}: $.cluster.kubernetesVersion: "1.36" is not a Kubernetes version EKS offers; expected one of "1.32", "1.33", "1.34", "1.35"`,
      `3 problem(s) in ${file}; nothing was synthesized.`,
      '',
    ]);
    expect(readdirSync(result.outdir)).toEqual([]);
  });

  it('synthesizes the control stack and one network stack per region from the file named in context', () => {
    const config = minimalConfigInput();
    config.workload = { ...config.workload, manifestsDir: join(root, 'config', 'workload') };
    // Query-log demand adds the us-east-1 stack and its producer, so every Lambda is bundled here.
    config.demand = { source: 'route53-query-logs' };
    const result = synth(writeConfigFile(config));
    // esbuild reports each Lambda it bundles on stderr; anything else there is a problem.
    expect(unexpectedStderr(result.stderr)).toEqual([]);
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

  it('synthesizes 30 regions with their own thresholds each, the config compiled intact into the bundles that read it', () => {
    const config = manyRegionsConfigInput(30);
    config.workload = { ...config.workload, manifestsDir: join(root, 'config', 'workload') };
    const result = synth(writeConfigFile(config));
    expect(unexpectedStderr(result.stderr)).toEqual([]);
    expect(result.status).toBe(0);
    expect(readdirSync(result.outdir).filter((f) => f.startsWith('kubecdn-network-') && f.endsWith('.template.json'))).toHaveLength(30);

    const template = JSON.parse(readFileSync(join(result.outdir, 'kubecdn-control.template.json'), 'utf8')) as SynthTemplate;
    const [, autoscaler] = Object.entries(template.Resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && /^Autoscaler/.test(id),
    )!;
    const bundle = join(result.outdir, `asset.${autoscaler.Properties.Code.S3Key!.replace(/\.zip$/, '')}`, 'index.js');
    const arns = {
      START_REGION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StartRegion',
      STOP_REGION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-StopRegion',
      UPGRADE_REGION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-UpgradeRegion',
      REGION_OVERRIDE_TABLE_NAME: 'kubecdn-control-RegionOverrides',
      OPERATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:kubecdn-operations',
    };
    // region-ops carries the region table for these 30 regions (from the fixture databases) in its
    // bundle; the template itself only references the bundle, so the table does not grow it.
    const [, regionOps] = Object.entries(template.Resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && /^RegionWorkflowsRegionOps/.test(id),
    )!;
    const regionOpsBundle = join(result.outdir, `asset.${regionOps.Properties.Code.S3Key!.replace(/\.zip$/, '')}`, 'index.js');
    const tableBase64 = edgeRegionTable([...config.alwaysOn, ...(config.scalable ?? [])]).gzip.toString('base64');
    expect(readFileSync(regionOpsBundle, 'utf8')).toContain(tableBase64);
    expect(readFileSync(join(result.outdir, 'kubecdn-control.template.json'), 'utf8')).not.toContain(tableBase64);

    const started = coldStart(bundle, arns);
    expect(started.stderr).not.toMatch(/Error/);
    expect(started.status).toBe(0);

    // The cold-start check still stands: a bundle whose config was edited by hand refuses to start.
    const tampered = join(mkdtempSync(join(tmpdir(), 'kubecdn-tampered-')), 'index.js');
    const code = readFileSync(bundle, 'utf8');
    // However esbuild quotes the literal, the config's own text is in it.
    const homeRegion = /(\\?"homeRegion\\?":\\?")us-east-1/;
    expect(code).toMatch(homeRegion);
    writeFileSync(tampered, code.replace(homeRegion, '$1us-esat-1'));
    const refused = coldStart(tampered, arns);
    expect(refused.status).not.toBe(0);
    // The config was validated at synth; the bundle carries its SHA-256, and a config that does not
    // match it is refused without loading the schema again.
    expect(refused.stderr).toMatch(/KUBECDN_DEPLOYED_CONFIG is not the config validated at synth \(its SHA-256 differs/);
  }, 300_000);

  it('reports a failure that is not a config rule as one line naming the file, without a stack trace', () => {
    const file = writeConfigFile(minimalConfigInput());
    const written: string[] = [];
    const exitCode = synthesizeConfigFile(
      new App(),
      file,
      (text) => written.push(text),
      () => {
        throw new Error('Resolution error: something the CDK\n  could not do');
      },
    );
    expect(exitCode).toBe(1);
    expect(written.join('')).toBe(`${file}: Resolution error: something the CDK could not do; nothing was synthesized.\n`);
  });
});
