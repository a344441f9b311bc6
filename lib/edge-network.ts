import { RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { FunctionFactory } from './function-factory';
import { KubernetesApiRelay } from './kubernetes-api-relay';

export interface EdgeNetworkProps {
  /** The VPC's address range; every region may reuse the same one since they are never peered. */
  readonly cidr?: string;
  /** Where the region workflows read the VPC and subnet ids from (SSM, in this region). */
  readonly parameterName: string;
  /** The Kubernetes API relay's function name (the same in every region). */
  readonly kubernetesApiRelayName: string;
  readonly functionFactory: FunctionFactory;
  /** The certificate the region's load balancer presents, published with the network for the region workflows. */
  readonly certificateArn: string;
}

/**
 * What a region's cluster needs that can stay deployed while the region is off, at no cost:
 * a VPC with public subnets only, and the relay the region workflows reach a private Kubernetes
 * API endpoint through. No NAT gateways (they bill by the hour, and nodes in public
 * subnets reach the registry and origin directly) and no interface endpoints (also hourly).
 * Subnets carry the tag EKS uses to place internet-facing load balancers.
 */
export class EdgeNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly parameter: ssm.StringParameter;
  readonly kubernetesApiRelay: KubernetesApiRelay;

  constructor(scope: Construct, id: string, props: EdgeNetworkProps) {
    super(scope, id);
    // Only rejected flows are logged: enough to investigate blocked traffic, without paying to
    // log every CDN connection.
    const flowLogGroup = new logs.LogGroup(this, 'RejectedFlows', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.64.0.0/16'),
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: [{ name: 'edge', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 20, mapPublicIpOnLaunch: true }],
      flowLogs: {
        rejected: { trafficType: ec2.FlowLogTrafficType.REJECT, destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup) },
      },
    });
    for (const subnet of this.vpc.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    this.kubernetesApiRelay = new KubernetesApiRelay(this, 'KubernetesApiRelay', {
      vpc: this.vpc,
      functionName: props.kubernetesApiRelayName,
      functionFactory: props.functionFactory,
    });

    this.parameter = new ssm.StringParameter(this, 'NetworkParameter', {
      parameterName: props.parameterName,
      description: "VPC, subnets, Kubernetes API relay and certificate for this region's kubecdn edge cluster",
      stringValue: Stack.of(this).toJsonString({
        vpcId: this.vpc.vpcId,
        subnetIds: this.vpc.publicSubnets.map((s) => s.subnetId),
        kubernetesApiAccessSecurityGroupId: this.kubernetesApiRelay.apiAccessSecurityGroup.securityGroupId,
        kubernetesApiRelayFunctionName: this.kubernetesApiRelay.function.functionName,
        // The edge's TLS listener presents this; nginx believes PROXY protocol headers only from this range.
        certificateArn: props.certificateArn,
        vpcCidr: this.vpc.vpcCidrBlock,
      }),
    });
  }
}
