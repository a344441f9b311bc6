import fc from 'fast-check';
import { decodeMappings, encodeMappings } from '../../lib/source-map-mappings';

describe('source map mappings', () => {
  it('decodes base64 VLQ segments to absolute values, each field relative to the one before and the column to its line', () => {
    // "AAAA": all zero; "CAAC": column +1, original column +1; ";": the next line, its column from 0;
    // "ECCE": column 2, source +1, original line +1, original column +2.
    expect(decodeMappings('AAAA,CAAC;ECCE')).toEqual([
      [
        [0, 0, 0, 0],
        [1, 0, 0, 1],
      ],
      [[2, 1, 1, 3]],
    ]);
    // Negative deltas (odd numbers), multi-digit numbers (continuation bit) and names.
    expect(decodeMappings('gBAAgBA,DAAD')).toEqual([
      [
        [16, 0, 0, 16, 0],
        [15, 0, 0, 15],
      ],
    ]);
    // Empty lines, and a segment of a generated column alone.
    expect(decodeMappings(';;K')).toEqual([[], [], [[5]]]);
    expect(decodeMappings('')).toEqual([[]]);
  });

  it('encodes what it decodes, for any mappings', () => {
    const segment = fc.oneof(
      fc.tuple(fc.nat(100_000)),
      fc.tuple(fc.nat(100_000), fc.nat(500), fc.nat(100_000), fc.nat(1000)),
      fc.tuple(fc.nat(100_000), fc.nat(500), fc.nat(100_000), fc.nat(1000), fc.nat(5000)),
    );
    // Within a line, segments come in increasing generated column.
    const line = fc.array(segment, { maxLength: 8 }).map((segments) => segments.sort((a, b) => a[0] - b[0]).map((s) => [...s]));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        expect(decodeMappings(encodeMappings(lines))).toEqual(lines);
      }),
    );
  });

  it('refuses text that is not mappings, naming the character', () => {
    expect(() => decodeMappings('AAAA,AA!A')).toThrow('source map mappings: "!" at character 7 is not base64');
    expect(() => decodeMappings('AA')).toThrow('a segment of 2 numbers before character 2 (expected 1, 4 or 5)');
    expect(() => decodeMappings('AAAAAA')).toThrow('a segment of more than 5 numbers at character 5');
    expect(() => decodeMappings('Ag')).toThrow('a number is cut off before character 2');
  });
});
