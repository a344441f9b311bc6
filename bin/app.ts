/**
 * The CDK app: `cdk synth` / `cdk deploy`. Reads the config named by `-c config=<path>`
 * (default config/regions.json), and on a bad file or any other failure prints `<file>: <what>`
 * lines and exits non-zero without a stack trace (lib/synthesize-config.ts).
 */
import { App } from 'aws-cdk-lib';
import { DEFAULT_CONFIG_PATH } from '../core/config';
import { synthesizeConfigFile } from '../lib/synthesize-config';

const app = new App();
const configPath = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH);
const exitCode = synthesizeConfigFile(app, configPath, (text) => process.stderr.write(text));
if (exitCode !== 0) process.exit(exitCode);
