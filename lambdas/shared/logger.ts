/**
 * The function's logger, configured from the POWERTOOLS_* environment. Its own module so a
 * function that only logs (the Kubernetes API relay) does not load the tracer and the X-Ray SDK
 * that lambdas/shared/powertools.ts constructs beside it: a bundle keeps every module it imports.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kubecdn' });
