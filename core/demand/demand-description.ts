/**
 * What the autoscaler's demand is, and where to look when it stops arriving, in words for the
 * dashboard and the alarms: one place per source, so the two never describe different things.
 */
import type { KubeCdnConfig } from '../config';

/** "Demand is <this> per minute". */
export function demandMeaning(config: KubeCdnConfig): string {
  switch (config.demand.source) {
    case 'edge-requests':
      return 'HTTP requests per minute from viewers whose nearest configured region it is, counted by the running edges (KubeCdn/Edge ViewerRequests)';
    case 'route53-query-logs':
      return 'DNS A queries per minute for the CDN name (Route 53 query logs), attributed to the nearest configured region';
    case 'cloudwatch-metric':
      return `${config.demand.metric?.namespace}/${config.demand.metric?.metricName} per minute, by ${config.demand.metric?.regionDimension}`;
  }
}

/** The unit of the demand graphs' axis, and so of the thresholds. */
export function demandUnit(config: KubeCdnConfig): string {
  switch (config.demand.source) {
    case 'edge-requests':
      return 'HTTP requests/min';
    case 'route53-query-logs':
      return 'DNS queries/min';
    case 'cloudwatch-metric':
      return `${config.demand.metric?.metricName}/min`;
  }
}

/** Where to look when demand datapoints stop arriving. */
export function missingDemandRemedy(config: KubeCdnConfig): string {
  switch (config.demand.source) {
    case 'edge-requests':
      return (
        `Every running edge publishes KubeCdn/Edge ViewerRequests for every configured region each minute, zeros included, in ${config.homeRegion}: no datapoint means no edge published. ` +
        `The ${config.name}-edges-silent alarm and the autoscaler's log name the serving regions whose edges report nothing; ` +
        'check the metrics-agent container of the edge pods there (kubectl -n kubecdn-edge logs deploy/edge-nginx -c metrics-agent) and their EKS Pod Identity association.'
      );
    case 'route53-query-logs':
      return 'Check the demand stack in us-east-1: query logging on the zone, the subscription, the producer function.';
    case 'cloudwatch-metric':
      return `Check that ${config.demand.metric?.namespace}/${config.demand.metric?.metricName} is still published.`;
  }
}
