/**
 * The `kubecdn` command as a user runs it: bin/kubecdn-cli.js in its own process, with the Node.js
 * the project pins (the one running Jest). In-process tests go through Jest's module loader, which
 * resolves what plain Node.js does not (an extensionless dynamic import, for one); only a real
 * process shows the command can load every module it needs.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { minimalConfigInput, writeConfigFile } from '../support/configs';

const BIN = join(__dirname, '..', '..', 'bin', 'kubecdn-cli.js');

function runKubecdn(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      // No credentials or endpoints from the machine: only what the test gives.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_EC2_METADATA_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the kubecdn binary', () => {
  it('loads the AWS reader for trace from-cloudwatch and reaches CloudWatch (here a local stand-in that refuses)', async () => {
    const requests: IncomingMessage[] = [];
    const server = createServer((request, response) => {
      requests.push(request);
      request.resume();
      response.writeHead(403, { 'content-type': 'text/plain' }).end('denied by the test');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const config = writeConfigFile(minimalConfigInput());
      const result = await runKubecdn(['trace', 'from-cloudwatch', '--config', config, '--days', '1', '--out', '-'], {
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
        AWS_MAX_ATTEMPTS: '1',
      });
      expect(result.stderr).not.toMatch(/Cannot find module/);
      expect(result.stderr).toMatch(/cannot read the demand metric in us-east-1/);
      expect(result.code).toBe(1);
      expect(requests.length).toBeGreaterThanOrEqual(1);
    } finally {
      server.close();
    }
  }, 60_000);
});
