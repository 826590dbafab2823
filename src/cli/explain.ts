/**
 * `track-in-crm explain`: cases in (one JSON document, or JSON Lines), one decision per line out,
 * decided by the same rules the add-in runs. Malformed cases are reported on standard error by line
 * and field and skipped; the others are still decided.
 */
import { mergeHeaderFacts } from '../mail/mergeFacts';
import { buildCrmIndex } from '../rules/crmIndex';
import { decide, type Decision } from '../rules/decide';
import { CaseInputError, readCase, type ExplainCase } from './caseInput';
import { caseSettings, headerNotes, readHeaders } from './caseSettings';
import { readCycleCase } from './cycleInput';
import { decisionToJson } from './decisionJson';
import { cyclePlanToJson, explainCycle } from './explainCycle';
import { explainSync, syncPlanToJson } from './explainSync';
import { readSyncCase } from './syncInput';

export { decisionToJson };

/**
 * Decides one well-formed case. A setting of the wrong type is malformed input (CaseInputError);
 * every other settings problem (unknown name, malformed orgdborgsettings XML) is a setting value and
 * goes to the trace.
 */
export function explainCase(input: ExplainCase): Decision {
  const { settings, notes: settingNotes } = caseSettings(input.settings);
  const notes: string[] = [];
  let email = input.email;
  if (input.headers !== null) {
    const parsed = readHeaders(input.headers, 'email.headers');
    email = mergeHeaderFacts(email, parsed);
    notes.push(...headerNotes(parsed));
  }
  notes.push(...settingNotes);
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

/**
 * The output line of one case: a §6 decision, a cycle's plan (background-check.md §2) or a
 * synchronization's plan (synchronization.md §3).
 */
function answer(value: unknown): Record<string, unknown> {
  const action =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>).action
      : undefined;
  if (action === 'cycle')
    return cyclePlanToJson(explainCycle(readCycleCase(value as Record<string, unknown>)));
  if (action === 'sync') return syncPlanToJson(explainSync(readSyncCase(value as Record<string, unknown>)));
  return decisionToJson(explainCase(readCase(value)));
}

/** Decides every case in `text`. */
export function explain(text: string): ExplainResult {
  const decisions: string[] = [];
  const errors: string[] = [];
  const failures: string[] = [];
  const decideOne = (value: unknown, line: number): void => {
    try {
      decisions.push(JSON.stringify(answer(value)));
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
