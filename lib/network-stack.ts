import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EdgeCertificate, type RequestedCertificate } from './edge-certificate';
import { EdgeNetwork } from './edge-network';
import { bundlingFunctionFactory, type FunctionFactory } from './function-factory';

export interface RegionNetworkStackProps extends StackProps {
  /** The region this stack serves; also the stack's deployment region. */
  readonly region: string;
  readonly parameterName: string;
  /** The Kubernetes API relay's function name (the same in every region). */
  readonly kubernetesApiRelayName: string;
  /** How the relay function is built; stack tests pass inlineFunctionFactory. Default: bundled with esbuild. */
  readonly functionFactory?: FunctionFactory;
  /** The certificate to request for the region's load balancer (names and hosted zone from `dns`). */
  readonly certificate: RequestedCertificate;
  /** `https.certificateArns[region]`: the operator's certificate, used instead of requesting one. */
  readonly existingCertificateArn?: string;
}

/** One per configured region: everything that region's cluster needs that does not bill while it is off. */
export class RegionNetworkStack extends Stack {
  readonly network: EdgeNetwork;
  readonly certificate: EdgeCertificate;

  constructor(scope: Construct, id: string, props: RegionNetworkStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: props.region } });
    this.certificate = new EdgeCertificate(this, 'EdgeCertificate', {
      existingArn: props.existingCertificateArn,
      request: props.certificate,
    });
    this.network = new EdgeNetwork(this, 'EdgeNetwork', {
      parameterName: props.parameterName,
      kubernetesApiRelayName: props.kubernetesApiRelayName,
      functionFactory: props.functionFactory ?? bundlingFunctionFactory,
      certificateArn: this.certificate.certificateArn,
    });
    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId, description: `VPC of the ${props.region} edge cluster` });
    new CfnOutput(this, 'SubnetIds', {
      value: Fn.join(
        ',',
        this.network.vpc.publicSubnets.map((s) => s.subnetId),
      ),
      description: `Subnets the ${props.region} edge cluster and its load balancer use`,
    });
    new CfnOutput(this, 'KubernetesApiRelayName', {
      value: this.network.kubernetesApiRelay.function.functionName,
      description: `Function the region workflows reach the ${props.region} cluster's private Kubernetes API endpoint through`,
    });
    new CfnOutput(this, 'VpcCidr', {
      value: this.network.vpc.vpcCidrBlock,
      description: `Address range of the ${props.region} VPC: the edge trusts PROXY protocol headers from it only`,
    });
    new CfnOutput(this, 'CertificateArn', {
      value: this.certificate.certificateArn,
      description: this.certificate.requested
        ? `ACM certificate requested for the ${props.region} load balancer (DNS-validated in the hosted zone)`
        : `The certificate https.certificateArns names for the ${props.region} load balancer`,
    });
    new CfnOutput(this, 'NetworkParameterName', {
      value: props.parameterName,
      description: 'SSM parameter the region workflows read the network from',
    });
  }
}
