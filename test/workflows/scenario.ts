/** One simulated account + the synthesized workflows, per test. */
import type { KubeCdnConfig } from '../../core/config';
import {
  synthesizeWorkflows,
  WorkflowHarness,
  type SynthesizedWorkflows,
  type WorkflowName,
  type WorkflowRunResult,
} from '../support/asl-runner';
import { validConfig, type minimalConfigInput } from '../support/configs';
import { PolicyChecker } from '../support/iam/policy-checker';
import { checkWorkflowCalls } from '../support/iam/workflow-permissions';
import { simulatedAccount } from '../support/simulated-aws/fixture';
import { installSimulatedAws, type InstalledMocks } from '../support/simulated-aws/install-mocks';
import type { SimulatedAws } from '../support/simulated-aws/world';

export interface Scenario {
  readonly config: KubeCdnConfig;
  readonly world: SimulatedAws;
  readonly harness: WorkflowHarness;
  run(workflow: WorkflowName, input: unknown): Promise<WorkflowRunResult>;
  /** Runs and fails the test with the workflow's error if it did not succeed. */
  succeed(workflow: WorkflowName, input: unknown): Promise<WorkflowRunResult>;
  /** Everything the region holds that serves or bills (see SimulatedAws.resourcesOf). */
  resources(region: string): string[];
  /** AWS SDK calls made since `from` (an index into world.calls). */
  callsSince(from: number): string[];
  /** A new scenario on a copy of this one's account as it is now (this one must not run after). */
  fork(): Scenario;
}

const synthesized = new Map<string, SynthesizedWorkflows>();
const checkers = new WeakMap<SynthesizedWorkflows, PolicyChecker>();
let installed: InstalledMocks | undefined;
let harnesses: WorkflowHarness[] = [];

// Every AWS call a workflow test makes must be allowed by the synthesized IAM policies: the
// region-ops function's calls for its role, each Task's for its state machine's role.
afterEach(async () => {
  installed?.restore();
  installed = undefined;
  const made = harnesses;
  harnesses = [];
  for (const harness of made) {
    if (!checkers.has(harness.synthesized)) checkers.set(harness.synthesized, new PolicyChecker(harness.synthesized.template));
    const { denied } = await checkWorkflowCalls(harness, checkers.get(harness.synthesized)!);
    if (denied.length > 0) throw new Error(`the synthesized IAM policies deny calls this test made:\n${denied.join('\n')}`);
  }
});

/** Synthesis takes seconds, so definitions are cached per config. */
export function scenario(change: (input: ReturnType<typeof minimalConfigInput>) => void = () => {}): Scenario {
  const config = validConfig(change);
  const key = JSON.stringify(config);
  if (!synthesized.has(key)) synthesized.set(key, synthesizeWorkflows(config));
  return scenarioOn(config, simulatedAccount(config), synthesized.get(key)!);
}

function scenarioOn(config: KubeCdnConfig, world: SimulatedAws, workflows: SynthesizedWorkflows): Scenario {
  installed?.restore();
  installed = installSimulatedAws(world);
  const harness = new WorkflowHarness(world, config, workflows);
  harnesses.push(harness);
  const run = (workflow: WorkflowName, input: unknown) => harness.run(workflow, input);
  return {
    config,
    world,
    harness,
    run,
    async succeed(workflow, input) {
      const result = await run(workflow, input);
      if (result.status !== 'SUCCEEDED')
        throw new Error(`${workflow} ${JSON.stringify(input)} failed: ${result.error}: ${result.cause}\npath: ${result.path.join(' > ')}`);
      return result;
    },
    resources: (region) => world.resourcesOf(region, config.name),
    callsSince: (from) => world.calls.slice(from).map((c) => `${c.service}:${c.operation}`),
    fork: () => scenarioOn(config, world.clone(), workflows),
  };
}
