/**
 * Folder-level tracking rules (Dynamics 365's "folder tracking rules"): the user's mappings of a
 * mailbox folder to a regarding record, read and changed through the FolderMappingPort; the folder
 * picker is fed by the MailFolderPort and the regarding record comes from the pane's own record
 * search. Locked when the organization has folder-level tracking off. A failure is shown in the
 * pane's error words and keeps the form as it was.
 */
import type { RecentRecord } from '../../app/recentRecords';
import type { FolderMappingRow } from '../../crm/folderMappingPort';
import type { RecordSearchHit } from '../../crm/port';
import type { MailFolderInfo } from '../../graph/folderPort';
import type { Translate } from '../../i18n/messages';
import { englishPaneStrings, type PaneKey } from '../../i18n/surfaces';
import type { LockReason } from '../../rules/effectiveSettings';
import type { PaneCore } from './paneCore';
import { typeLabel } from './format';
import type { FolderTrackingView } from './types';

type PaneTranslate = Translate<PaneKey>;

export const folderTrackingOff = (t: PaneTranslate = englishPaneStrings.t): LockReason => ({
  text: t('background.folderTrackingOff'),
  setting: t('background.folderTrackingOffSetting'),
});

/** In English, for the tests. */
export const FOLDER_TRACKING_OFF: LockReason = folderTrackingOff();
export const NO_FOLDER_RULES = englishPaneStrings.t('background.noFolderRules');
export const RULES_NEED_SESSION = englishPaneStrings.t('background.rulesNeedSession');

export const EMPTY_FOLDER_TRACKING: FolderTrackingView = {
  unavailable: null,
  lock: null,
  status: 'idle',
  mappings: [],
  folders: null,
  form: { folderId: null, regarding: null },
  saving: false,
  removing: null,
  message: null,
};

/**
 * What the model asks of the rest of the pane: its record search (searchModel.ts, shared with the
 * item card) and its error words. Handed in, not imported: this part is a chunk, and a chunk
 * importing a module of the pane's first JavaScript makes webpack keep that module apart there.
 */
export interface FolderTrackingDeps {
  /** Opens the search for this form (its choice comes back through `chooseRegarding`). */
  openSearch(message: string): void;
  closeSearch(): void;
  remember(record: RecentRecord): Promise<void>;
  /** A CRM failure in the pane's words, per VerboseErrorsOnPromoteToCRM (itemState.ts errorText). */
  words(error: unknown): string;
}

/**
 * A failure in the user's words. Graph's errors carry the same short and verbose sentences as the
 * CRM's (src/graph/errors.ts), read here by shape: the pane may name Graph's types, not load its code.
 */
export function failureText(error: unknown, verbose: boolean, crmWords: (error: unknown) => string): string {
  const typed = error as { shortMessage?: unknown; verboseMessage?: unknown } | null;
  if (
    error instanceof Error &&
    typeof typed?.shortMessage === 'string' &&
    typeof typed.verboseMessage === 'string'
  )
    return verbose ? typed.verboseMessage : typed.shortMessage;
  return crmWords(error);
}

/**
 * The folders a rule may name: those under the Inbox, at any depth. Dataverse tracks email only in
 * folders under the Inbox ("Configure folder-level tracking rules": emails in folders that are not
 * under the Inbox won't be tracked), so the picker offers no other. The Inbox is found by its
 * well-known name, its path being its display name in the user's language.
 */
export function trackableFolders(folders: readonly MailFolderInfo[]): MailFolderInfo[] {
  const inbox = folders.find((f) => f.wellKnown === 'inbox');
  if (!inbox) return [];
  const under = `${inbox.path}/`;
  return folders.filter((f) => f.path.startsWith(under));
}

const recordName = (row: Pick<FolderMappingRow, 'regarding' | 'regardingName'>, t: PaneTranslate): string =>
  t('background.recordName', {
    type: typeLabel(row.regarding.type, t),
    name: row.regardingName || t('background.noName'),
  });

export class FolderTrackingModel {
  /** Increases with every load: an older load's answer is not shown. */
  private loads = 0;

  constructor(
    private readonly core: PaneCore,
    private readonly deps: FolderTrackingDeps,
  ) {}

  private get view(): FolderTrackingView {
    return this.core.state.background?.folders ?? EMPTY_FOLDER_TRACKING;
  }

  private set(patch: Partial<FolderTrackingView>, announce?: string): void {
    const tab = this.core.state.background;
    if (!tab) return;
    this.core.set({
      background: { ...tab, folders: { ...tab.folders, ...patch } },
      ...(announce ? this.core.announce(announce) : {}),
    });
  }

  /** (Re)reads the rules and the folders for the session in use; the form is kept. */
  async load(): Promise<void> {
    const { core } = this;
    const { folderMappings: port, mailFolders } = core.options;
    const { t } = core;
    const seq = ++this.loads;
    if (!port || !mailFolders)
      return this.set({ unavailable: t('background.noFolderRules'), status: 'idle' });
    const host = core.host;
    if (!host)
      return this.set({ unavailable: t('background.rulesNeedSession'), status: 'idle', mappings: [] });
    const lock = host.session.settings.organization.isfolderbasedtrackingenabled
      ? null
      : folderTrackingOff(t);
    this.set({ unavailable: null, lock, status: 'loading', message: null });
    // A locked editor adds nothing: the folders are not read for a picker nobody can use.
    const [rules, folders] = await Promise.allSettled([
      port.list(host.session.identity.userId),
      lock ? Promise.resolve(null) : mailFolders.listFolders(),
    ]);
    if (seq !== this.loads) return;
    const problems: string[] = [];
    if (rules.status === 'rejected') {
      core.log('Could not read the folder tracking rules', rules.reason);
      problems.push(t('background.rulesNotRead', { error: this.text(rules.reason) }));
    }
    if (folders.status === 'rejected') {
      core.log('Could not read the mailbox folders', folders.reason);
      problems.push(t('background.foldersNotRead', { error: this.text(folders.reason) }));
    }
    this.set({
      status: rules.status === 'fulfilled' ? 'ready' : 'failed',
      mappings: rules.status === 'fulfilled' ? rules.value : this.view.mappings,
      folders: folders.status === 'fulfilled' && folders.value ? trackableFolders(folders.value) : null,
      message: problems.length ? { intent: 'error', text: problems.join(' ') } : null,
    });
  }

  pickFolder(folderId: string | null): void {
    this.set({ form: { ...this.view.form, folderId }, message: null });
  }

  findRegarding(): void {
    this.deps.openSearch(this.core.t('background.findHint'));
  }

  /** The record chosen in the search becomes the form's regarding record. */
  async chooseRegarding(hit: RecordSearchHit): Promise<void> {
    const regarding = { type: hit.type, id: hit.id, name: hit.name };
    this.deps.closeSearch();
    this.set({ form: { ...this.view.form, regarding }, message: null });
    await this.deps.remember(regarding);
  }

  /** Adds the form's rule; on failure the form keeps the folder and the record chosen. */
  async add(): Promise<void> {
    const { core } = this;
    const port = core.options.folderMappings;
    const view = this.view;
    const folder = view.folders?.find((f) => f.id === view.form.folderId);
    const regarding = view.form.regarding;
    const host = core.host;
    if (!port || !host || view.lock || view.saving || !folder || !regarding) return;
    this.set({ saving: true, message: null });
    try {
      const added = await port.add(host.session.identity.userId, {
        folderId: folder.id,
        folderPath: folder.path,
        regarding: { type: regarding.type, id: regarding.id },
      });
      const row = added.regardingName ? added : { ...added, regardingName: regarding.name };
      const text = core.t('background.added', { folder: row.folderPath, record: recordName(row, core.t) });
      this.set(
        {
          saving: false,
          mappings: [...this.view.mappings, row],
          form: { folderId: null, regarding: null },
          message: { intent: 'success', text },
        },
        text,
      );
    } catch (error) {
      core.log(`Could not add the folder tracking rule for ${folder.path}`, error);
      const text = core.t('background.notAdded', { error: this.text(error) });
      this.set({ saving: false, message: { intent: 'error', text } }, text);
    }
  }

  /** Removes a rule (the view has asked the user to confirm); on failure the rule stays listed. */
  async remove(mappingId: string): Promise<void> {
    const { core } = this;
    const port = core.options.folderMappings;
    const row = this.view.mappings.find((m) => m.id === mappingId);
    if (!port || !row || this.view.lock || this.view.removing) return;
    this.set({ removing: mappingId, message: null });
    try {
      await port.remove(mappingId);
      const text = core.t('background.removed', { folder: row.folderPath, record: recordName(row, core.t) });
      this.set(
        {
          removing: null,
          mappings: this.view.mappings.filter((m) => m.id !== mappingId),
          message: { intent: 'success', text },
        },
        text,
      );
    } catch (error) {
      core.log(`Could not remove the folder tracking rule for ${row.folderPath}`, error);
      const text = core.t('background.notRemoved', { error: this.text(error) });
      this.set({ removing: null, message: { intent: 'error', text } }, text);
    }
  }

  /** As a sentence: the verbose words (status, code, request id) end without a full stop. */
  private text(error: unknown): string {
    const words = failureText(error, this.core.verbose, this.deps.words).trim();
    return /[.!?]$/.test(words) ? words : `${words}.`;
  }
}
