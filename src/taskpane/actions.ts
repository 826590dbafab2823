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
}
