import { join } from 'node:path';

/**
 * Runs before every test file. CDK's built-in CloudFormation template validation (a WebAssembly
 * rule engine, on by default since aws-cdk-lib 2.27x) takes about four fifths of each in-memory
 * synthesis, yet cannot fail one here: without the `@aws-cdk/core:validateAgainstDefaultRules`
 * flag it only reports warnings. Stack and workflow tests synthesize dozens of apps, so it is off
 * in them. cdk-nag is a separate validation plugin and still runs. test/bin/app.test.ts runs the
 * real `cdk synth` path with the validation on and fails on anything it prints.
 */
process.env.CDK_VALIDATION = 'false';

/**
 * No test reads the 134 MB geolocation package: every synthesis (and test/bin/app.test.ts's
 * `cdk synth` processes, which inherit this environment) builds the edge region table from the
 * small fixture databases in test/core/geo/fixtures (written by test/support/mmdb-writer.ts),
 * in milliseconds, so the table cache is off; the cache's own tests give it a folder.
 */
process.env.KUBECDN_GEO_DATABASE_DIR = join(__dirname, '..', 'core', 'geo', 'fixtures');
process.env.KUBECDN_CACHE_DIR = 'off';

/**
 * Tracing is off in tests, yet loading the X-Ray SDK (Powertools' Tracer, in every handler)
 * creates a continuation-local-storage namespace whose async hook tracks the destruction of every
 * promise. Jest gives each test file a fresh `process` object, so the SDK creates a new namespace
 * and enables another hook in each file that imports a handler, and a worker never disables them:
 * every later file pays for all of them on every promise. Manual mode creates none.
 */
process.env.AWS_XRAY_MANUAL_MODE = 'true';
