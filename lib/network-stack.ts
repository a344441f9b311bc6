import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EdgeNetwork } from './edge-network';

export interface RegionNetworkStackProps extends StackProps {
  /** The region this stack serves; also the stack's deployment region. */
  readonly region: string;
  readonly parameterName: string;
}

/** One per configured region: everything that region's cluster needs that does not bill while it is off. */
export class RegionNetworkStack extends Stack {
  readonly network: EdgeNetwork;

  constructor(scope: Construct, id: string, props: RegionNetworkStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: props.region } });
    this.network = new EdgeNetwork(this, 'EdgeNetwork', { parameterName: props.parameterName });
    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId, description: `VPC of the ${props.region} edge cluster` });
    new CfnOutput(this, 'SubnetIds', {
      value: Fn.join(
        ',',
        this.network.vpc.publicSubnets.map((s) => s.subnetId),
      ),
      description: `Subnets the ${props.region} edge cluster and its load balancer use`,
    });
    new CfnOutput(this, 'NetworkParameterName', {
      value: props.parameterName,
      description: 'SSM parameter the region workflows read the network from',
    });
  }
}
