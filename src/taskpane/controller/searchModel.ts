/**
 * The regarding search: type-ahead over the CRM's records by record type, only the latest query's
 * answer shown, with a true count ("10+"); before anything is typed, the records chosen lately
 * (kept in roaming settings, shared with the ribbon's Set Regarding dialog).
 */
import { errorText, userFacingError } from '../../app/itemState';
import type { RecentRecord } from '../../app/recentRecords';
import type { RecordTypeFilter } from '../../app/recordSearch';
import type { PaneCore } from './paneCore';
import { EMPTY_SEARCH, type SearchView } from './types';

const SEARCH_MIN = 2;

/** Loaded with the search's view (one chunk): nothing of it is needed before the search opens. */
const parts = () => import(/* webpackChunkName: "pane-search" */ './searchParts');

export class SearchModel {
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;

  constructor(private readonly core: PaneCore) {}

  /**
   * Opens the search; `message` replaces the hint (a draft that needs a regarding says why), and
   * `purpose` says whom the chosen record is for (absent: the selected item).
   */
  openSearch(message?: string, purpose?: SearchView['purpose']): void {
    const seq = this.searchSeq;
    this.core.set({
      search: { ...EMPTY_SEARCH, open: true, message: message ?? this.hint(), purpose },
    });
    void this.withParts((p) => p.showRecent(this.core, () => seq === this.searchSeq));
  }

  closeSearch(): void {
    this.searchSeq += 1;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const search = this.core.state.search;
    if (search.open || search.query) this.core.set({ search: EMPTY_SEARCH });
  }

  /** Type-ahead: waits 250 ms after the last key, and only the latest query's answer is shown. */
  search(text: string): void {
    const seq = ++this.searchSeq;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const query = text.trim();
    const search = this.core.state.search;
    if (query.length < SEARCH_MIN) {
      this.core.set({
        search: { ...search, open: true, query: text, status: 'idle', hits: [], message: this.hint() },
      });
      return;
    }
    this.core.set({ search: { ...search, open: true, query: text } });
    this.searchTimer = setTimeout(
      () => void this.runSearch(seq, text, query),
      this.core.options.searchDelayMs ?? 250,
    );
  }

  /** Another record type: the typed query is asked again by that type. */
  setFilter(filter: RecordTypeFilter): void {
    const search = this.core.state.search;
    const asking = search.query.trim().length >= SEARCH_MIN;
    // The other type's answer is not shown meanwhile: its records and count are not this filter's.
    this.core.set({ search: { ...search, filter, ...(asking ? { status: 'searching', hits: [] } : {}) } });
    if (asking) this.search(search.query);
  }

  private hint(): string {
    return this.core.t('item.searchMinimum', { count: SEARCH_MIN });
  }

  /** The record chosen as regarding goes first among the recent ones (a failure is only logged). */
  async remember(record: RecentRecord): Promise<void> {
    await this.withParts((p) => p.rememberChosen(this.core, record));
  }

  /** Runs `use` on the search's chunk; one that cannot load is logged (the search itself then says so). */
  private async withParts(use: (p: typeof import('./searchParts')) => unknown): Promise<void> {
    await parts().then(use, (error: unknown) => this.core.log('Could not load the record search', error));
  }

  dispose(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
  }

  private async runSearch(seq: number, text: string, query: string): Promise<void> {
    const core = this.core;
    core.set({ search: { ...core.state.search, status: 'searching', message: core.t('common.searching') } });
    let answer: Partial<SearchView>;
    try {
      answer = await (await parts()).searchRecords(core, core.state.search, query);
    } catch (error) {
      if (seq !== this.searchSeq) return;
      core.log(`Record search failed for "${query}"`, error);
      answer = {
        status: 'failed',
        hits: [],
        more: false,
        message: core.t('item.searchFailed', { error: errorText(userFacingError(error), core.verbose) }),
      };
    }
    if (seq === this.searchSeq)
      core.set({ search: { ...core.state.search, open: true, query: text, ...answer } });
  }
}
