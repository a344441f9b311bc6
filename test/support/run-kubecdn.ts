/**
 * Runs the `kubecdn` command as a user does: bin/kubecdn-cli.js in its own process, with the Node.js
 * the project pins (the one running Jest). In-process tests go through Jest's module loader, which
 * resolves what plain Node.js does not (an extensionless dynamic import, for one); only a real
 * process shows the command can load every module it needs.
 *
 * AWS is never reachable: the environment holds no credentials or endpoints but the test's own,
 * and instance metadata is off. A test that talks to "AWS" passes AWS_ENDPOINT_URL to a loopback
 * server and fake credentials.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const KUBECDN_BIN = join(__dirname, '..', '..', 'bin', 'kubecdn-cli.js');

export interface KubecdnRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runKubecdn(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<KubecdnRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KUBECDN_BIN, ...args], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        ...options.env,
      },
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
