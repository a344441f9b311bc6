import { join } from 'node:path';
import { ConfigError, loadConfigFile } from '../../../core/config';
import { minimalConfigInput, writeConfigFile } from '../../support/configs';

function loadError(file: string): ConfigError {
  try {
    loadConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfigFile to fail');
}

describe('loading a config file', () => {
  it('returns the validated config and the manifests folder resolved beside the file', () => {
    const file = writeConfigFile(minimalConfigInput());
    const loaded = loadConfigFile(file);
    expect(loaded.config.alwaysOn).toEqual(['us-east-1']);
    expect(loaded.manifestsDir).toBe(join(file, '..', 'workload'));
  });

  it('says so when the file does not exist', () => {
    const error = loadError('/nonexistent/regions.json');
    expect(error.message).toBe('/nonexistent/regions.json: $: cannot read the config file: no such file');
  });

  it('reports invalid JSON with where the parser stopped', () => {
    const file = writeConfigFile('{ "homeRegion": "us-east-1", }');
    expect(loadError(file).message).toMatch(new RegExp(`^${file}: \\$: not valid JSON: .*position`));
  });

  it('prints each problem on its own line as <file>: <json path>: <message>', () => {
    const file = writeConfigFile({ ...minimalConfigInput(), homeRegion: 'us-esat-1', alwaysOn: [] });
    const lines = loadError(file).message.split('\n');
    expect(lines).toEqual([
      `${file}: $.homeRegion: "us-esat-1" is not an AWS region code; did you mean "us-east-1"?`,
      `${file}: $.alwaysOn: expected at least one always-on region: the CDN needs somewhere to serve from`,
    ]);
  });

  it('rejects a manifests folder that does not exist', () => {
    const file = writeConfigFile(minimalConfigInput(), { withWorkloadDir: false });
    const error = loadError(file);
    expect(error.problems).toEqual([{ path: '$.workload.manifestsDir', message: expect.stringMatching(/does not exist/) }]);
  });
});
