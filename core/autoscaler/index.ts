export { decide } from './decide';
export { demandPeriodsNeeded } from './demand-window';
export type * from './types';
