/**
 * `track-in-crm explain`: cases in (one JSON document, or JSON Lines), one decision per line out,
 * decided by the same rules the add-in runs. Malformed cases are reported on standard error by line
 * and field and skipped; the others are still decided.
 */
import { parseHeaderBlock } from '../mail/headers';
import { mergeHeaderFacts } from '../mail/mergeFacts';
import { buildCrmIndex } from '../rules/crmIndex';
import { decide, type Decision } from '../rules/decide';
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
  const { settings, issues, unknownOrgDbSettings } = resolveSettings(input.settings, { strictTypes: true });
  const wrongType = issues.find((i) => i.kind === 'invalid-value' && i.path.startsWith('settings.'));
  if (wrongType) throw new CaseInputError(wrongType.path, wrongType.problem);
  const notes: string[] = [];
  let email = input.email;
  if (input.headers !== null) {
    const parsed = parseHeaderBlock(input.headers);
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

export interface ExplainResult {
  /** One JSON decision per well-formed case, in input order. */
  readonly decisions: string[];
  /** One message per malformed case: `line N: field F: problem`. */
  readonly errors: string[];
}

/** Decides every case in `text`. */
export function explain(text: string): ExplainResult {
  const decisions: string[] = [];
  const errors: string[] = [];
  const decideOne = (value: unknown, line: number): void => {
    try {
      decisions.push(JSON.stringify(decisionToJson(explainCase(readCase(value)))));
    } catch (error) {
      if (!(error instanceof CaseInputError)) throw error;
      errors.push(`line ${line}: ${error.message}`);
    }
  };

  // A byte-order mark is an encoding detail, not content.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  if (firstLine < 0) {
    errors.push('line 1: no case: the input is empty');
    return { decisions, errors };
  }
  // One pretty-printed document when the whole input parses as one and its first line alone does
  // not; otherwise JSON Lines, each line on its own (a bad line never stops the others, §6).
  let firstLineIsJson = true;
  try {
    JSON.parse(lines[firstLine] as string);
  } catch {
    firstLineIsJson = false;
  }
  if (!firstLineIsJson) {
    let value: unknown;
    let whole = true;
    try {
      value = JSON.parse(body);
    } catch {
      whole = false;
    }
    if (whole) {
      decideOne(value, firstLine + 1);
      return { decisions, errors };
    }
  }
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      errors.push(`line ${i + 1}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    decideOne(value, i + 1);
  });
  return { decisions, errors };
}
