/**
 * The last step of a stop: anything in the region still tagged with the project and region, other
 * than the network stack's own resources (deployed by CloudFormation on purpose, free while
 * idle), and the region's Route 53 health checks, tagged or not (global, so not in the region's
 * tagging API; found by their CallerReference too), and EKS Pod Identity associations still on the
 * region's cluster (gone with a deleted cluster, so one found here means the cluster is still
 * there). Reported, not deleted: something found here is a bug or a manual change to look at,
 * and deleting unknown resources by tag alone is not a risk worth taking automatically.
 */
import { GetResourcesCommand, type ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { PROJECT_TAG, REGION_TAG } from '../../lib/naming';
import type { EKSClient } from '@aws-sdk/client-eks';
import { healthCheckArn, regionHealthCheckIds } from './dns';
import { remainingAssociations } from './pod-identity';

const STACK_TAG = 'aws:cloudformation:stack-name';

export async function sweepLeftovers(
  clients: { readonly tagging: ResourceGroupsTaggingAPIClient; readonly route53: Route53Client; readonly eks: EKSClient },
  project: string,
  region: string,
): Promise<string[]> {
  const leftovers = await sweepTaggedResources(clients.tagging, project, region);
  for (const id of await regionHealthCheckIds(clients.route53, project, region)) {
    const arn = healthCheckArn(id);
    if (!leftovers.includes(arn)) leftovers.push(arn);
  }
  for (const arn of await remainingAssociations(clients.eks, project, region)) if (!leftovers.includes(arn)) leftovers.push(arn);
  return leftovers;
}

export async function sweepTaggedResources(tagging: ResourceGroupsTaggingAPIClient, project: string, region: string): Promise<string[]> {
  const leftovers: string[] = [];
  let token: string | undefined;
  do {
    const page = await tagging.send(
      new GetResourcesCommand({
        TagFilters: [
          { Key: PROJECT_TAG, Values: [project] },
          { Key: REGION_TAG, Values: [region] },
        ],
        PaginationToken: token,
      }),
    );
    for (const mapping of page.ResourceTagMappingList ?? []) {
      if (mapping.ResourceARN && !mapping.Tags?.some((tag) => tag.Key === STACK_TAG)) leftovers.push(mapping.ResourceARN);
    }
    token = page.PaginationToken || undefined;
  } while (token);
  return leftovers;
}
