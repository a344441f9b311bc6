import { CfnOutput, CustomResource, Duration, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import type { FunctionFactory } from './function-factory';

export interface RegionChangeSummaryProps {
  readonly config: KubeCdnConfig;
  readonly functionFactory: FunctionFactory;
}

/**
 * Warns at deploy time what a config change does to the regions: a custom resource whose
 * properties are the region lists, answered by a small function (used directly as the
 * ServiceToken, so no provider framework) with what changed since the deployed lists. `cdk deploy`
 * prints it as the `RegionListChanges` output, e.g. "Removed: sa-east-1. If running,
 * they will be drained (DNS record first) and stopped by the autoscaler."
 */
export class RegionChangeSummary extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: RegionChangeSummaryProps) {
    super(scope, id);
    this.function = props.functionFactory.create(this, 'Function', {
      entry: 'region-changes/handler.ts',
      description: 'kubecdn deploy: says which regions a config change adds, moves and removes',
      environment: { PROJECT: props.config.name },
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    const lists = new CustomResource(this, 'RegionLists', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::KubeCdnRegionLists',
      properties: { AlwaysOn: [...props.config.alwaysOn], Scalable: [...props.config.scalable] },
    });
    // The resource updates only when the lists change, so the output keeps the latest such change.
    new CfnOutput(this, 'RegionListChanges', {
      key: 'RegionListChanges',
      value: lists.getAttString('Summary'),
      description: 'What the latest deploy that changed alwaysOn/scalable changed, and what the autoscaler does about it on its next tick',
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins Node.js 22 for Lambda, local runs and CI alike (lib/function-factory.ts), so the tests exercise the runtime that is deployed.',
    });
    Validations.of(this.function.role!).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Lets the function write its own logs; AWS maintains it and it grants nothing beyond the function's log streams.",
    });
    Validations.of(this.function.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords (the function is traced like every kubecdn function) support no resource-level permissions.',
    });
  }
}
