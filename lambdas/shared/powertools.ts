/**
 * One logger, metrics and tracer per function, configured from the POWERTOOLS_* environment.
 * Importing this module constructs all three, so the X-Ray SDK the tracer needs is loaded at cold
 * start; a function that only logs imports ./logger instead.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export { logger } from './logger';

export const METRICS_NAMESPACE = 'KubeCdn';

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kubecdn' });
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kubecdn' });
