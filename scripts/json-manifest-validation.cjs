'use strict';
/**
 * Offline validation of the unified manifest (manifest.json) and its language files against Microsoft's
 * published JSON schemas for the manifest version the converter writes, vendored in schemas/ (their source
 * and version in schemas/SOURCE.md). The schemas are JSON Schema draft-04, so Ajv's draft-04 class.
 * Nothing outside the repository is read.
 */
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv-draft-04').default;
const addFormats = require('ajv-formats').default;

const SCHEMA_DIR = path.resolve(__dirname, '..', 'schemas', 'teams-v1.17');
const SCHEMAS = {
  manifest: 'MicrosoftTeams.schema.json',
  localization: 'MicrosoftTeams.Localization.schema.json',
};

let compiled;
function validators() {
  if (compiled) return compiled;
  // strict off: Microsoft's schemas use keywords Ajv's strict mode rejects. unicodeRegExp off: the
  // localization schema's patterns (e.g. "…\\[\\b([0-9]|…)\\b]…") are valid only as non-unicode
  // regular expressions, as JSON Schema draft-04 validators other than Ajv read them.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const load = (file) => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
  compiled = {
    manifest: ajv.compile(load(SCHEMAS.manifest)),
    localization: ajv.compile(load(SCHEMAS.localization)),
  };
  return compiled;
}

/**
 * @param {unknown} json a parsed manifest.json ("manifest") or language file ("localization")
 * @param {'manifest' | 'localization'} kind
 * @returns {{ valid: boolean, errors: string[] }} errors as "<JSON pointer> <message>"
 */
function validateUnifiedJson(json, kind = 'manifest') {
  const validate = validators()[kind];
  const valid = Boolean(validate(json));
  const errors = (validate.errors || []).map(
    (e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
  return { valid, errors };
}

/** Validate dist/manifest.json and the language files it names. */
function validateUnifiedManifestFile(file) {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  const results = [{ file, ...validateUnifiedJson(manifest, 'manifest') }];
  for (const language of (manifest.localizationInfo && manifest.localizationInfo.additionalLanguages) || []) {
    const localeFile = path.join(path.dirname(file), language.file);
    if (!fs.existsSync(localeFile)) {
      results.push({ file: localeFile, valid: false, errors: ['file not found'] });
      continue;
    }
    results.push({
      file: localeFile,
      ...validateUnifiedJson(JSON.parse(fs.readFileSync(localeFile, 'utf8')), 'localization'),
    });
  }
  return results;
}

module.exports = { SCHEMA_DIR, validateUnifiedJson, validateUnifiedManifestFile };
