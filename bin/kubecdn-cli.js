#!/usr/bin/env node
// The `kubecdn` command (package.json "bin"): runs the command line compiled to JavaScript, rebuilt
// from the TypeScript whenever a source changed (bin/compiled-cli.js).
'use strict';
const { enableCompileCache } = require('node:module');
const { join } = require('node:path');
const { compiledCli, CACHE_DIR } = require('./compiled-cli');

// V8's compiled code for the bundle, kept between runs: a megabyte of JavaScript parses in tens of ms.
enableCompileCache?.(join(CACHE_DIR, 'v8'));

let main;
try {
  ({ main } = require(compiledCli()));
} catch (error) {
  // A source that does not compile, or a cache that cannot be written: say so in one line (esbuild's first error).
  const detail =
    error && Array.isArray(error.errors) && error.errors[0] ? formatBuildError(error.errors[0]) : String(error?.message ?? error);
  process.stderr.write(`kubecdn: cannot compile the command line: ${detail}\n`);
  process.exit(1);
}

function formatBuildError({ text, location }) {
  return location ? `${location.file}:${location.line}:${location.column}: ${text}` : text;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`kubecdn: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
