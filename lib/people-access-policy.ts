/**
 * What the region workflows may do to give people access to the project's clusters (the
 * config's `access` lists, see lambdas/region-ops/people-access.ts): a managed policy of its own,
 * since the region-ops role's inline policies are near IAM's size limit with many regions.
 *
 * Creating an entry and associating a policy name exactly the configured roles, each with its own
 * policy (an admin cannot be given less, a viewer never admin); removing an entry or a policy
 * needs the tags the workflows put on the entries they make, so no entry the workflows did not
 * make (their own, or one someone else made) can be removed or narrowed.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import { PEOPLE_ACCESS_TAG, PEOPLE_ACCESS_TAG_VALUE, PEOPLE_ADMIN_POLICY_ARN, PEOPLE_VIEW_POLICY_ARN } from '../lambdas/region-ops/names';
import { PROJECT_TAG } from './naming';
import { regionNamePatterns } from './region-name-patterns';

export function grantPeopleAccess(scope: Construct, role: iam.IRole, config: KubeCdnConfig): iam.ManagedPolicy[] {
  const { account } = Stack.of(scope);
  const project = config.name;
  const clusterPatterns = regionNamePatterns(`${project}-`);
  const eks = (resource: string) => `arn:aws:eks:*:${account}:${resource}`;
  const clusters = clusterPatterns.map((name) => eks(`cluster/${name}`));
  // access-entry/<cluster>/<identity type>/<account>/<name>/<generated id>
  const entries = clusterPatterns.map((name) => eks(`access-entry/${name}/*`));
  const peopleTags = { [`aws:ResourceTag/${PEOPLE_ACCESS_TAG}`]: PEOPLE_ACCESS_TAG_VALUE, [`aws:ResourceTag/${PROJECT_TAG}`]: project };
  const { adminRoleArns, viewerRoleArns } = config.access;
  const people = [...adminRoleArns, ...viewerRoleArns];

  const statements = [
    // Reading is how an entry's owner is told (its tags) and a role's policies are found.
    new iam.PolicyStatement({ sid: 'ListProjectClusterAccessEntries', actions: ['eks:ListAccessEntries'], resources: clusters }),
    new iam.PolicyStatement({
      sid: 'ReadProjectAccessEntries',
      actions: ['eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies'],
      resources: entries,
    }),
    new iam.PolicyStatement({
      sid: 'RemovePeopleAccessEntries',
      actions: ['eks:DeleteAccessEntry'],
      resources: entries,
      conditions: { StringEquals: peopleTags },
    }),
    new iam.PolicyStatement({
      sid: 'NarrowPeopleAccessEntries',
      actions: ['eks:DisassociateAccessPolicy'],
      resources: entries,
      conditions: {
        StringEquals: { ...peopleTags, 'eks:policyArn': [PEOPLE_ADMIN_POLICY_ARN, PEOPLE_VIEW_POLICY_ARN] },
      },
    }),
  ];
  if (people.length > 0)
    statements.push(
      new iam.PolicyStatement({
        sid: 'CreatePeopleAccessEntries',
        actions: ['eks:CreateAccessEntry'],
        resources: clusters,
        conditions: {
          ArnEquals: { 'eks:principalArn': people },
          StringEquals: {
            'eks:accessEntryType': 'STANDARD',
            [`aws:RequestTag/${PEOPLE_ACCESS_TAG}`]: PEOPLE_ACCESS_TAG_VALUE,
            [`aws:RequestTag/${PROJECT_TAG}`]: project,
          },
        },
      }),
      // EKS may authorize the tags given at creation as tagging the new entry: only these tags.
      new iam.PolicyStatement({
        sid: 'TagPeopleAccessEntries',
        actions: ['eks:TagResource'],
        resources: entries,
        conditions: {
          StringEquals: { [`aws:RequestTag/${PEOPLE_ACCESS_TAG}`]: PEOPLE_ACCESS_TAG_VALUE, [`aws:RequestTag/${PROJECT_TAG}`]: project },
        },
      }),
    );
  for (const [sid, principals, policyArn] of [
    ['AdminsGetClusterAdmin', adminRoleArns, PEOPLE_ADMIN_POLICY_ARN],
    ['ViewersGetView', viewerRoleArns, PEOPLE_VIEW_POLICY_ARN],
  ] as const) {
    if (principals.length === 0) continue;
    statements.push(
      new iam.PolicyStatement({
        sid,
        actions: ['eks:AssociateAccessPolicy'],
        resources: entries,
        conditions: {
          ArnEquals: { 'eks:principalArn': [...principals] },
          StringEquals: { 'eks:policyArn': policyArn, 'eks:accessScope': 'cluster' },
        },
      }),
    );
  }

  // Three managed policies: with the most roles the config accepts, the principal lists alone
  // (named once for creating, once for associating) are past one managed policy's 6,144 characters.
  const parts: [string, string, iam.PolicyStatement[]][] = [
    ['PeopleAccessPolicy', 'read and remove the entries they made for people', statements.filter((st) => !isGrant(st))],
    ['PeopleAccessCreatePolicy', 'create entries for the configured people roles', statements.filter((st) => isCreate(st))],
    ['PeopleAccessGrantPolicy', 'give the configured people roles their access policy', statements.filter((st) => isAssociate(st))],
  ];
  const nagAccount = (arn: string) => arn.replace(account, '<AWS::AccountId>');
  const policies = parts
    .filter(([, , part]) => part.length > 0)
    .map(([id, what, part]) => {
      const policy = new iam.ManagedPolicy(scope, id, {
        description: `kubecdn region workflows: ${what} on the ${project} clusters (EKS access entries)`,
        statements: part,
      });
      role.addManagedPolicy(policy);
      Validations.of(policy).acknowledge(
        ...clusters.map((arn) => ({
          id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
          reason: `Only clusters named ${project}-<region> (one pattern per region-code shape), in whichever region the workflow acts.`,
        })),
        ...entries.map((arn) => ({
          id: `AwsSolutions-IAM5[Resource::${nagAccount(arn)}]`,
          reason: `Only access entries of the ${project}-<region> clusters; EKS ends each entry ARN with a generated id. Changes are held to the configured roles and the workflows' tags by conditions.`,
        })),
      );
      return policy;
    });
  return policies;
}

const actionsOf = (statement: iam.PolicyStatement): string[] => statement.actions;
const isCreate = (statement: iam.PolicyStatement) => actionsOf(statement).includes('eks:CreateAccessEntry');
const isAssociate = (statement: iam.PolicyStatement) => actionsOf(statement).includes('eks:AssociateAccessPolicy');
const isGrant = (statement: iam.PolicyStatement) => isCreate(statement) || isAssociate(statement);
