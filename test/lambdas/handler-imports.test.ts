/**
 * What every handler loads at a cold start. The full zod library (its `classic` API, about 440
 * KB with every locale's messages) once slipped into the autoscaler through an import of the
 * core/config barrel and made its cold load about half again as slow; region-changes and
 * region-ops (the latter with the whole config schema) loaded it too, for about 60 and 90 ms of
 * their cold loads. zod/mini is what every handler validates with, and the config compiled into
 * a function is taken on its digest (lambdas/shared/deployed-config.ts), not validated again.
 *
 * The SDK's credential providers a Lambda never reaches (SSO, shared files, credential_process, web
 * identity, and the nested clients they load) are left out for about 12-19 ms of each SDK
 * function's cold load; the ones the chain does use in Lambda stay.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { lambdaBuildOptions } from '../../bench/lambda-bundles';

const ROOT = join(__dirname, '..', '..');

const inputsByHandler = new Map<string, Promise<string[]>>();

/** The files esbuild puts in a handler's bundle with the deployed options (bench/lambda-bundles.ts, from LAMBDA_BUNDLING); built once per handler. */
function bundledInputs(handler: string): Promise<string[]> {
  if (!inputsByHandler.has(handler)) inputsByHandler.set(handler, buildInputs(handler));
  return inputsByHandler.get(handler)!;
}

async function buildInputs(handler: string): Promise<string[]> {
  const result = await build({
    ...lambdaBuildOptions(join(ROOT, 'lambdas', handler, 'handler.ts')),
    sourcemap: false,
    write: false,
    metafile: true,
  });
  return Object.keys(result.metafile.inputs);
}

/** The packages (`@scope/name`) a bundle takes files from. */
function packagesOf(inputs: readonly string[]): Set<string> {
  return new Set(inputs.map((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]).filter((name) => name !== undefined));
}

const SDK_HANDLERS = ['autoscaler', 'demand-route53', 'region-changes', 'region-ops'];

describe('cold-start imports', () => {
  it.each(['autoscaler', 'demand-route53', 'kubernetes-api-relay', 'region-changes', 'region-ops'])(
    '%s bundles zod/mini and neither the full zod nor the config schema',
    async (handler) => {
      const inputs = await bundledInputs(handler);
      expect(inputs.filter((input) => input.includes('node_modules/zod/v4/classic/'))).toEqual([]);
      expect(inputs.filter((input) => input === 'core/config/schema.ts' || input === 'core/config/validate.ts')).toEqual([]);
      expect(inputs.some((input) => input.includes('node_modules/zod/v4/mini/'))).toBe(true);
    },
  );

  it.each(SDK_HANDLERS)('%s leaves out the credential providers a Lambda never reaches and keeps those it uses', async (handler) => {
    const packages = packagesOf(await bundledInputs(handler));
    const neverReached = [
      '@aws-sdk/credential-provider-sso',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-process',
      '@aws-sdk/credential-provider-web-identity',
      '@aws-sdk/credential-provider-login',
      '@aws-sdk/token-providers',
      '@aws-sdk/nested-clients',
    ];
    expect(neverReached.filter((name) => packages.has(name))).toEqual([]);
    // The environment (what Lambda sets) first; the container and instance metadata behind it.
    expect(
      ['@aws-sdk/credential-provider-env', '@aws-sdk/credential-provider-http', '@smithy/credential-provider-imds'].filter(
        (name) => !packages.has(name),
      ),
    ).toEqual([]);
  });
});
