/**
 * What every handler loads at a cold start. The full zod library (its `classic` API, about 440
 * KB with every locale's messages) once slipped into the autoscaler through an import of the
 * core/config barrel and made its cold load about half again as slow; region-changes and
 * region-ops (the latter with the whole config schema) loaded it too, for about 60 and 90 ms of
 * their cold loads. zod/mini is what every handler validates with, and the config compiled into
 * a function is taken on its digest (lambdas/shared/deployed-config.ts), not validated again.
 */
import { build } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

async function bundledInputs(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, 'lambdas', handler, 'handler.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  return Object.keys(result.metafile.inputs);
}

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
});
