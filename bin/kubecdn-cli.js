#!/usr/bin/env node
// The `kubecdn` command (package.json "bin"). The CLI is TypeScript; tsx compiles it on load, so
// there is no build step to forget.
// Both hooks: `require` of .ts files (the CLI itself) and `import()` of them, which the CLI uses
// to load the AWS SDK and the autoscaler's readers only for the commands that talk to AWS.
require('tsx/esm/api').register();
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
