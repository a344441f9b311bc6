import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import type { FunctionFactory } from './function-factory';

export interface KubernetesApiRelayProps {
  /** The region's edge VPC: the relay runs in its subnets, where a private cluster endpoint answers. */
  readonly vpc: ec2.IVpc;
  /** Fixed, so the region workflows may invoke exactly this function in every region. */
  readonly functionName: string;
  readonly functionFactory: FunctionFactory;
}

/**
 * The way in to a private Kubernetes API endpoint for the region workflows, which run outside any
 * VPC: a small function in the region's VPC that makes their Kubernetes API requests (they send
 * the EKS token along; the relay calls no AWS API, so it needs no NAT gateway and no interface
 * endpoint). A Lambda function and its network interfaces cost nothing while idle.
 *
 * The cluster's control plane is given `apiAccessSecurityGroup`, which admits HTTPS from the
 * relay's own group and nothing else; the relay may open HTTPS to that group only.
 */
export class KubernetesApiRelay extends Construct {
  readonly function: lambda.Function;
  /** The relay's own security group. */
  readonly securityGroup: ec2.SecurityGroup;
  /** For the cluster's control plane (CreateCluster securityGroupIds): admits 443 from the relay. */
  readonly apiAccessSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: KubernetesApiRelayProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'RelaySecurityGroup', {
      vpc: props.vpc,
      description: 'kubecdn Kubernetes API relay: HTTPS to the cluster control plane only',
      allowAllOutbound: false,
    });
    this.apiAccessSecurityGroup = new ec2.SecurityGroup(this, 'ApiAccessSecurityGroup', {
      vpc: props.vpc,
      description:
        'kubecdn cluster control plane: admits the Kubernetes API relay on 443 (the EKS cluster security group covers the nodes)',
      allowAllOutbound: false,
    });
    this.apiAccessSecurityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(443), 'Kubernetes API requests from the relay');
    this.securityGroup.addEgressRule(this.apiAccessSecurityGroup, ec2.Port.tcp(443), 'Kubernetes API of the cluster control plane');

    this.function = props.functionFactory.create(this, 'Function', {
      entry: 'kubernetes-api-relay/handler.ts',
      description: `kubecdn: makes the region workflows' Kubernetes API requests from inside the ${Stack.of(this).region} edge VPC (private cluster endpoints)`,
      functionName: props.functionName,
      // Past the request's own 20-second timeout, so a slow API server is reported as such.
      timeout: Duration.seconds(30),
      memorySize: 256,
      vpc: { vpc: props.vpc, subnets: { subnets: props.vpc.publicSubnets }, securityGroups: [this.securityGroup] },
      // No route out of the VPC to the X-Ray API, and nothing to trace but one HTTPS request.
      tracing: false,
    });

    const role = this.function.role!;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "Lets the relay write its own logs; AWS maintains it and it grants nothing beyond the function's log streams.",
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'What Lambda needs to attach the relay to the VPC (create, describe and delete its network interfaces), maintained by AWS; the relay itself calls no AWS API, so its role has nothing else.',
      },
    );
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins Node.js 22 for Lambda, local runs and CI alike (lib/function-factory.ts), so the tests exercise the runtime that is deployed; moving to 24 is a project-wide change.',
    });
  }
}
