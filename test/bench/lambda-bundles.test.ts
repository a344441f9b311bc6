import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAMBDAS_DIR } from '../../bench/inputs';
import { bundleLambda, listLambdaHandlers } from '../../bench/lambda-bundles';

describe('Lambda bundle benchmark', () => {
  it('finds every lambdas/<name>/handler.ts by listing, and skips folders without one', () => {
    const names = listLambdaHandlers(LAMBDAS_DIR).map((h) => h.name);
    expect(names).toEqual(expect.arrayContaining(['autoscaler', 'demand-route53', 'region-ops']));
    expect(names).not.toContain('shared');
  });

  it('bundles a handler as deployed, its source map cut down to our code, and reports a positive minified size', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'kubecdn-bench-test-'));
    try {
      const handler = listLambdaHandlers(LAMBDAS_DIR).find((h) => h.name === 'demand-route53')!;
      const bundle = await bundleLambda(handler, outDir);
      expect(bundle.entry).toBe('lambdas/demand-route53/handler.ts');
      expect(bundle.bundleBytes).toBeGreaterThan(1000);
      expect(bundle.sourceMapBytes).toBeGreaterThan(0);
      const { sources } = JSON.parse(readFileSync(join(outDir, 'demand-route53', 'index.js.map'), 'utf8')) as { sources: string[] };
      expect(sources.filter((source) => source.includes('node_modules'))).toEqual([]);
      expect(sources.some((source) => source.endsWith('lambdas/demand-route53/handler.ts'))).toBe(true);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
