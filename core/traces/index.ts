export * from './format-trace';
export * from './parse-trace';
export * from './read-trace-file';
export * from './synthesize-trace';
export * from './trace';
export * from './trace-error';
export * from './trace-from-series';
