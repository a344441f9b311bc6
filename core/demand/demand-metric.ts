/**
 * The demand metric kubecdn's own producer publishes, named once here so the producer, the
 * autoscaler, the dashboard and the alarms cannot drift apart.
 */
export const DEMAND_NAMESPACE = 'KubeCdn/Demand';
/** DNS queries per minute for the CDN name, attributed to the nearest configured region. */
export const VIEWER_DEMAND_METRIC = 'ViewerQueries';
/** Queries whose edge location has no known position: counted, never guessed into a region. */
export const UNATTRIBUTED_METRIC = 'UnattributedQueries';
export const PROJECT_DIMENSION = 'Project';
export const REGION_DIMENSION = 'Region';
/** Route 53 writes query logs of public zones to CloudWatch Logs in us-east-1 only. */
export const QUERY_LOG_REGION = 'us-east-1';
