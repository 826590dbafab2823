/**
 * The Options tab's Save: client switches and roaming-only options to roaming settings, the
 * Dataverse attributes to the CRM's usersettings. A failure keeps the edits; success re-opens the
 * session so the next item is decided with the new options. Loaded with the Options screen's chunk
 * (nothing can be saved before that screen is shown); what the pane's first JavaScript already has
 * comes in as `deps`, since a chunk importing a module of it makes webpack keep that module apart.
 */
import { optionErrors, splitChanges } from './optionsModel';
import type { PaneCore } from './paneCore';

export interface SaveDeps {
  /** Re-opens the session, so the next item is decided with the new options. */
  reopen(): Promise<unknown>;
  /** A failure in the pane's words (per VerboseErrorsOnPromoteToCRM for the CRM's). */
  words(error: unknown): string;
  messageOf(error: unknown): string;
}

export async function saveOptions(core: PaneCore, deps: SaveDeps): Promise<void> {
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
      problems.push(`Outlook did not save them (${deps.messageOf(error)}).`);
    }
  }
  if (Object.keys(changes.crm).length) {
    try {
      await host.session.crm.savePersonalOptions(host.session.identity.userId, changes.crm);
    } catch (error) {
      core.log('Saving options to the CRM (usersettings) failed', error);
      problems.push(`The CRM did not save them (${deps.words(error)}).`);
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
  await deps.reopen();
}
