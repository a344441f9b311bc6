import {
  compiledConfigText,
  configConstants,
  CONFIG_CONSTANT,
  deployedConfig,
  DeployedConfigError,
} from '../../../lambdas/shared/deployed-config';
import { manyRegionsConfigInput, validConfig } from '../../support/configs';

describe('the config a function is deployed with', () => {
  it('round-trips through the constant the stacks compile in', () => {
    const config = validConfig();
    expect(deployedConfig(configConstants(config)[CONFIG_CONSTANT])).toEqual(config);
  });

  it('carries a config far beyond the 4 KB a Lambda environment holds: 30 regions, each with its own thresholds', () => {
    const config = validConfig((c) => Object.assign(c, manyRegionsConfigInput(30)));
    const text = configConstants(config)[CONFIG_CONSTANT]!;
    expect(Buffer.byteLength(text)).toBeGreaterThan(4096);
    expect(deployedConfig(text)).toEqual(config);
  });

  it('reads the compiled-in constant by default, which unbundled code does not have', () => {
    expect(compiledConfigText()).toBeUndefined();
    (globalThis as Record<string, unknown>)[CONFIG_CONSTANT] = configConstants(validConfig())[CONFIG_CONSTANT];
    try {
      expect(deployedConfig()).toEqual(validConfig());
    } finally {
      delete (globalThis as Record<string, unknown>)[CONFIG_CONSTANT];
    }
  });

  it('fails loudly at cold start when the constant is missing, not JSON, or not a valid config', () => {
    expect(() => deployedConfig()).toThrow(DeployedConfigError);
    expect(() => deployedConfig()).toThrow('KUBECDN_DEPLOYED_CONFIG is not compiled in');
    expect(() => deployedConfig('{not json')).toThrow('KUBECDN_DEPLOYED_CONFIG is not valid JSON');
    expect(() => deployedConfig(JSON.stringify({ homeRegion: 'us-esat-1' }))).toThrow(
      /KUBECDN_DEPLOYED_CONFIG: \$\.homeRegion: "us-esat-1" is not an AWS region code/,
    );
  });
});
