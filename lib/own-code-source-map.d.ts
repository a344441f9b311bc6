export interface SourceMapV3 {
  readonly version: 3;
  readonly sourceRoot?: string;
  readonly sources: string[];
  readonly names: string[];
  readonly mappings: string;
}

/** Whether a map's source is a package's file (a path through node_modules). */
export function isPackageSource(source: string): boolean;

/** The map with only the mappings, sources and names of our own code; throws, naming `what` and the field, on a map it cannot read. */
export function ownCodeSourceMap(map: unknown, what?: string): SourceMapV3;

/** Rewrites the source map file in place with ownCodeSourceMap. */
export function rewriteOwnCodeSourceMap(file: string): void;
