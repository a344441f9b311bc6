/**
 * The environment a deployed Lambda starts with, built from a config the way the stacks build it
 * (lib/autoscaler.ts, lib/demand-route53.ts, lib/region-workflows.ts, lib/function-factory.ts).
 * Handlers read their settings at module load and fail fast without them, so a load benchmark
 * must supply them (the config itself is compiled into the bundles: bench/lambda-bundles.ts). One environment serves every handler: each reads only its own variables,
 * and a new handler that needs one not listed here shows up as a load error in the report.
 */
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import {
  OPERATIONS_TOPIC_ARN_VARIABLE,
  OVERRIDE_TABLE_VARIABLE,
  START_REGION_ARN_VARIABLE,
  STOP_REGION_ARN_VARIABLE,
  UPGRADE_REGION_ARN_VARIABLE,
} from '../lambdas/autoscaler/deployed-config';
import { environmentVariables } from '../lambdas/region-ops/deployment';

const ACCOUNT = '123456789012';

export function deployedLambdaEnvironment(config: KubeCdnConfig): Record<string, string> {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${config.homeRegion}:${ACCOUNT}:${resource}`;
  return {
    // lib/function-factory.ts gives every function these two.
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_SERVICE_NAME: config.name,
    AWS_REGION: config.homeRegion,
    // Set by the Lambda runtime. Powertools reads them at load: without AWS_EXECUTION_ENV its
    // tracer takes itself to be outside Lambda and skips the instrumentation it does at start.
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    [START_REGION_ARN_VARIABLE]: arn('states', `stateMachine:${config.name}-StartRegion`),
    [STOP_REGION_ARN_VARIABLE]: arn('states', `stateMachine:${config.name}-StopRegion`),
    [UPGRADE_REGION_ARN_VARIABLE]: arn('states', `stateMachine:${config.name}-UpgradeRegion`),
    [OVERRIDE_TABLE_VARIABLE]: `${config.name}-control-RegionOverrides`,
    [OPERATIONS_TOPIC_ARN_VARIABLE]: arn('sns', `${config.name}-operations`),
    KUBECDN_PROJECT: config.name,
    KUBECDN_DOMAIN_NAME: config.dns.domainName,
    KUBECDN_REGIONS: configuredRegions(config).join(','),
    ...environmentVariables({
      clusterRoleArn: `arn:aws:iam::${ACCOUNT}:role/${config.name}-cluster`,
      nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/${config.name}-node`,
      workflowRoleArn: `arn:aws:iam::${ACCOUNT}:role/${config.name}-region-ops`,
      networkParameterName: `/${config.name}/network`,
      edgeAgentRoleArn: `arn:aws:iam::${ACCOUNT}:role/${config.name}-edge-agent`,
    }),
  };
}
