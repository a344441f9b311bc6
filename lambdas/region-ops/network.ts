/** The region's VPC and subnets, published by its network stack as an SSM parameter in that region. */
import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { RegionOperationFailedError } from './errors';

export interface RegionNetwork {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
}

const networkSchema = z.object({ vpcId: z.string().startsWith('vpc-'), subnetIds: z.array(z.string().startsWith('subnet-')).min(2) });

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
    throw new RegionOperationFailedError(`${parameterName} in ${region} is not {vpcId, subnetIds[2+]}: ${parsed.error.message}`);
  return parsed.data;
}
