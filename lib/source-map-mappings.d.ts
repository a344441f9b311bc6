/** Each generated line's segments, absolute: [generated column] or [generated column, source, original line, original column, name?]. */
export type DecodedMappings = number[][][];

/** Decodes a source map's `mappings`; throws, naming the character, on text that is not valid mappings. */
export function decodeMappings(mappings: string): DecodedMappings;

/** Encodes segments with absolute values as a source map's `mappings`. */
export function encodeMappings(lines: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>): string;
