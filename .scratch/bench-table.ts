import { configuredRegions, loadConfigFile } from '../core/config';
import { edgeFilesConstants } from '../lambdas/region-ops/edge-files';
import { configConstants } from '../lambdas/shared/deployed-config';
import { edgeAgentSource } from '../lib/edge-agent-bundle';
import { benchEdgeRegionTable } from '../bench/edge-region-table';
import { formatLambdas, formatRegionTable } from '../bench/format';
import { REFERENCE_CONFIG, LAMBDAS_DIR } from '../bench/inputs';
import { benchLambdaBundles } from '../bench/lambda-bundles';
import { deployedLambdaEnvironment } from '../bench/lambda-environment';
(async () => {
  const { config } = loadConfigFile(REFERENCE_CONFIG);
  const t = benchEdgeRegionTable(configuredRegions(config));
  console.log(formatRegionTable(t.measurement));
  console.log(JSON.stringify(t.measurement));
  for (const withEdge of [false, true]) {
    const lambdas = await benchLambdaBundles({
      lambdasDir: LAMBDAS_DIR,
      environment: deployedLambdaEnvironment(config),
      constants: { ...configConstants(config), ...(withEdge ? edgeFilesConstants({ agentSource: edgeAgentSource(), regionTableGzip: t.gzip }) : {}) },
      loadRuns: 3,
    });
    console.log(withEdge ? 'with edge files' : 'without edge files');
    console.log(formatLambdas(lambdas));
  }
})();
