'use strict';
/**
 * The unified manifest for the Microsoft 365 app package, converted from the XML manifest by Microsoft's own
 * converter (office-addin-manifest-converter) and then corrected where its output is wrong for this add-in.
 * manifest.xml stays the one source: nothing here is written by hand except the corrections.
 *
 * The corrections, each a named step (test/unit/deploy/unifiedManifest.test.ts shows the converter's
 * output has the defect and ours has not):
 * 1. restoreOverrideRequirement: the converter gives everything from VersionOverrides 1.1 the set that
 *    node implies (Mailbox 1.5), not the one it requests (bt:Sets DefaultMinVersion, 1.12 here), so the
 *    events (OnMessageSend needs 1.12) and the 1.1 ribbons would be offered to clients that cannot run
 *    them. Desktop entries get the requested set back; mobile entries keep 1.5, which is what Outlook on
 *    Android and iOS support ("Outlook JavaScript APIs supported in Outlook on mobile devices").
 * 2. fallbackBelowOverride: the VersionOverrides 1.0 copies (Mailbox 1.3) are, in the XML, used only by
 *    clients that ignore the 1.1 node; the unified manifest has no such fallback, so without a maxVersion a
 *    1.12 client would show both ribbons' buttons twice.
 * 3. untruncateShortDescription: the XML has no short description and the converter writes
 *    "<TRUNCATED>" and the first 65 characters of the long one; ours is the long one's first clause (up
 *    to its first colon), in every language, at most 80 characters (the schema's limit).
 * 4. packageIcons: the converter points at the XML's 64/128 px icons; the package needs a 192 px colour
 *    icon and a 32 px outline icon (white on transparent), as files in the package.
 * 5. declareSchema: the converter writes "$schema": false; ours names the schema the manifest version is
 *    validated against (schemas/teams-v1.17).
 * 6. mobileRibbonAsDocumented: for the MobileFormFactor the converter writes a ribbon in the "default"
 *    context with a tab of its own holding a placeholder group (a nameless menu whose icon is
 *    "https://placeholder") beside the real custom mobile group. Microsoft's "Add support for add-in
 *    commands in Outlook on mobile devices" puts the customMobileRibbonGroups in the built-in TabDefault
 *    tab of a ribbon whose context is the surface's (reading mail: "mailRead"), with nothing else.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
/** The manifest version office-addin-manifest-converter 0.4.x writes, and the schema it is checked against. */
const MANIFEST_VERSION = '1.17';
const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** The set the converter gives everything inside VersionOverrides 1.1 (the node's implicit requirement). */
const CONVERTER_V1_1_SET = '1.5';
/** The set the converter gives everything inside VersionOverrides 1.0. */
const CONVERTER_V1_0_SET = '1.3';
const SHORT_DESCRIPTION_MAX = 80;
const PACKAGE_ICONS = {
  color: { file: 'color.png', source: 'assets/icon-192.png', size: 192 },
  outline: { file: 'outline.png', source: 'assets/icon-outline-32.png', size: 32 },
};

/**
 * Run Microsoft's converter on a manifest's text.
 * @param {string} xml
 * @returns {Promise<{ manifest: any, locales: Record<string, any> }>} manifest.json and each language file
 *   (by file name, e.g. "de-de.json"), as the converter wrote them
 */
async function runConverter(xml) {
  const { convert } = require('office-addin-manifest-converter');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tic-manifest-'));
  try {
    const input = path.join(dir, 'manifest.xml');
    const output = path.join(dir, 'out');
    fs.writeFileSync(input, xml);
    await convert(input, output, false, false);
    const manifest = JSON.parse(fs.readFileSync(path.join(output, 'manifest.json'), 'utf8'));
    const locales = {};
    for (const language of (manifest.localizationInfo && manifest.localizationInfo.additionalLanguages) ||
      []) {
      locales[language.file] = JSON.parse(fs.readFileSync(path.join(output, language.file), 'utf8'));
    }
    return { manifest, locales };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The Mailbox set the XML's VersionOverrides 1.1 node requests (bt:Sets DefaultMinVersion). */
function requestedOverrideSet(xml) {
  const node = /<VersionOverrides\b[^>]*xsi:type="VersionOverridesV1_1"[^>]*>([\s\S]*?)<\/Requirements>/.exec(
    xml,
  );
  const sets = node && /<bt:Sets\b[^>]*\bDefaultMinVersion="([^"]+)"/.exec(node[1]);
  if (!sets) throw new Error('manifest.xml: the VersionOverrides 1.1 node requests no Mailbox set');
  return sets[1];
}

/** Every entry of the extensions that carries its own requirements (ribbons, runtimes, events). */
function requirementHolders(manifest) {
  return (manifest.extensions || []).flatMap((extension) =>
    ['ribbons', 'runtimes', 'autoRunEvents'].flatMap((key) => extension[key] || []),
  );
}

const mailbox = (holder) =>
  ((holder.requirements && holder.requirements.capabilities) || []).find((c) => c.name === 'Mailbox');
const isMobile = (holder) =>
  ((holder.requirements && holder.requirements.formFactors) || []).includes('mobile');

/** "1.12" -> "1.11": the highest set below a requested one. */
function setBelow(version) {
  const [major, minor] = version.split('.').map(Number);
  if (!(minor > 0)) throw new Error(`No Mailbox set below ${version}`);
  return `${major}.${minor - 1}`;
}

/** Correction 1 (see the file's comment). */
function restoreOverrideRequirement(manifest, requestedSet) {
  for (const holder of requirementHolders(manifest)) {
    const set = mailbox(holder);
    if (set && set.minVersion === CONVERTER_V1_1_SET && !isMobile(holder)) set.minVersion = requestedSet;
  }
  return manifest;
}

/** Correction 2 (see the file's comment). */
function fallbackBelowOverride(manifest, requestedSet) {
  for (const holder of requirementHolders(manifest)) {
    const set = mailbox(holder);
    if (set && set.minVersion === CONVERTER_V1_0_SET) set.maxVersion = setBelow(requestedSet);
  }
  return manifest;
}

/** The long description's first clause: the text before its first colon. */
function shortDescriptionOf(full) {
  const clause = full.split(':')[0].trim();
  if (clause.length > SHORT_DESCRIPTION_MAX) {
    throw new Error(
      `The description's first clause is ${clause.length} characters; the short description allows ` +
        `${SHORT_DESCRIPTION_MAX}: "${clause}"`,
    );
  }
  return clause;
}

/** Correction 3 (see the file's comment): the manifest and every language file. */
function untruncateShortDescription(manifest, locales) {
  manifest.description.short = shortDescriptionOf(manifest.description.full);
  for (const locale of Object.values(locales)) {
    if (locale['description.full'] !== undefined)
      locale['description.short'] = shortDescriptionOf(locale['description.full']);
  }
  return manifest;
}

/** Correction 4 (see the file's comment). */
function packageIcons(manifest) {
  manifest.icons = { color: PACKAGE_ICONS.color.file, outline: PACKAGE_ICONS.outline.file };
  return manifest;
}

/** Correction 5 (see the file's comment). */
function declareSchema(manifest) {
  if (manifest.manifestVersion !== MANIFEST_VERSION) {
    throw new Error(
      `The converter wrote manifest version ${manifest.manifestVersion}; schemas/ holds ${MANIFEST_VERSION}. ` +
        'Vendor the matching schema (schemas/SOURCE.md) before upgrading the converter.',
    );
  }
  return { ...manifest, $schema: SCHEMA_URL };
}

/** Correction 6 (see the file's comment). */
function mobileRibbonAsDocumented(manifest) {
  for (const extension of manifest.extensions || []) {
    for (const ribbon of extension.ribbons || []) {
      if (!isMobile(ribbon)) continue;
      ribbon.contexts = ['mailRead'];
      ribbon.tabs = (ribbon.tabs || [])
        .filter((tab) => (tab.customMobileRibbonGroups || []).length > 0)
        .map((tab) => ({
          builtInTabId: 'TabDefault',
          customMobileRibbonGroups: tab.customMobileRibbonGroups,
        }));
    }
  }
  return manifest;
}

/**
 * The corrected unified manifest and its language files for a manifest's text (the built one, with the
 * production URLs).
 * @param {string} xml
 */
async function unifiedManifest(xml) {
  const converted = await runConverter(xml);
  const requested = requestedOverrideSet(xml);
  let manifest = converted.manifest;
  manifest = restoreOverrideRequirement(manifest, requested);
  manifest = fallbackBelowOverride(manifest, requested);
  manifest = untruncateShortDescription(manifest, converted.locales);
  manifest = packageIcons(manifest);
  manifest = mobileRibbonAsDocumented(manifest);
  manifest = declareSchema(manifest);
  return { manifest, locales: converted.locales };
}

/**
 * Write manifest.json, the language files, the two icons and the package zip into a folder (dist/).
 * @returns {Promise<{ files: string[], zip: string }>} the package's file names and the zip's path
 */
async function writeAppPackage(xml, outDir, zipName = 'track-in-crm.zip') {
  const AdmZip = require('adm-zip');
  const { manifest, locales } = await unifiedManifest(xml);
  const entries = {
    'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    ...Object.fromEntries(
      Object.entries(locales).map(([file, locale]) => [
        file,
        Buffer.from(`${JSON.stringify(locale, null, 2)}\n`),
      ]),
    ),
    [PACKAGE_ICONS.color.file]: fs.readFileSync(path.join(REPO_ROOT, PACKAGE_ICONS.color.source)),
    [PACKAGE_ICONS.outline.file]: fs.readFileSync(path.join(REPO_ROOT, PACKAGE_ICONS.outline.source)),
  };
  const zip = new AdmZip();
  for (const [file, content] of Object.entries(entries)) {
    fs.writeFileSync(path.join(outDir, file), content);
    zip.addFile(file, content);
  }
  const zipPath = path.join(outDir, zipName);
  zip.writeZip(zipPath);
  return { files: Object.keys(entries), zip: zipPath };
}

module.exports = {
  MANIFEST_VERSION,
  SCHEMA_URL,
  SHORT_DESCRIPTION_MAX,
  PACKAGE_ICONS,
  runConverter,
  requestedOverrideSet,
  restoreOverrideRequirement,
  fallbackBelowOverride,
  untruncateShortDescription,
  packageIcons,
  declareSchema,
  mobileRibbonAsDocumented,
  unifiedManifest,
  writeAppPackage,
};
