/**
 * `track-in-crm explain`: cases in (one JSON document, or JSON Lines), one decision per line out,
 * decided by the same rules the add-in runs. Malformed cases are reported on standard error by line
 * and field and skipped; the others are still decided.
 */
import { HeaderParseError, parseHeaderBlock, type HeaderFacts } from '../mail/headers';
import { mergeHeaderFacts } from '../mail/mergeFacts';
import { buildCrmIndex } from '../rules/crmIndex';
import { decide, type Decision } from '../rules/decide';
import { MAX_ORGDB_XML_LENGTH } from '../rules/orgDbOrgSettingsXml';
import { resolveSettings } from '../rules/settingsInput';
import { CaseInputError, readCase, type ExplainCase } from './caseInput';

/** The §6 decision, with exactly its fields in its order (internal extras are left out). */
export function decisionToJson(decision: Decision): Record<string, unknown> {
  return {
    track: decision.track,
    reason: decision.reason,
    code: decision.code,
    existingActivityId: decision.existingActivityId,
    correlation: decision.correlation,
    regarding: decision.regarding,
    sender: decision.sender,
    senderCandidates: decision.senderCandidates,
    parties: decision.parties,
    create: decision.create,
    requiresRegarding: decision.requiresRegarding,
    trace: decision.trace,
  };
}

/**
 * Decides one well-formed case. A setting of the wrong type is malformed input (CaseInputError);
 * every other settings problem (unknown name, malformed orgdborgsettings XML) is a setting value and
 * goes to the trace.
 */
export function explainCase(input: ExplainCase): Decision {
  checkReaderLimits(input);
  const { settings, issues, unknownOrgDbSettings } = resolveSettings(input.settings, { strictTypes: true });
  const wrongType = issues.find((i) => i.kind === 'invalid-value' && i.path.startsWith('settings.'));
  if (wrongType) throw new CaseInputError(wrongType.path, wrongType.problem);
  const notes: string[] = [];
  let email = input.email;
  if (input.headers !== null) {
    const parsed = readHeaders(input.headers);
    email = mergeHeaderFacts(email, parsed);
    notes.push(
      `headers: read ${
        Object.keys(parsed)
          .filter((k) => k !== 'warnings')
          .join(', ') || 'nothing'
      } from the raw header block`,
    );
    for (const warning of parsed.warnings ?? []) notes.push(`headers: ${warning}`);
  }
  for (const issue of issues) notes.push(`settings: ${issue.message}`);
  for (const name of unknownOrgDbSettings.keys())
    notes.push(`settings: orgdborgsettings ${name}: unknown OrgDBOrgSettings name, kept and ignored`);
  const index = buildCrmIndex(input.crm.records, input.crm.trackedEmails, input.crm.folderMappings);
  const decision = decide({
    action: input.action,
    email,
    regarding: input.regarding,
    user: input.user,
    settings,
    index,
  });
  return notes.length === 0 ? decision : { ...decision, trace: [...notes, ...decision.trace] };
}

/**
 * Spec §6: a value over a limit of a reader is malformed input of its line, naming the field. The
 * orgdborgsettings reader's size limit is such a limit (its other problems are setting values, §6,
 * and go to the trace); it is checked here, before the rules, which fall back to the defaults.
 */
function checkReaderLimits(input: ExplainCase): void {
  for (const [name, value] of Object.entries(input.settings.organization ?? {})) {
    // The same name test as resolveSettings, so the value checked is the value it would read.
    if (name.trim().toLowerCase() !== 'orgdborgsettings' || typeof value !== 'string') continue;
    if (value.length > MAX_ORGDB_XML_LENGTH) {
      throw new CaseInputError(
        `settings.organization.${name}`,
        `the XML is ${value.length} characters, over the ${MAX_ORGDB_XML_LENGTH} limit of its reader`,
      );
    }
  }
}

/** The raw header block read; a block over the reader's size limit is malformed input (§6). */
function readHeaders(headers: string): HeaderFacts {
  try {
    return parseHeaderBlock(headers);
  } catch (error) {
    if (error instanceof HeaderParseError) throw new CaseInputError('email.headers', error.message);
    throw error;
  }
}

/**
 * One line of standard error from text that may hold the input's own characters (a field name, a
 * snippet in a JSON error): control characters and line separators become `\uXXXX`, so untrusted text
 * can neither start a forged `line N:` message nor drive the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The message for a case that failed for a reason that is not its input: a bug of ours. */
function internalFailure(error: unknown): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `could not be decided (a bug in track-in-crm, please report it): ${what}`;
}

export interface ExplainResult {
  /** One JSON decision per well-formed case, in input order. */
  readonly decisions: string[];
  /** One message per malformed case: `line N: field F: problem` (or `line N: not JSON: …`). */
  readonly errors: string[];
  /**
   * One message per case that failed for a reason other than its input (a bug): `line N: could not
   * be decided …`. Kept apart so the command can tell malformed input (exit 2) from its own failure.
   */
  readonly failures: string[];
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // JSON.parse throws only SyntaxError; anything else is not a JSON problem and goes on up.
    if (!(error instanceof SyntaxError)) throw error;
    return { ok: false, error: error.message };
  }
}

/** Decides every case in `text`. */
export function explain(text: string): ExplainResult {
  const decisions: string[] = [];
  const errors: string[] = [];
  const failures: string[] = [];
  const decideOne = (value: unknown, line: number): void => {
    try {
      decisions.push(JSON.stringify(decisionToJson(explainCase(readCase(value)))));
    } catch (error) {
      // Malformed input names its field; anything else is our own failure, reported for this line
      // only, so one bad case never costs the decisions of the others (§6).
      if (error instanceof CaseInputError) errors.push(`line ${line}: ${oneLine(error.message)}`);
      else failures.push(`line ${line}: ${oneLine(internalFailure(error))}`);
    }
  };

  // A byte-order mark is an encoding detail, not content.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  if (firstLine < 0) {
    errors.push('line 1: no case: the input is empty');
    return { decisions, errors, failures };
  }
  // One pretty-printed document when the whole input parses as one and its first line alone does
  // not; otherwise JSON Lines, each line on its own (a bad line never stops the others, §6).
  // (When the whole body does not parse either, the first line's own error is reported below.)
  if (!parseJson(lines[firstLine] as string).ok) {
    const whole = parseJson(body);
    if (whole.ok) {
      decideOne(whole.value, firstLine + 1);
      return { decisions, errors, failures };
    }
  }
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const parsed = parseJson(raw);
    if (parsed.ok) decideOne(parsed.value, i + 1);
    else errors.push(`line ${i + 1}: not JSON: ${oneLine(parsed.error)}`);
  });
  return { decisions, errors, failures };
}
