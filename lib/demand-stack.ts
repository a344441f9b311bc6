import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import { QUERY_LOG_REGION } from '../core/demand/demand-metric';
import { Route53QueryLogDemand } from './demand-route53';
import type { FunctionFactory } from './function-factory';

export function demandStackName(project: string): string {
  return `${project}-demand`;
}

export interface DemandStackProps extends StackProps {
  readonly config: KubeCdnConfig;
  readonly functionFactory: FunctionFactory;
}

/**
 * The demand producer, in us-east-1 whatever the home region: Route 53 delivers public-zone
 * query logs only there. The autoscaler reads the metric it publishes from us-east-1.
 */
export class DemandStack extends Stack {
  readonly demand: Route53QueryLogDemand;

  constructor(scope: Construct, id: string, props: DemandStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: QUERY_LOG_REGION } });
    this.demand = new Route53QueryLogDemand(this, 'Route53QueryLogDemand', {
      config: props.config,
      functionFactory: props.functionFactory,
    });
  }
}
