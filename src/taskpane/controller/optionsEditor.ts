/**
 * The Options tab's edits and their save: the rules of the options themselves are optionsModel.ts;
 * this part keeps the draft in the pane state, and the save (optionsSave.ts, loaded with the Options
 * screen) writes it to roaming settings and the CRM.
 */
import type { LoggedSession as Session } from '../../app/diagnostics';
import { errorText, userFacingError } from '../../app/itemState';
import {
  changedKeys,
  optionStatesOf,
  optionValuesOf,
  type OptionKey,
  type OptionValues,
} from './optionsModel';
import { messageOf, type PaneCore } from './paneCore';
import type { OptionsView } from './types';

/** The options a freshly opened session shows; edits not saved yet are kept over them. */
export function optionsOnOpen(previous: OptionsView, session: Session): OptionsView {
  const { client } = session.settings;
  const base = optionValuesOf(session.options, client.automaticEmailTagging, client.outlookSynchronization);
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
    const saving = import(/* webpackChunkName: "pane-options" */ './optionsSave').then((m) =>
      m.saveOptions(this.core, {
        reopen: this.reopen,
        words: (error) => errorText(userFacingError(error), this.core.verbose),
        messageOf,
        t: this.core.t,
      }),
    );
    // Kept only to wait on before the next item; the failure reaches the caller (and the log) through `saving`.
    this.core.saving = saving.catch(() => undefined);
    return saving;
  }
}
