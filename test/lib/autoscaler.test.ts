import { Match, Template } from 'aws-cdk-lib/assertions';
import { configuredRegions } from '../../core/config';
import { constantsOfInlineCode } from '../../lib/function-factory';
import { CONFIG_CONSTANT, CONFIG_DIGEST_CONSTANT, deployedConfig } from '../../lambdas/shared/deployed-config';
import { validConfig } from '../support/configs';
import { buildApp } from '../support/synth';
import { autoscalerStack, START_ARN, STOP_ARN, TOPIC_ARN, TOPIC_KEY_ARN, UPGRADE_ARN } from './autoscaler-fixture';

/** The config a function's compiled-in constants carry, checked against the digest compiled in beside it. */
const deployedConfigOf = (constants: Record<string, string>) =>
  deployedConfig(constants[CONFIG_CONSTANT], constants[CONFIG_DIGEST_CONSTANT]);

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string };

function statementsOf(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('the autoscaler construct', () => {
  const config = validConfig();
  const { app, stack } = autoscalerStack(config);
  const template = Template.fromStack(stack);

  it('runs on a schedule of one period (every minute by default)', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: Match.anyValue(), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 } })],
    });
  });

  it('follows a longer period from the config', () => {
    const five = Template.fromStack(autoscalerStack(validConfig((c) => (c.periodSeconds = 300))).stack);
    five.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    five.hasResourceProperties('AWS::Lambda::Function', { Timeout: 290 });
  });

  it('compiles the validated config into the function and hands it the region workflows’ ARNs, and ends each tick before the next', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Timeout: 50,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          START_REGION_STATE_MACHINE_ARN: START_ARN,
          STOP_REGION_STATE_MACHINE_ARN: STOP_ARN,
          UPGRADE_REGION_STATE_MACHINE_ARN: UPGRADE_ARN,
          POWERTOOLS_SERVICE_NAME: 'kubecdn-autoscaler',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Code: { ZipFile: string } } }[];
    expect(deployedConfigOf(constantsOfInlineCode(fn!.Properties.Code.ZipFile))).toEqual(config);
  });

  it('may start executions of StartRegion and StopRegion and of nothing else', () => {
    const starts = statementsOf(template).filter((s) => actionsOf(s).some((a) => a.startsWith('states:Start')));
    expect(new Set(starts.flatMap(actionsOf))).toEqual(new Set(['states:StartExecution']));
    expect(starts.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).sort()).toEqual([START_ARN, STOP_ARN]);
  });

  it('only reads everywhere else: no write action besides StartExecution, retiring lapsed overrides, and its own logs and traces', () => {
    const readOnly =
      /^(cloudwatch:GetMetricData|eks:DescribeCluster|route53:ListResourceRecordSets|states:(ListExecutions|DescribeExecution|StartExecution)|dynamodb:(Scan|DeleteItem)|sns:Publish|kms:(Decrypt|GenerateDataKey)|xray:Put(TraceSegments|TelemetryRecords))$/;
    for (const action of statementsOf(template).flatMap(actionsOf)) expect(action).toMatch(readOnly);
  });

  it('scans and deletes only in the override table, publishes only to the operations topic, and encrypts only with its key', () => {
    const tables = Object.keys(template.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(1);
    const on = (prefix: string) => statementsOf(template).filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));
    expect(on('dynamodb:')).toEqual([
      expect.objectContaining({ Action: ['dynamodb:Scan', 'dynamodb:DeleteItem'], Resource: { 'Fn::GetAtt': [tables[0], 'Arn'] } }),
    ]);
    expect(on('sns:')).toEqual([expect.objectContaining({ Action: 'sns:Publish', Resource: TOPIC_ARN })]);
    expect(on('kms:')).toEqual([expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: TOPIC_KEY_ARN })]);
  });

  it('keeps the overrides in an on-demand table keyed by region, with point-in-time recovery and expiresAt as its TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'region', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'region', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ REGION_OVERRIDE_TABLE_NAME: Match.anyValue(), OPERATIONS_TOPIC_ARN: TOPIC_ARN }) },
    });
  });

  it('reads exactly the project’s cluster in each configured region, and only the CDN zone', () => {
    const clusters = statementsOf(template).find((s) => s.Sid === 'ConfiguredRegionClusters')!;
    const text = JSON.stringify(clusters.Resource);
    for (const region of configuredRegions(config)) expect(text).toContain(`:eks:${region}:123456789012:cluster/kubecdn-${region}`);
    expect(clusters.Resource).toHaveLength(configuredRegions(config).length);
    const zone = statementsOf(template).find((s) => s.Sid === 'ServingRecords')!;
    expect(JSON.stringify(zone.Resource)).toContain(':route53:::hostedzone/Z0123456789EXAMPLE0');
  });

  it('lists and describes only executions of StartRegion, StopRegion and UpgradeRegion', () => {
    const list = statementsOf(template).find((s) => s.Sid === 'RegionWorkflowExecutions')!;
    expect([list.Resource].flat().sort()).toEqual([START_ARN, STOP_ARN, UPGRADE_ARN]);
    const describe = statementsOf(template).find((s) => s.Sid === 'RegionWorkflowExecutionInputs')!;
    const text = JSON.stringify(describe.Resource);
    expect(describe.Resource).toHaveLength(3);
    expect(text).toContain(':execution:kubecdn-StartRegion:*');
    expect(text).toContain(':execution:kubecdn-StopRegion:*');
    expect(text).toContain(':execution:kubecdn-UpgradeRegion:*');
  });

  it('passes cdk-nag with a reason for every acknowledged finding', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('takes a config too large for any Lambda environment, compiled into its code, leaving the environment small', () => {
    const huge = validConfig((c) => {
      c.scalable = ['eu-west-1', 'ap-northeast-1', 'eu-central-1', 'ap-southeast-1', 'sa-east-1', 'us-west-2', 'ap-south-1', 'eu-north-1'];
      c.thresholds = {
        perRegion: Object.fromEntries(
          c.scalable.map((r) => [
            r,
            {
              scaleUpRequestsPerMinute: 9000,
              scaleDownRequestsPerMinute: 100,
              scaleUpPeriods: 2,
              scaleDownPeriods: 30,
              cooldownMinutes: 45,
            },
          ]),
        ),
      };
      c.notifications = { emails: Array.from({ length: 30 }, (_, i) => `operator-number-${i}@a-rather-long-company-domain.example.com`) };
    });
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(4096);
    const [fn] = Object.values(Template.fromStack(autoscalerStack(huge).stack).findResources('AWS::Lambda::Function')) as {
      Properties: { Code: { ZipFile: string }; Environment: { Variables: Record<string, string> } };
    }[];
    expect(deployedConfigOf(constantsOfInlineCode(fn!.Properties.Code.ZipFile))).toEqual(huge);
    expect(JSON.stringify(fn!.Properties.Environment.Variables).length).toBeLessThan(1024);
  });
});

describe('the autoscaler in the control stack', () => {
  const { app, stacks } = buildApp(validConfig());
  const template = Template.fromStack(stacks.control);

  it('starts the control stack’s own StartRegion and StopRegion, and watches its own UpgradeRegion', () => {
    const env = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) =>
        (f as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables
          ?.START_REGION_STATE_MACHINE_ARN,
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    const machines = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));
    // StartRegion, StopRegion, the workload roll-out's SyncRegion and RolloutWorkload, PurgeCache, and the Kubernetes
    // upgrade's UpgradeRegion and UpgradeClusters, which the autoscaler never starts.
    expect(machines).toHaveLength(7);
    const start = (env.Properties.Environment.Variables.START_REGION_STATE_MACHINE_ARN as { Ref: string }).Ref;
    const stop = (env.Properties.Environment.Variables.STOP_REGION_STATE_MACHINE_ARN as { Ref: string }).Ref;
    expect([machines.includes(start), start]).toEqual([true, expect.stringContaining('StartRegion')]);
    expect([machines.includes(stop), stop]).toEqual([true, expect.stringContaining('StopRegion')]);
    const upgrade = (env.Properties.Environment.Variables.UPGRADE_REGION_STATE_MACHINE_ARN as { Ref: string }).Ref;
    expect([machines.includes(upgrade), upgrade]).toEqual([true, expect.stringContaining('UpgradeRegion')]);
  });

  it('is scheduled, watched by alarms and shown on a dashboard, all clean under cdk-nag', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThanOrEqual(5);
    expect(() => app.synth()).not.toThrow();
  });
});
