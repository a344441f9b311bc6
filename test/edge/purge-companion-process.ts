/**
 * The purge companion as a region runs it: the script is taken from the repository's workload
 * manifests rendered the way the workflow renders them (the Deployment's `purge` container →
 * the volume under its script path → the content-named ConfigMap), and run as a Node.js child
 * process. Its JSON log lines are collected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, posix } from 'node:path';
import { loadWorkloadManifests } from '../../lib/region-workflows-manifests';
import { renderManifests, type KubernetesManifest } from '../../lambdas/region-ops/kubernetes-manifests';
import { PART_OF_LABEL } from '../../lambdas/region-ops/names';
import { workloadPlaceholders } from '../../lambdas/region-ops/workload-placeholders';
import { validConfig } from '../support/configs';
import type { PolicyRule } from './fake-kubernetes-api';

export const WORKLOAD_DIR = join(__dirname, '..', '..', 'config', 'workload');

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; configMap?: { name: string }; emptyDir?: object; projected?: { sources: Record<string, unknown>[] } }[];
}

/** The workload manifests as the workflow applies them in one region. */
export function renderedEdgeManifests(): KubernetesManifest[] {
  const config = validConfig();
  const values = workloadPlaceholders(config, 'eu-west-1', {
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
    vpcCidr: '10.64.0.0/16',
  });
  return renderManifests(loadWorkloadManifests(WORKLOAD_DIR), values, [PART_OF_LABEL, config.name]);
}

export function edgePod(manifests: readonly KubernetesManifest[]): PodSpec {
  const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'edge-nginx');
  if (!deployment) throw new Error('no Deployment edge-nginx in the workload manifests');
  return (deployment.spec as { template: { spec: PodSpec } }).template.spec;
}

export interface PurgeCompanionWiring {
  readonly script: string;
  /** The rules of the Role bound to the pod's ServiceAccount. */
  readonly rules: PolicyRule[];
  readonly namespace: string;
}

/** The script the `purge` container runs, and what its ServiceAccount may do, read from rendered manifests. */
export function purgeCompanionWiring(manifests: readonly KubernetesManifest[]): PurgeCompanionWiring {
  const pod = edgePod(manifests);
  const container = pod.containers.find((c) => c.name === 'purge');
  if (!container) throw new Error('the edge pod has no container "purge"');
  const scriptPath = [...(container.command ?? []), ...(container.args ?? [])].find((arg) => arg.endsWith('.mjs'));
  if (!scriptPath) throw new Error('the purge container runs no .mjs script');
  const mount = container.volumeMounts?.find((m) => posix.dirname(scriptPath) === m.mountPath);
  if (!mount) throw new Error(`no volume is mounted at ${posix.dirname(scriptPath)}`);
  const volume = pod.volumes.find((v) => v.name === mount.name);
  const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === volume?.configMap?.name);
  const script = (configMap?.data as Record<string, string> | undefined)?.[posix.basename(scriptPath)];
  if (script === undefined) throw new Error(`volume ${mount.name} holds no ${posix.basename(scriptPath)}`);

  const namespace = configMap!.metadata.namespace!;
  const binding = manifests.find(
    (m) =>
      m.kind === 'RoleBinding' &&
      m.metadata.namespace === namespace &&
      (m.subjects as { kind: string; name: string }[]).some((s) => s.kind === 'ServiceAccount' && s.name === pod.serviceAccountName),
  );
  const roleName = (binding?.roleRef as { kind: string; name: string } | undefined)?.name;
  const role = manifests.find((m) => m.kind === 'Role' && m.metadata.name === roleName && m.metadata.namespace === namespace);
  if (!role) throw new Error(`no Role bound to ServiceAccount ${pod.serviceAccountName} in ${namespace}`);
  return { script, rules: role.rules as PolicyRule[], namespace };
}

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface RunningCompanion {
  /** Every line written to stdout and stderr, parsed (a line that is not JSON fails the parse). */
  readonly logs: LogLine[];
  readonly process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | string>;
}

export function startPurgeCompanion(scriptFile: string, env: Record<string, string>): RunningCompanion {
  const child = spawn(process.execPath, [scriptFile], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const collect = (stream: NodeJS.ReadableStream) => {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line) as LogLine);
        } catch {
          logs.push({ level: 'not-json', msg: line });
        }
      }
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    logs,
    process: child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs` describing what it waited for. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
