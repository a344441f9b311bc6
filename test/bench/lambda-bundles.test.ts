import { mkdtempSync, rmSync } from 'node:fs';
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

  it('bundles a handler as deployed and reports a positive minified size', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'kubecdn-bench-test-'));
    try {
      const handler = listLambdaHandlers(LAMBDAS_DIR).find((h) => h.name === 'demand-route53')!;
      const bundle = await bundleLambda(handler, outDir);
      expect(bundle.entry).toBe('lambdas/demand-route53/handler.ts');
      expect(bundle.bundleBytes).toBeGreaterThan(1000);
      expect(bundle.sourceMapBytes).toBeGreaterThan(0);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
