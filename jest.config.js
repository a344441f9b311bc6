/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Jest's default is one worker fewer than the cores: on a 2-core machine that is one, in band.
  // The test files are CPU-bound and independent, so use every core.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without checking them (tsc does that in `npm test` first), so tests start fast.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // @middy/core, commander and a few others ship ESM only; compile them to CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|aws-local-stepfunctions|commander)/)'],
  // ...but their package.json exports only an "import" condition, which require() cannot resolve: point at the files.
  moduleNameMapper: {
    '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js',
    // Sends through mocked clients are checked against the real request shapes like any other send.
    '^aws-sdk-client-mock$': '<rootDir>/test/support/aws-requests/aws-sdk-client-mock.ts',
  },
  setupFiles: ['<rootDir>/test/support/offline-aws.ts', '<rootDir>/test/support/synthesis-settings.ts'],
  // Every AWS request a test makes must be one real AWS would accept; KUBECDN_REPORT_REQUESTS=1 prints the count.
  setupFilesAfterEnv: ['<rootDir>/test/support/aws-requests/check-every-request.ts'],
  globalSetup: '<rootDir>/test/support/aws-requests/request-count-setup.ts',
  globalTeardown: '<rootDir>/test/support/aws-requests/request-count-teardown.ts',
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
