import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import { DEMAND_NAMESPACE, QUERY_LOG_REGION } from '../core/demand/demand-metric';
import type { FunctionFactory } from './function-factory';

export interface Route53QueryLogDemandProps {
  readonly config: KubeCdnConfig;
  readonly functionFactory: FunctionFactory;
}

/**
 * The demand producer: Route 53 query logging for the CDN's public zone, into a log group that
 * must be in us-east-1 and named /aws/route53/..., with a subscription that hands each batch of
 * query lines to a Lambda which publishes DNS queries per minute per nearest configured region.
 *
 * Why DNS: every viewer resolves the CDN name before it is sent anywhere, so queries are seen
 * for the viewers of stopped regions too, and the edge location that answers stands in for where
 * the viewer is. The edge workload never needs to know about it.
 */
export class Route53QueryLogDemand extends Construct {
  readonly logGroup: logs.LogGroup;
  readonly producer: lambda.Function;

  constructor(scope: Construct, id: string, props: Route53QueryLogDemandProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    if (stack.region !== QUERY_LOG_REGION) {
      throw new Error(`Route 53 writes query logs only to CloudWatch Logs in us-east-1; this construct is in ${stack.region}`);
    }

    // The lines are only needed until the producer has counted them: keep them briefly.
    this.logGroup = new logs.LogGroup(this, 'QueryLogs', {
      logGroupName: `/aws/route53/${config.dns.domainName}`,
      retention: logs.RetentionDays.THREE_DAYS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const zoneArn = stack.formatArn({
      service: 'route53',
      region: '',
      account: '',
      resource: 'hostedzone',
      resourceName: config.dns.hostedZoneId,
    });
    const writeAccess = new logs.ResourcePolicy(this, 'Route53MayWrite', {
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('route53.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
          conditions: { ArnLike: { 'aws:SourceArn': zoneArn }, StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      ],
    });
    const queryLogging = new route53.CfnQueryLoggingConfig(this, 'QueryLogging', {
      hostedZoneId: config.dns.hostedZoneId,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
    });
    queryLogging.node.addDependency(writeAccess);

    this.producer = props.functionFactory.create(this, 'Producer', {
      entry: 'demand-route53/handler.ts',
      description: `kubecdn demand producer for ${config.dns.domainName}: Route 53 queries per minute per nearest configured region`,
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: {
        KUBECDN_PROJECT: config.name,
        KUBECDN_DOMAIN_NAME: config.dns.domainName,
        KUBECDN_REGIONS: configuredRegions(config).join(','),
        POWERTOOLS_SERVICE_NAME: `${config.name}-demand`,
      },
    });
    this.producer.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishDemandOnly',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': DEMAND_NAMESPACE } },
      }),
    );

    // Only A queries reach the function: AAAA and HTTPS lookups of the same viewer would count it twice.
    new logs.SubscriptionFilter(this, 'ToProducer', {
      logGroup: this.logGroup,
      destination: new destinations.LambdaDestination(this.producer),
      filterPattern: logs.FilterPattern.spaceDelimited('version', 'time', 'zone', 'name', 'type', '...').whereString('type', '=', 'A'),
    });

    Validations.of(this.producer).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins Node.js 22 for Lambda, local runs and CI alike (lib/function-factory.ts), so the tests exercise the runtime that is deployed.',
    });
    Validations.of(this.producer).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Lets the function write its own logs; AWS maintains it and it grants nothing beyond the function's log streams.",
    });
    Validations.of(this.producer).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:PutMetricData has no resource-level permissions (it is limited to the KubeCdn/Demand namespace by condition); X-Ray PutTraceSegments/PutTelemetryRecords have none either.',
    });
  }
}
