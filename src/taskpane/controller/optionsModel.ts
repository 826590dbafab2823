/**
 * The personal options the pane lets the user edit (§1.3–§1.4), where each one is stored, and the
 * checks before saving. Plain data: the controller and the options screen share it.
 *
 * Shown: every option that changes what this add-in does (checking incoming email, which messages,
 * records created from senders, address reconciliation, tagging), plus the interval and duplicate
 * preferences the CRM keeps on the user's usersettings row (other Dynamics 365 clients read them,
 * and the organization's locks and minimums apply to them), and synchronization's (synchronization.md
 * §1): "synchronize CRM items with Outlook" (roaming). "This device is the synchronization client" is
 * not one of these: it is a fact of the device, not of the user (src/host/syncDevice.ts), and the
 * Synchronization tab's switch applies it at once. Left out: "allow sending email through this client"
 * (it sends no CRM email) and the outlookSynchronization switch (the diagnostics tool's).
 */
import type { PersonalOptionsPatch } from '../../crm/port';
import type { EffectiveOption, EffectivePersonalOptions, LockReason } from '../../rules/effectiveSettings';
import type { AutoCreateOption, FilteringMethod, RecipientReconciliation } from '../../rules/settings';

export interface OptionValues {
  readonly synchronizeWithOutlook: boolean;
  readonly synccontactcompany: boolean;
  readonly outlooksyncinterval: number;
  readonly recipientReconciliation: RecipientReconciliation;
  readonly addressbooksyncinterval: number;
  readonly offlinesyncinterval: number;
  readonly isduplicatedetectionenabledwhengoingonline: boolean;
  readonly backgroundTrackEmail: boolean;
  readonly incomingemailfilteringmethod: FilteringMethod;
  readonly autocreatecontactonpromote: AutoCreateOption;
  readonly automaticEmailTagging: boolean;
}

export type OptionKey = keyof OptionValues;

/** Where a value is saved: the CRM's usersettings row, or roaming settings (client switch / personal). */
export const OPTION_STORE: Readonly<Record<OptionKey, 'crm' | 'client' | 'user'>> = {
  synchronizeWithOutlook: 'user',
  synccontactcompany: 'crm',
  outlooksyncinterval: 'crm',
  recipientReconciliation: 'user',
  addressbooksyncinterval: 'crm',
  offlinesyncinterval: 'crm',
  isduplicatedetectionenabledwhengoingonline: 'crm',
  backgroundTrackEmail: 'client',
  incomingemailfilteringmethod: 'crm',
  autocreatecontactonpromote: 'crm',
  automaticEmailTagging: 'client',
};

export const INTERVAL_KEYS = [
  'outlooksyncinterval',
  'addressbooksyncinterval',
  'offlinesyncinterval',
] as const;
export type IntervalKey = (typeof INTERVAL_KEYS)[number];

/** The organization's minimum for each interval (minutes). */
export type IntervalMinimums = Readonly<Record<IntervalKey, number>>;

/** How each option applies now: locked (with why), clamped (with a note). Null for options the rules do not lock. */
export type OptionStates = Readonly<Partial<Record<OptionKey, EffectiveOption<unknown>>>>;

/** The values the user chose, as the options screen starts from them. */
export function optionValuesOf(
  options: EffectivePersonalOptions,
  automaticEmailTagging: boolean,
): OptionValues {
  return {
    synchronizeWithOutlook: options.synchronizeWithOutlook.chosen,
    synccontactcompany: options.synccontactcompany.chosen,
    outlooksyncinterval: options.outlooksyncinterval.chosen,
    recipientReconciliation: options.recipientReconciliation.chosen,
    addressbooksyncinterval: options.addressbooksyncinterval.chosen,
    offlinesyncinterval: options.offlinesyncinterval.chosen,
    isduplicatedetectionenabledwhengoingonline: options.isduplicatedetectionenabledwhengoingonline.chosen,
    backgroundTrackEmail: options.backgroundTrackEmail.chosen,
    incomingemailfilteringmethod: options.incomingemailfilteringmethod.chosen,
    autocreatecontactonpromote: options.autocreatecontactonpromote.chosen,
    automaticEmailTagging,
  };
}

export function optionStatesOf(options: EffectivePersonalOptions): OptionStates {
  const { isSynchronizationClient: _b, backgroundSendEmail: _c, ...shown } = options;
  return shown;
}

export const isLocked = (states: OptionStates, key: OptionKey): boolean => states[key]?.locked === true;

/** Why the organization keeps an option from being changed; null when the user may change it. */
export const lockReasonOf = (states: OptionStates, key: OptionKey): LockReason | null =>
  states[key]?.lockReason ?? null;

/** What an option shows: the value the organization imposes when locked, else the user's draft. */
export function shownValue<K extends OptionKey>(
  states: OptionStates,
  draft: OptionValues,
  key: K,
): OptionValues[K] {
  const state = states[key];
  return state?.locked ? (state.value as OptionValues[K]) : draft[key];
}

/** Options whose value differs. */
export function changedKeys(base: OptionValues, draft: OptionValues): OptionKey[] {
  return (Object.keys(base) as OptionKey[]).filter((key) => base[key] !== draft[key]);
}

export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

/** Problems that stop a save, by option. */
export function optionErrors(draft: OptionValues): Partial<Record<OptionKey, string>> {
  const errors: Partial<Record<OptionKey, string>> = {};
  for (const key of INTERVAL_KEYS) {
    const value = draft[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_INTERVAL_MINUTES)
      errors[key] = `Enter a whole number of minutes from 1 to ${MAX_INTERVAL_MINUTES}.`;
  }
  return errors;
}

/** The note an interval gets once saved: raised to the organization's minimum. */
export function intervalNote(value: number, minimum: number): string | null {
  return Number.isFinite(value) && value < minimum
    ? `Below your organization's minimum: ${minimum} minutes will be used.`
    : null;
}

export interface OptionChanges {
  readonly crm: PersonalOptionsPatch;
  readonly client: Record<string, unknown>;
  readonly user: Record<string, unknown>;
  readonly count: number;
}

/** The edits to save, split by store; locked options are never written. */
export function splitChanges(base: OptionValues, draft: OptionValues, states: OptionStates): OptionChanges {
  const crm: Record<string, unknown> = {};
  const client: Record<string, unknown> = {};
  const user: Record<string, unknown> = {};
  let count = 0;
  for (const key of changedKeys(base, draft)) {
    if (isLocked(states, key)) continue;
    const target = OPTION_STORE[key] === 'crm' ? crm : OPTION_STORE[key] === 'client' ? client : user;
    target[key] = draft[key];
    count += 1;
  }
  return { crm: crm as PersonalOptionsPatch, client, user, count };
}
