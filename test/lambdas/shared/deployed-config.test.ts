import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadConfigFile, validateConfig } from '../../../core/config';
import {
  compiledConfigDigest,
  compiledConfigText,
  configConstants,
  CONFIG_CONSTANT,
  CONFIG_DIGEST_CONSTANT,
  deployedConfig,
  DeployedConfigError,
} from '../../../lambdas/shared/deployed-config';
import { manyRegionsConfigInput, validConfig } from '../../support/configs';

const REFERENCE_CONFIG = join(__dirname, '..', '..', '..', 'config', 'examples', 'reference.json');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const deployedFrom = (constants: Record<string, string>) => deployedConfig(constants[CONFIG_CONSTANT], constants[CONFIG_DIGEST_CONSTANT]);

describe('the config a function is deployed with', () => {
  it('round-trips through the constants the stacks compile in', () => {
    const config = validConfig();
    expect(deployedFrom(configConstants(config))).toEqual(config);
  });

  it('carries a config far beyond the 4 KB a Lambda environment holds: 30 regions, each with its own thresholds', () => {
    const config = validConfig((c) => Object.assign(c, manyRegionsConfigInput(30)));
    const constants = configConstants(config);
    expect(Buffer.byteLength(constants[CONFIG_CONSTANT]!)).toBeGreaterThan(4096);
    expect(deployedFrom(constants)).toEqual(config);
  });

  it('gives, without the schema, exactly what validating the compiled-in text again would give', () => {
    const configs = [
      validConfig(),
      validConfig((c) => Object.assign(c, manyRegionsConfigInput(30))),
      loadConfigFile(REFERENCE_CONFIG).config,
    ];
    for (const config of configs) {
      const constants = configConstants(config);
      const revalidated = validateConfig(JSON.parse(constants[CONFIG_CONSTANT]!));
      expect(revalidated.ok).toBe(true);
      expect(deployedFrom(constants)).toStrictEqual(revalidated.ok && revalidated.config);
    }
  });

  it('reads the compiled-in constants by default, which unbundled code does not have', () => {
    expect(compiledConfigText()).toBeUndefined();
    expect(compiledConfigDigest()).toBeUndefined();
    Object.assign(globalThis as Record<string, unknown>, configConstants(validConfig()));
    try {
      expect(deployedConfig()).toEqual(validConfig());
    } finally {
      delete (globalThis as Record<string, unknown>)[CONFIG_CONSTANT];
      delete (globalThis as Record<string, unknown>)[CONFIG_DIGEST_CONSTANT];
    }
  });

  it('fails loudly at cold start when the constant is missing or not JSON', () => {
    expect(() => deployedConfig()).toThrow(DeployedConfigError);
    expect(() => deployedConfig()).toThrow('KUBECDN_DEPLOYED_CONFIG is not compiled in');
    expect(() => deployedConfig('{not json', sha256('{not json'))).toThrow('KUBECDN_DEPLOYED_CONFIG is not valid JSON');
  });

  it('refuses a config that cannot be shown to be the one validated at synth: no digest, or one that does not match', () => {
    const constants = configConstants(validConfig());
    const edited = constants[CONFIG_CONSTANT]!.replace('"scaleDownRequestsPerMinute":', '"scaleDownRequestsPerMinute":9');
    expect(edited).not.toBe(constants[CONFIG_CONSTANT]);
    expect(() => deployedConfig(edited, constants[CONFIG_DIGEST_CONSTANT])).toThrow(
      /KUBECDN_DEPLOYED_CONFIG is not the config validated at synth \(its SHA-256 differs from KUBECDN_DEPLOYED_CONFIG_SHA256\)/,
    );
    expect(() => deployedConfig(constants[CONFIG_CONSTANT])).toThrow(/KUBECDN_DEPLOYED_CONFIG_SHA256 is not compiled in/);
  });

  it('validates in full, naming the field, when the caller passes the validator and the digest does not vouch for the text', () => {
    expect(() => deployedConfig(JSON.stringify({ homeRegion: 'us-esat-1' }), undefined, validateConfig)).toThrow(
      /KUBECDN_DEPLOYED_CONFIG: \$\.homeRegion: "us-esat-1" is not an AWS region code/,
    );
    const config = validConfig();
    expect(deployedConfig(JSON.stringify(config), 'not the digest', validateConfig)).toEqual(config);
  });
});
