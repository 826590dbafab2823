#!/usr/bin/env node
/**
 * After `webpack --mode production` (`npm run build`): the unified manifest and the Microsoft 365 app
 * package from dist/manifest.xml (already rewritten to ADDIN_BASE_URL), written into dist/:
 * manifest.json, its language files, color.png, outline.png and track-in-crm.zip holding those files.
 * Converted and corrected by scripts/unified-manifest.cjs, then validated offline against the vendored
 * schema (scripts/json-manifest-validation.cjs); exit code 1 when the result is invalid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { writeAppPackage } = require('./unified-manifest.cjs');
const { validateUnifiedManifestFile } = require('./json-manifest-validation.cjs');

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.resolve(process.argv[2] || path.join(root, 'dist'));
const xmlFile = path.join(dist, 'manifest.xml');
if (!fs.existsSync(xmlFile)) {
  console.error(`✗ ${path.relative(root, xmlFile)} not found: run the webpack build first`);
  process.exit(1);
}

const { files, zip } = await writeAppPackage(fs.readFileSync(xmlFile, 'utf8'), dist);
let failed = 0;
for (const result of validateUnifiedManifestFile(path.join(dist, 'manifest.json'))) {
  const name = path.relative(root, result.file);
  if (result.valid) continue;
  failed++;
  console.error(`✗ ${name} is invalid:\n  ${result.errors.join('\n  ')}`);
}
if (failed) process.exit(1);
console.log(
  `App package: ${path.relative(root, zip)} (${files.join(', ')}), valid against schemas/teams-v1.17`,
);
