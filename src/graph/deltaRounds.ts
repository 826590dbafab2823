/**
 * What the mail and the synchronization adapters share about a Graph delta round: where it starts
 * from a kept watermark, and where a page leads next. A watermark and a page's links are Graph links,
 * followed with the mailbox's token, so a link to another host is never followed nor kept.
 */
import { GraphResyncError, graphProtocolError } from './errors';
import type { GraphHttp } from './graphHttp';

/** What a round's log lines call the collection, and how they refer back to it ("it", "them"). */
export interface DeltaCollectionWords {
  readonly name: string;
  readonly pronoun: 'it' | 'them';
}

/**
 * One round from `watermark` (null: from the start). A watermark of another host, or one Graph no
 * longer knows (410, GraphResyncError), starts over from `begin()`; `restarted` says so.
 */
export async function roundFromWatermark<R extends object>(
  http: GraphHttp,
  log: ((message: string, error?: unknown) => void) | undefined,
  words: DeltaCollectionWords,
  watermark: string | null,
  begin: () => Promise<string>,
  round: (first: string) => Promise<R>,
): Promise<R & { restarted: boolean }> {
  let restarted = false;
  let start = watermark;
  if (start !== null && !http.isOwnLink(start)) {
    log?.(`The watermark of ${words.name} is not a link of ${http.baseUrl}; starting over`);
    start = null;
    restarted = true;
  }
  try {
    return { ...(await round(start ?? (await begin()))), restarted };
  } catch (error) {
    if (!(error instanceof GraphResyncError) || start === null) throw error;
    log?.(
      `Graph no longer knows the watermark of ${words.name}; reading ${words.pronoun} from the start`,
      error,
    );
    return { ...(await round(await begin())), restarted: true };
  }
}

/** Where a delta page leads: its deltaLink (the round is over) or its nextLink, both of this host. */
export function deltaOnward(
  http: GraphHttp,
  page: { readonly nextLink: string | null; readonly deltaLink: string | null },
): { readonly deltaLink: string } | { readonly nextLink: string } {
  const onward = page.deltaLink ?? page.nextLink;
  // Kept as the watermark or followed with the token: a link to elsewhere is refused, not stored.
  if (onward !== null && !http.isOwnLink(onward))
    throw graphProtocolError(`a delta page links outside ${http.baseUrl}/`, 'GET delta');
  if (page.deltaLink) return { deltaLink: page.deltaLink };
  if (!page.nextLink)
    throw graphProtocolError('a delta page has neither @odata.nextLink nor @odata.deltaLink', 'GET delta');
  return { nextLink: page.nextLink };
}
