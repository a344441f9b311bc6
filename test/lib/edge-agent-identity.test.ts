import { Template } from 'aws-cdk-lib/assertions';
import { validConfig } from '../support/configs';
import { buildApp } from '../support/synth';

describe('the edge agent identity (control stack)', () => {
  const config = validConfig((c) => {
    c.name = 'edge';
    c.edgeMonitoring = { accessLogs: { retentionDays: 14 } };
  });
  const template = Template.fromStack(buildApp(config).stacks.control);
  const [roleId, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('EdgeAgentRole'))! as [
    string,
    { Properties: { AssumeRolePolicyDocument: { Statement: Record<string, unknown>[] }; ManagedPolicyArns?: unknown } },
  ];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: unknown[]; PolicyDocument: { Statement: Record<string, unknown>[] } };
  }[];
  const rolePolicies = policies.filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));

  it('is trusted by EKS Pod Identity only, for the edge service account of this project’s clusters in this account', () => {
    const clusterPatterns = ['east', 'west', 'south', 'north', 'central', 'southeast', 'northeast'].map((word) => ({
      'Fn::Join': ['', ['arn:aws:eks:*:', { Ref: 'AWS::AccountId' }, `:cluster/edge-??-${word}-?`]],
    }));
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:RequestTag/kubernetes-namespace': 'kubecdn-edge',
            'aws:RequestTag/kubernetes-service-account': 'edge',
          },
          StringLike: { 'aws:RequestTag/eks-cluster-arn': expect.arrayContaining(clusterPatterns) },
        },
      },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('may put metrics in the KubeCdn/Edge namespace only, and write streams of the access-log group only', () => {
    expect(rolePolicies).toHaveLength(1);
    expect(rolePolicies[0]!.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'EdgeMetrics',
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'KubeCdn/Edge' } },
      },
      {
        Sid: 'SampledAccessLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: {
          'Fn::Join': ['', ['arn:aws:logs:us-east-1:', { Ref: 'AWS::AccountId' }, ':log-group:/kubecdn/edge/edge-access:log-stream:*']],
        },
      },
    ]);
  });

  it('keeps the access logs in one home-region group with the configured retention, deleted only with the control stack', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/kubecdn/edge/edge-access', RetentionInDays: 14 },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    template.hasOutput('EdgeAccessLogGroupName', {});
    template.hasOutput('EdgeAgentRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });

  it('reaches the region-ops function as EDGE_AGENT_ROLE_ARN', () => {
    const fn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.includes('RegionOps'))![1] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(fn.Properties.Environment.Variables.EDGE_AGENT_ROLE_ARN).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });
});
