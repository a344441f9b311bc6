/**
 * What the handlers that run on a schedule or per request load at a cold start. The full zod
 * library (its `classic` API, about 440 KB) once slipped into the autoscaler through an import of
 * the core/config barrel and made its cold load about half again as slow; zod/mini is what these
 * handlers validate with. region-ops and region-changes run a few times a day and may use it.
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
  it.each(['autoscaler', 'demand-route53', 'kubernetes-api-relay'])('%s bundles zod/mini and not the full zod', async (handler) => {
    const inputs = await bundledInputs(handler);
    expect(inputs.filter((input) => input.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    expect(inputs.some((input) => input.includes('node_modules/zod/v4/mini/'))).toBe(true);
  });
});
