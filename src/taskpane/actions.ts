/** What the views may ask for: the controller's actions, as plain functions (no Office, no use cases). */
import type { RecordFormOfferInput, RecordFormRecord } from '../app/recordForm';
import type { RecordTypeFilter } from '../app/recordSearch';
import type { RecordSearchHit } from '../crm/port';
import type { OptionKey, OptionValues } from './controller/optionsModel';
import type { AccountSearchResult, CreateRecordResult, ReadItemView } from './controller/types';

export interface PaneActions {
  track(): unknown;
  untrack(): unknown;
  retry(): unknown;
  /** Gives up a waiting or undeliverable track. */
  discard(): unknown;
  reconnect(): unknown;
  /** Compose: mark the draft to be tracked when sent (Track in CRM, Track again). */
  trackDraft(): unknown;
  cancelDraftTracking(): unknown;
  /** What decides whether Create contact/lead is offered for the item; null before it was checked. */
  recordFormInput(item: ReadItemView): RecordFormOfferInput | null;
  /** The review form's Create: the item is checked again after it (the sender then resolves). */
  createFromForm(record: RecordFormRecord): Promise<CreateRecordResult>;
  /** Accounts for a contact's parent account. */
  searchAccounts(text: string): Promise<AccountSearchResult>;
  openSearch(): unknown;
  closeSearch(): unknown;
  search(text: string): unknown;
  /** The search's record-type filter. */
  setSearchFilter(filter: RecordTypeFilter): unknown;
  chooseRegarding(hit: RecordSearchHit): unknown;
  editOption<K extends OptionKey>(key: K, value: OptionValues[K]): unknown;
  saveOptions(): unknown;
  discardOptions(): unknown;
  setCrmUrl(url: string): unknown;
  /**
   * The Background check tab's actions: its part is a chunk, loaded on the first call (null when it
   * could not load; the log says why).
   */
  openBackgroundTab(): Promise<BackgroundTabActions | null>;
  /** Whether the CRM lets the user administer the add-in (false until asked, or when it cannot say). */
  adminAccess(): Promise<boolean>;
  /** Opens the admin page for the CRM in use (a dialog, or a browser tab). */
  openAdminPage(): unknown;
}

/** What the Background check tab may ask for (background-check.md §1.6, folder tracking rules). */
export interface BackgroundTabActions {
  /** Runs a background check now (or right after the one under way). */
  checkNow(): void;
  /** Reads the folder tracking rules (and the mailbox's folders) again, for the session in use. */
  loadFolders(): Promise<void>;
  pickFolder(folderId: string | null): void;
  /** Opens the pane's record search for the rule's regarding record. */
  findRegarding(): void;
  chooseRegarding(hit: RecordSearchHit): Promise<void>;
  addFolderMapping(): Promise<void>;
  /** Removes a rule the user has confirmed removing. */
  removeFolderMapping(mappingId: string): Promise<void>;
}
