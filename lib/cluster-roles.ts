import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ClusterRolesProps {
  /** Auto Mode clusters and managed node groups need different AWS-managed policies. */
  readonly mode: 'auto' | 'managed-nodegroup';
}

/**
 * The IAM roles every regional cluster uses. IAM is global, so they are created once (in the
 * control stack) and passed to EKS by the region workflows, in whichever region they run.
 */
export class ClusterRoles extends Construct {
  readonly clusterRole: iam.Role;
  readonly nodeRole: iam.Role;

  constructor(scope: Construct, id: string, props: ClusterRolesProps) {
    super(scope, id);
    const auto = props.mode === 'auto';
    const clusterPolicies = auto
      ? [
          'AmazonEKSClusterPolicy',
          'AmazonEKSComputePolicy',
          'AmazonEKSBlockStoragePolicy',
          'AmazonEKSLoadBalancingPolicy',
          'AmazonEKSNetworkingPolicy',
        ]
      : ['AmazonEKSClusterPolicy'];
    const nodePolicies = auto
      ? ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly']
      : ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'];

    this.clusterRole = new iam.Role(this, 'ClusterRole', {
      description: 'Assumed by EKS to run kubecdn edge clusters',
      // EKS Auto Mode tags the sessions it opens with this role, so it also needs TagSession.
      assumedBy: new iam.ServicePrincipal('eks.amazonaws.com').withSessionTags(),
      managedPolicies: clusterPolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });

    this.nodeRole = new iam.Role(this, 'NodeRole', {
      description: 'Assumed by the EC2 nodes of kubecdn edge clusters',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: nodePolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });

    for (const [role, policies] of [
      [this.clusterRole, clusterPolicies],
      [this.nodeRole, nodePolicies],
    ] as const) {
      for (const policy of policies) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
          reason: `EKS documents ${policy} as a required policy for this role; AWS keeps it current as EKS adds features, which a hand-copied policy would not be.`,
        });
      }
    }
  }
}
