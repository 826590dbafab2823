'use strict';
/**
 * Finding and launching headless Chromium without any manual step (the e2e suite, the pane benchmark):
 * the system's /usr/bin/chromium when present, else the binary inside the npm package
 * @sparticuz/chromium (Linux x64 and arm64 only; on macOS or Windows install Chromium and set
 * CHROMIUM_PATH, or put it at /usr/bin/chromium). CHROMIUM_PATH always wins.
 */
const fs = require('node:fs');

const HEADLESS_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** @returns {Promise<string>} */
async function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  if (process.platform !== 'linux') {
    throw new Error(
      `No Chromium found: @sparticuz/chromium ships a Linux binary only. Set CHROMIUM_PATH to a Chromium or Chrome executable (platform ${process.platform}).`,
    );
  }
  // require, not import(): the benchmark runs bundled from a temporary folder, where only require
  // honours NODE_PATH. The package ships a CommonJS build.
  const mod = require('@sparticuz/chromium');
  return (mod.default ?? mod).executablePath();
}

/** @param {Record<string, unknown>} [options] extra playwright launch options */
async function launchChromium(options = {}) {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: await chromiumPath(), args: HEADLESS_ARGS, ...options });
}

module.exports = { HEADLESS_ARGS, chromiumPath, launchChromium };
