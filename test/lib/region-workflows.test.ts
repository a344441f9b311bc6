import { Match, Template } from 'aws-cdk-lib/assertions';
import { constantsOfInlineCode } from '../../lib/function-factory';
import { CONFIG_CONSTANT, CONFIG_DIGEST_CONSTANT, deployedConfig } from '../../lambdas/shared/deployed-config';
import { synthesizeWorkflows, WORKFLOW_NAMES, type WorkflowName } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { buildApp } from '../support/synth';

/** The config a function's compiled-in constants carry, checked against the digest compiled in beside it. */
const deployedConfigOf = (constants: Record<string, string>) =>
  deployedConfig(constants[CONFIG_CONSTANT], constants[CONFIG_DIGEST_CONSTANT]);

// asl-validator ships CommonJS without types.
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

type State = {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string; Variable?: string; NumericGreaterThanEquals?: number }[];
  Retry?: { ErrorEquals: string[]; JitterStrategy?: string; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Resource?: string;
  TimeoutSeconds?: number;
  ItemProcessor?: { States: Record<string, State> };
};

/** A definition's states, with those of its Map item processors (state names are unique across both here). */
function allStates(definition: unknown): Record<string, State> {
  const flatten = (states: Record<string, State>): [string, State][] =>
    Object.entries(states).flatMap(([name, state]) => [[name, state] as [string, State], ...flatten(state.ItemProcessor?.States ?? {})]);
  return Object.fromEntries(flatten((definition as { States: Record<string, State> }).States));
}

describe('the region workflow definitions, as synthesized', () => {
  const config = validConfig();
  const { definitions, template } = synthesizeWorkflows(config);
  const regionOpsTimeoutSeconds = Object.entries(template.Resources).find(
    ([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.includes('RegionOps'),
  )![1].Properties!.Timeout as number;
  const workflows = [...WORKFLOW_NAMES];
  // start: cluster, compute, edge pod identity, load balancer, workload roll-out, DNS + the rollback's four; stop:
  // the teardown's four; sync: edge pod identity, roll-out, health check, restored roll-out; the roll-out itself only waits for its syncs; a purge waits
  // for each region's pods to answer; an upgrade polls its cluster, and the upgrade of all regions only waits for each.
  const pollLoops: Record<WorkflowName, number> = {
    StartRegion: 11,
    StopRegion: 5,
    SyncRegion: 6,
    RolloutWorkload: 0,
    PurgeCache: 1,
    UpgradeRegion: 1,
    UpgradeClusters: 0,
  };

  it.each(workflows)('%s is valid Amazon States Language (asl-validator, paths and ARNs checked)', (name) => {
    const result = aslValidator(definitions[name], { checkPaths: true, checkArn: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it.each(workflows)('%s bounds every poll loop: the Choice that sends it back to its Wait also counts attempts', (name) => {
    const states = allStates(definitions[name]);
    let loops = 0;
    for (const [waitName, wait] of Object.entries(states).filter(([, s]) => s.Type === 'Wait')) {
      // Wait → check task(s) → Choice; a loop is a Choice that can route back to the Wait.
      let cursor = wait.Next!;
      while (states[cursor]!.Type !== 'Choice' && states[cursor]!.Next) cursor = states[cursor]!.Next!;
      const choice = states[cursor]!;
      if (choice.Type !== 'Choice' || (choice.Default !== waitName && !choice.Choices!.some((c) => c.Next === waitName))) continue;
      loops += 1;
      const bound = choice.Choices!.find((c) => c.Variable?.endsWith('.attempt') && c.NumericGreaterThanEquals !== undefined);
      expect([cursor, bound?.NumericGreaterThanEquals]).toEqual([cursor, expect.any(Number)]);
      expect(bound!.NumericGreaterThanEquals!).toBeLessThanOrEqual(80);
    }
    expect(loops).toBe(pollLoops[name]);
  });

  it.each(workflows)(
    '%s retries every Lambda task on throttling and Lambda errors with exponential backoff and full jitter, and times it out',
    (name) => {
      const states = allStates(definitions[name]);
      const lambdaTasks = Object.values(states).filter((s) => s.Type === 'Task' && s.Resource!.startsWith('arn:aws:lambda:'));
      expect(lambdaTasks.length).toBeGreaterThan(3);
      for (const task of lambdaTasks) {
        expect(task.Retry!.map((r) => r.ErrorEquals).flat()).toEqual(
          expect.arrayContaining(['Retryable', 'Lambda.TooManyRequestsException', 'Sandbox.Timedout']),
        );
        for (const retrier of task.Retry!) expect(retrier.JitterStrategy).toBe('FULL');
        expect(task.TimeoutSeconds).toBe(180);
      }
    },
  );

  it('catches every StartRegion step after the inspection into the rollback, and every rollback step into the lock release', () => {
    const states = definitions.StartRegion.States as Record<string, State>;
    // The rollback's record removal runs under the record set lock, which it releases first.
    const special: Record<string, string> = {
      'Inspect region': 'Inspect failed: Release region lock',
      'Rollback: Delete DNS record': 'Rollback: Release record set lock after failure',
    };
    for (const [stateName, state] of Object.entries(states)) {
      if (
        state.Type !== 'Task' ||
        !state.Resource!.startsWith('arn:aws:lambda:') ||
        // Best effort once the region serves (or its pods do): they go on to the next state instead.
        ['Validate input', 'Remove stale health checks', 'Prune old ConfigMaps'].includes(stateName) ||
        stateName.endsWith('Write report')
      )
        continue;
      const catchAll = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      const expected =
        special[stateName] ??
        (stateName.startsWith('Rollback: ') ? 'Rollback failed: Release region lock' : 'Serving when this run began?');
      expect([stateName, catchAll?.Next]).toEqual([stateName, expected]);
      // A timeout is named first (its cause names no step), then goes the same way.
      const timeout = state.Catch?.find((c) => c.ErrorEquals.includes('Sandbox.Timedout'));
      expect([stateName, timeout?.Next, states[timeout!.Next]?.Next]).toEqual([stateName, `${stateName}: timed out`, expected]);
    }
  });

  // The workflows that take a region lock (a roll-out, a purge and the upgrade of all regions take none).
  it.each(workflows.filter((w) => w !== 'RolloutWorkload' && w !== 'PurgeCache' && w !== 'UpgradeClusters'))(
    '%s times out when its lock lapses, so a dead execution never blocks the region longer',
    (name) => {
      const definition = definitions[name] as unknown as {
        TimeoutSeconds: number;
        States: Record<string, { Parameters?: { lockSeconds?: number } }>;
      };
      expect(definition.TimeoutSeconds).toBe(3 * 3600);
      expect(definition.States['Validate input']!.Parameters!.lockSeconds).toBe(definition.TimeoutSeconds);
    },
  );

  it('gives the roll-out, which holds no lock, a day to finish its syncs', () => {
    const definition = definitions.RolloutWorkload as unknown as { TimeoutSeconds: number; States: Record<string, { Type: string }> };
    expect(definition.TimeoutSeconds).toBe(24 * 3600);
    expect(Object.values(definition.States).filter((s) => s.Type === 'Task' && JSON.stringify(s).includes('dynamodb'))).toEqual([]);
  });

  it("gives a purge, which only reads locks, an hour, and bounds each region's wait for its pods", () => {
    const definition = definitions.PurgeCache as unknown as { TimeoutSeconds: number };
    expect(definition.TimeoutSeconds).toBe(3600);
    const states = allStates(definitions.PurgeCache);
    const lockTasks = Object.values(states).filter((s) => s.Type === 'Task' && s.Resource!.includes('dynamodb'));
    expect(lockTasks.map((s) => s.Resource)).toEqual(['arn:aws:states:::dynamodb:getItem']);
    const wait = states['Wait for purge answers'] as State & { Seconds: number };
    const bound = states['Every pod answered?']!.Choices!.find((c) => c.NumericGreaterThanEquals !== undefined)!;
    expect(wait.Seconds * bound.NumericGreaterThanEquals!).toBeLessThanOrEqual(40);
    // Bounded retries: one per kind of transient error, so a region's steps stay within seconds.
    for (const name of ['Request purge', 'Check purge answers']) expect(states[name]!.Retry!.map((r) => r.MaxAttempts)).toEqual([1, 1]);
  });

  it.each(['StartRegion', 'SyncRegion'] as const)(
    '%s prunes old ConfigMaps best effort: any error goes on to the state after it, never to a rollback or restore',
    (name) => {
      const states = definitions[name].States as Record<string, State & { ResultPath?: string }>;
      const prune = states['Prune old ConfigMaps']!;
      expect(prune.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: prune.Next, ResultPath: '$.pruneError' })]);
      expect(prune.Next).toBe(name === 'StartRegion' ? 'Ensure health check' : 'Health check as wanted?');
    },
  );

  it.each([
    ['StopRegion', '', 'Delete DNS record'],
    ['StartRegion', 'Rollback: ', 'Delete DNS record'],
    ['SyncRegion', '', 'Move latency record to the wanted check'],
  ] as const)(
    '%s holds the record set lock for longer than its guarded record change can run, retries included',
    (workflow, prefix, change) => {
      const states = definitions[workflow].States as unknown as Record<
        string,
        State & {
          Parameters?: Record<string, string>;
          Retry?: { IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number }[];
        }
      >;
      const expiry = states[`${prefix}Record set lock expiry`]!.Parameters!['expiresAt.$']!;
      const leaseSeconds = Number(/States\.MathAdd\(\$\.clock\.nowEpochSeconds, (\d+)\)/.exec(expiry)![1]);
      const deleteRecord = states[`${prefix}${change}`]!;
      // Each attempt ends by the function's own timeout at the latest (before the task's).
      const attemptSeconds = Math.min(regionOpsTimeoutSeconds, deleteRecord.TimeoutSeconds ?? Infinity);
      let worstSeconds = attemptSeconds;
      for (const retry of deleteRecord.Retry ?? []) {
        for (let attempt = 0; attempt < (retry.MaxAttempts ?? 3); attempt += 1) {
          const backoff = (retry.IntervalSeconds ?? 1) * (retry.BackoffRate ?? 2) ** attempt;
          worstSeconds += Math.min(backoff, retry.MaxDelaySeconds ?? Infinity) + attemptSeconds;
        }
      }
      expect(worstSeconds).toBeLessThan(leaseSeconds);
    },
  );

  it('rejects a busy region before any region step', () => {
    const states = definitions.StopRegion.States as Record<string, State>;
    expect(states['Take region lock']!.Catch![0]).toMatchObject({
      ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
      Next: 'Read lock holder',
    });
  });
});

describe('the region workflows construct', () => {
  const config = validConfig((c) => (c.name = 'edge'));
  const template = Template.fromStack(buildApp(config).stacks.control);

  it('creates five Standard state machines logging errors without execution data to a retained, encrypted log group, and X-Ray tracing', () => {
    for (const name of ['edge-StartRegion', 'edge-StopRegion', 'edge-SyncRegion', 'edge-RolloutWorkload', 'edge-PurgeCache']) {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: name,
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
      });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: `/aws/vendedlogs/states/${name}`, KmsKeyId: Match.anyValue() },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    template.hasOutput('StartRegionStateMachineArn', {});
    template.hasOutput('StopRegionStateMachineArn', {});
    template.hasOutput('SyncRegionStateMachineArn', {});
    template.hasOutput('RolloutWorkloadStateMachineArn', {});
    template.hasOutput('PurgeCacheStateMachineArn', {});
  });

  it('lets the roll-out start only the SyncRegion state machine', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const rolloutPolicy = Object.entries(policies).find(([id]) => id.includes('RolloutWorkloadRole'))![1] as {
      Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
    };
    const starts = rolloutPolicy.Properties.PolicyDocument.Statement.filter((st) => [st.Action].flat().includes('states:StartExecution'));
    expect(starts).toHaveLength(1);
    expect(JSON.stringify(starts[0]!.Resource)).toMatch(/SyncRegion/);
  });

  it('keeps the lock in an on-demand table with an expiry attribute and point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'region', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  const statements = () =>
    Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement,
    );

  const managedStatements = () =>
    Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement,
    );

  it('passes the cluster and node roles only to EKS, and the edge agent role only to EKS Pod Identity', () => {
    const passRole = [...statements(), ...managedStatements()].filter((s) => s.Action === 'iam:PassRole');
    expect(passRole).toHaveLength(2);
    expect(passRole[0]).toMatchObject({ Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' } } });
    expect(JSON.stringify(passRole[0]!.Resource)).toMatch(/ClusterRoles.*ClusterRole.*ClusterRoles.*NodeRole/);
    expect(passRole[1]).toMatchObject({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeAgentRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
    });
  });

  it("lets the workflows make, read and delete Pod Identity associations and the agent add-on on the project's clusters only", () => {
    const eks = managedStatements().filter((s) => JSON.stringify(s.Action).includes('eks:') && String(s.Sid).includes('PodIdentity'));
    expect(eks.map((s) => s.Action)).toEqual([
      ['eks:ListPodIdentityAssociations', 'eks:CreatePodIdentityAssociation', 'eks:CreateAddon'],
      ['eks:DescribePodIdentityAssociation', 'eks:UpdatePodIdentityAssociation', 'eks:DeletePodIdentityAssociation', 'eks:TagResource'],
      ['eks:DescribeAddon', 'eks:DeleteAddon', 'eks:TagResource'],
    ]);
    const resources = eks.map((s) => [s.Resource].flat().map((r) => JSON.stringify(r)));
    for (const resource of resources[0]!) expect(resource).toMatch(/:cluster\/edge-\?\?-[a-z]+-\?"/);
    for (const resource of resources[1]!) expect(resource).toMatch(/:podidentityassociation\/edge-\?\?-[a-z]+-\?\/\*"/);
    for (const resource of resources[2]!) expect(resource).toMatch(/:addon\/edge-\?\?-[a-z]+-\?\/eks-pod-identity-agent\/\*"/);
  });

  it("scopes EKS actions to the project's clusters (CreateCluster by condition) and Route 53 changes to the configured zone and name", () => {
    const eks = statements().filter((s) => JSON.stringify(s.Action).includes('eks:'));
    for (const statement of eks.filter((s) => s.Action !== 'eks:CreateCluster'))
      for (const resource of [statement.Resource].flat())
        expect(JSON.stringify(resource)).toMatch(/:(cluster|nodegroup|access-entry)\/edge-/);
    const create = eks.find((s) => s.Action === 'eks:CreateCluster')!;
    expect(create.Resource).toBe('*');
    expect(create.Condition).toEqual({
      StringEquals: {
        'aws:RequestedRegion': ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
        'aws:RequestTag/kubecdn:project': 'edge',
        'aws:RequestTag/kubecdn:region': ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
      },
      Bool: { 'eks:bootstrapClusterCreatorAdminPermissions': 'false' },
    });
    const change = statements().find((s) => s.Action === 'route53:ChangeResourceRecordSets')!;
    expect(change.Resource).toBe('arn:aws:route53:::hostedzone/Z0123456789EXAMPLE0');
    expect(change.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['cdn.example.com'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
      },
    });
  });

  it('lets CloudWatch Logs use the workflow logs key only for the seven workflow log groups', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key')) as {
      Properties: { KeyPolicy: { Statement: Record<string, unknown>[] } };
    }[];
    const logsStatements = keys
      .flatMap((k) => k.Properties.KeyPolicy.Statement)
      .filter((st) => JSON.stringify(st.Principal).includes('logs.'));
    expect(logsStatements).toHaveLength(1);
    const condition = (logsStatements[0]!.Condition as { ArnEquals: Record<string, unknown[]> }).ArnEquals[
      'kms:EncryptionContext:aws:logs:arn'
    ]!;
    expect(JSON.stringify(condition)).toMatch(
      /edge-StartRegion.*edge-StopRegion.*edge-SyncRegion.*edge-RolloutWorkload.*edge-PurgeCache.*edge-UpgradeRegion.*edge-UpgradeClusters/,
    );
    expect(condition).toHaveLength(7);
  });

  it('lets the upgrade of all regions describe and stop executions of UpgradeRegion only, with the separator after its name', () => {
    const describe = statements().find(
      (s) => JSON.stringify(s.Action).includes('states:DescribeExecution') && JSON.stringify(s).includes('UpgradeRegion'),
    )!;
    const parts = (describe.Resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    expect(parts.at(-1)).toBe(':*');
  });

  it("lets the workflows change Kubernetes versions only of the project's clusters and node groups, in a managed policy of their own", () => {
    const upgrades = managedStatements().filter((s) =>
      /eks:Update(Cluster|Nodegroup)Version|eks:DescribeUpdate/.test(JSON.stringify(s.Action)),
    );
    expect(upgrades.map((s) => [s.Sid, s.Action])).toEqual([
      ['UpgradeProjectClusters', ['eks:UpdateClusterVersion', 'eks:DescribeUpdate']],
      ['UpgradeProjectNodegroups', ['eks:UpdateNodegroupVersion', 'eks:DescribeUpdate']],
    ]);
    const addons = managedStatements().filter((s) => JSON.stringify(s.Action).includes('Addon'));
    expect(addons.filter((s) => s.Sid === 'UpgradeAgentAddon').map((s) => s.Resource)).toEqual([
      expect.arrayContaining([
        { 'Fn::Join': ['', ['arn:aws:eks:*:', { Ref: 'AWS::AccountId' }, ':addon/edge-??-west-?/eks-pod-identity-agent/*']] },
      ]),
    ]);
    // The catalog read is the only statement on "*".
    expect(
      managedStatements()
        .filter((s) => s.Resource === '*')
        .map((s) => s.Action),
    ).toEqual(['eks:DescribeAddonVersions']);
    for (const statement of upgrades)
      for (const resource of [statement.Resource].flat())
        expect(JSON.stringify(resource)).toMatch(/:(cluster|nodegroup)\/edge-\?\?-[a-z]+-\?/);
    expect(statements().some((s) => /Version/.test(JSON.stringify(s.Action)))).toBe(false);
  });

  it('lets the roll-out describe and stop executions of SyncRegion only, with the separator after its name', () => {
    const describe = statements().find(
      (s) => JSON.stringify(s.Action).includes('states:DescribeExecution') && JSON.stringify(s).includes('SyncRegion'),
    )!;
    const parts = (describe.Resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    expect(parts.at(-1)).toBe(':*');
  });

  it("lets the workflows delete and describe only the project's network stacks, and passes no role to CloudFormation", () => {
    // The deploy trigger reads its own (control) stack's status, nothing else: not the workflows'.
    const ownStack = { Ref: 'AWS::StackId' };
    const cloudformation = statements().filter(
      (s) => JSON.stringify(s.Action).includes('cloudformation:') && JSON.stringify(s.Resource) !== JSON.stringify(ownStack),
    );
    expect(statements().filter((s) => JSON.stringify(s.Resource) === JSON.stringify(ownStack))).toEqual([
      { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: ownStack },
    ]);
    expect(cloudformation).toHaveLength(2);
    expect(cloudformation[0]).toMatchObject({ Effect: 'Allow', Action: ['cloudformation:DeleteStack', 'cloudformation:DescribeStacks'] });
    expect(cloudformation[0]!.Resource).toContainEqual({
      'Fn::Join': ['', ['arn:aws:cloudformation:*:', { Ref: 'AWS::AccountId' }, ':stack/edge-network-??-west-?/*']],
    });
    // A configured region's network stack is never deleted by a workflow.
    expect(cloudformation[1]).toMatchObject({ Effect: 'Deny', Action: 'cloudformation:DeleteStack' });
    expect(JSON.stringify(cloudformation[1]!.Resource)).toMatch(/eu-west-1:.*stack\/edge-network-eu-west-1\/\*/);
    for (const statement of cloudformation) expect(statement).not.toHaveProperty('NotResource');
    // CloudFormation deletes with the stack's own service role; nothing is passed to it.
    for (const statement of [...statements(), ...managedStatements()].filter((s) => s.Action === 'iam:PassRole'))
      expect(statement.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': expect.stringMatching(/^(pods\.)?eks\.amazonaws\.com$/) },
      });
  });

  it('gives the region-ops function the deployed config in its code and the roles it needs in its environment', () => {
    const fn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.includes('RegionOps'))![1] as {
      Properties: { Code: { ZipFile: string }; Environment: { Variables: Record<string, unknown> }; Timeout: number };
    };
    const variables = fn.Properties.Environment.Variables;
    expect(deployedConfigOf(constantsOfInlineCode(fn.Properties.Code.ZipFile))).toEqual(config);
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(['CLUSTER_ROLE_ARN', 'NODE_ROLE_ARN', 'WORKFLOW_ROLE_ARN', 'NETWORK_PARAMETER_NAME', 'EDGE_AGENT_ROLE_ARN']),
    );
    expect(JSON.stringify(variables).length).toBeLessThan(4096);
    expect(fn.Properties.Timeout).toBe(120);
  });

  it('fails synthesis with the file and document when a workload manifest is unusable', () => {
    const { mkdtempSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
    const dir = mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'workload-'));
    writeFileSync(`${dir}/app.yaml`, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n');
    const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const { addKubeCdnStacks } = require('../../lib/kubecdn-app') as typeof import('../../lib/kubecdn-app');
    const { inlineFunctionFactory } = require('../../lib/function-factory') as typeof import('../../lib/function-factory');
    expect(() => addKubeCdnStacks(new App(), config, { functionFactory: inlineFunctionFactory, manifestsDir: dir })).toThrow(
      /app\.yaml#1: v1\/Secret is not supported[\s\S]*expected exactly one Service of type LoadBalancer/,
    );
  });
});
