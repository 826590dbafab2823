// Jest's globalTeardown: removes the end-to-end suites' shared workbench build (globalSetup.cjs chose it).
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const shared = process.env.TIC_E2E_SHARED_BUILD;
  if (shared) rmSync(shared, { recursive: true, force: true });
};
