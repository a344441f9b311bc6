/**
 * The Kubernetes API relay Lambda, one per region, attached to that region's VPC (see
 * relay.ts for what it does and refuses). Deliberately without the AWS SDK: it calls nothing
 * but the cluster endpoint.
 */
import middy from '@middy/core';
import { config } from 'zod/v4/core';
import { en } from 'zod/v4/locales';
import { httpsKubernetesApi, type KubernetesApi, type KubernetesEndpoint } from '../region-ops/kubernetes-api';
import { logger } from '../shared/logger';
import { validatedEvent } from '../shared/validated-event';
import { relayEventSchema, relayRequest, type RelayEvent, type RelayResult } from './relay';

// The event schema is zod/mini, which loads no messages: English, as the other functions' full zod has.
config(en());

export interface RelayHandlerDependencies {
  /** The region the relay runs in; it talks only to EKS endpoints there. */
  readonly region: () => string;
  /** The HTTPS client; the simulated AWS gives the relay its simulated API server instead. */
  readonly connect: (target: KubernetesEndpoint) => KubernetesApi;
}

export function createRelayHandler(deps: RelayHandlerDependencies) {
  return middy<RelayEvent, RelayResult>()
    .use(validatedEvent(relayEventSchema))
    .handler(async (event) => {
      // The token is a credential for the next minute: log the request, never the event.
      logger.appendKeys({ method: event.method, path: event.path.split('?')[0], endpoint: event.endpoint });
      try {
        const result = await relayRequest(event, { region: deps.region(), connect: deps.connect });
        logger.info('relayed', { status: result.status });
        return result;
      } catch (error) {
        logger.error('not relayed', { error: error as Error });
        throw error;
      }
    });
}

export const handler = createRelayHandler({ region: () => process.env.AWS_REGION ?? '', connect: httpsKubernetesApi });
