/**
 * The region-ops Lambda: every StartRegion/StopRegion step, chosen by the event's `step`.
 *
 * One function rather than one per step: the steps share one IAM role anyway (they act on the
 * same clusters, zone and load balancers), one warm container serves a whole workflow (fewer
 * cold starts in a 20-step run), and the zod union still validates each step's event exactly.
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import middy from '@middy/core';
import { config } from 'zod/v4/core';
import { en } from 'zod/v4/locales';
import { clientOptions } from '../shared/aws-clients';
import { logger, tracer } from '../shared/powertools';
import { validatedEvent } from '../shared/validated-event';
import { deploymentFromEnvironment } from './deployment';
import { asWorkflowError } from './errors';
import { httpsKubernetesApi } from './kubernetes-api';
import { createRegionClients } from './region-clients';
import { runStep, type RegionClients, type RegionOpsDependencies } from './region-ops';
import { stepEventSchema, type StepEvent } from './steps';

// The step and input schemas are zod/mini, which loads no messages: English, as full zod has.
config(en());

/** Clients are cached per region for the container's life; creating them is not free. */
export function regionClientCache(): (region: string) => RegionClients {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let clients = cache.get(region);
    if (!clients) {
      clients = createRegionClients(region, (client) => tracer.captureAWSv3Client(client));
      cache.set(region, clients);
    }
    return clients;
  };
}

export function createRegionOpsHandler(dependencies: () => RegionOpsDependencies) {
  let deps: RegionOpsDependencies | undefined;
  return middy<StepEvent, unknown>()
    .use(validatedEvent(stepEventSchema))
    .handler(async (event) => {
      deps ??= dependencies();
      logger.appendKeys({ step: event.step, region: 'region' in event ? event.region : undefined });
      let result: unknown;
      try {
        result = await runStep(event, deps);
      } catch (error) {
        logger.error('step failed', { error: error as Error });
        // Name the step in the cause: the failure notification then says where a start or stop broke.
        if (error instanceof Error && event.step !== 'validateInput') error.message = `${event.step}: ${error.message}`;
        throw asWorkflowError(error);
      }
      logger.info('step done', { result });
      return result;
    });
}

export const handler = createRegionOpsHandler(() => ({
  deployment: deploymentFromEnvironment(process.env),
  clientsFor: regionClientCache(),
  route53: tracer.captureAWSv3Client(new Route53Client(clientOptions('us-east-1'))),
  kubernetes: httpsKubernetesApi,
  now: () => Date.now(),
}));
