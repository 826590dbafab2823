/** The regarding search: type-ahead over the CRM's records, only the latest query's answer shown. */
import { errorText, userFacingError } from '../../app/itemState';
import type { PaneCore } from './paneCore';
import { EMPTY_SEARCH } from './types';

const SEARCH_MIN = 2;
const SEARCH_TOP = 10;
const HINT = 'Type at least 2 letters of a name or email.';

export class SearchModel {
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;

  constructor(private readonly core: PaneCore) {}

  /** Opens the search; `message` replaces the hint (a draft that needs a regarding says why). */
  openSearch(message: string = HINT): void {
    this.core.set({ search: { ...EMPTY_SEARCH, open: true, message } });
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
    if (query.length < SEARCH_MIN) {
      this.core.set({ search: { open: true, query: text, status: 'idle', hits: [], message: HINT } });
      return;
    }
    this.core.set({ search: { ...this.core.state.search, open: true, query: text } });
    this.searchTimer = setTimeout(
      () => void this.runSearch(seq, text, query),
      this.core.options.searchDelayMs ?? 250,
    );
  }

  dispose(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
  }

  private async runSearch(seq: number, text: string, query: string): Promise<void> {
    const core = this.core;
    const host = core.host;
    if (!host) {
      core.set({
        search: { open: true, query: text, status: 'failed', hits: [], message: 'Not connected to the CRM.' },
      });
      return;
    }
    core.set({ search: { ...core.state.search, status: 'searching', message: 'Searching…' } });
    try {
      const hits = await host.session.crm.searchRecords(query, SEARCH_TOP);
      if (seq !== this.searchSeq) return;
      core.set({
        search: {
          open: true,
          query: text,
          status: 'done',
          hits,
          message: hits.length ? `${hits.length} records found.` : `No records match “${query}”.`,
        },
      });
    } catch (error) {
      if (seq !== this.searchSeq) return;
      core.log(`Record search failed for "${query}"`, error);
      core.set({
        search: {
          open: true,
          query: text,
          status: 'failed',
          hits: [],
          message: `Search failed: ${errorText(userFacingError(error), core.verbose)}`,
        },
      });
    }
  }
}
