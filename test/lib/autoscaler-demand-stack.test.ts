import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Route53QueryLogDemand } from '../../lib/demand-route53';
import { inlineFunctionFactory } from '../../lib/function-factory';
import { validConfig } from '../support/configs';
import { buildApp } from '../support/synth';

describe('the Route 53 query-log demand producer', () => {
  const config = validConfig((c) => {
    c.homeRegion = 'eu-west-1';
    c.demand = { source: 'route53-query-logs' };
  });
  const { app, stacks } = buildApp(config);
  const template = Template.fromStack(stacks.demand!);

  it('lives in us-east-1, where Route 53 delivers query logs, whatever the home region', () => {
    expect(stacks.demand?.region).toBe('us-east-1');
    expect(stacks.demand?.stackName).toBe('kubecdn-demand');
    expect(stacks.control.region).toBe('eu-west-1');
  });

  it('turns on query logging for the CDN zone into /aws/route53/<domain>, kept three days', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/route53/cdn.example.com', RetentionInDays: 3 });
    template.hasResourceProperties('AWS::Route53::QueryLoggingConfig', { HostedZoneId: 'Z0123456789EXAMPLE0' });
  });

  it('lets Route 53 write to that log group, for this zone and account only, before logging is turned on', () => {
    const policies = template.findResources('AWS::Logs::ResourcePolicy');
    const [id, policy] = Object.entries(policies)[0]!;
    // The document is a Fn::Join around the account id; its text is enough to check what it allows.
    const text = JSON.stringify(policy).replace(/\\"/g, '"');
    expect(text).toContain('"Principal":{"Service":"route53.amazonaws.com"}');
    expect(text).toContain('"Action":["logs:CreateLogStream","logs:PutLogEvents"]');
    expect(text).toContain(':route53:::hostedzone/Z0123456789EXAMPLE0');
    expect(text).toContain('"aws:SourceArn"');
    expect(text).toContain('"aws:SourceAccount"');
    template.hasResource('AWS::Route53::QueryLoggingConfig', { DependsOn: Match.arrayWith([id]) });
  });

  it('subscribes the producer to A queries only, and gives it the configured regions', () => {
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', { FilterPattern: '[version, time, zone, name, type = "A", ...]' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          KUBECDN_PROJECT: 'kubecdn',
          KUBECDN_DOMAIN_NAME: 'cdn.example.com',
          KUBECDN_REGIONS: 'us-east-1,eu-west-1,ap-northeast-1',
        }),
      },
    });
  });

  it('may publish metrics only into the KubeCdn/Demand namespace', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'KubeCdn/Demand' } },
          }),
        ]),
      },
    });
  });

  it('passes cdk-nag', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('is not deployed when the edges count demand (the default)', () => {
    expect(buildApp(validConfig()).stacks.demand).toBeUndefined();
  });

  it('is not deployed when the config brings its own metric', () => {
    const brought = buildApp(
      validConfig((c) => (c.demand = { source: 'cloudwatch-metric', metric: { namespace: 'Edge', metricName: 'Requests' } })),
    );
    expect(brought.stacks.demand).toBeUndefined();
  });

  it('refuses to be placed outside us-east-1', () => {
    const stack = new Stack(new App(), 'Elsewhere', { env: { region: 'eu-west-1' } });
    expect(() => new Route53QueryLogDemand(stack, 'Demand', { config, functionFactory: inlineFunctionFactory })).toThrow(
      /only to CloudWatch Logs in us-east-1/,
    );
  });
});
