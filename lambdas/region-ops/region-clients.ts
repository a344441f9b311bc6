/**
 * The AWS clients region work uses, built for one target region. Kept free of Powertools so tests
 * build the same set plainly; the handler passes the tracer's wrapper.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SSMClient } from '@aws-sdk/client-ssm';
import { clientOptions } from '../shared/aws-clients';
import type { RegionClients } from './region-ops';

export function createRegionClients(region: string, wrap: <T>(client: T) => T = (client) => client): RegionClients {
  const options = clientOptions(region);
  return {
    eks: wrap(new EKSClient(options)),
    ssm: wrap(new SSMClient(options)),
    elb: wrap(new ElasticLoadBalancingV2Client(options)),
    tagging: wrap(new ResourceGroupsTaggingAPIClient(options)),
    cloudformation: wrap(new CloudFormationClient(options)),
    lambda: wrap(new LambdaClient(options)),
  };
}
