/**
 * The Options tab's edits and their save: the rules of the options themselves are optionsModel.ts;
 * this part keeps the draft in the pane state and writes it to roaming settings and the CRM.
 */
import type { LoggedSession as Session } from '../../app/diagnostics';
import { errorText, userFacingError } from '../../app/itemState';
import {
  changedKeys,
  optionErrors,
  optionStatesOf,
  optionValuesOf,
  splitChanges,
  type OptionKey,
  type OptionValues,
} from './optionsModel';
import { messageOf, type PaneCore } from './paneCore';
import type { OptionsView } from './types';

/** The options a freshly opened session shows; edits not saved yet are kept over them. */
export function optionsOnOpen(previous: OptionsView, session: Session): OptionsView {
  const base = optionValuesOf(session.options, session.settings.client.automaticEmailTagging);
  const keep = previous.dirty && previous.draft !== null;
  const draft = keep ? (previous.draft as OptionValues) : base;
  const org = session.settings.organization;
  return {
    ...previous,
    base,
    draft,
    states: optionStatesOf(session.options),
    minimums: {
      outlooksyncinterval: org.minoutlooksyncinterval,
      addressbooksyncinterval: org.minaddressbooksyncinterval,
      offlinesyncinterval: org.minofflinesyncinterval,
    },
    dirty: changedKeys(base, draft).length > 0,
  };
}

export class OptionsEditor {
  constructor(
    private readonly core: PaneCore,
    /** Re-opens the session after a save, so the next item is decided with the new options. */
    private readonly reopen: () => Promise<unknown>,
  ) {}

  editOption<K extends OptionKey>(key: K, value: OptionValues[K]): void {
    const options = this.core.state.options;
    const { base, draft } = options;
    if (!base || !draft) return;
    const next = { ...draft, [key]: value };
    this.core.set({
      options: {
        ...options,
        draft: next,
        dirty: changedKeys(base, next).length > 0,
        status: 'idle',
        message: null,
      },
    });
  }

  discardOptions(): void {
    const options = this.core.state.options;
    if (options.base)
      this.core.set({
        options: { ...options, draft: options.base, dirty: false, status: 'idle', message: null },
      });
  }

  /**
   * Saves the edits: client switches and roaming-only options to roaming settings, the Dataverse
   * attributes to the CRM's usersettings. A failure keeps the edits; success re-opens the session so
   * the next item is decided with the new options.
   */
  saveOptions(): Promise<void> {
    const saving = this.save();
    // Kept only to wait on before the next item; the failure reaches the caller (and the log) through `saving`.
    this.core.saving = saving.catch(() => undefined);
    return saving;
  }

  private async save(): Promise<void> {
    const core = this.core;
    const host = core.host;
    const options = core.state.options;
    const { base, draft, states } = options;
    if (!host || !base || !draft || options.status === 'saving') return;
    const errors = Object.values(optionErrors(draft));
    if (errors.length) {
      core.set({ options: { ...options, status: 'failed', message: `Not saved: ${errors.join(' ')}` } });
      return;
    }
    const changes = splitChanges(base, draft, states);
    if (changes.count === 0) {
      core.set({
        options: { ...options, status: 'saved', message: 'Nothing to save: no option was changed.' },
      });
      return;
    }
    core.set({ options: { ...options, status: 'saving', message: 'Saving…', slow: false } });
    const stopSlow = core.whenSlow(() => {
      if (core.state.options.status === 'saving')
        core.set({ options: { ...core.state.options, slow: true } });
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
        problems.push(`Outlook did not save them (${messageOf(error)}).`);
      }
    }
    if (Object.keys(changes.crm).length) {
      try {
        await host.session.crm.savePersonalOptions(host.session.identity.userId, changes.crm);
      } catch (error) {
        core.log('Saving options to the CRM (usersettings) failed', error);
        problems.push(`The CRM did not save them (${errorText(userFacingError(error), core.verbose)}).`);
      }
    }
    stopSlow();
    if (problems.length) {
      const message = `Your changes are not saved yet: ${problems.join(' ')} They are kept here: press Save to try again.`;
      core.set({
        options: { ...core.state.options, status: 'failed', message, slow: false },
        ...core.announce(message),
      });
      return;
    }
    const message = 'Saved. The next email is checked with these options.';
    core.set({
      options: { ...core.state.options, dirty: false, status: 'saved', message, slow: false },
      ...core.announce(message),
    });
    await this.reopen();
  }
}
