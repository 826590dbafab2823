// Jest's globalSetup: builds the `track-in-crm` bundle (dist/cli) from the current source before any
// suite runs, so tests that start the command (test/unit/cli, …) never run a stale bundle, whichever
// subset of suites is run (`npx jest test/unit/cli` included). esbuild takes a fraction of a second.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function globalSetup() {
  const script = pathToFileURL(path.join(__dirname, '..', '..', 'scripts', 'build-cli.mjs')).href;
  const { buildCli } = await import(script);
  await buildCli();
};
