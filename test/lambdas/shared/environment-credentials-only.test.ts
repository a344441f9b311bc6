/**
 * The credential providers a Lambda never reaches are bundled as lambdas/shared/environment-credentials-only.ts
 * (LAMBDA_BUNDLING's alias). Checked through a bundle made with the deployed esbuild options: the
 * SDK's default chain as it runs in a function, and each stubbed package's export called directly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../../../bench/lambda-bundles';
import { REPO_ROOT } from '../../../bench/inputs';

// Prints, as JSON: what each stubbed export's provider rejects with, and what the default chain
// answers and logs at debug level with the environment the child was given.
const PROBE = `
import { fromSSO } from '@aws-sdk/credential-provider-sso';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { fromProcess } from '@aws-sdk/credential-provider-process';
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
const failure = (error) => ({ name: error.name, message: error.message, tryNextLink: error.tryNextLink });
(async () => {
  const stubs = {};
  for (const [name, from] of Object.entries({ fromSSO, fromIni, fromProcess, fromTokenFile })) {
    stubs[name] = await from({})().then(() => 'answered', failure);
  }
  const debug = [];
  const logger = { debug: (message) => debug.push(String(message)), info() {}, warn() {}, error() {} };
  const chain = await defaultProvider({ logger })().then((c) => ({ accessKeyId: c.accessKeyId }), failure);
  process.stdout.write(JSON.stringify({ stubs, chain, debug }));
})();
`;

interface ProbeResult {
  readonly stubs: Record<string, { name: string; message: string; tryNextLink: boolean } | 'answered'>;
  readonly chain: { accessKeyId?: string; message?: string };
  readonly debug: string[];
}

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubecdn-credentials-'));
  bundle = join(dir, 'probe.js');
  const { entryPoints: _entry, ...options } = lambdaBuildOptions('unused');
  const result = await build({
    ...options,
    stdin: { contents: PROBE, resolveDir: REPO_ROOT, sourcefile: 'probe.mjs', loader: 'js' },
    sourcemap: false,
    write: false,
  });
  writeFileSync(bundle, result.outputFiles[0]!.text);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function probe(environment: Record<string, string>): ProbeResult {
  const run = spawnSync(process.execPath, [bundle], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...environment } });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as ProbeResult;
}

// As a Lambda has none of these, and so that nothing in the test reaches the network.
const NO_REMOTE = { AWS_EC2_METADATA_DISABLED: 'true' };

describe('the credential providers a Lambda never reaches', () => {
  it('fail as providers that cannot answer, so the chain moves on, saying the Lambdas take credentials from the environment', () => {
    const { stubs } = probe(NO_REMOTE);
    expect(Object.keys(stubs)).toEqual(['fromSSO', 'fromIni', 'fromProcess', 'fromTokenFile']);
    for (const failure of Object.values(stubs)) {
      expect(failure).toEqual({
        name: 'CredentialsProviderError',
        message: expect.stringContaining(
          "is not bundled: kubecdn's Lambdas take their credentials from the environment (AWS_ACCESS_KEY_ID",
        ),
        tryNextLink: true,
      });
    }
  });

  it('leave the default chain answering from the environment, as in Lambda', () => {
    const { chain } = probe({
      ...NO_REMOTE,
      AWS_ACCESS_KEY_ID: 'AKIDFROMENVIRONMENT',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    expect(chain).toEqual({ accessKeyId: 'AKIDFROMENVIRONMENT' });
  });

  it('are stepped over by the default chain, which goes on to the container and instance providers', () => {
    // A profile makes the chain skip the environment and try the shared files, then process, web identity.
    const { chain, debug } = probe({ ...NO_REMOTE, AWS_PROFILE: 'operator' });
    const stubbed = debug.filter((line) => line.includes('is not bundled'));
    expect(stubbed.map((line) => line.match(/\((from\w+)\)/)?.[1])).toEqual(['fromIni', 'fromProcess', 'fromTokenFile']);
    expect(debug.some((line) => line.includes('EC2 Instance Metadata Service access disabled'))).toBe(true);
    expect(chain.message).toBe('Could not load credentials from any providers');
  });
});
