/** Thin handler for the deploy-time convergence trigger (deploy-convergence.ts). */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { config } from 'zod/v4/core';
import { en } from 'zod/v4/locales';
import { clientOptions } from '../shared/aws-clients';
import { logger } from '../shared/powertools';
import { putResponse } from './custom-resource';
import { handleDeployConvergence } from './deploy-convergence';

// The event and environment schemas are zod/mini, which loads no messages: English, as full zod has.
config(en());

// The state machines and the topic live in the function's own (home) region.
const region = process.env.AWS_REGION ?? 'us-east-1';
const sfn = new SFNClient(clientOptions(region));
const sns = new SNSClient(clientOptions(region));
// Read only when a deploy lowers the Kubernetes version (to tell a rollback): built the first time.
let cloudformation: CloudFormationClient | undefined;

export const handler = async (event: unknown): Promise<void> => {
  await handleDeployConvergence(event, {
    environment: process.env,
    sfn,
    sns,
    stackStatus: async (stackId) => {
      cloudformation ??= new CloudFormationClient(clientOptions(region));
      return (await cloudformation.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus;
    },
    log: {
      info: (message, extra) => logger.info(message, extra),
      warn: (message, extra) => logger.warn(message, extra),
    },
    send: async (url, response) => {
      logger.info('custom resource response', { status: response.Status, data: response.Data, reason: response.Reason });
      await putResponse(url, response);
    },
  });
};
