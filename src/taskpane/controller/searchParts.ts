/**
 * The regarding search's work once it is opened (asking by record type with a true count, the
 * recent records): loaded with the search's view as one chunk, not in the pane's first JavaScript.
 * What the first bundle already has comes in as arguments: a chunk importing its modules would
 * make webpack keep them apart, which costs the first bundle more.
 */
import type { RecentRecord } from '../../app/recentRecords';
import { fromStoredRecent, rememberRecent, toStoredRecent } from '../../app/recentRecords';
import { findRegardingRecords, foundText } from '../../app/recordSearch';
import type { PaneCore } from './paneCore';
import type { SearchView } from './types';

/** The recent records, shown while the search opened then is still open; unreadable ones are none. */
export function showRecent(core: PaneCore, stillOpen: () => boolean): void {
  let recent: RecentRecord[];
  try {
    recent = fromStoredRecent(core.roaming.recentRecords().load());
  } catch (error) {
    core.log('Could not read the recent records', error);
    return;
  }
  const search = core.state.search;
  if (stillOpen() && search.open && recent.length) core.set({ search: { ...search, recent } });
}

/** The chosen record first among the recent ones; a failed save is logged and changes nothing else. */
export async function rememberChosen(core: PaneCore, record: RecentRecord): Promise<void> {
  try {
    const store = core.roaming.recentRecords();
    await store.save(toStoredRecent(rememberRecent(fromStoredRecent(store.load()), record)));
  } catch (error) {
    core.log('Could not remember the chosen record among the recent ones', error);
  }
}

/** One search by the view's filter: the search as it then reads (the count says "10+" when more). */
export async function searchRecords(
  core: PaneCore,
  search: SearchView,
  query: string,
): Promise<Partial<SearchView>> {
  const host = core.host;
  if (!host) return { status: 'failed', hits: [], more: false, message: core.t('item.notConnectedToCrm') };
  const filter = search.filter ?? 'all';
  const found = await findRegardingRecords(host.session.crm, query, filter);
  return {
    status: 'done',
    hits: found.hits,
    more: found.more,
    message: foundText(found.hits.length, found.more, filter, query),
  };
}
