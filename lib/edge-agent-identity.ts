import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import { accessLogGroupName } from '../core/edge-metrics/access-log-group';
import { EDGE_NAMESPACE as METRICS_NAMESPACE } from '../core/edge-metrics/edge-metric-names';
import { EDGE_POD_NAMESPACE, EDGE_SERVICE_ACCOUNT } from '../lambdas/region-ops/names';
import { regionNamePatterns } from './region-name-patterns';

export interface EdgeAgentIdentityProps {
  readonly config: KubeCdnConfig;
}

/**
 * What the edge pods may do in AWS, and where their access logs go: the IAM role EKS Pod Identity
 * gives the pods' service account in every region (the region workflows make the association),
 * and the one access-log group in the home region, which outlives every region's stop.
 */
export class EdgeAgentIdentity extends Construct {
  /** Assumed by EKS Pod Identity for the `edge` service account of the `kubecdn-edge` namespace. */
  readonly role: iam.Role;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EdgeAgentIdentityProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: accessLogGroupName(config.name),
      retention: config.edgeMonitoring.accessLogs.retentionDays as logs.RetentionDays,
      // The group is in the control stack, so a region's stop never touches it: that is how the
      // logs outlive a region. Only `cdk destroy` of the whole project deletes it, and an operator
      // who takes the CDN down expects the viewers' addresses in it to go too, not to sit in an
      // orphaned group nobody looks after (one that would also block the next deploy of the same
      // project, its name being fixed). The README's Cleanup says to export what should be kept.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // `<project>-<region>` clusters in any region (see region-name-patterns.ts), in this account.
    const clusterArns = regionNamePatterns(`${config.name}-`).map((name) => `arn:aws:eks:*:${stack.account}:cluster/${name}`);
    this.role = new iam.Role(this, 'Role', {
      description: `kubecdn edge pods (EKS Pod Identity, ${EDGE_POD_NAMESPACE}/${EDGE_SERVICE_ACCOUNT}): edge metrics and sampled access logs`,
      // EKS Pod Identity assumes the role and tags the session with the pod's cluster, namespace
      // and service account (EKS User Guide, "Create IAM role with trust policy required by EKS
      // Pod Identity"). EKS documents no aws:SourceArn for it, so those session tags hold the
      // trust to the edge service account of this project's clusters, in this account.
      assumedBy: new iam.SessionTagsPrincipal(
        new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:RequestTag/kubernetes-namespace': EDGE_POD_NAMESPACE,
            'aws:RequestTag/kubernetes-service-account': EDGE_SERVICE_ACCOUNT,
          },
          StringLike: { 'aws:RequestTag/eks-cluster-arn': clusterArns },
        }),
      ),
    });

    const streams = `arn:aws:logs:${stack.region}:${stack.account}:log-group:${accessLogGroupName(config.name)}:log-stream:*`;
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        // PutMetricData has no resource-level permissions; the namespace condition is its scope.
        new iam.PolicyStatement({
          sid: 'EdgeMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
        }),
        new iam.PolicyStatement({
          sid: 'SampledAccessLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [streams],
        }),
      ],
    });
    policy.attachToRole(this.role);

    Validations.of(policy).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `cloudwatch:PutMetricData supports no resource-level permissions; the condition holds it to the ${METRICS_NAMESPACE} namespace.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${streams.replace(stack.account, '<AWS::AccountId>')}]`,
        reason:
          'The streams of the access-log group only: each pod names its own stream (<edge region>/<pod name>/sampled-<rate>), so stream names are not known in advance.',
      },
    );
  }
}
