/** Unit tests (and, as later suites land, contract and end-to-end projects). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  // Builds dist/cli from the source first: the CLI tests start the built command (scripts/build-cli.mjs).
  globalSetup: '<rootDir>/test/support/globalSetup.cjs',
  globalTeardown: '<rootDir>/test/support/globalTeardown.cjs',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
      },
    ],
  },
};
