'use strict';
/**
 * Offline validation of the XML add-in manifest against Microsoft's MS-OWEMXML schemas
 * (vendored in vendor/manifest-schemas, with their source and licence in SOURCE.md there), with libxml2's
 * xmllint compiled to WebAssembly. Nothing outside the repository is read: a clone on its own validates.
 *
 * Two layers:
 * 1. XSD validation: OfficeAppManifestV1_1.xsd as the schema, the other .xsd files preloaded so that
 *    its relative xs:import statements resolve. No network.
 * 2. What the XSD cannot express: every resid used inside a VersionOverrides node must be declared in
 *    that node's own <Resources>; the LaunchEvent SourceLocation must name the Runtime's resource; each
 *    LaunchEvent Type must be a documented event, within the requirement set the node requests.
 *    (Outlook rejects the manifest, or never runs the events, otherwise.)
 *
 * Used by scripts/validate-manifest.mjs (`npm run validate`) and by test/manifest/.
 */
const fs = require('node:fs');
const path = require('node:path');
const { validateXML } = require('xmllint-wasm');

const REPO_ROOT = path.resolve(__dirname, '..');
const SCHEMA_DIR = path.join(REPO_ROOT, 'vendor', 'manifest-schemas');
const ROOT_SCHEMA = 'OfficeAppManifestV1_1.xsd';

/**
 * Schema errors Outlook does not have: things Microsoft documents and Outlook accepts but the published
 * schema set rejects. Each entry is matched against xmllint's message; matching errors are reported as
 * notes, not failures. Empty today: the manifest uses nothing outside the schemas (see ARCHITECTURE.md,
 * "Schema gaps", for the known gaps and why none applies).
 * @type {{ pattern: RegExp, reason: string }[]}
 */
const KNOWN_SCHEMA_GAPS = [];

function loadSchemas(schemaDir = SCHEMA_DIR) {
  if (!fs.existsSync(path.join(schemaDir, ROOT_SCHEMA))) {
    throw new Error(
      `Manifest schemas not found: expected ${path.join(schemaDir, ROOT_SCHEMA)}. ` +
        'vendor/manifest-schemas is part of the repository: restore it from git.',
    );
  }
  const files = fs
    .readdirSync(schemaDir)
    .filter((name) => name.endsWith('.xsd'))
    .sort();
  const read = (fileName) => ({
    fileName,
    contents: fs.readFileSync(path.join(schemaDir, fileName), 'utf8'),
  });
  return {
    schema: read(ROOT_SCHEMA),
    preload: files.filter((name) => name !== ROOT_SCHEMA).map(read),
  };
}

/** Line number (1-based) of a character offset. */
function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The text between an element's start tag and its matching end tag, for one VersionOverrides node. */
function versionOverridesBlocks(xml) {
  const noComments = xml.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const blocks = [];
  const open = /<VersionOverrides\b[^>]*xsi:type="(VersionOverridesV1_\d)"[^>]*>/g;
  let match;
  while ((match = open.exec(noComments))) {
    // Find the matching </VersionOverrides>, counting nested VersionOverrides.
    let depth = 1;
    const tag = /<(\/?)VersionOverrides\b[^>]*?(\/?)>/g;
    tag.lastIndex = open.lastIndex;
    let end = noComments.length;
    let t;
    while ((t = tag.exec(noComments))) {
      if (t[2] === '/') continue;
      depth += t[1] === '/' ? -1 : 1;
      if (depth === 0) {
        end = t.index;
        break;
      }
    }
    const start = open.lastIndex;
    let body = noComments.slice(start, end);
    // The inner node's text belongs to the inner node only: blank it out of the outer one.
    body = body.replace(/<VersionOverrides\b[\s\S]*<\/VersionOverrides>/, (inner) =>
      inner.replace(/[^\n]/g, ' '),
    );
    blocks.push({ type: match[1], start, body });
  }
  return blocks;
}

/**
 * LaunchEvent types Microsoft documents, with the Mailbox requirement set each needs. The schema types
 * `Type` as any short string, so a misspelt event would pass it and simply never fire.
 */
const LAUNCH_EVENT_SETS = {
  OnNewMessageCompose: '1.10',
  OnNewAppointmentOrganizer: '1.10',
  OnMessageAttachmentsChanged: '1.11',
  OnAppointmentAttachmentsChanged: '1.11',
  OnMessageRecipientsChanged: '1.11',
  OnAppointmentAttendeesChanged: '1.11',
  OnAppointmentTimeChanged: '1.11',
  OnAppointmentRecurrenceChanged: '1.11',
  OnInfoBarDismissClicked: '1.11',
  OnMessageSend: '1.12',
  OnAppointmentSend: '1.12',
  OnMessageCompose: '1.12',
  OnAppointmentOrganizer: '1.12',
  OnMessageFromChanged: '1.13',
  OnAppointmentFromChanged: '1.13',
  OnSensitivityLabelChanged: '1.13',
};

/** Compare "1.10" and "1.9" as versions. */
function versionAtLeast(have, need) {
  const [a1, a2] = have.split('.').map(Number);
  const [b1, b2] = need.split('.').map(Number);
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}

/** Cross-reference checks the XSD cannot express. Returns errors in the same shape as schema errors. */
function checkReferences(xml, fileName) {
  const errors = [];
  for (const block of versionOverridesBlocks(xml)) {
    const declared = new Set();
    for (const m of block.body.matchAll(/<bt:(?:Image|Url|String)\b[^>]*\bid="([^"]+)"/g)) declared.add(m[1]);
    for (const m of block.body.matchAll(/\bresid="([^"]+)"/g)) {
      if (!declared.has(m[1])) {
        errors.push({
          fileName,
          line: lineOf(xml, block.start + m.index),
          message: `${block.type}: resid "${m[1]}" is not declared in this node's <Resources>.`,
        });
      }
    }
    const runtimes = [...block.body.matchAll(/<Runtime\b[^>]*\bresid="([^"]+)"/g)].map((m) => m[1]);
    const launch =
      /<ExtensionPoint\b[^>]*xsi:type="LaunchEvent"[^>]*>[\s\S]*?<SourceLocation\b[^>]*\bresid="([^"]+)"/.exec(
        block.body,
      );
    if (launch && !runtimes.includes(launch[1])) {
      errors.push({
        fileName,
        line: lineOf(xml, block.start + launch.index),
        message: `${block.type}: the LaunchEvent SourceLocation "${launch[1]}" names no <Runtime> (runtimes: ${
          runtimes.join(', ') || 'none'
        }).`,
      });
    }
    const sets = /<bt:Sets\b[^>]*\bDefaultMinVersion="([^"]+)"/.exec(block.body);
    const requested = sets ? sets[1] : null;
    for (const m of block.body.matchAll(/<LaunchEvent\b[^>]*\bType="([^"]+)"/g)) {
      const line = lineOf(xml, block.start + m.index);
      const need = LAUNCH_EVENT_SETS[m[1]];
      if (!need) {
        errors.push({
          fileName,
          line,
          message: `LaunchEvent Type "${m[1]}" is not a documented Outlook event.`,
        });
      } else if (!requested || !versionAtLeast(requested, need)) {
        errors.push({
          fileName,
          line,
          message: `LaunchEvent ${m[1]} needs Mailbox ${need}, but this ${block.type} requests ${
            requested ? `Mailbox ${requested}` : 'no requirement set'
          }.`,
        });
      }
    }
  }
  return errors;
}

/**
 * Validate one manifest's text.
 * @param {string} xml the manifest text
 * @param {{ fileName?: string, schemaDir?: string }} [options]
 */
async function validateManifest(xml, options = {}) {
  const fileName = options.fileName || 'manifest.xml';
  const { schema, preload } = loadSchemas(options.schemaDir);
  const result = await validateXML({ xml: [{ fileName, contents: xml }], schema: [schema], preload });
  const errors = [];
  const notes = [];
  for (const e of result.errors) {
    const message = e.message.trim();
    if (!message) continue;
    const gap = KNOWN_SCHEMA_GAPS.find((g) => g.pattern.test(message));
    const entry = { fileName, line: e.loc ? e.loc.lineNumber : null, message };
    if (gap) notes.push({ ...entry, message: `${message} (accepted: ${gap.reason})` });
    else errors.push(entry);
  }
  if (!result.valid && errors.length === 0 && notes.length === 0) {
    errors.push({
      fileName,
      line: null,
      message: result.rawOutput.trim() || 'xmllint reported the file invalid',
    });
  }
  errors.push(...checkReferences(xml, fileName));
  return { valid: errors.length === 0, errors, notes };
}

/** Validate a manifest file on disk. */
async function validateManifestFile(file, options = {}) {
  const xml = fs.readFileSync(file, 'utf8');
  return validateManifest(xml, {
    ...options,
    fileName: options.fileName || path.relative(REPO_ROOT, file) || file,
  });
}

/** One line per problem, "file:line: message". */
function formatErrors(errors) {
  return errors.map((e) => `${e.fileName}${e.line ? `:${e.line}` : ''}: ${e.message}`).join('\n');
}

module.exports = {
  REPO_ROOT,
  SCHEMA_DIR,
  KNOWN_SCHEMA_GAPS,
  validateManifest,
  validateManifestFile,
  formatErrors,
};
