export { decide } from './decide';
export type * from './types';
