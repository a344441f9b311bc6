/**
 * The metrics every edge publishes, named once here so the edge agent, the autoscaler, the
 * dashboard, the alarms and the trace exporter cannot drift apart. All are in the autoscaler's
 * (home) region, one datapoint per minute per pod, summed by CloudWatch across pods.
 *
 * Demand (dimensions Project, Region): the requests served anywhere to viewers whose nearest
 * configured region is Region, zeros included, so a minute with no datapoint means "nobody
 * reported", never "nobody asked".
 *
 * Health (dimensions Project, EdgeRegion: the region whose edge served the requests):
 * - CacheHit and ServerError are published as values 1 and 0 with counts, so their Average is the
 *   hit ratio (hits over hits + misses) and the 5xx share, correct across any number of pods.
 * - OriginLatency is published as the latency histogram's values and counts, so CloudWatch can
 *   answer percentiles (p50, p95) over all pods.
 */
export const EDGE_NAMESPACE = 'KubeCdn/Edge';

// Project, and Region (the configured region nearest the viewer, on demand metrics): the same
// names as the query-log producer's, so the autoscaler reads either source the same way.
export { PROJECT_DIMENSION, REGION_DIMENSION } from '../demand/demand-metric';
/** The region whose edge served the request (health metrics). */
export const EDGE_REGION_DIMENSION = 'EdgeRegion';
/** 2xx, 3xx, 4xx, 5xx on the Responses metric. */
export const STATUS_CLASS_DIMENSION = 'StatusClass';

/** HTTP requests per minute from viewers nearest Region, served by any edge. */
export const VIEWER_REQUESTS_METRIC = 'ViewerRequests';
/** Requests whose viewer address could not be located: counted, never guessed into a region. */
export const UNATTRIBUTED_REQUESTS_METRIC = 'UnattributedRequests';

export const REQUESTS_METRIC = 'Requests';
export const CACHE_HIT_METRIC = 'CacheHit';
export const BYTES_TO_VIEWERS_METRIC = 'BytesToViewers';
export const RESPONSES_METRIC = 'Responses';
export const SERVER_ERROR_METRIC = 'ServerError';
export const ORIGIN_ERRORS_METRIC = 'OriginErrors';
export const ORIGIN_LATENCY_METRIC = 'OriginLatency';
/** Access-log lines the agent could not read (malformed, or cut short). */
export const UNREADABLE_LOG_LINES_METRIC = 'UnreadableLogLines';

export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
