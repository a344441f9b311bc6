/**
 * The Kubernetes API relay Lambda, one per region, attached to that region's VPC (see
 * relay.ts for what it does and refuses). Deliberately without the AWS SDK: it calls nothing
 * but the cluster endpoint.
 */
import middy from '@middy/core';
import { httpsKubernetesApi } from '../region-ops/kubernetes-api';
import { logger } from '../shared/powertools';
import { validatedEvent } from '../shared/validated-event';
import { relayEventSchema, relayRequest, type RelayEvent, type RelayResult } from './relay';

export const handler = middy<RelayEvent, RelayResult>()
  .use(validatedEvent(relayEventSchema))
  .handler(async (event) => {
    // The token is a credential for the next minute: log the request, never the event.
    logger.appendKeys({ method: event.method, path: event.path.split('?')[0], endpoint: event.endpoint });
    try {
      const result = await relayRequest(event, { region: process.env.AWS_REGION ?? '', connect: httpsKubernetesApi });
      logger.info('relayed', { status: result.status });
      return result;
    } catch (error) {
      logger.error('not relayed', { error: error as Error });
      throw error;
    }
  });
