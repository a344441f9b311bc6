/**
 * Runs one region-ops step the way the state machine does (through the step schema and runStep)
 * against a scenario's simulated AWS, with the config and roles the scenario synthesized.
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { deploymentFromEnvironment } from '../../lambdas/region-ops/deployment';
import { createRegionClients } from '../../lambdas/region-ops/region-clients';
import { runStep, type RegionOpsDependencies } from '../../lambdas/region-ops/region-ops';
import { stepEventSchema } from '../../lambdas/region-ops/steps';
import { clientOptions } from '../../lambdas/shared/aws-clients';
import type { Scenario } from '../workflows/scenario';
import { simulatedKubernetesApi } from './simulated-aws/kubernetes';

export function regionOpsDependencies(s: Scenario): RegionOpsDependencies {
  const { regionOpsEnvironment, regionOpsConfigText, regionOpsConstants } = s.harness.synthesized;
  const deployment = deploymentFromEnvironment(regionOpsEnvironment, regionOpsConfigText, regionOpsConstants);
  return {
    deployment,
    // Plain clients: the handler module would set up Powertools logging before the harness quiets it.
    clientsFor: (region) => createRegionClients(region),
    route53: new Route53Client(clientOptions('us-east-1')),
    kubernetes: (endpoint) => simulatedKubernetesApi(s.world, endpoint.endpoint, endpoint.token, deployment.workflowRoleArn, []),
    now: () => s.world.now,
  };
}

export function runRegionOpsStep(s: Scenario, event: Record<string, unknown>): ReturnType<typeof runStep> {
  return runStep(stepEventSchema.parse(event), regionOpsDependencies(s));
}
