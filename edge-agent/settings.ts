/**
 * The agent's settings, from its container's environment (config/workload/30-deployment.yaml sets
 * them). Checked once at start: a wrong value stops the agent with a message naming the variable,
 * rather than publishing metrics under a wrong name.
 */

export interface AgentSettings {
  /** The project (config `name`): the Project dimension of every metric. */
  readonly project: string;
  /** The region this pod runs in: the EdgeRegion dimension, and the first part of the log stream's name. */
  readonly edgeRegion: string;
  /** Where metrics and access logs go: the home region, where the autoscaler reads them. */
  readonly metricsRegion: string;
  readonly logGroup: string;
  /** The share of access-log lines shipped, 0 to 1. */
  readonly sampleRate: number;
  readonly podName: string;
  /** The UDP port on 127.0.0.1 nginx sends its syslog access log to. */
  readonly syslogPort: number;
  /** Where the projected region table ConfigMaps appear (part-<i>, sha256, parts). */
  readonly regionTableDir: string;
  /** How long after a minute ends it is flushed: nginx logs a request when it ends, so a minute's last requests arrive after it. */
  readonly flushGraceMs: number;
  /**
   * How long the agent keeps reading after SIGTERM before its last report: the pod's containers
   * are stopped together, and nginx logs the requests it finishes while it shuts down.
   */
  readonly stopDrainMs: number;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export const DEFAULT_SYSLOG_PORT = 5140;
export const DEFAULT_REGION_TABLE_DIR = '/opt/region-table';
export const DEFAULT_FLUSH_GRACE_MS = 5000;
export const DEFAULT_STOP_DRAIN_MS = 3000;

/** An AWS region code as regions.json validates it (core/config). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** regions.json's project name rule: it is part of log group and stack names. */
const PROJECT = /^[a-z][a-z0-9-]{0,30}$/;
/** What a CloudWatch Logs group name may hold. */
const LOG_GROUP = /^[\w\-./#]{1,512}$/;
/** A pod name (a DNS subdomain): it is part of the log stream's name, which takes no ":" or "*". */
const POD_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A decimal number, as String(number) writes one (1e-7 included). */
const NUMBER = /^\d*\.?\d+(e[-+]?\d+)?$/i;

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string, pattern: RegExp, expected: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new SettingsError(`${name} is not set; expected ${expected}`);
  if (!pattern.test(value)) throw new SettingsError(`${name} must be ${expected}, got "${value}"`);
  return value;
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number, what: string): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new SettingsError(`${name} must be ${what} from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Reads and checks every setting; throws SettingsError naming the first variable that is wrong. */
export function agentSettings(env: Env): AgentSettings {
  const rateText = required(env, 'ACCESS_LOG_SAMPLE_RATE', NUMBER, 'a fraction of requests from 0 to 1, such as 0.01');
  const sampleRate = Number(rateText);
  if (!(sampleRate >= 0 && sampleRate <= 1)) {
    throw new SettingsError(`ACCESS_LOG_SAMPLE_RATE must be a fraction of requests from 0 to 1, such as 0.01, got "${rateText}"`);
  }
  const regionTableDir = env.REGION_TABLE_DIR || DEFAULT_REGION_TABLE_DIR;
  if (!regionTableDir.startsWith('/')) throw new SettingsError(`REGION_TABLE_DIR must be an absolute path, got "${regionTableDir}"`);
  return {
    project: required(env, 'PROJECT', PROJECT, 'the project name (lower-case letters, digits and "-", starting with a letter)'),
    edgeRegion: required(env, 'EDGE_REGION', REGION, 'an AWS region code such as eu-west-1'),
    metricsRegion: required(env, 'METRICS_REGION', REGION, 'an AWS region code such as us-east-1 (the home region)'),
    logGroup: required(env, 'LOG_GROUP', LOG_GROUP, 'a CloudWatch Logs group name'),
    sampleRate,
    podName: required(env, 'POD_NAME', POD_NAME, "the pod's name (set it from metadata.name)"),
    syslogPort: wholeNumber(env, 'SYSLOG_PORT', DEFAULT_SYSLOG_PORT, 1, 65535, 'a UDP port'),
    regionTableDir,
    flushGraceMs: wholeNumber(env, 'FLUSH_GRACE_MS', DEFAULT_FLUSH_GRACE_MS, 0, 55_000, 'milliseconds'),
    stopDrainMs: wholeNumber(env, 'STOP_DRAIN_MS', DEFAULT_STOP_DRAIN_MS, 0, 20_000, 'milliseconds'),
  };
}
