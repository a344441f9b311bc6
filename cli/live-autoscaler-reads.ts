/**
 * The autoscaler's own reads and decision (lambdas/autoscaler/read-and-decide.ts), run from the
 * operator's machine for `kubecdn plan` and `kubecdn status`: clients built as the Lambda's
 * handler builds them (one per region, the standard credential chain), the state machines found
 * from the control stack's outputs (UpgradeRegion's included, so a running upgrade holds its region here too), and a fresh demand history, as a cold Lambda container has.
 * Nothing here writes anything. The AWS SDK, and the autoscaler modules that import it, are loaded
 * at the call, not when the command line starts (see control-stack-outputs.ts).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { KubeCdnConfig } from '../core/config';
import type { ReadAndDecideDeps, TickPlan } from '../lambdas/autoscaler/read-and-decide';
import type { StateMachineArns } from '../lambdas/autoscaler/region-state-reader';
import { CONFIG_DIGEST_CONSTANT, configConstants } from '../lambdas/shared/deployed-config';
import { OVERRIDE_TABLE_OUTPUT } from '../lambdas/shared/region-override-item';
import {
  controlStackOutputs,
  DEPLOYED_CONFIG_OUTPUT_KEY,
  WORKFLOW_OUTPUT_KEYS,
  WorkflowLookupError,
  workflowArnOf,
} from './control-stack-outputs';
import { EXIT_FAILURE } from './exit-codes';
import type { CommandContext } from './io';

/** How long one region's DescribeCluster may take before that region is shown unknown; the Lambda allows 5 s. */
const DESCRIBE_TIMEOUT_MS = 10_000;

/** The local config's digest beside the deployed one (undefined when the stack has no such output yet). */
export interface ConfigDigests {
  readonly local: string;
  readonly deployed: string | undefined;
}

export interface LiveSetting {
  readonly stateMachines: StateMachineArns;
  readonly digests: ConfigDigests;
  /** The override table; undefined for a control stack deployed before overrides (none are read then, as its autoscaler reads none). */
  readonly overrideTable?: string;
}

/** The state machines and the deployed config's digest from the control stack; a WorkflowLookupError when it cannot be read. */
export async function readLiveSetting(config: KubeCdnConfig): Promise<LiveSetting> {
  const outputs = await controlStackOutputs(config);
  return {
    stateMachines: {
      start: workflowArnOf(config, outputs, 'StartRegion'),
      stop: workflowArnOf(config, outputs, 'StopRegion'),
      // Absent from a control stack deployed before the autoscaler held upgrading regions: then a warning, not a failure.
      ...(outputs[WORKFLOW_OUTPUT_KEYS.UpgradeRegion] ? { upgrade: outputs[WORKFLOW_OUTPUT_KEYS.UpgradeRegion] } : {}),
    },
    digests: { local: configConstants(config)[CONFIG_DIGEST_CONSTANT]!, deployed: outputs[DEPLOYED_CONFIG_OUTPUT_KEY] },
    overrideTable: outputs[OVERRIDE_TABLE_OUTPUT],
  };
}

/**
 * readLiveSetting for a command: a stack or output that cannot be found is one line naming the
 * command, exit 1, and undefined; anything else is thrown as it came.
 */
export async function liveSettingOrReport(
  command: string,
  config: KubeCdnConfig,
  context: CommandContext,
): Promise<LiveSetting | undefined> {
  try {
    return await readLiveSetting(config);
  } catch (error) {
    if (!(error instanceof WorkflowLookupError)) throw error;
    context.io.err(`kubecdn ${command}: ${error.message}\n`);
    context.exitCode = EXIT_FAILURE;
    return undefined;
  }
}

/** Caches one client per region, as the handler does. */
function perRegion<C>(make: (region: string) => C): (region: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}

export type LiveDeps = ReadAndDecideDeps & { readonly sfn: SFNClient };

export function liveDeps(config: KubeCdnConfig, stateMachines: StateMachineArns, overrideTable?: string): LiveDeps {
  const { CloudWatchClient } = require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch');
  const { EKSClient } = require('@aws-sdk/client-eks') as typeof import('@aws-sdk/client-eks');
  const { Route53Client } = require('@aws-sdk/client-route-53') as typeof import('@aws-sdk/client-route-53');
  const { SFNClient } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const { clientOptions } = require('../lambdas/shared/aws-clients') as typeof import('../lambdas/shared/aws-clients');
  const { DemandHistory } = require('../lambdas/autoscaler/demand-history') as typeof import('../lambdas/autoscaler/demand-history');
  return {
    // The same attempts per call as the Lambda's: readDemand retries throttling itself.
    cloudWatchFor: perRegion((region) => new CloudWatchClient(clientOptions(region, 1))),
    history: new DemandHistory(),
    eksFor: perRegion((region) => new EKSClient(clientOptions(region, 2))),
    route53: new Route53Client(clientOptions('us-east-1')),
    sfn: new SFNClient(clientOptions(config.homeRegion)),
    stateMachines,
    describeTimeoutMs: DESCRIBE_TIMEOUT_MS,
    ...(overrideTable ? { overrideStore: { dynamodb: dynamoDbClient(config), overrideTable } } : {}),
  };
}

function dynamoDbClient(config: KubeCdnConfig) {
  const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const { clientOptions } = require('../lambdas/shared/aws-clients') as typeof import('../lambdas/shared/aws-clients');
  return new DynamoDBClient(clientOptions(config.homeRegion, 3));
}

/** What the autoscaler would read and decide at `at`, from live reads. */
export async function liveTickPlan(deps: LiveDeps, config: KubeCdnConfig, at: number): Promise<TickPlan> {
  const { readAndDecide } = require('../lambdas/autoscaler/read-and-decide') as typeof import('../lambdas/autoscaler/read-and-decide');
  return readAndDecide(deps, config, at);
}
