import { Stack, Validations } from 'aws-cdk-lib';
import { createHash } from 'node:crypto';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { configuredRegions } from '../../core/config';
import { validConfig } from '../support/configs';
import { blankAssetHashes, buildApp } from '../support/synth';

/** The network parameter's JSON as published, each CloudFormation token shown as its JSON with single quotes. */
function networkParameter(template: Template): Record<string, unknown> {
  const [parameter] = Object.values(template.findResources('AWS::SSM::Parameter'));
  const [, parts] = (parameter!.Properties.Value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part).replace(/"/g, "'"))).join('')) as Record<
    string,
    unknown
  >;
}

describe('the kubecdn app', () => {
  const config = validConfig((c) => {
    c.name = 'edge';
    c.notifications = { emails: ['ops@example.com'] };
  });
  const { app, stacks } = buildApp(config);

  it('puts the control stack in the home region and one network stack in each configured region', () => {
    expect(stacks.control.stackName).toBe('edge-control');
    expect(stacks.control.region).toBe('us-east-1');
    expect([...stacks.networks.keys()]).toEqual(configuredRegions(config));
    for (const [region, stack] of stacks.networks) {
      expect(stack.stackName).toBe(`edge-network-${region}`);
      expect(stack.region).toBe(region);
    }
  });

  it('synthesizes with no unacknowledged cdk-nag AwsSolutions finding', () => {
    const assembly = app.synth();
    // No demand stack: the default demand source, edge requests, needs no Route 53 query logs.
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'edge-control',
      'edge-network-ap-northeast-1',
      'edge-network-eu-west-1',
      'edge-network-us-east-1',
    ]);
  });

  describe('a region network stack', () => {
    const template = Template.fromStack(stacks.networks.get('eu-west-1')!);

    it('has no NAT gateway and no interface endpoint, so nothing bills while the region is off', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      template.resourceCountIs('AWS::EC2::EIP', 0);
    });

    it('tags its subnets for internet-facing load balancers and spreads them over availability zones', () => {
      const subnets = template.findResources('AWS::EC2::Subnet', {
        Properties: { MapPublicIpOnLaunch: true, Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/elb', Value: '1' }]) },
      });
      expect(Object.keys(subnets).length).toBeGreaterThanOrEqual(2);
    });

    it('logs rejected flows only, for a month', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('publishes the VPC and subnets in SSM for the region workflows', () => {
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/edge/network', Type: 'String' });
      template.hasOutput('SubnetIds', {});
      template.hasOutput('VpcId', {});
    });

    it('runs the Kubernetes API relay in the VPC under its fixed name, with HTTPS to the control-plane group as its only way out', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'edge-kubernetes-api-relay',
        VpcConfig: {
          SubnetIds: Match.anyValue(),
          SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('RelaySecurityGroup'), 'GroupId'] }],
        },
        Timeout: 30,
      });
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      const relayGroup = Object.keys(groups).find((id) => id.includes('RelaySecurityGroup'))!;
      const apiGroup = Object.keys(groups).find((id) => id.includes('ApiAccessSecurityGroup'))!;
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: { 'Fn::GetAtt': [relayGroup, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        DestinationSecurityGroupId: { 'Fn::GetAtt': [apiGroup, 'GroupId'] },
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [apiGroup, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: { 'Fn::GetAtt': [relayGroup, 'GroupId'] },
      });
      // Nothing else either way: the relay's one egress rule is the 443 one (a separate rule replaces
      // EC2's default allow-all), and the control-plane group keeps CDK's match-nothing placeholder.
      expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupEgress'))).toHaveLength(1);
      expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress'))).toHaveLength(1);
      expect(groups[relayGroup]!.Properties.SecurityGroupEgress).toBeUndefined();
      expect(groups[apiGroup]!.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
      for (const id of [relayGroup, apiGroup]) expect(groups[id]!.Properties.SecurityGroupIngress).toBeUndefined();
    });

    it("gives the relay's role only the managed logging and VPC-attachment policies: it calls no AWS API", () => {
      const roles = template.findResources('AWS::IAM::Role');
      const [relayRole] = Object.entries(roles).filter(([id]) => id.includes('KubernetesApiRelay'));
      expect(JSON.stringify(relayRole![1].Properties.ManagedPolicyArns)).toMatch(
        /AWSLambdaBasicExecutionRole.*AWSLambdaVPCAccessExecutionRole/,
      );
      const policies = template.findResources('AWS::IAM::Policy');
      expect(Object.values(policies).filter((p) => JSON.stringify(p.Properties.Roles).includes(relayRole![0]))).toEqual([]);
    });

    it('publishes the relay and the control-plane access group with the VPC', () => {
      const [parameter] = Object.values(template.findResources('AWS::SSM::Parameter'));
      const value = JSON.stringify(parameter!.Properties.Value);
      for (const field of ['vpcId', 'subnetIds', 'kubernetesApiAccessSecurityGroupId', 'kubernetesApiRelayFunctionName'])
        expect(value).toContain(field);
      expect(value).toMatch(
        /kubernetesApiAccessSecurityGroupId.*"Fn::GetAtt":\["EdgeNetworkKubernetesApiRelayApiAccessSecurityGroup[0-9A-F]+","GroupId"\]/,
      );
    });

    it('requests a certificate for the CDN name and its alternate names, validated through DNS in the hosted zone', () => {
      const withNames = buildApp(
        validConfig((c) => {
          c.name = 'edge';
          c.dns.alternateNames = ['www.example.com', 'static.example.com'];
        }),
      ).stacks.networks.get('eu-west-1')!;
      Template.fromStack(withNames).hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'cdn.example.com',
        SubjectAlternativeNames: ['www.example.com', 'static.example.com'],
        ValidationMethod: 'DNS',
        DomainValidationOptions: [
          { DomainName: 'cdn.example.com', HostedZoneId: 'Z0123456789EXAMPLE0' },
          { DomainName: 'www.example.com', HostedZoneId: 'Z0123456789EXAMPLE0' },
          { DomainName: 'static.example.com', HostedZoneId: 'Z0123456789EXAMPLE0' },
        ],
      });
      template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'cdn.example.com',
        SubjectAlternativeNames: Match.absent(),
        DomainValidationOptions: [{ DomainName: 'cdn.example.com', HostedZoneId: 'Z0123456789EXAMPLE0' }],
      });
    });

    it('publishes the certificate and the VPC CIDR in its network parameter and outputs', () => {
      const [certificateId] = Object.keys(template.findResources('AWS::CertificateManager::Certificate'));
      const [vpcId] = Object.keys(template.findResources('AWS::EC2::VPC'));
      expect(networkParameter(template)).toMatchObject({
        certificateArn: `{'Ref':'${certificateId}'}`,
        vpcCidr: `{'Fn::GetAtt':['${vpcId}','CidrBlock']}`,
      });
      template.hasOutput('CertificateArn', { Value: { Ref: certificateId } });
      template.hasOutput('VpcCidr', { Value: { 'Fn::GetAtt': [vpcId, 'CidrBlock'] } });
    });

    it('requests no certificate where https.certificateArns names one, and publishes that one', () => {
      const own = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-4333-8444-555555555555';
      const { networks } = buildApp(
        validConfig((c) => {
          c.name = 'edge';
          c.https = { certificateArns: { 'eu-west-1': own } };
        }),
      ).stacks;
      const given = Template.fromStack(networks.get('eu-west-1')!);
      given.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      given.hasOutput('CertificateArn', { Value: own });
      expect(networkParameter(given).certificateArn).toBe(own);
      // The other regions still get their own.
      Template.fromStack(networks.get('us-east-1')!).resourceCountIs('AWS::CertificateManager::Certificate', 1);
    });

    it('tags everything with the project and the region', () => {
      template.hasResourceProperties('AWS::EC2::VPC', {
        Tags: Match.arrayWith([
          { Key: 'kubecdn:project', Value: 'edge' },
          { Key: 'kubecdn:region', Value: 'eu-west-1' },
        ]),
      });
    });
  });

  describe('the control stack', () => {
    const template = Template.fromStack(stacks.control);

    it('has an operations topic encrypted with a rotating key, refusing plain HTTP, with the e-mail subscribers', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    });

    it('has an EKS cluster role with the Auto Mode policies and a node role for EC2', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'eks.amazonaws.com' } })],
        },
        ManagedPolicyArns: Match.arrayWith([
          Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::aws:policy/AmazonEKSComputePolicy'])]) }),
        ]),
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
      });
    });

    it('names what an operator needs in its outputs', () => {
      for (const output of ['OperationsTopicArn', 'ClusterRoleArn', 'NodeRoleArn']) template.hasOutput(output, {});
    });

    it("publishes the SHA-256 of the config it deploys, which kubecdn plan and status compare with the local file's", () => {
      template.hasOutput('DeployedConfigSha256', { Value: createHash('sha256').update(JSON.stringify(config)).digest('hex') });
    });

    it('matches the snapshot (asset hashes blanked)', () => {
      expect(blankAssetHashes(template.toJSON())).toMatchSnapshot();
    });
  });

  it('gives a managed-nodegroup cluster the node-group policies instead of the Auto Mode ones', () => {
    const nodegroup = buildApp(validConfig((c) => (c.cluster = { mode: 'managed-nodegroup' }))).stacks.control;
    const roles = JSON.stringify(Template.fromStack(nodegroup).findResources('AWS::IAM::Role'));
    expect(roles).toContain('AmazonEKS_CNI_Policy');
    expect(roles).not.toContain('AmazonEKSComputePolicy');
  });

  it('says in one synth warning that Kubernetes API endpoints are public when the config asks for that', () => {
    const warningsOf = (endpointAccess: 'public' | 'private') => {
      const { app } = buildApp(validConfig((c) => (c.cluster = { endpointAccess })));
      return app
        .synth()
        .stacks.flatMap((stack) => stack.messages)
        .filter((m) => m.level === 'warning' && String(m.entry.data).includes('endpointAccess'))
        .map((m) => String(m.entry.data));
    };
    expect(warningsOf('public')).toEqual([
      expect.stringMatching(/endpoint is reachable from 0\.0\.0\.0\/0 \(IAM-authenticated\); "private" keeps it/),
    ]);
    expect(warningsOf('private')).toEqual([]);
  });

  it('makes a new region available by adding it to the config', () => {
    const grown = buildApp(validConfig((c) => c.scalable!.push('sa-east-1'))).stacks;
    expect(grown.networks.get('sa-east-1')?.region).toBe('sa-east-1');
  });
});

describe('cdk-nag wiring', () => {
  it('fails synthesis when a resource breaks an AwsSolutions rule without an acknowledgement', () => {
    const { app, stacks } = buildApp(validConfig());
    new sns.Topic(stacks.control, 'PlainTopic');
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  });

  it('lets an acknowledgement with a reason clear that finding', () => {
    const { app, stacks } = buildApp(validConfig());
    const topic = new sns.Topic(stacks.control, 'PlainTopic');
    Validations.of(topic).acknowledge({ id: 'AwsSolutions-SNS3', reason: 'a test topic that never leaves this process' });
    expect(() => app.synth()).not.toThrow();
    expect(Stack.of(topic).stackName).toBe('kubecdn-control');
  });
});
