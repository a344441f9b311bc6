// Preloaded into a kubecdn process by a test (NODE_OPTIONS=--require): writes a line to standard
// error for every AWS SDK package the process loads, so a test sees which commands load the SDK.
'use strict';
const Module = require('node:module');
const load = Module._load;
Module._load = function reportingLoad(request, ...rest) {
  if (/^@aws-sdk\/|^@smithy\//.test(request)) process.stderr.write(`sdk-load: ${request}\n`);
  return load.call(this, request, ...rest);
};
