/**
 * What `cdk synth` / `cdk deploy` do with a config file (bin/app.ts runs it): validate it, build
 * every stack and synthesize them. Whatever goes wrong is reported as `<file>: <what>` lines and
 * an exit code, never a stack trace: an operator acts on the file, not on our call stack.
 */
import type { App } from 'aws-cdk-lib';
import { ConfigError, loadConfigFile } from '../core/config';
import { addKubeCdnStacks } from './kubecdn-app';
import { WorkloadManifestError } from './region-workflows-manifests';

/** Returns the exit code: 0 when the cloud assembly was written, 1 when nothing was. */
export function synthesizeConfigFile(
  app: App,
  configPath: string,
  writeError: (text: string) => void,
  addStacks: typeof addKubeCdnStacks = addKubeCdnStacks,
): number {
  try {
    const { config, manifestsDir } = loadConfigFile(configPath);
    addStacks(app, config, { manifestsDir });
    app.synth();
    return 0;
  } catch (error) {
    if (error instanceof WorkloadManifestError) {
      writeError(`${error.message}\n${error.problems.length} problem(s) in the workload manifests; nothing was synthesized.\n`);
    } else if (error instanceof ConfigError) {
      writeError(`${error.message}\n${error.problems.length} problem(s) in ${configPath}; nothing was synthesized.\n`);
    } else {
      // Not a rule the config broke, yet still about this deployment (a limit of AWS or of the CDK):
      // one line, naming the file.
      const what = error instanceof Error ? error.message : String(error);
      writeError(`${configPath}: ${what.replace(/\s*\n\s*/g, ' ').trim()}; nothing was synthesized.\n`);
    }
    return 1;
  }
}
