/**
 * What every `explain` case does with its settings and raw header blocks before the rules see them
 * (spec §6): a wrong type or a value over a reader's limit is malformed input naming the field;
 * every other settings problem is a setting value, said in the trace.
 */
import { HeaderParseError, parseHeaderBlock, type HeaderFacts } from '../mail/headers';
import { MAX_ORGDB_XML_LENGTH } from '../rules/orgDbOrgSettingsXml';
import type { Settings } from '../rules/settings';
import { resolveSettings, type RawSettings, type ResolveOptions } from '../rules/settingsInput';
import { CaseInputError } from './caseInput';

/** The typed settings of a case, and the trace lines that say what was made of the raw ones. */
export function caseSettings(
  raw: RawSettings,
  options: Pick<ResolveOptions, 'raiseToMinimum'> = {},
): { settings: Settings; notes: string[] } {
  checkReaderLimits(raw);
  const { settings, issues, unknownOrgDbSettings } = resolveSettings(raw, { ...options, strictTypes: true });
  const wrongType = issues.find((i) => i.kind === 'invalid-value' && i.path.startsWith('settings.'));
  if (wrongType) throw new CaseInputError(wrongType.path, wrongType.problem);
  const notes = issues.map((issue) => `settings: ${issue.message}`);
  for (const name of unknownOrgDbSettings.keys())
    notes.push(`settings: orgdborgsettings ${name}: unknown OrgDBOrgSettings name, kept and ignored`);
  return { settings, notes };
}

/**
 * Spec §6: a value over a limit of a reader is malformed input of its line, naming the field. The
 * orgdborgsettings reader's size limit is such a limit (its other problems are setting values, §6,
 * and go to the trace); it is checked here, before the rules, which fall back to the defaults.
 */
function checkReaderLimits(raw: RawSettings): void {
  for (const [name, value] of Object.entries(raw.organization ?? {})) {
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

/** The raw header block at `field` read; a block over the reader's size limit is malformed input (§6). */
export function readHeaders(headers: string, field: string): HeaderFacts {
  try {
    return parseHeaderBlock(headers);
  } catch (error) {
    if (error instanceof HeaderParseError) throw new CaseInputError(field, error.message);
    throw error;
  }
}

/** The trace lines saying what a raw header block gave. */
export function headerNotes(parsed: HeaderFacts): string[] {
  const read = Object.keys(parsed).filter((k) => k !== 'warnings');
  return [
    `headers: read ${read.join(', ') || 'nothing'} from the raw header block`,
    ...(parsed.warnings ?? []).map((warning) => `headers: ${warning}`),
  ];
}
