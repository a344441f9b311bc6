/**
 * The region's VPC, subnets, Kubernetes API relay and load-balancer certificate, published by its
 * network stack as an SSM parameter in that region.
 */
import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import * as z from 'zod/mini';
import { parseIpv4Cidr } from '../../core/config/cidr';
import { describeIssues } from '../shared/validated-event';
import { RegionOperationFailedError } from './errors';

export interface RegionNetwork {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Given to the cluster's control plane: admits HTTPS from the relay's security group. */
  readonly kubernetesApiAccessSecurityGroupId: string;
  /** The function in the VPC that calls a private Kubernetes API endpoint for the workflows. */
  readonly kubernetesApiRelayFunctionName: string;
  /** The ACM certificate of the region's load balancer: requested by the stack, or the one `https.certificateArns` names. */
  readonly certificateArn: string;
  /** The VPC's address range: the load balancer's addresses, whose PROXY protocol headers the edge believes. */
  readonly vpcCidr: string;
}

// Any partition; readRegionNetwork checks that the region is the parameter's own.
const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;

const networkSchema = z.object({
  vpcId: z.string().check(z.startsWith('vpc-', { error: 'expected a VPC id (vpc-...)' })),
  subnetIds: z
    .array(z.string().check(z.startsWith('subnet-', { error: 'expected a subnet id (subnet-...)' })))
    .check(z.minLength(2, { error: 'expected at least two subnets (EKS needs two availability zones)' })),
  kubernetesApiAccessSecurityGroupId: z
    .string({ error: 'expected a security group id (sg-...)' })
    .check(z.startsWith('sg-', { error: 'expected a security group id (sg-...)' })),
  kubernetesApiRelayFunctionName: z
    .string({ error: 'expected the relay function name' })
    .check(z.minLength(1, { error: 'expected the relay function name' })),
  certificateArn: z
    .string({ error: 'expected the ACM certificate ARN of the load balancer' })
    .check(z.regex(ACM_CERTIFICATE_ARN, { error: 'expected an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)' })),
  vpcCidr: z
    .string({ error: 'expected the VPC CIDR block such as "10.64.0.0/16"' })
    .check(z.refine((value) => !parseIpv4Cidr(value).problem, { error: 'expected the VPC CIDR block such as "10.64.0.0/16"' })),
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
  // A load balancer can present only a certificate of its own region.
  const certificateRegion = parsed.data.certificateArn.split(':')[3];
  if (certificateRegion !== region)
    throw new RegionOperationFailedError(
      `${parameterName} in ${region} names a certificate in ${certificateRegion} (${parsed.data.certificateArn}); a load balancer in ${region} needs one of its own region: deploy the app again (cdk deploy)`,
    );
  return parsed.data;
}
