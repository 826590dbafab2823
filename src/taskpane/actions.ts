/** What the views may ask for: the controller's actions, as plain functions (no Office, no use cases). */
import type { RecordSearchHit } from '../crm/port';
import type { OptionKey, OptionValues } from './controller/optionsModel';

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
  createRecord(type: 'contact' | 'lead'): unknown;
  openSearch(): unknown;
  closeSearch(): unknown;
  search(text: string): unknown;
  chooseRegarding(hit: RecordSearchHit): unknown;
  editOption<K extends OptionKey>(key: K, value: OptionValues[K]): unknown;
  saveOptions(): unknown;
  discardOptions(): unknown;
  setCrmUrl(url: string): unknown;
}
