import {
  CONFIG_VARIABLE,
  configVariableValue,
  deployedConfig,
  DeployedConfigError,
  MAX_CONFIG_VARIABLE_BYTES,
} from '../../../lambdas/shared/deployed-config';
import { validConfig } from '../../support/configs';

describe('the config a function is deployed with', () => {
  it('round-trips through the environment variable the stacks write', () => {
    const config = validConfig();
    expect(deployedConfig({ [CONFIG_VARIABLE]: configVariableValue(config) })).toEqual(config);
  });

  it('refuses at synth a config too large for a Lambda environment', () => {
    const config = validConfig((c) => {
      c.notifications = { emails: Array.from({ length: 120 }, (_, i) => `operator-${i}@example.com`) };
    });
    expect(() => configVariableValue(config)).toThrow(new RegExp(`holds at most ${MAX_CONFIG_VARIABLE_BYTES}`));
  });

  it('fails loudly at cold start when the variable is missing, not JSON, or not a valid config', () => {
    expect(() => deployedConfig({})).toThrow(DeployedConfigError);
    expect(() => deployedConfig({})).toThrow('KUBECDN_CONFIG is not set');
    expect(() => deployedConfig({ [CONFIG_VARIABLE]: '{not json' })).toThrow('KUBECDN_CONFIG is not valid JSON');
    expect(() => deployedConfig({ [CONFIG_VARIABLE]: JSON.stringify({ homeRegion: 'us-esat-1' }) })).toThrow(
      /KUBECDN_CONFIG: \$\.homeRegion: "us-esat-1" is not an AWS region code/,
    );
  });
});
