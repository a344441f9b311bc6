/**
 * People's access to the clusters: the roles in `access.adminRoleArns` / `access.viewerRoleArns`
 * become EKS access entries at a start, are converged by a sync after the config changed, and
 * the workflow role's own entry and entries made by someone else are never touched.
 */
import { AccessDeniedException } from '@aws-sdk/client-eks';
import { WorkflowHarness, type LambdaFault } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { PolicyChecker } from '../support/iam/policy-checker';
import { checkWorkflowCalls } from '../support/iam/workflow-permissions';
import { ACCOUNT_ID, type SimCluster, type SimulatedCall } from '../support/simulated-aws/world';
import { scenario } from './scenario';

const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const PEOPLE_TAGS = { 'kubecdn:project': 'kubecdn', 'kubecdn:access': 'people' };
const role = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;

/** Each entry's principal → its policies, sorted, and whether the workflows tagged it as theirs. */
function entries(cluster: SimCluster): Record<string, { policies: string[]; people: boolean }> {
  return Object.fromEntries(
    [...cluster.accessEntries].map(([principal, entry]) => [
      principal,
      { policies: [...entry.policies].sort(), people: entry.tags?.['kubecdn:access'] === 'people' },
    ]),
  );
}

const ACCESS_CHANGES = ['CreateAccessEntry', 'DeleteAccessEntry', 'AssociateAccessPolicy', 'DisassociateAccessPolicy'];
/** Changes to entries other than the workflow role's own (which every run re-asserts). */
function peopleChanges(calls: readonly SimulatedCall[], workflowRole: string): string[] {
  return calls
    .filter((c) => ACCESS_CHANGES.includes(c.operation) && (c.input as { principalArn: string }).principalArn !== workflowRole)
    .map((c) => `${c.operation} ${(c.input as { principalArn: string }).principalArn}`);
}

describe('people access entries', () => {
  it('a start gives the admins cluster admin and the viewers view, beside the workflow role’s own entry', async () => {
    const s = scenario((c) =>
      Object.assign(c, { access: { adminRoleArns: [role('cdn-admins')], viewerRoleArns: [role('ops/cdn-viewers')] } }),
    );
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const workflowRole = s.harness.synthesized.regionOpsEnvironment.WORKFLOW_ROLE_ARN!;
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(entries(cluster)).toEqual({
      [workflowRole]: { policies: [ADMIN], people: false },
      [role('cdn-admins')]: { policies: [ADMIN], people: true },
      [role('ops/cdn-viewers')]: { policies: [VIEW], people: true },
    });
    expect(cluster.accessEntries.get(role('cdn-admins'))!.tags).toEqual(PEOPLE_TAGS);
    // After the workflow's own grant, before anything is applied.
    const steps = s.harness.stepCalls;
    expect(steps.indexOf('grantPeopleAccess')).toBeGreaterThan(steps.indexOf('grantAccess'));
    expect(steps.indexOf('grantPeopleAccess')).toBeLessThan(steps.indexOf('applyWorkload'));
    // Cluster-wide, as the access scope of every association.
    const associations = s.world.calls.filter((c) => c.operation === 'AssociateAccessPolicy').map((c) => c.input);
    expect(associations).toEqual(
      expect.arrayContaining([expect.objectContaining({ principalArn: role('ops/cdn-viewers'), accessScope: { type: 'cluster' } })]),
    );

    // A start run again on the serving region changes no entry.
    const from = s.world.calls.length;
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(peopleChanges(s.world.calls.slice(from), workflowRole)).toEqual([]);
    expect(entries(cluster)[role('cdn-admins')]).toEqual({ policies: [ADMIN], people: true });
  });

  it('a start whose people step timed out after doing its work converges on the retry, and a failed one rolls back', async () => {
    const s = scenario((c) => Object.assign(c, { access: { adminRoleArns: [role('cdn-admins')], viewerRoleArns: [role('cdn-viewers')] } }));
    const timeout: LambdaFault = { step: 'grantPeopleAccess', when: 'after', times: 2 };
    s.harness.lambdaFaults.push(timeout);
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    expect(timeout.times).toBe(0);
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    expect(entries(cluster)[role('cdn-admins')]).toEqual({ policies: [ADMIN], people: true });
    expect(entries(cluster)[role('cdn-viewers')]).toEqual({ policies: [VIEW], people: true });
    // Each entry made once: the retries found them.
    expect(
      s.world.calls.filter(
        (c) => c.operation === 'CreateAccessEntry' && (c.input as { principalArn: string }).principalArn === role('cdn-admins'),
      ),
    ).toHaveLength(1);

    const cold = scenario((c) => Object.assign(c, { access: { adminRoleArns: [role('cdn-admins')] } }));
    cold.harness.lambdaFaults.push({ step: 'grantPeopleAccess', when: 'fail', times: 1 });
    const failed = await cold.run('StartRegion', { region: 'eu-west-1' });
    expect(failed.status).toBe('FAILED');
    expect(cold.world.notifications.at(-1)!.subject).toBe('kubecdn StartRegion eu-west-1 rolled back');
    expect(cold.resources('eu-west-1')).toEqual([]);
  });

  it('a sync after a config change adds, moves and removes roles, leaving the workflow role’s entry and a hand-made one alone', async () => {
    const before = { adminRoleArns: [role('alice')], viewerRoleArns: [role('bob'), role('carol')] };
    const s = scenario((c) => Object.assign(c, { access: before }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
    const workflowRole = s.harness.synthesized.regionOpsEnvironment.WORKFLOW_ROLE_ARN!;
    // Someone gave a role access by hand (no workflow tags), and a role that the config now names too.
    cluster.accessEntries.set(role('break-glass'), { policies: new Set([ADMIN]) });
    cluster.accessEntries.set(role('dave'), { policies: new Set([ADMIN]) });

    // Redeployed: bob becomes an admin, alice and carol leave, dave is a viewer.
    const config = validConfig((c) => Object.assign(c, { access: { adminRoleArns: [role('bob')], viewerRoleArns: [role('dave')] } }));
    const deployed = new WorkflowHarness(s.world, config);
    const sync = await deployed.run('SyncRegion', { region: 'eu-west-1' });
    expect(sync.status).toBe('SUCCEEDED');
    expect(entries(cluster)).toEqual({
      [workflowRole]: { policies: [ADMIN], people: false },
      [role('bob')]: { policies: [ADMIN], people: true },
      // Given the view policy the config asks for, but not narrowed: the entry is not the workflows' to change.
      [role('dave')]: { policies: [ADMIN, VIEW], people: false },
      [role('break-glass')]: { policies: [ADMIN], people: false },
    });
    const deleted = deployed.regionOpsCalls
      .filter((c) => c.operation === 'DeleteAccessEntry')
      .map((c) => (c.input as { principalArn: string }).principalArn);
    expect(deleted.sort()).toEqual([role('alice'), role('carol')]);

    // Converged: a second sync changes nothing.
    const from = deployed.regionOpsCalls.length;
    expect((await deployed.run('SyncRegion', { region: 'eu-west-1' })).status).toBe('SUCCEEDED');
    expect(peopleChanges(deployed.regionOpsCalls.slice(from), workflowRole)).toEqual([]);

    // The policies deployed with the new config allow all of it.
    const check = await checkWorkflowCalls(deployed, new PolicyChecker(deployed.synthesized.template));
    expect(check.denied).toEqual([]);
  });

  it('a sync that cannot converge people access fails and keeps the region serving what it served', async () => {
    const s = scenario((c) => Object.assign(c, { access: { adminRoleArns: [role('cdn-admins')] } }));
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const served = s.resources('eu-west-1');
    s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.accessEntries.delete(role('cdn-admins'));
    s.world.inject({
      service: 'eks',
      operation: 'ListAccessEntries',
      region: 'eu-west-1',
      error: () => new AccessDeniedException({ $metadata: {}, message: 'not authorized to perform eks:ListAccessEntries' }),
    });
    const failed = await s.run('SyncRegion', { region: 'eu-west-1' });
    expect(failed.status).toBe('FAILED');
    expect(failed.cause).toBe('grantPeopleAccess: not authorized to perform eks:ListAccessEntries');
    expect(s.world.notifications.at(-1)!.subject).toBe('kubecdn SyncRegion eu-west-1 failed, kept serving');
    expect(s.resources('eu-west-1')).toEqual(served);
    expect(
      s.world
        .latencyRecords('cdn.example.com')
        .map((r) => r.SetIdentifier)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);

    await s.succeed('SyncRegion', { region: 'eu-west-1' });
    expect(entries(s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!)[role('cdn-admins')]).toEqual({ policies: [ADMIN], people: true });
  });
});
