// The `mappings` field of a source map (version 3) decoded to numbers and encoded back.
//
// Plain CommonJS JavaScript, not TypeScript: lib/own-code-source-map.js, which uses it, runs as a
// bundling step under plain `node` (see there). Types in source-map-mappings.d.ts.
//
// In the encoded form each line of generated code is a `;`-separated group of `,`-separated
// segments; each segment is 1, 4 or 5 base64 VLQ numbers: generated column, source index,
// original line, original column, name index. Every number is relative to the same field of the
// previous segment (the generated column only within its line). Decoded, they are absolute.
'use strict';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;
const COMMA = 44;
const SEMICOLON = 59;
const CONTINUE = 32;
const VALUE_BITS = 31;

/**
 * @param {string} mappings
 * @returns {number[][][]} per generated line, its segments with absolute values
 */
function decodeMappings(mappings) {
  if (typeof mappings !== 'string') throw new Error('source map mappings: expected a string');
  const lines = [];
  let line = [];
  let segment = [];
  // The running values; the generated column (0) starts again at every line.
  const previous = [0, 0, 0, 0, 0];
  let value = 0;
  let shift = 0;
  const endSegment = (at) => {
    if (shift !== 0) throw new Error(`source map mappings: a number is cut off before character ${at}`);
    if (segment.length === 0) return;
    if (segment.length !== 1 && segment.length !== 4 && segment.length !== 5) {
      throw new Error(`source map mappings: a segment of ${segment.length} numbers before character ${at} (expected 1, 4 or 5)`);
    }
    line.push(segment);
    segment = [];
  };
  for (let at = 0; at < mappings.length; at++) {
    const code = mappings.charCodeAt(at);
    if (code === COMMA || code === SEMICOLON) {
      endSegment(at);
      if (code === SEMICOLON) {
        lines.push(line);
        line = [];
        previous[0] = 0;
      }
      continue;
    }
    const digit = code < 128 ? DIGIT[code] : -1;
    if (digit < 0) throw new Error(`source map mappings: "${mappings[at]}" at character ${at} is not base64`);
    value += (digit & (CONTINUE - 1)) * 2 ** shift;
    shift += 5;
    if (digit & CONTINUE) {
      if (shift > VALUE_BITS + 5) throw new Error(`source map mappings: a number too long at character ${at}`);
      continue;
    }
    // The lowest bit is the sign.
    const delta = value % 2 === 1 ? -(value - 1) / 2 : value / 2;
    const field = segment.length;
    if (field > 4) throw new Error(`source map mappings: a segment of more than 5 numbers at character ${at}`);
    previous[field] += delta;
    segment.push(previous[field]);
    value = 0;
    shift = 0;
  }
  endSegment(mappings.length);
  lines.push(line);
  return lines;
}

/** @param {number} delta */
function encodeNumber(delta) {
  let value = delta < 0 ? -delta * 2 + 1 : delta * 2;
  let text = '';
  do {
    let digit = value % CONTINUE;
    value = Math.floor(value / CONTINUE);
    if (value > 0) digit |= CONTINUE;
    text += BASE64[digit];
  } while (value > 0);
  return text;
}

/**
 * @param {ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>} lines per generated line, its segments with absolute values
 * @returns {string}
 */
function encodeMappings(lines) {
  const previous = [0, 0, 0, 0, 0];
  const parts = [];
  for (const line of lines) {
    previous[0] = 0;
    const segments = [];
    for (const segment of line) {
      let text = '';
      for (let field = 0; field < segment.length; field++) {
        text += encodeNumber(segment[field] - previous[field]);
        previous[field] = segment[field];
      }
      segments.push(text);
    }
    parts.push(segments.join(','));
  }
  return parts.join(';');
}

module.exports = { decodeMappings, encodeMappings };
