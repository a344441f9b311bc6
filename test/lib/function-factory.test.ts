import { App, Stack } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_CONFIG } from '../../bench/inputs';
import { deployedLambdaEnvironment } from '../../bench/lambda-environment';
import { loadConfigFile } from '../../core/config';
import { bundlingFunctionFactory } from '../../lib/function-factory';

const ROOT = join(__dirname, '..', '..');

type SynthTemplate = { Resources: Record<string, { Type: string; Properties: { Code: { S3Key: string } } }> };

/** The bundled index.js of `entry` (default: the config reader), made by the bundling factory in a fresh app with `constants`. */
function bundle(constants: Record<string, string>, entry = 'shared/deployed-config.ts'): string {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'kubecdn-bundle-')) });
  bundlingFunctionFactory.create(new Stack(app, 'S'), 'F', {
    entry,
    description: `${entry}, bundled alone`,
    constants,
  });
  const assembly = app.synth();
  const [fn] = Object.values((assembly.getStackByName('S').template as SynthTemplate).Resources).filter(
    (r) => r.Type === 'AWS::Lambda::Function',
  );
  return join(assembly.directory, `asset.${fn!.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.js');
}

let demandRoute53Bundle: string | undefined;

/** demand-route53 (a small SDK function) bundled by the factory, once for the tests that read it. */
function sdkHandlerBundle(): string {
  demandRoute53Bundle ??= bundle({}, 'demand-route53/handler.ts');
  return demandRoute53Bundle;
}

describe('the bundling function factory', () => {
  it('compiles in a constant of megabytes, more than esbuild could take on its command line', () => {
    // As long as an edge region table: over the 128 KiB Linux allows one command-line argument.
    const config = JSON.stringify({ name: 'kubecdn', padding: 'x'.repeat(1_500_000) });
    const file = bundle({ KUBECDN_DEPLOYED_CONFIG: config });
    // The bundle hands the constant out as the function reads it.
    const read = spawnSync(process.execPath, ['-e', 'process.stdout.write(require(process.argv[1]).compiledConfigText())', file], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(__dirname, '..', '..', 'node_modules') },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(read.stderr).toBe('');
    expect(read.stdout).toBe(config);
  }, 120_000);

  it('carries the AWS SDK at the installed version, the one the tests check requests against, instead of the runtime copy', () => {
    const file = sdkHandlerBundle();
    // No NODE_PATH: the bundle must load with no SDK beside it (Lambda's runtime copy may be another version).
    const { config } = loadConfigFile(REFERENCE_CONFIG);
    const load = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...deployedLambdaEnvironment(config) },
    });
    expect(load.stderr).toBe('');
    const { version } = JSON.parse(readFileSync(require.resolve('@aws-sdk/client-cloudwatch/package.json'), 'utf8')) as { version: string };
    expect(readFileSync(file, 'utf8')).toContain(`name:"@aws-sdk/client-cloudwatch",version:"${version}"`);
  }, 120_000);

  it('makes the same code from the same constants on every synth', () => {
    const constants = { KUBECDN_DEPLOYED_CONFIG: '{"name":"kubecdn"}' };
    expect(readFileSync(bundle(constants), 'utf8')).toBe(readFileSync(bundle(constants), 'utf8'));
  }, 120_000);

  it('leaves the credential providers a Lambda never reaches out of the bundle, for the stub that says why', () => {
    const code = readFileSync(sdkHandlerBundle(), 'utf8');
    // The SDK's nested clients carry their package.json; they come only with those providers.
    expect(code).not.toContain('name:"@aws-sdk/nested-clients"');
    expect(code).toContain("is not bundled: kubecdn's Lambdas take their credentials from the environment");
  }, 120_000);

  it('maps stack frames in our code to our sources and keeps no mapping of the packages, whose frames stay in index.js', () => {
    const file = sdkHandlerBundle();
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.filter((source) => source.includes('node_modules'))).toEqual([]);
    // An event the handler's validation refuses: InvalidInputError is made in lambdas/shared/validated-event.ts, called from middy.
    const throwLine =
      readFileSync(join(ROOT, 'lambdas', 'shared', 'validated-event.ts'), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('throw new InvalidInputError')) + 1;
    const { config } = loadConfigFile(REFERENCE_CONFIG);
    const run = spawnSync(
      process.execPath,
      [
        '-e',
        `require(process.argv[1]).handler({}, { awsRequestId: 'r', functionName: 'f' }).catch((error) => process.stdout.write(error.stack))`,
        file,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...deployedLambdaEnvironment(config), POWERTOOLS_TRACE_ENABLED: 'false' } },
    );
    const frames = run.stdout.split('\n').filter((line) => line.trimStart().startsWith('at '));
    expect(frames[0]).toContain(`${join(ROOT, 'lambdas', 'shared', 'validated-event.ts')}:${throwLine}:`);
    // middy's own frames: the bundle's lines, not put down to our code.
    expect(frames[1]).toContain(`${file}:`);
  }, 120_000);
});
