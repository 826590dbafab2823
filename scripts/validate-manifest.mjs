#!/usr/bin/env node
/**
 * `npm run validate`: validate manifest.xml, and dist/manifest.xml when a build made one, offline against
 * the MS-OWEMXML schemas vendored in vendor/manifest-schemas. Extra paths on the command line are validated
 * instead. Then the unified manifest: manifest.xml converted and corrected in memory
 * (scripts/unified-manifest.cjs), and dist/manifest.json with its language files when a build made them,
 * against the JSON schemas vendored in schemas/. Exit code 1 when any file is invalid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { REPO_ROOT, SCHEMA_DIR, validateManifestFile, formatErrors } = require('./manifest-validation.cjs');
const { unifiedManifest } = require('./unified-manifest.cjs');
const {
  SCHEMA_DIR: JSON_SCHEMA_DIR,
  validateUnifiedJson,
  validateUnifiedManifestFile,
} = require('./json-manifest-validation.cjs');

const args = process.argv.slice(2);
const files = args.length
  ? args.map((f) => path.resolve(f))
  : [path.join(REPO_ROOT, 'manifest.xml'), path.join(REPO_ROOT, 'dist', 'manifest.xml')].filter((f, i) =>
      i === 0 ? true : fs.existsSync(f),
    );

console.log(`Manifest schemas: ${path.relative(REPO_ROOT, SCHEMA_DIR)}`);
let failed = 0;
for (const file of files) {
  const name = path.relative(REPO_ROOT, file) || file;
  if (!fs.existsSync(file)) {
    console.error(`✗ ${name}: file not found`);
    failed++;
    continue;
  }
  let result;
  try {
    result = await validateManifestFile(file, { fileName: name });
  } catch (error) {
    console.error(`✗ ${name}: ${error instanceof Error ? error.message : String(error)}`);
    failed++;
    continue;
  }
  for (const note of result.notes) console.warn(`  note: ${note.message}`);
  if (result.valid) {
    console.log(`✓ ${name} is valid`);
  } else {
    failed++;
    console.error(`✗ ${name} is invalid:\n${formatErrors(result.errors)}`);
  }
}

if (!args.length) {
  console.log(`Unified manifest schemas: ${path.relative(REPO_ROOT, JSON_SCHEMA_DIR)}`);
  const report = (name, result) => {
    if (result.valid) console.log(`✓ ${name} is valid`);
    else {
      failed++;
      console.error(`✗ ${name} is invalid:\n  ${result.errors.join('\n  ')}`);
    }
  };
  try {
    const { manifest, locales } = await unifiedManifest(
      fs.readFileSync(path.join(REPO_ROOT, 'manifest.xml'), 'utf8'),
    );
    report('manifest.xml converted to manifest.json', validateUnifiedJson(manifest, 'manifest'));
    for (const [file, locale] of Object.entries(locales))
      report(`manifest.xml converted to ${file}`, validateUnifiedJson(locale, 'localization'));
  } catch (error) {
    failed++;
    console.error(
      `✗ manifest.xml could not be converted: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const built = path.join(REPO_ROOT, 'dist', 'manifest.json');
  if (fs.existsSync(built)) {
    for (const result of validateUnifiedManifestFile(built))
      report(path.relative(REPO_ROOT, result.file), result);
  }
}
process.exit(failed ? 1 : 0);
