/**
 * Runs before every test file: tests must never use real credentials or reach AWS.
 * AWS clients get fake static credentials and a region, and any socket to a non-loopback
 * address fails at once with an error that names the host, so an unmocked call is a loud,
 * fast failure rather than a hang or a bill.
 */
import net from 'node:net';

process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKEFORTESTS0000';
process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret-for-tests';
process.env.AWS_SESSION_TOKEN = 'fake-session-token';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_DEFAULT_REGION = 'us-east-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
process.env.AWS_CONFIG_FILE = '/dev/null';
process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';

export class NetworkBlockedError extends Error {
  constructor(target: string) {
    super(`network access is blocked in tests (tried to reach ${target}); mock the AWS client instead`);
    this.name = 'NetworkBlockedError';
  }
}

function isLoopback(host: string | undefined): boolean {
  if (!host) return true; // no host: a local IPC path or localhost default
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '[::1]';
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function blockedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; port?: number; path?: string } | number | string | undefined;
  let host: string | undefined;
  let port: unknown;
  if (typeof first === 'object' && first !== null) {
    host = first.path ? undefined : (first.host ?? 'localhost');
    port = first.port;
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
    port = first;
  }
  if (!isLoopback(host)) {
    const error = new NetworkBlockedError(`${host}:${String(port)}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
