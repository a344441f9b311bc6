/**
 * The CDK app: `cdk synth` / `cdk deploy`. Reads the config named by `-c config=<path>`
 * (default config/regions.json), and on a bad file prints each problem and exits non-zero
 * without a stack trace, before anything is synthesized.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfigFile } from '../core/config';
import { addKubeCdnStacks } from '../lib/kubecdn-app';
import { WorkloadManifestError } from '../lib/region-workflows-manifests';

const app = new App();
const configPath = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH);
try {
  const { config, manifestsDir } = loadConfigFile(configPath);
  addKubeCdnStacks(app, config, { manifestsDir });
} catch (error) {
  if (error instanceof WorkloadManifestError) {
    process.stderr.write(`${error.message}\n${error.problems.length} problem(s) in the workload manifests; nothing was synthesized.\n`);
    process.exit(1);
  }
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n${error.problems.length} problem(s) in ${configPath}; nothing was synthesized.\n`);
  process.exit(1);
}
