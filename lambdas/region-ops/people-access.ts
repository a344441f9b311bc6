/**
 * People's access to a region's cluster: the roles in the config's `access` lists get an EKS
 * access entry with the cluster-admin or the view policy, cluster-wide; entries the workflows
 * made for roles that left the lists are deleted. One idempotent step: a re-run changes nothing.
 *
 * Ownership is by tag (names.ts): an entry the workflows did not make (no tag) is never deleted
 * or narrowed, even for a role the config names, and the workflow role's own entry is never
 * touched here whatever the lists say.
 */
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DisassociateAccessPolicyCommand,
  type EKSClient,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import type { KubeCdnConfig } from '../../core/config';
import { PROJECT_TAG } from '../../lib/naming';
import { PEOPLE_ACCESS_TAG, PEOPLE_ACCESS_TAG_VALUE, PEOPLE_ADMIN_POLICY_ARN, PEOPLE_VIEW_POLICY_ARN } from './names';

export interface PeopleAccessSpec {
  readonly project: string;
  readonly cluster: string;
  readonly access: KubeCdnConfig['access'];
  /** The workflow role: its entry is the workflow's own (eks-cluster.ts), never changed here. */
  readonly workflowRoleArn: string;
}

/** What the step changed, by principal ARN. */
export interface PeopleAccessChanges {
  readonly created: string[];
  /** Entries that existed and had a policy associated or disassociated (a role moved between the lists, or lost its policy). */
  readonly updated: string[];
  readonly removed: string[];
  /** Configured roles whose entry someone else made: given the policy, but never removed or narrowed. */
  readonly notOwned: string[];
  /** A configured role that is the workflow role itself: its entry stays as the workflow makes it. */
  readonly skipped: string[];
}

const PEOPLE_POLICIES: readonly string[] = [PEOPLE_ADMIN_POLICY_ARN, PEOPLE_VIEW_POLICY_ARN];

/** Principal → the one policy it should have. */
function wantedPolicies(access: KubeCdnConfig['access']): Map<string, string> {
  return new Map([
    ...access.adminRoleArns.map((arn) => [arn, PEOPLE_ADMIN_POLICY_ARN] as const),
    ...access.viewerRoleArns.map((arn) => [arn, PEOPLE_VIEW_POLICY_ARN] as const),
  ]);
}

async function listEntries(eks: EKSClient, cluster: string): Promise<string[]> {
  const principals: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await eks.send(new ListAccessEntriesCommand({ clusterName: cluster, nextToken }));
    principals.push(...(page.accessEntries ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return principals;
}

/** Whether the workflows made this entry for a person (tagged so, for this project); false when it is gone. */
async function madeForPeople(eks: EKSClient, spec: PeopleAccessSpec, principalArn: string): Promise<boolean> {
  try {
    const { accessEntry } = await eks.send(new DescribeAccessEntryCommand({ clusterName: spec.cluster, principalArn }));
    const tags = accessEntry?.tags ?? {};
    return tags[PEOPLE_ACCESS_TAG] === PEOPLE_ACCESS_TAG_VALUE && tags[PROJECT_TAG] === spec.project;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function associatedPolicies(eks: EKSClient, cluster: string, principalArn: string): Promise<string[]> {
  const policies: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName: cluster, principalArn, nextToken }));
    policies.push(...(page.associatedAccessPolicies ?? []).flatMap((p) => (p.policyArn ? [p.policyArn] : [])));
    nextToken = page.nextToken;
  } while (nextToken);
  return policies;
}

/** Brings the cluster's people entries to the config's lists. */
export async function convergePeopleAccess(eks: EKSClient, spec: PeopleAccessSpec): Promise<PeopleAccessChanges> {
  const { cluster } = spec;
  const changes: PeopleAccessChanges = { created: [], updated: [], removed: [], notOwned: [], skipped: [] };
  const wanted = wantedPolicies(spec.access);
  const existing = new Set(await listEntries(eks, cluster));

  // Removed first: a role that left the config loses access even if a later part fails.
  for (const principalArn of existing) {
    if (wanted.has(principalArn) || principalArn === spec.workflowRoleArn) continue;
    if (!(await madeForPeople(eks, spec, principalArn))) continue;
    try {
      await eks.send(new DeleteAccessEntryCommand({ clusterName: cluster, principalArn }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    changes.removed.push(principalArn);
  }

  for (const [principalArn, policyArn] of wanted) {
    if (principalArn === spec.workflowRoleArn) {
      changes.skipped.push(principalArn);
      continue;
    }
    let owned = true;
    let associated: string[] = [];
    if (existing.has(principalArn)) {
      owned = await madeForPeople(eks, spec, principalArn);
      associated = await associatedPolicies(eks, cluster, principalArn);
    } else {
      try {
        await eks.send(
          new CreateAccessEntryCommand({
            clusterName: cluster,
            principalArn,
            type: 'STANDARD',
            tags: { [PROJECT_TAG]: spec.project, [PEOPLE_ACCESS_TAG]: PEOPLE_ACCESS_TAG_VALUE },
          }),
        );
        changes.created.push(principalArn);
      } catch (error) {
        // Made by an earlier attempt of this step (or by someone in between): asked again below.
        if (!(error instanceof ResourceInUseException)) throw error;
        owned = await madeForPeople(eks, spec, principalArn);
        associated = await associatedPolicies(eks, cluster, principalArn);
      }
    }
    if (!owned) changes.notOwned.push(principalArn);
    let changed = false;
    if (!associated.includes(policyArn)) {
      await eks.send(new AssociateAccessPolicyCommand({ clusterName: cluster, principalArn, policyArn, accessScope: { type: 'cluster' } }));
      changed = true;
    }
    // A role moved between the lists keeps only its new policy; policies outside the two are not the workflows' to take.
    if (owned) {
      for (const other of associated.filter((p) => p !== policyArn && PEOPLE_POLICIES.includes(p))) {
        try {
          await eks.send(new DisassociateAccessPolicyCommand({ clusterName: cluster, principalArn, policyArn: other }));
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
        changed = true;
      }
    }
    if (changed && !changes.created.includes(principalArn)) changes.updated.push(principalArn);
  }
  return changes;
}
