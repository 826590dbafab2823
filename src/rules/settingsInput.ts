/**
 * Turns raw setting values (a case's `settings`, Dataverse rows, roaming settings) into the typed
 * Settings of settings.ts. Lenient where the sources really differ (Dataverse gives booleans, the
 * OrgDBOrgSettings XML gives "true"/"1", roaming settings give whatever was saved), strict where a
 * value cannot mean anything (a filtering method of 7): that is an issue, never a guess.
 */
import { OrgDbOrgSettingsXmlError, parseOrgDbOrgSettingsXml } from './orgDbOrgSettingsXml';
import {
  DEFAULT_CLIENT_SWITCHES,
  DEFAULT_ORGANIZATION_SETTINGS,
  DEFAULT_ORGDB_SETTINGS,
  DEFAULT_PERSONAL_OPTIONS,
  type ClientSwitches,
  type OrganizationSettings,
  type OrgDbOrgSettings,
  type PersonalOptions,
  type Settings,
} from './settings';

export type SettingsSection = 'organization' | 'orgDb' | 'client' | 'user';
/** Where raw settings come from: the three sections of a case (§1.4 last paragraph). */
export type InputSection = 'organization' | 'client' | 'user';

export interface RawSettings {
  readonly organization?: Readonly<Record<string, unknown>> | null;
  readonly client?: Readonly<Record<string, unknown>> | null;
  readonly user?: Readonly<Record<string, unknown>> | null;
}

export type SettingsIssueKind =
  'unknown-setting' | 'invalid-value' | 'malformed-orgdborgsettings' | 'other-section' | 'conflicting-views';

export interface SettingsIssue {
  readonly kind: SettingsIssueKind;
  /** e.g. `settings.user.incomingemailfilteringmethod` or `orgdborgsettings.AllowPromoteDuplicates`. */
  readonly path: string;
  /** The whole sentence, path included. */
  readonly message: string;
  /** What is wrong, without the path (for callers that name the field themselves). */
  readonly problem: string;
}

export interface ResolvedSettings {
  readonly settings: Settings;
  readonly issues: readonly SettingsIssue[];
  /** OrgDBOrgSettings names the XML held that this version does not know: kept, ignored. */
  readonly unknownOrgDbSettings: ReadonlyMap<string, string>;
}

type Kind =
  | { readonly t: 'bool' }
  | { readonly t: 'int'; readonly min: number; readonly max: number }
  | { readonly t: 'string'; readonly minLength: number; readonly maxLength: number }
  | {
      readonly t: 'enum';
      readonly values: readonly (string | number)[];
      readonly aliases?: Readonly<Record<string, number>>;
    };

const bool: Kind = { t: 'bool' };
const int = (min: number, max = Number.MAX_SAFE_INTEGER): Kind => ({ t: 'int', min, max });
const flag01: Kind = { t: 'enum', values: [0, 1], aliases: { false: 0, true: 1 } };

export interface Definition {
  readonly section: SettingsSection;
  readonly name: string;
  readonly kind: Kind;
}

const ORGANIZATION: Readonly<Record<keyof OrganizationSettings, Kind>> = {
  promoteIncomingEmail: bool,
  tagpollingperiod: int(1),
  tagmaxaggressivecycles: int(0),
  backgroundLookbackDays: int(1),
  backgroundMaxItems: int(1),
  allowoutlookscheduledsyncs: bool,
  minoutlooksyncinterval: int(0),
  allowofflinescheduledsyncs: bool,
  minofflinesyncinterval: int(0),
  allowaddressbooksyncs: bool,
  minaddressbooksyncinterval: int(0),
  emailcorrelationenabled: bool,
  useTrackingToken: bool,
  trackingprefix: { t: 'string', minLength: 1, maxLength: 20 },
  trackingtokeniddigits: int(1, 9),
  trackingtokenidbase: int(0),
  maximumtrackingnumber: int(1),
  enablesmartmatching: bool,
  hashfilterkeywords: { t: 'string', minLength: 0, maxLength: 2000 },
  hashmaxcount: int(0),
  hashdeltasubjectcount: int(0),
  hashminaddresscount: int(0),
  ignoreinternalemail: bool,
  requireapprovalforuseremail: bool,
  unresolveemailaddressifmultiplematch: bool,
  isfolderbasedtrackingenabled: bool,
  orgdborgsettings: { t: 'string', minLength: 0, maxLength: Number.MAX_SAFE_INTEGER },
  // Dataverse accepts up to 128 MB (Files and images overview).
  maxuploadfilesize: int(0, 131_072_000),
  blockedattachments: { t: 'string', minLength: 0, maxLength: Number.MAX_SAFE_INTEGER },
};

const ORGDB: Readonly<Record<keyof OrgDbOrgSettings, Kind>> = {
  VerboseErrorsOnPromoteToCRM: flag01,
  ClientDisableTrackingForReplyForwardEmails: bool,
  OverrideTrackInCrmBehaviour: flag01,
  SendEmailSynchronously: flag01,
  AllowPromoteDuplicates: bool,
  OverrideV5SenderConflictResolution: bool,
  AutoCreateContactOnPromote: bool,
  AutoTrackSentFolderItems: bool,
  IgnoreConversationIndexAndInReplyToForCorrelation: bool,
  DoNotCorrelateForwardedEmailsAsReplies: bool,
  DisableSmartMatching: bool,
  UnresolveSenderInCaseOfMultipleMatch: bool,
  HideEmailAutoTrackOptions: bool,
  TrackCategorizedItems: bool,
};

const CLIENT: Readonly<Record<keyof ClientSwitches, Kind>> = {
  outlookSynchronization: bool,
  backgroundSendEmail: bool,
  backgroundTrackEmail: bool,
  automaticEmailTagging: bool,
};

const USER: Readonly<Record<keyof PersonalOptions, Kind>> = {
  synchronizeWithOutlook: bool,
  synccontactcompany: bool,
  isSynchronizationClient: bool,
  outlooksyncinterval: int(0),
  recipientReconciliation: { t: 'enum', values: ['all-matches', 'primary-email-only'] },
  addressbooksyncinterval: int(0),
  offlinesyncinterval: int(0),
  isduplicatedetectionenabledwhengoingonline: bool,
  incomingemailfilteringmethod: { t: 'enum', values: [0, 1, 2, 3, 4] },
  autocreatecontactonpromote: {
    t: 'enum',
    values: [0, 1, 2],
    aliases: { none: 0, contact: 1, lead: 2, false: 0, true: 1 },
  },
};

const definitions: Definition[] = [];
const add = (section: SettingsSection, table: Readonly<Record<string, Kind>>): void => {
  for (const [name, kind] of Object.entries(table)) definitions.push({ section, name, kind });
};
add('organization', ORGANIZATION);
add('orgDb', ORGDB);
add('client', CLIENT);
add('user', USER);

/** The §1.3 switches that are also personal options (§1.4 "= backgroundSendEmail"). */
const TWO_VIEW_SWITCHES: ReadonlySet<string> = new Set(['backgroundSendEmail', 'backgroundTrackEmail']);

/** synchronization.md §1 names two personal options more shortly than this model does. */
const SPEC_NAMES: ReadonlyMap<string, string> = new Map([
  ['syncwithoutlook', 'synchronizeWithOutlook'],
  ['issyncclient', 'isSynchronizationClient'],
]);

/** Which input section a stored section's names are written in (§1.4 last paragraph). */
const HOME: Readonly<Record<SettingsSection, InputSection>> = {
  organization: 'organization',
  orgDb: 'organization',
  client: 'client',
  user: 'user',
};

/** Where a name written in each input section is looked for first. */
const PREFERRED: Readonly<Record<InputSection, readonly SettingsSection[]>> = {
  organization: ['organization', 'orgDb'],
  client: ['client'],
  user: ['user', 'client'],
};

/**
 * Finds a setting by name. Names are not unique across sections when case is ignored
 * (OrgDBOrgSettings `AutoCreateContactOnPromote` vs the personal `autocreatecontactonpromote`), so
 * the exact name wins, then the name in any case within the sections the input belongs to, then
 * (for a value written in the wrong section) the other sections. XML names only ever mean OrgDB.
 */
export function lookup(rawName: string, from: InputSection | 'xml'): Definition | undefined {
  const trimmed = rawName.trim();
  // XML element names are case-sensitive: an OrgDBOrgSettings name in another case is unknown (§1.2).
  if (from === 'xml') return definitions.find((d) => d.section === 'orgDb' && d.name === trimmed);
  // Environment variables are read as tic_<name> (spec §1): accept either spelling.
  const names = (/^tic_/i.test(trimmed) ? [trimmed, trimmed.slice(4)] : [trimmed]).map(
    (name) => SPEC_NAMES.get(name.toLowerCase()) ?? name,
  );
  const preferred = PREFERRED[from];
  const pools = [preferred, definitions.map((d) => d.section).filter((s) => !preferred.includes(s))];
  for (const sections of pools) {
    for (const name of names) {
      const exact = definitions.find((d) => sections.includes(d.section) && d.name === name);
      if (exact) return exact;
      const folded = name.toLowerCase();
      const loose = definitions.find((d) => sections.includes(d.section) && d.name.toLowerCase() === folded);
      if (loose) return loose;
    }
  }
  return undefined;
}

type Coerced = { ok: true; value: boolean | number | string } | { ok: false; expected: string };

/** Turns one raw value into its typed value, or says what was expected. */
export function coerceSettingValue(kind: Kind, raw: unknown): Coerced {
  switch (kind.t) {
    case 'bool': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 0 || raw === 1) return { ok: true, value: raw === 1 };
      if (typeof raw === 'string') {
        const text = raw.trim().toLowerCase();
        if (text === 'true' || text === '1' || text === 'yes') return { ok: true, value: true };
        if (text === 'false' || text === '0' || text === 'no') return { ok: true, value: false };
      }
      return { ok: false, expected: 'true or false' };
    }
    case 'int': {
      const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
      if (typeof value === 'number' && Number.isInteger(value) && value >= kind.min && value <= kind.max) {
        return { ok: true, value };
      }
      const range =
        kind.max === Number.MAX_SAFE_INTEGER ? `≥ ${kind.min}` : `from ${kind.min} to ${kind.max}`;
      return { ok: false, expected: `a whole number ${range}` };
    }
    case 'string': {
      if (typeof raw === 'string' && raw.length >= kind.minLength && raw.length <= kind.maxLength) {
        return { ok: true, value: raw };
      }
      return { ok: false, expected: `text of ${kind.minLength} to ${kind.maxLength} characters` };
    }
    case 'enum': {
      const key = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
      if (typeof key === 'string' && kind.aliases && key in kind.aliases) {
        return { ok: true, value: kind.aliases[key] as number };
      }
      if (typeof raw === 'boolean' && kind.aliases && String(raw) in kind.aliases) {
        return { ok: true, value: kind.aliases[String(raw)] as number };
      }
      const numeric = typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key;
      const found = kind.values.find((v) => v === numeric || (typeof v === 'string' && v === key));
      if (found !== undefined) return { ok: true, value: found };
      return { ok: false, expected: `one of ${kind.values.map((v) => JSON.stringify(v)).join(', ')}` };
    }
  }
}

/**
 * Resolves the settings of one user from raw input. Left-out or null values take their §1
 * defaults. OrgDBOrgSettings come from the `orgdborgsettings` XML; an OrgDBOrgSettings name written
 * directly in the organization section is applied too and wins over the XML (it is the more
 * explicit statement). The two views of one switch (§1.3) share one value.
 */
/** Settings read from Dataverse environment variables, whose values are text by nature. */
const TEXT_VALUED: ReadonlySet<string> = new Set([
  'promoteIncomingEmail',
  'useTrackingToken',
  'backgroundLookbackDays',
  'backgroundMaxItems',
]);

/**
 * Strict JSON types (a case given to `explain`, §6 "a wrong type" is malformed input): a boolean is
 * a JSON boolean and a number a JSON number. Values that are text at their source stay accepted as
 * text: OrgDBOrgSettings (an XML blob) and the `tic_` environment variables; and the record-creation
 * option by its names (none, contact, lead).
 */
function strictTypeProblem(definition: Definition, raw: unknown): string | null {
  if (definition.section === 'orgDb' || TEXT_VALUED.has(definition.name)) return null;
  const kind = definition.kind;
  if (kind.t === 'bool' && typeof raw !== 'boolean') return 'true or false (a JSON boolean)';
  if (kind.t === 'int' && typeof raw !== 'number') return 'a number';
  if (kind.t === 'enum' && typeof kind.values[0] === 'number') {
    if (typeof raw === 'number') return null;
    if (
      typeof raw === 'string' &&
      kind.aliases &&
      !['true', 'false'].includes(raw.trim().toLowerCase()) &&
      raw.trim().toLowerCase() in kind.aliases
    )
      return null;
    return `one of ${kind.values.join(', ')}${kind.aliases ? ' (or its name)' : ''}`;
  }
  return null;
}

export interface ResolveOptions {
  /** JSON types must match (the explain command); off for Dataverse rows and roaming settings. */
  readonly strictTypes?: boolean;
}

export function resolveSettings(
  raw: RawSettings | null | undefined,
  options: ResolveOptions = {},
): ResolvedSettings {
  const values: Record<SettingsSection, Record<string, unknown>> = {
    organization: { ...DEFAULT_ORGANIZATION_SETTINGS },
    orgDb: { ...DEFAULT_ORGDB_SETTINGS },
    client: { ...DEFAULT_CLIENT_SWITCHES },
    user: { ...DEFAULT_PERSONAL_OPTIONS },
  };
  const issues: SettingsIssue[] = [];
  const unknownOrgDbSettings = new Map<string, string>();
  const seenTwoViews = new Map<string, { section: InputSection; value: unknown }>();

  const apply = (section: InputSection, rawName: string, rawValue: unknown): void => {
    const path = `settings.${section}.${rawName}`;
    const definition = lookup(rawName, section);
    if (!definition) {
      issues.push({
        kind: 'unknown-setting',
        path,
        message: `${path}: unknown setting, ignored`,
        problem: 'unknown setting',
      });
      return;
    }
    if (rawValue === null || rawValue === undefined) return;
    const strictProblem = options.strictTypes ? strictTypeProblem(definition, rawValue) : null;
    if (strictProblem) {
      const problem = `expected ${strictProblem}, got ${JSON.stringify(rawValue)}`;
      issues.push({ kind: 'invalid-value', path, message: `${path}: ${problem}`, problem });
      return;
    }
    const coerced = coerceSettingValue(definition.kind, rawValue);
    if (!coerced.ok) {
      const problem = `expected ${coerced.expected}, got ${JSON.stringify(rawValue)}`;
      issues.push({ kind: 'invalid-value', path, message: `${path}: ${problem}`, problem });
      return;
    }
    const key = definition.name;
    if (TWO_VIEW_SWITCHES.has(key)) {
      const earlier = seenTwoViews.get(key);
      if (earlier && earlier.value !== coerced.value) {
        const problem = `disagrees with settings.${earlier.section}.${definition.name} (${String(earlier.value)}); they are one setting, the personal option wins`;
        issues.push({
          kind: 'conflicting-views',
          path,
          message: `${path} (${String(coerced.value)}) ${problem}`,
          problem,
        });
        if (earlier.section === 'user') return;
      }
      seenTwoViews.set(key, { section, value: coerced.value });
      values.client[definition.name] = coerced.value;
      return;
    }
    if (HOME[definition.section] !== section && !TWO_VIEW_SWITCHES.has(definition.name)) {
      const problem = `belongs in settings.${HOME[definition.section]}; applied`;
      issues.push({ kind: 'other-section', path, message: `${path}: ${problem}`, problem });
    }
    values[definition.section][definition.name] = coerced.value;
  };

  const organization = raw?.organization ?? {};
  // The XML first, so that names written directly in the section win over it.
  const xml = Object.entries(organization).find(
    ([name]) => name.trim().toLowerCase() === 'orgdborgsettings',
  )?.[1];
  if (typeof xml === 'string') {
    try {
      for (const [name, value] of parseOrgDbOrgSettingsXml(xml)) {
        const definition = lookup(name, 'xml');
        if (!definition) {
          unknownOrgDbSettings.set(name, value);
          continue;
        }
        const coerced = coerceSettingValue(definition.kind, value);
        if (coerced.ok) values.orgDb[definition.name] = coerced.value;
        else {
          const problem = `expected ${coerced.expected}, got ${JSON.stringify(value)}; the default applies`;
          issues.push({
            kind: 'invalid-value',
            path: `orgdborgsettings.${name}`,
            message: `orgdborgsettings ${name}: ${problem}`,
            problem,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof OrgDbOrgSettingsXmlError)) throw error;
      const problem = `${error.message}; every OrgDBOrgSettings value takes its default`;
      issues.push({
        kind: 'malformed-orgdborgsettings',
        path: 'settings.organization.orgdborgsettings',
        message: problem,
        problem,
      });
    }
  }
  const sections: InputSection[] = ['organization', 'client', 'user'];
  for (const section of sections) {
    for (const [name, value] of Object.entries(raw?.[section] ?? {})) apply(section, name, value);
  }
  return {
    settings: Object.freeze({
      organization: Object.freeze(values.organization) as unknown as OrganizationSettings,
      orgDb: Object.freeze(values.orgDb) as unknown as OrgDbOrgSettings,
      client: Object.freeze(values.client) as unknown as ClientSwitches,
      user: Object.freeze(values.user) as unknown as PersonalOptions,
    }),
    issues,
    unknownOrgDbSettings,
  };
}
