/**
 * What every command that starts a workflow (start, stop, purge, rollout, upgrade) does once its
 * arguments are parsed: read the deployed config, turn it and the options into the workflow's
 * input, have the workflow's own validator check that input (a refusal is a usage error, before
 * anything is sent), then start the execution and, with --wait, follow it. The commands differ
 * only in the input they build; they report, exit and follow alike.
 */
import type { Command } from 'commander';
import type { KubeCdnConfig } from '../core/config';
import type { WorkflowName } from './control-stack-outputs';
import { EXIT_FAILURE } from './exit-codes';
import type { CommandContext } from './io';
import { type WorkflowCommandOptions, checkWorkflowInput, loadDeployedConfig } from './workflow-command-options';
import { runWorkflow } from './workflow-execution';

/** What a workflow's validator is given besides the config and input: the lock's length does not matter to the check. */
const CHECK_CLOCK = { lockSeconds: 1 };

/** The execution a command asks for. */
export interface WorkflowStart {
  readonly workflow: WorkflowName;
  /** The input but for `reason`, which --reason gives every workflow. */
  readonly input: object;
  /**
   * The workflow's first step, run here on the input: it throws what the execution would refuse.
   * It requires its module when called: the validators pull in parts of the AWS SDK, which a
   * refused or other command should not wait for.
   */
  readonly validate: (config: KubeCdnConfig, input: object, clock: { readonly lockSeconds: number; readonly nowMs: number }) => unknown;
  /** What the execution's name says besides the workflow and time: the region, say. */
  readonly subject: string;
}

/**
 * Runs `kubecdn <command>`: `plan` builds the execution from the deployed config (and may refuse
 * with a usage error first); sets the exit code. A config that does not load is reported, exit 1.
 */
export async function runWorkflowCommand(
  command: Command,
  options: WorkflowCommandOptions,
  context: CommandContext,
  plan: (config: KubeCdnConfig) => WorkflowStart,
): Promise<void> {
  const config = loadDeployedConfig(options, context.io);
  if (!config) {
    context.exitCode = EXIT_FAILURE;
    return;
  }
  const start = plan(config);
  const input = { ...start.input, ...(options.reason !== undefined ? { reason: options.reason } : {}) };
  checkWorkflowInput(command, () => start.validate(config, input, { ...CHECK_CLOCK, nowMs: Date.now() }));
  context.exitCode = await runWorkflow(
    {
      config,
      workflow: start.workflow,
      input,
      subject: start.subject,
      wait: options.wait === true,
      json: options.json === true,
      command: `kubecdn ${command.name()}`,
    },
    context.io,
  );
}
