export * from './errors';
export * from './load';
export * from './regions-of';
export * from './schema';
export * from './validate';
export * from './kubernetes-versions';
