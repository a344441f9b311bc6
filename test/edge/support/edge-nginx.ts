/**
 * Runs the edge's real nginx.conf in a real nginx. The config is rendered exactly as a region gets
 * it (the repository's config/workload manifests, workloadPlaceholders, renderManifests); then
 * `forTestMachine` changes only what cannot be the same on a test machine, each change listed
 * there. nginx runs as a child process under a prefix directory of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeCdnConfig } from '../../../core/config';
import { CONFIG_NAME_LABEL, renderManifests } from '../../../lambdas/region-ops/kubernetes-manifests';
import { workloadPlaceholders } from '../../../lambdas/region-ops/workload-placeholders';
import { loadWorkloadManifests } from '../../../lib/region-workflows-manifests';

export const NGINX = '/usr/sbin/nginx';
const INSTALL = 'apt-get install -y nginx libnginx-mod-http-js';
/** Where Debian's nginx (and the official image) keep dynamic modules; nginx.conf loads modules/ngx_http_js_module.so from its prefix. */
const MODULES_DIRS = ['/usr/lib/nginx/modules', '/usr/share/nginx/modules', '/etc/nginx/modules'];
const WORKLOAD_DIR = join(__dirname, '..', '..', '..', 'config', 'workload');
/** The region a test edge says it is in (X-Edge-Region, the health answer). */
export const TEST_REGION = 'eu-west-1';
/** The VPC a test edge trusts PROXY protocol headers from: loopback, where the test's "load balancer" (the test itself) connects from. */
export const TEST_VPC_CIDR = '127.0.0.0/8';

/**
 * The pod's fixed ports, which the test machine may have in use: each gets a free port instead.
 * 5140 is the metrics agent's UDP syslog port, where nginx sends its access log (a test that runs
 * the agent starts it on the edge's port 5140; without one the datagrams go nowhere, as UDP does).
 */
const POD_PORTS = [8080, 8081, 8082, 8083, 5140] as const;
export type PodPort = (typeof POD_PORTS)[number];

/** Fails (never skips) when nginx or its njs module is missing, saying how to install them. */
export function requireNginx(): void {
  if (!existsSync(NGINX)) throw new Error(`nginx is not installed (${NGINX} is missing); install it with: ${INSTALL}`);
  if (!modulesDir()) throw new Error(`the nginx njs module is not installed (ngx_http_js_module.so); install it with: ${INSTALL}`);
}

function modulesDir(): string | undefined {
  return MODULES_DIRS.find((dir) => existsSync(join(dir, 'ngx_http_js_module.so')));
}

/** nginx.conf and edge.js as the region's edge-nginx ConfigMap holds them. */
export function renderEdgeFiles(config: KubeCdnConfig, vpcCidr = TEST_VPC_CIDR): { nginxConf: string; edgeJs: string } {
  const rendered = renderManifests(
    loadWorkloadManifests(WORKLOAD_DIR),
    workloadPlaceholders(config, TEST_REGION, { certificateArn: '', vpcCidr }),
    ['app.kubernetes.io/part-of', config.name],
  );
  const configMap = rendered.find((m) => m.kind === 'ConfigMap' && m.metadata.labels?.[CONFIG_NAME_LABEL] === 'edge-nginx');
  const data = configMap?.data as Record<string, string> | undefined;
  if (!data?.['nginx.conf'] || !data['edge.js']) throw new Error('config/workload has no edge-nginx ConfigMap with nginx.conf and edge.js');
  const left = /\{\{[A-Z0-9_]+\}\}/.exec(data['nginx.conf'] + data['edge.js']);
  if (left) throw new Error(`placeholder ${left[0]} has no value`);
  return { nginxConf: data['nginx.conf'], edgeJs: data['edge.js'] };
}

/** What a test puts in place of the pod's surroundings beside ports and paths. */
export interface TestSurroundings {
  /** `<address>:<port>` of the DNS server the origin hop asks instead of the VPC's (test/edge/support/test-dns.ts). */
  readonly dnsServer?: string;
  /** The CA bundle the origin hop trusts instead of the image's system bundle. */
  readonly caBundle?: string;
}

const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * The only changes to the region's nginx.conf: the pod's absolute paths (/tmp, the cache volume)
 * move under the test's prefix directory, the pod's fixed ports become free ones, and one worker
 * instead of one per core; when the test says so, the origin hop asks the test's DNS server and
 * trusts the test's CA bundle. Each must match, so a renamed path, port or directive fails here,
 * loudly.
 */
export function forTestMachine(
  nginxConf: string,
  prefix: string,
  ports: Readonly<Record<PodPort, number>>,
  surroundings: TestSurroundings = {},
): string {
  const replace = (text: string, pattern: RegExp, by: (match: string) => string, what: string) => {
    if (!pattern.test(text)) throw new Error(`nginx.conf no longer has ${what}; update test/edge/support/edge-nginx.ts`);
    return text.replace(pattern, by);
  };
  let conf = nginxConf;
  // Ports first: the prefix path must not be mistaken for one.
  conf = replace(conf, /\b(8080|8081|8082|8083)\b/g, (port) => String(ports[Number(port) as PodPort]), 'the pod ports');
  conf = replace(
    conf,
    /(?<=syslog:server=127\.0\.0\.1:)5140(?=,)/g,
    () => String(ports[5140]),
    "the access log's syslog:server=127.0.0.1:5140 (the metrics agent)",
  );
  conf = replace(conf, /(?<=\s)\/tmp\//g, () => `${prefix}/tmp/`, '/tmp/ paths');
  conf = replace(conf, /\/var\/cache\/nginx\//g, () => `${prefix}/cache/`, 'the cache path /var/cache/nginx/');
  conf = replace(conf, /^(\s*)worker_processes auto;/m, () => 'worker_processes 1;', 'worker_processes auto');
  conf = replace(
    conf,
    /(?<=^\s*resolver )[0-9.]+(?= )/m,
    (address) => surroundings.dnsServer ?? address,
    "the origin hop's resolver <address> (the VPC's DNS server)",
  );
  conf = replace(
    conf,
    new RegExp(`(?<=^\\s*proxy_ssl_trusted_certificate )${SYSTEM_CA_BUNDLE}(?=;)`, 'm'),
    (bundle) => surroundings.caBundle ?? bundle,
    `proxy_ssl_trusted_certificate ${SYSTEM_CA_BUNDLE}`,
  );
  return conf;
}

/** Every nginx this process started and has not stopped: killed if the test process exits first (a crash, a timeout). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM'); // the master stops its workers
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Writes a runnable prefix directory: nginx.conf, edge.js, modules/, tmp/ and cache/. */
function preparePrefix(config: KubeCdnConfig, ports: Record<PodPort, number>, options: EdgeOptions = {}): string {
  requireNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'kubecdn-edge-'));
  // Workers run as an unprivileged user when the test runs as root (CI): they must reach the prefix.
  chmodSync(prefix, 0o755);
  mkdirSync(join(prefix, 'tmp'));
  mkdirSync(join(prefix, 'cache'));
  symlinkSync(modulesDir()!, join(prefix, 'modules'));
  const { nginxConf, edgeJs } = renderEdgeFiles(config, options.vpcCidr);
  writeFileSync(join(prefix, 'nginx.conf'), forTestMachine(nginxConf, prefix, ports, options));
  writeFileSync(join(prefix, 'edge.js'), edgeJs);
  return prefix;
}

/** `nginx -t` on the rendered config: the result and nginx's own words. */
export async function checkEdgeConfig(config: KubeCdnConfig): Promise<{ ok: boolean; output: string }> {
  const ports = { 8080: 18080, 8081: 18081, 8082: 18082, 8083: 18083, 5140: 15140 }; // never bound by -t
  const prefix = preparePrefix(config, ports);
  try {
    // Files, not pipes: nginx.conf logs to /dev/stderr, which cannot reopen Node's pipes (sockets).
    const outputFile = join(prefix, 'output.log');
    const fd = openSync(outputFile, 'a');
    const child = spawn(NGINX, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const status = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    return { ok: status === 0, output: readFileSync(outputFile, 'utf8') };
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

export interface RunningEdge {
  readonly ports: Readonly<Record<PodPort, number>>;
  readonly prefix: string;
  /** nginx's error log so far (stderr). */
  errorLog(): string;
  /** The first access log line (nginx writes it to stdout) matching `pattern`, once written (nginx logs after answering); fails after 5 s. */
  logLine(pattern: RegExp): Promise<string>;
  /** Every access log line written so far, as nginx wrote it (nginx logs a request after answering it: wait with logLine first). */
  accessLog(): string[];
  /** The KEY line of every file in the cache. */
  cacheKeys(): string[];
  stop(): Promise<void>;
}

export interface EdgeOptions extends TestSurroundings {
  /** The VPC the edge trusts PROXY protocol headers from (TEST_VPC_CIDR when not given). */
  readonly vpcCidr?: string;
}

/** Starts nginx with the region's config (origin and VPC as given) and waits until it answers the health port. */
export async function startEdge(config: KubeCdnConfig, options: EdgeOptions = {}): Promise<RunningEdge> {
  // Free TCP ports; 5140's is used for UDP, free there too but for a one-in-a-million race.
  const ports = Object.fromEntries(await Promise.all(POD_PORTS.map(async (p) => [p, await freePort()]))) as Record<PodPort, number>;
  const prefix = preparePrefix(config, ports, options);
  // nginx logs to /dev/stdout and /dev/stderr as in the pod. Node's pipes are sockets, which
  // /dev/stdout cannot reopen, so they are files here.
  const [stdoutFile, stderrFile] = [join(prefix, 'stdout.log'), join(prefix, 'stderr.log')];
  const [stdoutFd, stderrFd] = [openSync(stdoutFile, 'a'), openSync(stderrFile, 'a')];
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', stdoutFd, stderrFd],
  });
  running.add(child);
  closeSync(stdoutFd);
  closeSync(stderrFd);
  const stderr = () => readFileSync(stderrFile, 'utf8');
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitForHealth(child, ports[8082], stderr, config.workload.healthCheckPath);
  } catch (error) {
    await stop();
    throw error;
  }
  const accessLog = () =>
    readFileSync(stdoutFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  return {
    ports,
    prefix,
    errorLog: stderr,
    accessLog,
    logLine: async (pattern) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const line = accessLog().find((l) => pattern.test(l));
        if (line !== undefined) return line;
        if (Date.now() > deadline) throw new Error(`no access log line matched ${pattern}:\n${readFileSync(stdoutFile, 'utf8')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    cacheKeys: () => cacheKeys(join(prefix, 'cache', 'edge')),
    stop,
  };
}

async function waitForHealth(child: ChildProcess, port: number, stderr: () => string, path: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr()}`);
    const ok = await fetch(`http://127.0.0.1:${port}${path}`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nginx did not answer ${path} on port ${port} within 10 s: ${stderr()}`);
}

function cacheKeys(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const keys: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const text = readFileSync(join(entry.parentPath, entry.name)).toString('latin1');
    const key = /\nKEY: ([^\n]*)\n/.exec(text);
    if (key) keys.push(key[1]!);
  }
  return keys.sort();
}
