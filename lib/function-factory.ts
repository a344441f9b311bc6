import { Duration, Stage } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KubeCdnFunctionProps {
  /** Handler file relative to the lambdas/ folder, e.g. `autoscaler/handler.ts` (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /**
   * Strings compiled into the function's code: each key is a free identifier the handler's code
   * reads (`declare const`), replaced by its value when the code is built. For what outgrows the
   * environment (4 KB in all), megabytes included; changing a value changes the code asset, so
   * the function is redeployed.
   */
  readonly constants?: Record<string, string>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** A fixed name, for a function other code invokes by name (default: generated). */
  readonly functionName?: string;
  /** Attaches the function to a VPC (its subnets and security groups); default: outside any VPC. */
  readonly vpc?: { readonly vpc: ec2.IVpc; readonly subnets: ec2.SubnetSelection; readonly securityGroups: ec2.ISecurityGroup[] };
  /** X-Ray tracing (default on); off for a function in a VPC with no route to the X-Ray API. */
  readonly tracing?: boolean;
}

/**
 * Creates the project's Lambda functions. Constructs take a factory instead of calling
 * NodejsFunction directly so stack tests can swap in one that does not bundle (fast,
 * deterministic templates), as instance-scheduler-on-aws does.
 */
export interface FunctionFactory {
  create(scope: Construct, id: string, props: KubeCdnFunctionProps): lambda.Function;
}

const LAMBDAS_DIR = join(__dirname, '..', 'lambdas');

function commonProps(scope: Construct, id: string, props: KubeCdnFunctionProps) {
  return {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize ?? 512,
    timeout: props.timeout ?? Duration.seconds(60),
    tracing: props.tracing === false ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
    ...(props.functionName ? { functionName: props.functionName } : {}),
    ...(props.vpc
      ? {
          vpc: props.vpc.vpc,
          vpcSubnets: props.vpc.subnets,
          securityGroups: props.vpc.securityGroups,
          // Public subnets are all the edge VPC has; the function needs no internet, only the VPC.
          allowPublicSubnet: true,
        }
      : {}),
    environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'kubecdn', ...props.environment },
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    loggingFormat: lambda.LoggingFormat.JSON,
  };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The constants as a module esbuild injects into the bundle: each export replaces the free
 * identifier of its name, as `define` would. Not `define`: CDK hands esbuild its options on a
 * command line, and Linux refuses any one argument over 128 KiB (E2BIG), which the edge region
 * table (a megabyte) far exceeds. The module is written into the cloud assembly folder, named by
 * its content: from the bundle's folder it is always ../kubecdn-constants/<hash>.mjs, so the
 * bundle and its source map come out the same on every synth.
 */
function constantsModule(scope: Construct, constants: Record<string, string>): string[] {
  const entries = Object.entries(constants).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return [];
  const bad = entries.map(([name]) => name).filter((name) => !IDENTIFIER.test(name));
  if (bad.length > 0) throw new Error(`Lambda constants must be JavaScript identifiers: ${bad.join(', ')}`);
  const text = entries.map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};\n`).join('');
  const dir = join(Stage.of(scope)!.outdir, 'kubecdn-constants');
  const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
  }
  return [file];
}

/**
 * Packages of the SDK's default credential chain that a Lambda never reaches, each replaced in the
 * bundles by lambdas/shared/environment-credentials-only.ts (see there why and how). These four are
 * what @aws-sdk/credential-provider-node imports lazily besides the environment, container and
 * instance providers; with them go the packages only they import (@aws-sdk/nested-clients,
 * token-providers, credential-provider-login). A package added here must export only functions
 * that stub exports: esbuild fails the build on an import the stub lacks.
 */
const CREDENTIAL_PROVIDERS_NOT_BUNDLED = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
];
const ENVIRONMENT_CREDENTIALS_ONLY = join(LAMBDAS_DIR, 'shared', 'environment-credentials-only.ts');

/** The script that cuts a bundle's source map down to our own code, run after esbuild. */
export const OWN_CODE_SOURCE_MAP_SCRIPT = join(__dirname, 'own-code-source-map.js');

/**
 * How every handler is bundled; bench/lambda-bundles.ts bundles with the same settings to measure
 * what is deployed.
 * - The AWS SDK is bundled, not left to the runtime's copy: the function then runs exactly the SDK
 *   versions in package-lock.json, the ones the tests shape-check requests against, and loads
 *   faster (one file to compile instead of a few hundred to find, read and compile).
 * - `module` before `main`: the SDK's ES module builds, which esbuild can tree-shake (about a
 *   third smaller than its CommonJS builds, and quicker to load).
 * - `alias`: the credential providers a Lambda never reaches are left out (6 to 24 ms of each SDK
 *   function's cold load), see CREDENTIAL_PROVIDERS_NOT_BUNDLED.
 * - Source maps for readable stack traces (NODE_OPTIONS=--enable-source-maps), without the sources'
 *   text, and (`ownCodeSourceMap`, by lib/own-code-source-map.js after esbuild) only for our own
 *   code: Node parses the whole map as it loads the bundle, and stack traces need only the mappings
 *   of the code we read them for (the autoscaler's map went from 1.2 MB to 90 KB, 12 to 17 ms of
 *   each SDK function's cold load).
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  ownCodeSourceMap: true,
  target: 'node22',
  format: nodejs.OutputFormat.CJS,
  bundleAwsSDK: true,
  mainFields: ['module', 'main'],
  alias: Object.fromEntries(CREDENTIAL_PROVIDERS_NOT_BUNDLED.map((pkg) => [pkg, ENVIRONMENT_CREDENTIALS_ONLY])) as Readonly<
    Record<string, string>
  >,
} as const;

/** A word for bash -c, quoted whatever it holds. */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Bundles each handler with the local esbuild (no Docker), as LAMBDA_BUNDLING says. */
export const bundlingFunctionFactory: FunctionFactory = {
  create(scope, id, props) {
    const { alias, ownCodeSourceMap, mainFields, ...bundling } = LAMBDA_BUNDLING;
    return new nodejs.NodejsFunction(scope, id, {
      ...commonProps(scope, id, props),
      entry: join(LAMBDAS_DIR, props.entry),
      handler: 'handler',
      bundling: {
        ...bundling,
        mainFields: [...mainFields],
        inject: constantsModule(scope, props.constants ?? {}),
        // CDK's bundling options have no alias: esbuild's own argument, one per package.
        esbuildArgs: { '--alias': Object.entries(alias).map(([pkg, file]) => `${pkg}=${file}`) },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) =>
            bundling.sourceMap && ownCodeSourceMap
              ? [[process.execPath, OWN_CODE_SOURCE_MAP_SCRIPT, join(outputDir, 'index.js.map')].map(shellWord).join(' ')]
              : [],
        },
      },
    });
  },
};

/**
 * For stack tests: same configuration, placeholder code, nothing bundled. The constants are
 * written into the placeholder as `var <name> = "<value>";` lines, so tests read what a function
 * was given from the template (constantsOfInlineCode), as a bundle would carry it. Such code may
 * exceed what CloudFormation accepts inline (4 KB); it is never deployed.
 */
export const inlineFunctionFactory: FunctionFactory = {
  create(scope, id, props) {
    const constants = Object.entries(props.constants ?? {}).map(([name, value]) => `var ${name} = ${JSON.stringify(value)};\n`);
    return new lambda.Function(scope, id, {
      ...commonProps(scope, id, props),
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        `// stands in for lambdas/${props.entry} in stack tests\n${constants.join('')}exports.handler = async () => {};`,
      ),
    });
  },
};

/** The constants inlineFunctionFactory wrote into a function's placeholder code (its template's `Code.ZipFile`). */
export function constantsOfInlineCode(code: string): Record<string, string> {
  return Object.fromEntries(
    [...code.matchAll(/^var ([A-Za-z_$][\w$]*) = (".*");$/gm)].map(([, name, literal]) => [name!, JSON.parse(literal!) as string]),
  );
}
