#!/usr/bin/env node
'use strict';
// The bundle is built by `npm install` (the `prepare` script). When it is missing (a checkout where
// install scripts were skipped), build it once now rather than fail.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'track-in-crm.cjs');
if (!fs.existsSync(bundle)) {
  require('node:child_process').execFileSync(
    process.execPath,
    [path.join(__dirname, '..', 'scripts', 'build-cli.mjs')],
    {
      stdio: 'inherit',
    },
  );
}
require(bundle);
