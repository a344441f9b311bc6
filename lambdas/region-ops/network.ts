/**
 * The region's VPC, subnets and Kubernetes API relay, published by its network stack as an SSM
 * parameter in that region.
 */
import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { describeIssues } from '../shared/validated-event';
import { RegionOperationFailedError } from './errors';

export interface RegionNetwork {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Given to the cluster's control plane: admits HTTPS from the relay's security group. */
  readonly kubernetesApiAccessSecurityGroupId: string;
  /** The function in the VPC that calls a private Kubernetes API endpoint for the workflows. */
  readonly kubernetesApiRelayFunctionName: string;
}

const networkSchema = z.object({
  vpcId: z.string().startsWith('vpc-', { error: 'expected a VPC id (vpc-...)' }),
  subnetIds: z.array(z.string().startsWith('subnet-', { error: 'expected a subnet id (subnet-...)' })).min(2, {
    error: 'expected at least two subnets (EKS needs two availability zones)',
  }),
  kubernetesApiAccessSecurityGroupId: z.string({ error: 'expected a security group id (sg-...)' }).startsWith('sg-', {
    error: 'expected a security group id (sg-...)',
  }),
  kubernetesApiRelayFunctionName: z
    .string({ error: 'expected the relay function name' })
    .min(1, { error: 'expected the relay function name' }),
});

export async function readRegionNetwork(ssm: SSMClient, parameterName: string, region: string): Promise<RegionNetwork> {
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: parameterName }))).Parameter?.Value;
  } catch (error) {
    if (error instanceof ParameterNotFound) {
      throw new RegionOperationFailedError(
        `${parameterName} is missing in ${region}: deploy the region's network stack first (cdk deploy)`,
      );
    }
    throw error;
  }
  const parsed = networkSchema.safeParse(value === undefined ? undefined : JSON.parse(value));
  if (!parsed.success)
    throw new RegionOperationFailedError(
      `${parameterName} in ${region} is not what this version's network stack publishes (${describeIssues(parsed.error)}); deploy the app again (cdk deploy)`,
    );
  return parsed.data;
}
