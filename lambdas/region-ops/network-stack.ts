/**
 * The last step of removing a region from the config: delete its network stack
 * (`<project>-network-<region>`: VPC, subnets, flow log and its log group, the SSM parameter).
 * `cdk deploy` never deletes a stack that left the app, so without this the stack would linger and
 * its flow-log group keep billing for storage.
 *
 * Only a stack tagged with this project and region is deleted: the name alone could belong to
 * someone else's stack. CloudFormation deletes the stack with the service role it was deployed
 * with (the CDK bootstrap's execution role), so the caller needs only DeleteStack and DescribeStacks.
 */
import { DeleteStackCommand, DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { networkStackName, PROJECT_TAG, REGION_TAG } from '../../lib/naming';
import { RegionOperationFailedError } from './errors';

export type NetworkStackDeletion = { readonly status: 'GONE' | 'DELETING' | 'FAILED'; readonly detail: string };

/** The stack, or undefined when CloudFormation says it does not exist (which is how a deleted stack looks by name). */
async function describeStack(cloudformation: CloudFormationClient, name: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: name }));
    return Stacks?.[0];
  } catch (error) {
    // CloudFormation has no "not found" error: it answers "Stack with id <name> does not exist" as a ValidationError.
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}

function state(stack: Stack | undefined, name: string, region: string): NetworkStackDeletion {
  if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return { status: 'GONE', detail: `${name} in ${region} is deleted` };
  if (stack.StackStatus === 'DELETE_FAILED')
    return {
      status: 'FAILED',
      detail: `CloudFormation could not delete ${name} in ${region}: ${stack.StackStatusReason ?? 'no reason given'}; fix that and run StopRegion again`,
    };
  return { status: 'DELETING', detail: `${name} in ${region} is ${stack.StackStatus ?? 'in an unknown state'}` };
}

/**
 * Deletes the region's network stack (idempotent: `token` makes a repeat within one execution the
 * same request; a new execution's token retries a delete that FAILED) and reports where it is.
 */
export async function deleteNetworkStack(
  cloudformation: CloudFormationClient,
  project: string,
  region: string,
  token: string,
): Promise<NetworkStackDeletion> {
  const name = networkStackName(project, region);
  const before = await describeStack(cloudformation, name);
  if (!before || before.StackStatus === 'DELETE_COMPLETE') return state(before, name, region);
  const tags = new Map((before.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
  if (tags.get(PROJECT_TAG) !== project || tags.get(REGION_TAG) !== region) {
    throw new RegionOperationFailedError(
      `stack ${name} in ${region} is not tagged ${PROJECT_TAG}=${project} and ${REGION_TAG}=${region}; it is not this project's network stack, so it is left alone`,
    );
  }
  if (before.StackStatus !== 'DELETE_IN_PROGRESS') {
    await cloudformation.send(new DeleteStackCommand({ StackName: name, ClientRequestToken: token }));
  }
  return state(await describeStack(cloudformation, name), name, region);
}
