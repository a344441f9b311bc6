/**
 * The `access` section of regions.json: the IAM roles people use to reach the clusters' Kubernetes
 * API. The workflows make each an EKS access entry on every cluster they create or sync (admins
 * with the cluster-admin access policy, viewers with the view policy) and remove the entries of
 * roles that left the lists. The partition and the lists against each other are checked in
 * cross-field-rules.ts.
 */
import { z } from 'zod';

/**
 * An IAM role ARN, path allowed. Only roles: an access entry for a user works too, but people
 * reaching a production cluster should assume a role (short-lived credentials, CloudTrail).
 */
export const IAM_ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/**
 * At most this many roles per list: each is named in the region workflows' IAM policy (only these
 * principals may be given access), which must stay under IAM's managed-policy size limit.
 */
export const MAX_ACCESS_ROLES = 20;

const roleArnList = (who: string) =>
  z
    .array(
      z
        .string({ error: 'expected an IAM role ARN such as "arn:aws:iam::123456789012:role/cdn-admins"' })
        .regex(IAM_ROLE_ARN, { error: 'expected an IAM role ARN such as "arn:aws:iam::123456789012:role/cdn-admins"' }),
      { error: 'expected a list of IAM role ARNs' },
    )
    .max(MAX_ACCESS_ROLES, { error: `expected at most ${MAX_ACCESS_ROLES} roles (each is named in the workflows' IAM policy)` })
    .default([])
    .meta({ description: `IAM roles whose sessions get ${who} on every cluster.` });

export const accessSchema = z.strictObject({
  adminRoleArns: roleArnList('Kubernetes cluster admin (AmazonEKSClusterAdminPolicy)'),
  viewerRoleArns: roleArnList('read-only Kubernetes access (AmazonEKSViewPolicy)'),
});

/** The AWS partition a region belongs to, as ARNs name it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}
