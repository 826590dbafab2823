/**
 * The Options tab's Save: client switches and roaming-only options to roaming settings, the
 * Dataverse attributes to the CRM's usersettings, and the checks before it (where each option is
 * stored, what stops a save). A failure keeps the edits; success re-opens the
 * session so the next item is decided with the new options. Loaded with the Options screen's chunk
 * (nothing can be saved before that screen is shown); what the pane's first JavaScript already has
 * comes in as `deps`, since a chunk importing a module of it makes webpack keep that module apart.
 */
import type { PersonalOptionsPatch } from '../../crm/port';
import type { Translate } from '../../i18n/messages';
import { englishPaneStrings, type PaneKey } from '../../i18n/surfaces';
import { alsoStoredAs } from './diagnosticsSwitches';
import {
  changedKeys,
  type IntervalKey,
  type OptionKey,
  type OptionStates,
  type OptionValues,
} from './optionsModel';
import type { PaneCore } from './paneCore';

/** Where a value is saved: the CRM's usersettings row, or roaming settings (client switch / personal). */
export const OPTION_STORE: Readonly<Record<OptionKey, 'crm' | 'client' | 'user'>> = {
  synchronizeWithOutlook: 'user',
  synccontactcompany: 'crm',
  outlooksyncinterval: 'crm',
  recipientReconciliation: 'user',
  addressbooksyncinterval: 'crm',
  offlinesyncinterval: 'crm',
  isduplicatedetectionenabledwhengoingonline: 'crm',
  backgroundSendEmail: 'client',
  backgroundTrackEmail: 'client',
  incomingemailfilteringmethod: 'crm',
  autocreatecontactonpromote: 'crm',
  automaticEmailTagging: 'client',
};

export const INTERVAL_KEYS: readonly IntervalKey[] = [
  'outlooksyncinterval',
  'addressbooksyncinterval',
  'offlinesyncinterval',
];

export const isLocked = (states: OptionStates, key: OptionKey): boolean => states[key]?.locked === true;

export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

type PaneTranslate = Translate<PaneKey>;

// English by default: callers without the pane's strings (the options' own tests) read the product in English.
const ENGLISH: PaneTranslate = englishPaneStrings.t;

/** Problems that stop a save, by option. */
export function optionErrors(
  draft: OptionValues,
  t: PaneTranslate = ENGLISH,
): Partial<Record<OptionKey, string>> {
  const errors: Partial<Record<OptionKey, string>> = {};
  for (const key of INTERVAL_KEYS) {
    const value = draft[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_INTERVAL_MINUTES)
      errors[key] = t('options.invalidInterval', { max: String(MAX_INTERVAL_MINUTES) });
  }
  return errors;
}

export interface OptionChanges {
  readonly crm: PersonalOptionsPatch;
  readonly client: Record<string, unknown>;
  readonly user: Record<string, unknown>;
  readonly count: number;
}

/**
 * The edits to save, split by store; locked options are never written. An option a Diagnostics switch
 * is a view of under another name is written under that name too (client switches), so the one value
 * is what every reader of either name sees.
 */
export function splitChanges(base: OptionValues, draft: OptionValues, states: OptionStates): OptionChanges {
  const crm: Record<string, unknown> = {};
  const client: Record<string, unknown> = {};
  const user: Record<string, unknown> = {};
  let count = 0;
  for (const key of changedKeys(base, draft)) {
    if (isLocked(states, key)) continue;
    const target = OPTION_STORE[key] === 'crm' ? crm : OPTION_STORE[key] === 'client' ? client : user;
    target[key] = draft[key];
    for (const name of alsoStoredAs(key)) client[name] = draft[key];
    count += 1;
  }
  return { crm: crm as PersonalOptionsPatch, client, user, count };
}

/** Options synchronization reads (at each run's start, src/app/synchronization.ts), not the email check. */
const SYNC_OPTION_KEYS: readonly OptionKey[] = [
  'synchronizeWithOutlook',
  'synccontactcompany',
  'outlooksyncinterval',
  'isduplicatedetectionenabledwhengoingonline',
];

/** What a successful save applies to: synchronization from its next run, the email check from the next email. */
export function savedMessage(
  base: OptionValues,
  draft: OptionValues,
  states: OptionStates,
  t: PaneTranslate = ENGLISH,
): string {
  const saved = changedKeys(base, draft).filter((key) => !isLocked(states, key));
  const sync = saved.filter((key) => SYNC_OPTION_KEYS.includes(key));
  const said: string[] = [];
  if (sync.includes('synchronizeWithOutlook'))
    said.push(t(draft.synchronizeWithOutlook ? 'options.savedSyncOn' : 'options.savedSyncOff'));
  else if (sync.length) said.push(t('options.savedNextSync'));
  if (saved.length > sync.length) said.push(t('options.savedNextEmail'));
  return [t('options.saved'), ...said].join(' ');
}

export interface SaveDeps {
  /** Re-opens the session, so the next item is decided with the new options. */
  reopen(): Promise<unknown>;
  /** A failure in the pane's words (per VerboseErrorsOnPromoteToCRM for the CRM's). */
  words(error: unknown): string;
  messageOf(error: unknown): string;
  /** The pane's words in the user's language. */
  t: PaneTranslate;
}

export async function saveOptions(core: PaneCore, deps: SaveDeps): Promise<void> {
  const host = core.host;
  const options = core.state.options;
  const { base, draft, states } = options;
  if (!host || !base || !draft || options.status === 'saving') return;
  const { t } = deps;
  const errors = Object.values(optionErrors(draft, t));
  if (errors.length) {
    core.set({
      options: { ...options, status: 'failed', message: t('options.notSaved', { errors: errors.join(' ') }) },
    });
    return;
  }
  const changes = splitChanges(base, draft, states);
  if (changes.count === 0) {
    core.set({
      options: { ...options, status: 'saved', message: t('options.nothingToSave') },
    });
    return;
  }
  core.set({ options: { ...options, status: 'saving', message: t('options.saving'), slow: false } });
  const stopSlow = core.whenSlow(() => {
    if (core.state.options.status === 'saving') core.set({ options: { ...core.state.options, slow: true } });
  });
  const problems: string[] = [];
  if (Object.keys(changes.client).length || Object.keys(changes.user).length) {
    try {
      const store = host.roaming.localOptions();
      const current = await store.load();
      await store.save({
        client: { ...current.client, ...changes.client },
        user: { ...current.user, ...changes.user },
      });
    } catch (error) {
      core.log('Saving options to Outlook (roaming settings) failed', error);
      problems.push(t('options.outlookDidNotSave', { error: deps.messageOf(error) }));
    }
  }
  if (Object.keys(changes.crm).length) {
    try {
      await host.session.crm.savePersonalOptions(host.session.identity.userId, changes.crm);
    } catch (error) {
      core.log('Saving options to the CRM (usersettings) failed', error);
      problems.push(t('options.crmDidNotSave', { error: deps.words(error) }));
    }
  }
  stopSlow();
  if (problems.length) {
    const message = t('options.notSavedYet', { problems: problems.join(' ') });
    core.set({
      options: { ...core.state.options, status: 'failed', message, slow: false },
      ...core.announce(message),
    });
    return;
  }
  const message = savedMessage(base, draft, states, t);
  core.set({
    options: { ...core.state.options, dirty: false, status: 'saved', message, slow: false },
    ...core.announce(message),
  });
  await deps.reopen();
}
