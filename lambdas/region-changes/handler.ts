/** Thin handler for the deploy's region-change summary (deploy-notice.ts). */
import { logger } from '../shared/powertools';
import { putResponse } from './custom-resource';
import { handleDeployNotice } from './deploy-notice';

export const handler = async (event: unknown): Promise<void> => {
  await handleDeployNotice(event, {
    project: process.env.PROJECT ?? 'kubecdn',
    send: async (url, response) => {
      logger.info('custom resource response', { status: response.Status, data: response.Data, reason: response.Reason });
      await putResponse(url, response);
    },
  });
};
