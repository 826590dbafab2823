/**
 * What every `explain` case does with its settings and raw header blocks before the rules see them
 * (spec §6): a wrong type or a value over a reader's limit is malformed input naming the field;
 * every other settings problem is a setting value, said in the trace.
 */
import { HeaderParseError, parseHeaderBlock, type HeaderFacts } from '../mail/headers';
import { MAX_ORGDB_XML_LENGTH } from '../rules/orgDbOrgSettingsXml';
import type { Settings } from '../rules/settings';
import { lookup, resolveSettings, type RawSettings } from '../rules/settingsInput';
import { CaseInputError } from './caseInput';

/** The typed settings of a case, and the trace lines that say what was made of the raw ones. */
export function caseSettings(
  raw: RawSettings,
  raiseToMinimum: ReadonlySet<string> = new Set(),
): { settings: Settings; notes: string[] } {
  checkReaderLimits(raw);
  const raised = raiseOrganizationMinimums(raw, raiseToMinimum);
  const { settings, issues, unknownOrgDbSettings } = resolveSettings(raised.raw, { strictTypes: true });
  const wrongType = issues.find((i) => i.kind === 'invalid-value' && i.path.startsWith('settings.'));
  if (wrongType) throw new CaseInputError(wrongType.path, wrongType.problem);
  const notes = [...raised.notes, ...issues.map((issue) => `settings: ${issue.message}`)];
  for (const name of unknownOrgDbSettings.keys())
    notes.push(`settings: orgdborgsettings ${name}: unknown OrgDBOrgSettings name, kept and ignored`);
  return { settings, notes };
}

/**
 * background-check.md §2: in a cycle case a whole number below the minimum of the settings named is
 * taken up to it, not malformed. Done here, on the case's raw values, so that the pane's copy of the
 * settings reader carries nothing only the command needs.
 */
function raiseOrganizationMinimums(
  raw: RawSettings,
  names: ReadonlySet<string>,
): { raw: RawSettings; notes: string[] } {
  const notes: string[] = [];
  if (names.size === 0 || !raw.organization) return { raw, notes };
  const organization = { ...raw.organization };
  for (const [name, value] of Object.entries(organization)) {
    const definition = lookup(name, 'organization');
    if (!definition || !names.has(definition.name) || definition.kind.t !== 'int') continue;
    const { min } = definition.kind;
    if (typeof value === 'number' && Number.isInteger(value) && value < min) {
      organization[name] = min;
      notes.push(
        `settings: settings.organization.${name}: ${value} is below the minimum ${min}; taken as ${min}`,
      );
    }
  }
  return { raw: { ...raw, organization }, notes };
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
