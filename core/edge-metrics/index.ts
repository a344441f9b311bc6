/** The edge's request metrics: its access log parsed and counted per minute and viewer region. Pure: no AWS, no I/O. */
export * from './access-log-line';
export * from './log-stream';
export * from './latency-histogram';
export * from './minute-aggregator';
export * from './access-log-group';
