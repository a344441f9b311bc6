/**
 * Least privilege, proven offline: the synthesized IAM policies, evaluated by an IAM simulator,
 * allow every AWS call the workflows make in full start, sync, roll-out, stop, warm-standby and
 * removal runs, and deny the calls a role of this project must never make.
 */
import { WorkflowHarness } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { PolicyChecker, type IamRequest } from '../support/iam/policy-checker';
import { logicalId, roleArn, roleOf } from '../support/iam/template-policies';
import { checkWorkflowCalls, workflowRoles, type PermissionCheck } from '../support/iam/workflow-permissions';
import { ACCOUNT_ID } from '../support/simulated-aws/world';
import { scenario, type Scenario } from './scenario';

const checkers = new WeakMap<object, PolicyChecker>();
function checkerFor(s: Pick<Scenario, 'harness'>): PolicyChecker {
  const { template } = s.harness.synthesized;
  if (!checkers.has(template)) checkers.set(template, new PolicyChecker(template));
  return checkers.get(template)!;
}

/** Whole workflows with synthesis: slower than jest's default on a shared machine. */
const LONG_RUN_MS = 180_000;

const checked: PermissionCheck[] = [];
async function expectAllCallsAllowed(s: Pick<Scenario, 'harness'>): Promise<void> {
  const check = await checkWorkflowCalls(s.harness, checkerFor(s));
  checked.push(check);
  expect(check.denied).toEqual([]);
}

afterAll(() => {
  const total = checked.reduce((sum, c) => sum + c.distinctRequests, 0);
  console.log(`least privilege: ${total} distinct requests (role, action, resource, context) simulated, all allowed`);
});

describe('the synthesized policies allow every call the workflows make', () => {
  it(
    'in a start of two regions, a sync, a roll-out and a stop',
    async () => {
      const s = scenario();
      await s.succeed('StartRegion', { region: 'us-east-1' });
      await s.succeed('StartRegion', { region: 'eu-west-1' });
      await s.succeed('SyncRegion', { region: 'eu-west-1' });
      await s.succeed('RolloutWorkload', {});
      await s.succeed('StopRegion', { region: 'eu-west-1' });
      await expectAllCallsAllowed(s);
      const operations = new Set(s.world.calls.map((c) => `${c.service}:${c.operation}`));
      expect([...operations]).toEqual(
        expect.arrayContaining(['eks:CreateCluster', 'eks:CreateAccessEntry', 'eks:AssociateAccessPolicy', 'eks:DeleteCluster']),
      );
      expect(new Set(s.harness.integrationCalls.map((c) => c.resource.replace(/function:.*/, 'function')))).toEqual(
        new Set([
          `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function`,
          'arn:aws:states:::dynamodb:putItem',
          'arn:aws:states:::dynamodb:deleteItem',
          'arn:aws:states:::sns:publish',
          'arn:aws:states:::states:startExecution.sync:2',
        ]),
      );
    },
    LONG_RUN_MS,
  );

  it(
    'in warm standby with a managed node group: stop to standby, start again',
    async () => {
      const s = scenario((c) => {
        c.standby = { 'eu-west-1': 'warm' };
        c.cluster = { mode: 'managed-nodegroup' };
      });
      // The operator installs the AWS Load Balancer Controller in every new cluster, as this mode needs.
      s.world.loadBalancerControllerInNewClusters = true;
      await s.succeed('StartRegion', { region: 'us-east-1' });
      await s.succeed('StartRegion', { region: 'eu-west-1' });
      await s.succeed('StopRegion', { region: 'eu-west-1' });
      await s.succeed('StartRegion', { region: 'eu-west-1' });
      await expectAllCallsAllowed(s);
      const operations = s.world.calls.map((c) => c.operation);
      expect(operations).toEqual(expect.arrayContaining(['CreateNodegroup', 'UpdateNodegroupConfig']));
    },
    LONG_RUN_MS,
  );

  it(
    'in a purge of the serving regions, one of them busy: reads of the lock, the clusters, their networks and relays, and nothing more',
    async () => {
      const s = scenario();
      await s.succeed('StartRegion', { region: 'us-east-1' });
      await s.succeed('StartRegion', { region: 'eu-west-1' });
      s.world.lockItems.set('ap-northeast-1', {
        region: { S: 'ap-northeast-1' },
        holder: { S: `arn:aws:states:us-east-1:${ACCOUNT_ID}:execution:kubecdn-StopRegion:quiet` },
        operation: { S: 'stop' },
        reason: { S: 'quiet' },
        acquiredAt: { S: new Date(s.world.now).toISOString() },
        expiresAt: { N: String(Math.floor(s.world.now / 1000) + 3600) },
      });
      const from = s.harness.integrationCalls.length;
      const callsFrom = s.harness.regionOpsCalls.length;
      const run = await s.run('PurgeCache', { everything: true });
      expect(run.error).toBe('RegionBusy');
      await expectAllCallsAllowed(s);
      expect(new Set(s.harness.integrationCalls.slice(from).map((c) => c.resource.replace(/function:.*/, 'function')))).toEqual(
        new Set([`arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function`, 'arn:aws:states:::dynamodb:getItem', 'arn:aws:states:::sns:publish']),
      );
      expect(new Set(s.harness.regionOpsCalls.slice(callsFrom).map((c) => `${c.service}:${c.operation}`))).toEqual(
        new Set(['eks:DescribeCluster', 'ssm:GetParameter', 'lambda:Invoke']),
      );
    },
    LONG_RUN_MS,
  );

  it(
    'in the removal of a region no longer in the config, with the policies deployed without it',
    async () => {
      const s = scenario();
      await s.succeed('StartRegion', { region: 'us-east-1' });
      await s.succeed('StartRegion', { region: 'eu-west-1' });
      const deployed = new WorkflowHarness(
        s.world,
        validConfig((c) => (c.scalable = ['ap-northeast-1'])),
      );
      const run = await deployed.run('StopRegion', { region: 'eu-west-1', removed: true });
      expect(run.status).toBe('SUCCEEDED');
      expect(deployed.regionOpsCalls.map((c) => c.operation)).toEqual(expect.arrayContaining(['DeleteCluster', 'DeleteStack']));

      const check = await checkWorkflowCalls(deployed, checkerFor({ harness: deployed }));
      checked.push(check);
      expect(check.denied).toEqual([]);
    },
    LONG_RUN_MS,
  );
});

describe('the synthesized policies deny what no kubecdn role may do', () => {
  const s = scenario();
  const template = s.harness.synthesized.template;
  const checker = checkerFor(s);
  const roles = workflowRoles(template);
  const regionOpsRoleArn = roleArn(template, roles.regionOps);
  const eks = (resource: string, region = 'eu-west-1') => `arn:aws:eks:${region}:${ACCOUNT_ID}:${resource}`;
  const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
  const ownEntry = (cluster: string) => eks(`access-entry/${cluster}/role/${ACCOUNT_ID}/${roles.regionOps}/0000`);
  const change = (zone: string, names: string[], types = ['A'], actions = ['UPSERT']): IamRequest => ({
    action: 'route53:ChangeResourceRecordSets',
    resource: `arn:aws:route53:::hostedzone/${zone}`,
    context: {
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
      'route53:ChangeResourceRecordSetsRecordTypes': types,
      'route53:ChangeResourceRecordSetsActions': actions,
    },
  });
  const createCluster = (region: string, tags: Record<string, string>, bootstrapAdmin = 'false'): IamRequest => ({
    action: 'eks:CreateCluster',
    resource: '*',
    context: {
      'aws:RequestedRegion': region,
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
      'aws:TagKeys': Object.keys(tags),
      'eks:bootstrapClusterCreatorAdminPermissions': bootstrapAdmin,
    },
  });
  const ownTags = (region: string) => ({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': region });

  const regionOpsDenied: [string, IamRequest][] = [
    ['deleting another project’s cluster', { action: 'eks:DeleteCluster', resource: eks('cluster/other-eu-west-1') }],
    [
      'deleting a cluster of a deployment whose name starts with ours',
      { action: 'eks:DeleteCluster', resource: eks('cluster/kubecdn-staging-eu-west-1') },
    ],
    [
      'deleting a cluster of a deployment named ours plus two letters',
      { action: 'eks:DeleteCluster', resource: eks('cluster/kubecdn-v2-eu-west-1') },
    ],
    [
      'deleting a node group of another deployment',
      { action: 'eks:DeleteNodegroup', resource: eks('nodegroup/kubecdn-staging-eu-west-1/edge/0000') },
    ],
    ['creating a cluster in a region not in the config', createCluster('eu-central-1', ownTags('eu-central-1'))],
    [
      'creating a cluster without the project tags',
      createCluster('eu-west-1', { 'kubecdn:project': 'other', 'kubecdn:region': 'eu-west-1' }),
    ],
    ['creating a cluster whose creator gets admin', createCluster('eu-west-1', ownTags('eu-west-1'), 'true')],
    [
      'creating a node group in another deployment whose name starts with ours',
      { action: 'eks:CreateNodegroup', resource: eks('cluster/kubecdn-staging-eu-west-1', 'eu-west-1') },
    ],
    [
      'creating an access entry for another principal',
      {
        action: 'eks:CreateAccessEntry',
        resource: eks('cluster/kubecdn-eu-west-1'),
        context: { 'eks:principalArn': `arn:aws:iam::${ACCOUNT_ID}:role/someone-else`, 'eks:accessEntryType': 'STANDARD' },
      },
    ],
    [
      'making another principal cluster admin',
      {
        action: 'eks:AssociateAccessPolicy',
        resource: eks(`access-entry/kubecdn-eu-west-1/role/${ACCOUNT_ID}/someone-else/0000`),
        context: {
          'eks:principalArn': `arn:aws:iam::${ACCOUNT_ID}:role/someone-else`,
          'eks:policyArn': ADMIN,
          'eks:accessScope': 'cluster',
        },
      },
    ],
    [
      'associating another access policy with its own entry',
      {
        action: 'eks:AssociateAccessPolicy',
        resource: ownEntry('kubecdn-eu-west-1'),
        context: {
          'eks:principalArn': regionOpsRoleArn,
          'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
          'eks:accessScope': 'cluster',
        },
      },
    ],
    [
      'granting itself admin on another deployment’s cluster',
      {
        action: 'eks:AssociateAccessPolicy',
        resource: ownEntry('kubecdn-staging-eu-west-1'),
        context: { 'eks:principalArn': regionOpsRoleArn, 'eks:policyArn': ADMIN, 'eks:accessScope': 'cluster' },
      },
    ],
    ['changing records in another hosted zone', change('ZOTHERZONE0000', ['cdn.example.com'])],
    ['changing another name in the configured zone', change('Z0123456789EXAMPLE0', ['www.example.com'])],
    ['changing another record type of the CDN name', change('Z0123456789EXAMPLE0', ['cdn.example.com'], ['TXT'])],
    [
      'deleting a network stack of a configured region',
      {
        action: 'cloudformation:DeleteStack',
        resource: `arn:aws:cloudformation:eu-west-1:${ACCOUNT_ID}:stack/kubecdn-network-eu-west-1/0000`,
      },
    ],
    [
      'deleting a stack that is not a network stack',
      { action: 'cloudformation:DeleteStack', resource: `arn:aws:cloudformation:eu-central-1:${ACCOUNT_ID}:stack/kubecdn-control/0000` },
    ],
    [
      'deleting another deployment’s network stack',
      {
        action: 'cloudformation:DeleteStack',
        resource: `arn:aws:cloudformation:eu-central-1:${ACCOUNT_ID}:stack/kubecdn-staging-network-eu-central-1/0000`,
      },
    ],
    [
      'passing another role',
      {
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${ACCOUNT_ID}:role/Admin`,
        context: { 'iam:PassedToService': 'eks.amazonaws.com' },
      },
    ],
    [
      'passing the cluster role to another service',
      {
        action: 'iam:PassRole',
        resource: roleArn(template, logicalId(template, 'AWS::IAM::Role', 'ClusterRolesClusterRole')),
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      },
    ],
    [
      'passing the edge agent role to EKS itself (it goes to Pod Identity only)',
      {
        action: 'iam:PassRole',
        resource: roleArn(template, logicalId(template, 'AWS::IAM::Role', 'EdgeAgentRole')),
        context: { 'iam:PassedToService': 'eks.amazonaws.com' },
      },
    ],
    [
      'giving pods the cluster role through Pod Identity',
      {
        action: 'iam:PassRole',
        resource: roleArn(template, logicalId(template, 'AWS::IAM::Role', 'ClusterRolesClusterRole')),
        context: { 'iam:PassedToService': 'pods.eks.amazonaws.com' },
      },
    ],
    [
      'creating a Pod Identity association on another deployment’s cluster',
      { action: 'eks:CreatePodIdentityAssociation', resource: eks('cluster/kubecdn-staging-eu-west-1') },
    ],
    [
      'deleting a Pod Identity association of another deployment’s cluster',
      { action: 'eks:DeletePodIdentityAssociation', resource: eks('podidentityassociation/kubecdn-staging-eu-west-1/a-0000') },
    ],
    ['deleting another add-on of its own cluster', { action: 'eks:DeleteAddon', resource: eks('addon/kubecdn-eu-west-1/vpc-cni/0000') }],
    ['upgrading another deployment’s cluster', { action: 'eks:UpdateClusterVersion', resource: eks('cluster/kubecdn-staging-eu-west-1') }],
    [
      'upgrading a node group of another deployment',
      { action: 'eks:UpdateNodegroupVersion', resource: eks('nodegroup/kubecdn-staging-eu-west-1/edge/0000') },
    ],
    ['reading the updates of another project’s cluster', { action: 'eks:DescribeUpdate', resource: eks('cluster/other-eu-west-1') }],
    ['reading another parameter', { action: 'ssm:GetParameter', resource: `arn:aws:ssm:eu-west-1:${ACCOUNT_ID}:parameter/other/secret` }],
    [
      'reading a parameter whose name starts with the network parameter',
      { action: 'ssm:GetParameter', resource: `arn:aws:ssm:eu-central-1:${ACCOUNT_ID}:parameter/kubecdn/network-secrets` },
    ],
  ];
  it.each(regionOpsDenied)('denies the region-ops role %s', async (_what, request) => {
    expect((await checker.decide(roles.regionOps, request)).allowed).toBe(false);
  });

  it('allows the region-ops role the same requests for its own resources (the denials are not vacuous)', async () => {
    const allowed: IamRequest[] = [
      { action: 'eks:DeleteCluster', resource: eks('cluster/kubecdn-eu-central-1', 'eu-central-1') },
      { action: 'eks:DeleteNodegroup', resource: eks('nodegroup/kubecdn-eu-central-1/edge/0000', 'eu-central-1') },
      createCluster('eu-west-1', ownTags('eu-west-1')),
      {
        action: 'eks:AssociateAccessPolicy',
        resource: ownEntry('kubecdn-ap-southeast-1'),
        context: { 'eks:principalArn': regionOpsRoleArn, 'eks:policyArn': ADMIN, 'eks:accessScope': 'cluster' },
      },
      change('Z0123456789EXAMPLE0', ['cdn.example.com'], ['A'], ['DELETE']),
      {
        action: 'iam:PassRole',
        resource: roleArn(template, logicalId(template, 'AWS::IAM::Role', 'EdgeAgentRole')),
        context: { 'iam:PassedToService': 'pods.eks.amazonaws.com' },
      },
      { action: 'eks:CreatePodIdentityAssociation', resource: eks('cluster/kubecdn-eu-central-1', 'eu-central-1') },
      { action: 'eks:DeletePodIdentityAssociation', resource: eks('podidentityassociation/kubecdn-eu-west-1/a-0000') },
      { action: 'eks:DeleteAddon', resource: eks('addon/kubecdn-eu-west-1/eks-pod-identity-agent/0000') },
      { action: 'eks:UpdateClusterVersion', resource: eks('cluster/kubecdn-eu-central-1', 'eu-central-1') },
      { action: 'eks:UpdateNodegroupVersion', resource: eks('nodegroup/kubecdn-eu-west-1/edge/0000') },
      { action: 'eks:DescribeUpdate', resource: eks('nodegroup/kubecdn-eu-west-1/edge/0000') },
      { action: 'eks:DescribeUpdate', resource: eks('cluster/kubecdn-eu-west-1') },
      {
        action: 'cloudformation:DeleteStack',
        resource: `arn:aws:cloudformation:eu-central-1:${ACCOUNT_ID}:stack/kubecdn-network-eu-central-1/0000`,
      },
    ];
    for (const request of allowed) await checker.expectAllowed(roles.regionOps, request);
  });

  it('denies the state machines another table, another topic and another state machine', async () => {
    const startRegion = roles.stateMachine('StartRegion');
    const rollout = roles.stateMachine('RolloutWorkload');
    const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${ACCOUNT_ID}:${resource}`;
    const lockTable = logicalId(template, 'AWS::DynamoDB::Table', 'RegionLock');
    const syncRegion = logicalId(template, 'AWS::StepFunctions::StateMachine', 'SyncRegion');
    await checker.expectAllowed(startRegion, { action: 'dynamodb:PutItem', resource: arn('dynamodb', `table/${lockTable}`) });
    await checker.expectAllowed(rollout, { action: 'states:DescribeExecution', resource: arn('states', `execution:${syncRegion}:run-1`) });
    const denied: [string, IamRequest][] = [
      [startRegion, { action: 'dynamodb:PutItem', resource: arn('dynamodb', 'table/other') }],
      [startRegion, { action: 'dynamodb:DeleteItem', resource: arn('dynamodb', `table/${lockTable}-copy`) }],
      [startRegion, { action: 'sns:Publish', resource: arn('sns', 'other-topic') }],
      [startRegion, { action: 'states:StartExecution', resource: arn('states', `stateMachine:${syncRegion}`) }],
      [rollout, { action: 'states:StartExecution', resource: arn('states', 'stateMachine:kubecdn-StopRegion') }],
      // The .sync grant as CDK generates it also matched these: a state machine whose name starts with SyncRegion's.
      [rollout, { action: 'states:DescribeExecution', resource: arn('states', `execution:${syncRegion}Old:run-1`) }],
      [rollout, { action: 'states:StopExecution', resource: arn('states', `execution:${syncRegion}Old:run-1`) }],
    ];
    for (const [role, request] of denied)
      expect([role, request, (await checker.decide(role, request)).allowed]).toEqual([role, request, false]);
  });

  it('lets PurgeCache read the lock table and never write it: a purge takes no lock', async () => {
    const purge = roles.stateMachine('PurgeCache');
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${logicalId(template, 'AWS::DynamoDB::Table', 'RegionLock')}`;
    await checker.expectAllowed(purge, { action: 'dynamodb:GetItem', resource: table });
    for (const action of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'])
      expect([action, (await checker.decide(purge, { action, resource: table })).allowed]).toEqual([action, false]);
  });

  it('lets the autoscaler start StartRegion and StopRegion executions and no other state machine’s', async () => {
    const autoscaler = roleOf(template, logicalId(template, 'AWS::Lambda::Function', 'Autoscaler'));
    const machine = (workflow: string) =>
      `arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:${logicalId(template, 'AWS::StepFunctions::StateMachine', workflow)}`;
    for (const workflow of ['StartRegion', 'StopRegion'])
      await checker.expectAllowed(autoscaler, { action: 'states:StartExecution', resource: machine(workflow) });
    for (const resource of [
      machine('SyncRegion'),
      machine('RolloutWorkload'),
      machine('PurgeCache'),
      machine('UpgradeRegion'),
      machine('UpgradeClusters'),
      `arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:other`,
    ])
      expect((await checker.decide(autoscaler, { action: 'states:StartExecution', resource })).allowed).toBe(false);
    expect(
      (await checker.decide(autoscaler, { action: 'eks:DescribeCluster', resource: eks('cluster/kubecdn-staging-eu-west-1') })).allowed,
    ).toBe(false);
  });

  it('lets the deploy trigger publish only to the operations topic', async () => {
    const deployTrigger = roleOf(template, logicalId(template, 'AWS::Lambda::Function', 'RegionChanges'));
    const topic = logicalId(template, 'AWS::SNS::Topic', 'Operations');
    await checker.expectAllowed(deployTrigger, { action: 'sns:Publish', resource: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:${topic}` });
    expect(
      (await checker.decide(deployTrigger, { action: 'sns:Publish', resource: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:other` })).allowed,
    ).toBe(false);
  });

  it('lets the deploy trigger read its own stack’s status (a rollback may lower the Kubernetes version) and no other stack’s', async () => {
    const deployTrigger = roleOf(template, logicalId(template, 'AWS::Lambda::Function', 'RegionChanges'));
    const stack = (name: string) => `arn:aws:cloudformation:us-east-1:${ACCOUNT_ID}:stack/${name}/00000000-0000-4000-8000-000000000000`;
    await checker.expectAllowed(deployTrigger, { action: 'cloudformation:DescribeStacks', resource: stack('kubecdn-control') });
    expect((await checker.decide(deployTrigger, { action: 'cloudformation:DescribeStacks', resource: stack('other') })).allowed).toBe(
      false,
    );
  });
});

describe('people access: the region-ops role gives exactly the configured roles exactly their policy', () => {
  const admin = `arn:aws:iam::${ACCOUNT_ID}:role/cdn-admins`;
  const viewer = `arn:aws:iam::${ACCOUNT_ID}:role/ops/cdn-viewers`;
  const s = scenario((c) => Object.assign(c, { access: { adminRoleArns: [admin], viewerRoleArns: [viewer] } }));
  const template = s.harness.synthesized.template;
  const checker = checkerFor(s);
  const roles = workflowRoles(template);
  const regionOpsRoleArn = roleArn(template, roles.regionOps);
  const eks = (resource: string, region = 'eu-west-1') => `arn:aws:eks:${region}:${ACCOUNT_ID}:${resource}`;
  const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
  const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
  const PEOPLE_TAGS = { 'kubecdn:project': 'kubecdn', 'kubecdn:access': 'people' };
  const entry = (principal: string, cluster = 'kubecdn-eu-west-1') =>
    eks(`access-entry/${cluster}/role/${ACCOUNT_ID}/${principal.split('/').at(-1)!}/0000`);
  const requestTags = (tags: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    'aws:TagKeys': Object.keys(tags),
  });
  const resourceTags = (tags: Record<string, string>) =>
    Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
  const create = (principal: string, tags: Record<string, string> = PEOPLE_TAGS, cluster = 'kubecdn-eu-west-1'): IamRequest => ({
    action: 'eks:CreateAccessEntry',
    resource: eks(`cluster/${cluster}`),
    context: { 'eks:principalArn': principal, 'eks:accessEntryType': 'STANDARD', ...requestTags(tags) },
  });
  const associate = (principal: string, policyArn: string, scope = 'cluster'): IamRequest => ({
    action: 'eks:AssociateAccessPolicy',
    resource: entry(principal),
    context: { 'eks:principalArn': principal, 'eks:policyArn': policyArn, 'eks:accessScope': scope },
  });
  const remove = (principal: string, tags: Record<string, string>, cluster = 'kubecdn-eu-west-1'): IamRequest => ({
    action: 'eks:DeleteAccessEntry',
    resource: entry(principal, cluster),
    context: resourceTags(tags),
  });
  const disassociate = (principal: string, policyArn: string, tags: Record<string, string>): IamRequest => ({
    action: 'eks:DisassociateAccessPolicy',
    resource: entry(principal),
    context: { 'eks:principalArn': principal, 'eks:policyArn': policyArn, ...resourceTags(tags) },
  });

  const denied: [string, IamRequest][] = [
    ['creating an entry for a role the config does not name', create(`arn:aws:iam::${ACCOUNT_ID}:role/someone-else`)],
    ['creating an entry for a configured role without the workflows’ tags', create(admin, {})],
    ['creating a people entry tagged for another project', create(admin, { ...PEOPLE_TAGS, 'kubecdn:project': 'other' })],
    ['creating a people entry on another deployment’s cluster', create(admin, PEOPLE_TAGS, 'kubecdn-staging-eu-west-1')],
    ['making a viewer cluster admin', associate(viewer, ADMIN)],
    ['giving an admin another policy', associate(admin, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy')],
    ['giving an admin its policy in a namespace only', associate(admin, ADMIN, 'namespace')],
    ['deleting its own access entry (untagged)', remove(regionOpsRoleArn, {})],
    ['deleting an entry someone else made (untagged)', remove(admin, {})],
    ['deleting a people entry of another project', remove(admin, { ...PEOPLE_TAGS, 'kubecdn:project': 'other' })],
    ['deleting a people entry on another deployment’s cluster', remove(admin, PEOPLE_TAGS, 'kubecdn-staging-eu-west-1')],
    ['disassociating a policy from its own entry', disassociate(regionOpsRoleArn, ADMIN, {})],
    [
      'disassociating another policy from a people entry',
      disassociate(admin, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy', PEOPLE_TAGS),
    ],
  ];
  it.each(denied)('denies %s', async (_what, request) => {
    expect((await checker.decide(roles.regionOps, request)).allowed).toBe(false);
  });

  it('allows the same requests for the configured roles and the workflows’ own entries (the denials are not vacuous)', async () => {
    const allowed: IamRequest[] = [
      create(admin),
      create(viewer, PEOPLE_TAGS, 'kubecdn-ap-southeast-1'),
      associate(admin, ADMIN),
      associate(viewer, VIEW),
      remove(`arn:aws:iam::${ACCOUNT_ID}:role/left-the-config`, PEOPLE_TAGS),
      disassociate(admin, VIEW, PEOPLE_TAGS),
      { action: 'eks:ListAccessEntries', resource: eks('cluster/kubecdn-eu-west-1') },
      { action: 'eks:DescribeAccessEntry', resource: entry(`arn:aws:iam::${ACCOUNT_ID}:role/anyone`) },
    ];
    for (const request of allowed) await checker.expectAllowed(roles.regionOps, request);
  });

  it('with no roles configured, gives no role access', async () => {
    const bare = scenario();
    const request = create(admin);
    expect((await checkerFor(bare).decide(workflowRoles(bare.harness.synthesized.template).regionOps, request)).allowed).toBe(false);
  });
});

describe('the checker', () => {
  it('reports each call a policy does not allow, naming the action, the resource and the role', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    const roles = workflowRoles(s.harness.synthesized.template);
    // A fixture policy that allows reading clusters and nothing else: creating one must be reported.
    const narrow = new PolicyChecker(s.harness.synthesized.template, {
      [roles.regionOps]: [
        {
          name: 'fixture',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: '*' }] },
        },
      ],
    });
    const check = await checkWorkflowCalls(s.harness, narrow);
    expect(check.denied).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ImplicitlyDenied: eks:CreateCluster on \* with .* by role RegionWorkflowsRegionOpsServiceRole/),
        expect.stringMatching(
          /^ImplicitlyDenied: route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone\/Z0123456789EXAMPLE0 .* by role /,
        ),
      ]),
    );
    expect(check.denied.some((d) => d.includes('eks:DescribeCluster'))).toBe(false);
  });

  it('reports an explicit deny as such', async () => {
    const s = scenario();
    const roles = workflowRoles(s.harness.synthesized.template);
    const checker = new PolicyChecker(s.harness.synthesized.template, {
      [roles.regionOps]: [
        {
          name: 'fixture',
          policy: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 'eks:*', Resource: '*' },
              { Effect: 'Deny', Action: 'eks:DeleteCluster', Resource: '*' },
            ],
          },
        },
      ],
    });
    const request = { action: 'eks:DeleteCluster', resource: `arn:aws:eks:eu-west-1:${ACCOUNT_ID}:cluster/kubecdn-eu-west-1` };
    expect(await checker.decide(roles.regionOps, request)).toEqual({ allowed: false, result: 'ExplicitlyDenied' });
    await expect(checker.expectAllowed(roles.regionOps, request)).rejects.toThrow(
      `denied (ExplicitlyDenied): eks:DeleteCluster on arn:aws:eks:eu-west-1:${ACCOUNT_ID}:cluster/kubecdn-eu-west-1 by role ${roles.regionOps}`,
    );
  });

  it('refuses a call it has no IAM mapping for, so no call goes unchecked', async () => {
    const s = scenario();
    s.harness.regionOpsCalls.push({ service: 'eks', operation: 'AssociateEncryptionConfig', region: 'eu-west-1', input: {}, at: 0 });
    await expect(checkWorkflowCalls(s.harness, checkerFor(s))).rejects.toThrow('no IAM mapping for eks AssociateEncryptionConfig');
    s.harness.regionOpsCalls.pop();
  });
});
