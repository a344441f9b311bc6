#!/usr/bin/env node
// The `kubecdn` command (package.json "bin"). The CLI is TypeScript; tsx compiles it on load, so
// there is no build step to forget.
require('tsx/cjs');
const { main } = require('../cli/main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`kubecdn: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
