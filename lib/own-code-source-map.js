// Cuts a Lambda bundle's source map down to our own code: the mappings whose source is under
// node_modules are dropped, and so are those sources and the names only they used.
//
// Why: with NODE_OPTIONS=--enable-source-maps Node parses a bundle's whole map as it loads the
// bundle, at every cold start. The SDK and the other packages make up most of a bundle and nearly
// all of its map (the autoscaler's was 1.2 MB, about 35 ms of its cold load); what an operator
// reads in a stack trace is where in our code it failed, and that part stays mapped. A frame
// inside a package then shows its place in index.js instead; a dropped mapping is replaced by a
// mark that the code from there on maps to nothing, so such a frame is never put down to the
// line of our code before it on the same minified line.
//
// Plain CommonJS JavaScript, not TypeScript: CDK runs it as a shell command after esbuild
// (lib/function-factory.ts, NodejsFunction commandHooks.afterBundling) with the synth's own
// `node`, which has no TypeScript loader; bench/lambda-bundles.ts calls it in-process. Types in
// own-code-source-map.d.ts.
//
//   node lib/own-code-source-map.js <index.js.map>...   rewrites each map in place
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { decodeMappings, encodeMappings } = require('./source-map-mappings');

/** @param {string} source */
function isPackageSource(source) {
  return source.split(/[\\/]/).includes('node_modules');
}

/**
 * @param {unknown} map a parsed source map
 * @param {string} [what] how to name the map in an error
 */
function ownCodeSourceMap(map, what = 'source map') {
  if (typeof map !== 'object' || map === null) throw new Error(`${what}: expected a JSON object`);
  if (map.version !== 3) throw new Error(`${what}: version: expected 3, got ${JSON.stringify(map.version)}`);
  if (!Array.isArray(map.sources) || !map.sources.every((source) => typeof source === 'string')) {
    throw new Error(`${what}: sources: expected an array of strings`);
  }
  if (map.sections !== undefined) throw new Error(`${what}: sections: an index map is not supported`);
  const names = map.names === undefined ? [] : map.names;
  if (!Array.isArray(names)) throw new Error(`${what}: names: expected an array`);
  const sourceIndex = new Map();
  const sources = [];
  map.sources.forEach((source, index) => {
    if (isPackageSource(source)) return;
    sourceIndex.set(index, sources.length);
    sources.push(source);
  });
  const nameIndex = new Map();
  const keptNames = [];
  let unmapped = true;
  const lines = decodeMappings(map.mappings).map((line) => {
    const kept = [];
    for (const segment of line) {
      const source = segment.length === 1 ? undefined : sourceIndex.get(segment[1]);
      if (source === undefined) {
        // Several unmapped stretches in a row are one.
        if (!unmapped) kept.push([segment[0]]);
        unmapped = true;
        continue;
      }
      unmapped = false;
      if (segment.length === 5) {
        if (!nameIndex.has(segment[4])) {
          nameIndex.set(segment[4], keptNames.length);
          keptNames.push(names[segment[4]]);
        }
        kept.push([segment[0], source, segment[2], segment[3], nameIndex.get(segment[4])]);
      } else {
        kept.push([segment[0], source, segment[2], segment[3]]);
      }
    }
    return kept;
  });
  return {
    version: 3,
    ...(map.sourceRoot === undefined ? {} : { sourceRoot: map.sourceRoot }),
    sources,
    names: keptNames,
    mappings: encodeMappings(lines),
  };
}

/** @param {string} file */
function rewriteOwnCodeSourceMap(file) {
  let map;
  try {
    map = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error.message}`);
  }
  writeFileSync(file, JSON.stringify(ownCodeSourceMap(map, file)));
}

module.exports = { ownCodeSourceMap, rewriteOwnCodeSourceMap, isPackageSource };

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: node lib/own-code-source-map.js <source map file>...\n');
    process.exit(2);
  }
  try {
    files.forEach(rewriteOwnCodeSourceMap);
  } catch (error) {
    process.stderr.write(`own-code-source-map: ${error.message}\n`);
    process.exit(1);
  }
}
