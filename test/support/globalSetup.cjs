// Jest's globalSetup: builds the `track-in-crm` bundle (dist/cli) from the current source before any
// suite runs, so tests that start the command (test/unit/cli, …) never run a stale bundle, whichever
// subset of suites is run (`npx jest test/unit/cli` included). esbuild takes a fraction of a second.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function globalSetup() {
  // The end-to-end suites share one workbench build per jest run (test/e2e/support/sharedBuild.ts):
  // webpack takes about 45 s, once, not once per suite. Only the folder is chosen here (nothing is built
  // for a run without e2e suites); the workers inherit the variable.
  process.env.TIC_E2E_SHARED_BUILD ||= require('node:fs').mkdtempSync(
    path.join(require('node:os').tmpdir(), 'tic-e2e-shared-'),
  );
  const script = pathToFileURL(path.join(__dirname, '..', '..', 'scripts', 'build-cli.mjs')).href;
  const { buildCli } = await import(script);
  await buildCli();
};
