/**
 * Every setting the admin page edits (tracking.md §1.1 and §1.2, and the `tic_` environment variables):
 * where it is stored, on which tab of the original client's System Settings it sat, its type, its
 * default, and what a value must be. Pure: the page, its preview and its save read this one list.
 *
 * Tabs follow the original client (Dynamics CRM for Outlook's System Settings dialog): the Outlook tab
 * held "email promotion", the polling and "perform checks as new email is received" settings and the
 * three "users may schedule …" pairs; the Email tab held correlation, tracking tokens, smart matching,
 * email between users and unapproved users; the Synchronization tab held the synchronization rules,
 * i.e. the field mappings (chosen: the page shows the synchronized fields there, as the original did,
 * rather than an empty tab). The settings' names and effects are messages: `admin.setting_<name>`
 * and `admin.effect_<name>`.
 */
import { DEFAULT_ORGANIZATION_SETTINGS, DEFAULT_ORGDB_SETTINGS } from '../rules/settings';
import { compileHashFilter } from '../rules/smartMatching';

export type AdminTab = 'email' | 'outlook' | 'synchronization' | 'orgDb' | 'environment';

/** Where the value is written: a column of `organizations`, a name in its OrgDBOrgSettings XML, a `tic_` variable. */
export type SettingSource = 'organization' | 'orgDb' | 'environment';

export type SettingType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'text'; readonly minLength: number; readonly maxLength: number }
  | { readonly kind: 'regex'; readonly maxLength: number }
  /** An OrgDBOrgSettings 0/1 choice (VerboseErrorsOnPromoteToCRM, …): shown as two choices, not a switch. */
  | { readonly kind: 'choice01' };

/** What the page holds while a setting is edited: a switch's state, or the text as typed. */
export type DraftValue = boolean | string;

export interface SettingProblem {
  readonly message:
    | 'admin.errorWholeNumber'
    | 'admin.errorLength'
    | 'admin.errorRegex'
    | 'admin.errorRegexTooLong'
    | 'admin.errorChoice';
  readonly params: Readonly<Record<string, string | number>>;
}

export interface SettingDefinition {
  /** The logical name: the column, the XML element, or the variable's name without `tic_`. */
  readonly name: string;
  readonly source: SettingSource;
  readonly tab: AdminTab;
  readonly type: SettingType;
  readonly defaultValue: boolean | number | string;
}

/** Dataverse's Edm.Int32 columns stop here. */
const INT32_MAX = 2_147_483_647;
const bool: SettingType = { kind: 'boolean' };
const int = (min: number, max = INT32_MAX): SettingType => ({ kind: 'integer', min, max });

const org = (name: keyof typeof DEFAULT_ORGANIZATION_SETTINGS, tab: AdminTab, type: SettingType) => ({
  name,
  source: 'organization' as const,
  tab,
  type,
  defaultValue: DEFAULT_ORGANIZATION_SETTINGS[name],
});
const env = (name: keyof typeof DEFAULT_ORGANIZATION_SETTINGS, tab: AdminTab, type: SettingType) => ({
  ...org(name, tab, type),
  source: 'environment' as const,
});
const orgDb = (name: keyof typeof DEFAULT_ORGDB_SETTINGS, type: SettingType) => ({
  name,
  source: 'orgDb' as const,
  tab: 'orgDb' as const,
  type,
  defaultValue: DEFAULT_ORGDB_SETTINGS[name],
});

export const SETTINGS: readonly SettingDefinition[] = [
  // Outlook tab
  env('promoteIncomingEmail', 'outlook', bool),
  org('tagpollingperiod', 'outlook', int(1)),
  org('tagmaxaggressivecycles', 'outlook', int(0)),
  org('allowoutlookscheduledsyncs', 'outlook', bool),
  org('minoutlooksyncinterval', 'outlook', int(1)),
  org('allowofflinescheduledsyncs', 'outlook', bool),
  org('minofflinesyncinterval', 'outlook', int(1)),
  org('allowaddressbooksyncs', 'outlook', bool),
  org('minaddressbooksyncinterval', 'outlook', int(1)),
  // Email tab
  org('emailcorrelationenabled', 'email', bool),
  env('useTrackingToken', 'email', bool),
  org('trackingprefix', 'email', { kind: 'text', minLength: 1, maxLength: 20 }),
  // Nine digits keep the user number inside a 32-bit counter (settingsInput.ts reads 1–9 too).
  org('trackingtokeniddigits', 'email', int(1, 9)),
  org('trackingtokenidbase', 'email', int(0)),
  org('maximumtrackingnumber', 'email', int(1)),
  org('enablesmartmatching', 'email', bool),
  org('hashfilterkeywords', 'email', { kind: 'regex', maxLength: 2000 }),
  org('hashmaxcount', 'email', int(1)),
  org('hashdeltasubjectcount', 'email', int(0)),
  org('hashminaddresscount', 'email', int(0)),
  org('ignoreinternalemail', 'email', bool),
  org('requireapprovalforuseremail', 'email', bool),
  org('unresolveemailaddressifmultiplematch', 'email', bool),
  org('isfolderbasedtrackingenabled', 'email', bool),
  // OrgDBOrgSettings (§1.2)
  orgDb('VerboseErrorsOnPromoteToCRM', { kind: 'choice01' }),
  orgDb('ClientDisableTrackingForReplyForwardEmails', bool),
  orgDb('OverrideTrackInCrmBehaviour', { kind: 'choice01' }),
  orgDb('SendEmailSynchronously', { kind: 'choice01' }),
  orgDb('AllowPromoteDuplicates', bool),
  orgDb('OverrideV5SenderConflictResolution', bool),
  orgDb('AutoCreateContactOnPromote', bool),
  orgDb('AutoTrackSentFolderItems', bool),
  orgDb('IgnoreConversationIndexAndInReplyToForCorrelation', bool),
  orgDb('DoNotCorrelateForwardedEmailsAsReplies', bool),
  orgDb('DisableSmartMatching', bool),
  orgDb('UnresolveSenderInCaseOfMultipleMatch', bool),
  orgDb('HideEmailAutoTrackOptions', bool),
  orgDb('TrackCategorizedItems', bool),
  // Environment variables only (background-check.md §1.2)
  env('backgroundLookbackDays', 'environment', int(1)),
  env('backgroundMaxItems', 'environment', int(1)),
];

/** The draft's key of a setting: one value per stored value, whichever tab shows it. */
export const settingKey = (definition: Pick<SettingDefinition, 'source' | 'name'>): string =>
  `${definition.source}:${definition.name}`;

export const ENVIRONMENT_PREFIX = 'tic_';

/** The settings a tab shows; `tic_` variables also appear on the Environment variables tab. */
export function settingsOnTab(tab: AdminTab): readonly SettingDefinition[] {
  return SETTINGS.filter((s) => s.tab === tab || (tab === 'environment' && s.source === 'environment'));
}

export function definitionOf(key: string): SettingDefinition | undefined {
  return SETTINGS.find((s) => settingKey(s) === key);
}

/** The value as the draft holds it: booleans as switches, everything else as text. */
export function toDraft(type: SettingType, value: boolean | number | string): DraftValue {
  if (type.kind === 'boolean') return value === true || value === 'true' || value === 1 || value === '1';
  if (type.kind === 'choice01')
    return value === true || value === 1 || value === '1' || value === 'true' ? '1' : '0';
  return String(value);
}

/** The problem with a draft value, or null when it may be saved. */
export function validateSetting(type: SettingType, value: DraftValue): SettingProblem | null {
  switch (type.kind) {
    case 'boolean':
      return null;
    case 'choice01':
      return value === '0' || value === '1' ? null : { message: 'admin.errorChoice', params: {} };
    case 'integer': {
      const text = String(value).trim();
      const number = Number(text);
      const ok = /^-?\d+$/.test(text) && number >= type.min && number <= type.max;
      return ok ? null : { message: 'admin.errorWholeNumber', params: { min: type.min, max: type.max } };
    }
    case 'text': {
      const length = String(value).length;
      return length >= type.minLength && length <= type.maxLength
        ? null
        : { message: 'admin.errorLength', params: { min: type.minLength, max: type.maxLength } };
    }
    case 'regex':
      return regexProblem(String(value), type.maxLength);
  }
}

/**
 * hashfilterkeywords is applied to every subject before hashing: a pattern that does not compile makes
 * the rules fall back to the default, silently for the users. It is refused before it is saved, by the
 * rules' own compiler (which also takes .NET's inline options and classes), not by a second opinion.
 */
function regexProblem(pattern: string, maxLength: number): SettingProblem | null {
  if (pattern.length > maxLength) return { message: 'admin.errorRegexTooLong', params: { max: maxLength } };
  // The compiler's own error is English rules text for the log ("…; the default is used"), and the page
  // refuses the value rather than fall back: the administrator reads the page's sentence only.
  return compileHashFilter(pattern).error === null ? null : { message: 'admin.errorRegex', params: {} };
}

/** A valid draft value as it is stored: typed for an `organizations` column, text in the XML and variables. */
export function storedValue(definition: SettingDefinition, value: DraftValue): boolean | number | string {
  const { type, source } = definition;
  if (type.kind === 'boolean') return source === 'organization' ? value === true : String(value === true);
  if (type.kind === 'integer')
    return source === 'organization' ? Number(String(value).trim()) : String(value).trim();
  return String(value);
}
