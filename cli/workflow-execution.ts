/**
 * Starts a workflow execution and, with --wait, follows its history until it ends: one progress
 * line per step entered, the failing step's error and cause on failure (exit 1), the output on
 * success (exit 0). Ctrl-C stops following, not the execution. Shared by every workflow command
 * (through workflow-command.ts), so they report alike. The AWS SDK is loaded at the call (see control-stack-outputs.ts).
 */
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import type { KubeCdnConfig } from '../core/config';
import { type WorkflowName, WorkflowLookupError, stateMachineArn } from './control-stack-outputs';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from './exit-codes';
import { type CommandIo, writeJson } from './io';

/** How often a followed execution's history is read again: a step takes seconds to minutes. */
const POLL_MS = 5_000;
/** Step Functions' limit on execution names. */
const MAX_NAME_LENGTH = 80;

export interface WorkflowRun {
  readonly config: KubeCdnConfig;
  readonly workflow: WorkflowName;
  /** The input, already accepted by the workflow's own validator. */
  readonly input: object;
  /** What the name says besides the workflow and time: the region, say. */
  readonly subject: string;
  readonly wait: boolean;
  readonly json: boolean;
  /** `kubecdn start`, for messages. */
  readonly command: string;
}

/**
 * `cli-<workflow>-<subject>-<UTC time>-<random>`: tells a manual run from the autoscaler's
 * (`start-<region>-<time>`) in the console, and two runs in one second apart.
 */
export function executionName(workflow: WorkflowName, subject: string, nowMs: number, random: string): string {
  const time = new Date(nowMs).toISOString().replace(/[-:]|\.\d+/g, '');
  const name = `cli-${workflow}-${subject}-${time}-${random}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return name.length <= MAX_NAME_LENGTH ? name : `${name.slice(0, MAX_NAME_LENGTH - random.length - 1)}-${random}`;
}

export async function runWorkflow(run: WorkflowRun, io: CommandIo): Promise<number> {
  const { SFNClient, StartExecutionCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  let machine: string;
  try {
    machine = await stateMachineArn(run.config, run.workflow);
  } catch (error) {
    if (!(error instanceof WorkflowLookupError)) throw error;
    io.err(`${run.command}: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  const sfn = new SFNClient({ region: run.config.homeRegion });
  const name = executionName(run.workflow, run.subject, Date.now(), Math.random().toString(36).slice(2, 6).padEnd(4, '0'));
  let executionArn: string;
  let startDate: Date;
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name, input: JSON.stringify(run.input) }));
    executionArn = started.executionArn ?? '';
    startDate = started.startDate ?? new Date();
  } catch (error) {
    io.err(
      `${run.command}: cannot start ${run.workflow} in ${run.config.homeRegion}: ${(error as Error).name}: ${(error as Error).message}\n`,
    );
    return EXIT_FAILURE;
  }
  const followHint = `aws stepfunctions describe-execution --region ${run.config.homeRegion} --execution-arn ${executionArn}`;
  if (!run.wait) {
    if (run.json)
      writeJson(io, {
        executionArn,
        name,
        workflow: run.workflow,
        input: run.input,
        status: 'RUNNING',
        startDate: startDate.toISOString(),
      });
    else io.out(`Started ${run.workflow}: ${executionArn}\nFollow it with: ${followHint}\n`);
    return EXIT_OK;
  }
  // With --json, standard output is the one final object; progress goes to standard error.
  const progress = run.json ? io.err : io.out;
  progress(`Started ${run.workflow}: ${executionArn}\n`);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  try {
    const ending = await follow(sfn, executionArn, startDate, progress, interrupt.signal);
    return report(run, executionArn, name, ending, io);
  } catch (error) {
    if (!interrupt.signal.aborted) {
      io.err(`${run.command}: cannot follow ${executionArn}: ${(error as Error).name}: ${(error as Error).message}\n`);
      return EXIT_FAILURE;
    }
    io.err(`Stopped following; the execution keeps running. Follow it with:\n  ${followHint}\n`);
    return EXIT_INTERRUPTED;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** How an execution ended, read from its history. */
export interface Ending {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly elapsedMs: number;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  /** The step whose failure ended the execution, with its own error and cause. */
  readonly failedStep?: { readonly name: string; readonly error?: string; readonly cause?: string };
}

const ENDINGS: Record<string, Ending['status']> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};

/** Reads the history again every POLL_MS (all pages, printing only events not yet seen) until an ending event. */
async function follow(
  sfn: SFNClient,
  executionArn: string,
  startDate: Date,
  progress: (text: string) => void,
  signal: AbortSignal,
): Promise<Ending> {
  const { GetExecutionHistoryCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const events = new Map<number, HistoryEvent>();
  for (;;) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }), { abortSignal: signal });
      for (const event of page.events ?? []) {
        if (events.has(event.id ?? -1)) continue;
        events.set(event.id ?? -1, event);
        const elapsedMs = (event.timestamp?.getTime() ?? Date.now()) - startDate.getTime();
        const entered = event.stateEnteredEventDetails?.name;
        if (entered !== undefined && event.type?.endsWith('StateEntered')) progress(`  [${duration(elapsedMs)}] ${entered}\n`);
        const status = ENDINGS[event.type ?? ''];
        if (status) return ending(status, event, events, elapsedMs);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    await sleep(POLL_MS, signal);
  }
}

interface Failure {
  readonly error?: string;
  readonly cause?: string;
}

/** The error and cause an event carries, whatever its type (each type has its own details field). */
function failureOf(event: HistoryEvent): Failure | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object' && ('error' in value || 'cause' in value)) {
      const { error, cause } = value as Failure;
      if (error !== undefined || cause !== undefined) return { error, cause };
    }
  }
  return undefined;
}

/** Failure events of a step itself; Map, Parallel and execution failures only pass a step's on. */
const PASSED_ON = /^(Execution|MapIteration|MapRun|MapState|ParallelState)/;

function ending(status: Ending['status'], last: HistoryEvent, events: Map<number, HistoryEvent>, elapsedMs: number): Ending {
  if (status === 'SUCCEEDED') return { status, elapsedMs, output: last.executionSucceededEventDetails?.output };
  const { error, cause } = failureOf(last) ?? {};
  // A failed execution ends in a Fail state after its Catch (a rollback, say): the step to name is
  // the one whose failure was caught, the last step failure (a retried one that later succeeded
  // came before it). A timed-out or aborted execution was stopped in whatever step it was in.
  const stepFailure =
    status === 'FAILED' ? [...events.values()].reverse().find((event) => !PASSED_ON.test(event.type ?? '') && failureOf(event)) : undefined;
  const failedEvent = stepFailure ?? last;
  const name = stepOf(failedEvent, events);
  const failedStep = name === undefined ? undefined : { name, ...(stepFailure ? failureOf(stepFailure) : { error, cause }) };
  return { status, elapsedMs, error, cause, failedStep };
}

/** The state an event happened in: the nearest StateEntered up its chain of previous events. */
function stepOf(event: HistoryEvent, events: Map<number, HistoryEvent>): string | undefined {
  let current: HistoryEvent | undefined = event;
  for (let hops = 0; current && hops < events.size; hops++) {
    if (current.type?.endsWith('StateEntered')) return current.stateEnteredEventDetails?.name;
    current = events.get(current.previousEventId ?? -1);
  }
  return undefined;
}

function report(run: WorkflowRun, executionArn: string, name: string, end: Ending, io: CommandIo): number {
  const code = end.status === 'SUCCEEDED' ? EXIT_OK : EXIT_FAILURE;
  if (run.json) {
    writeJson(io, {
      executionArn,
      name,
      workflow: run.workflow,
      input: run.input,
      status: end.status,
      elapsedSeconds: Math.round(end.elapsedMs / 1000),
      ...(end.output !== undefined ? { output: parsedOrText(end.output) } : {}),
      ...(end.error !== undefined ? { error: end.error } : {}),
      ...(end.cause !== undefined ? { cause: end.cause } : {}),
      ...(end.failedStep ? { failedStep: end.failedStep } : {}),
    });
    return code;
  }
  if (end.status === 'SUCCEEDED') {
    const output = end.output === undefined ? '' : `Output:\n${JSON.stringify(parsedOrText(end.output), null, 2)}\n`;
    io.out(`${run.workflow} SUCCEEDED after ${duration(end.elapsedMs)}.\n${output}`);
    return code;
  }
  const lines = [`${run.command}: ${run.workflow} ${end.status} after ${duration(end.elapsedMs)}.`];
  if (end.failedStep)
    lines.push(`Failed step: ${end.failedStep.name}: ${end.failedStep.error ?? '(no error)'}: ${end.failedStep.cause ?? '(no cause)'}`);
  if (!end.failedStep || end.failedStep.error !== end.error || end.failedStep.cause !== end.cause) {
    lines.push(`Execution: ${end.error ?? '(no error)'}: ${end.cause ?? '(no cause)'}`);
  }
  io.err(`${lines.join('\n')}\n`);
  return code;
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** m:ss (h:mm:ss past an hour). */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('interrupted'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('interrupted'))), { once: true });
  });
}
