/**
 * `GET /me/mailFolders/{id}/messages/delta` (docs/graph-facts.md "Delta queries").
 *
 * A round lists the folder's changes with a sequence in (since, upto]: `upto` is the mailbox's sequence
 * when the round began, so a change made while a client pages is left for the next round instead of
 * shifting the pages. Pages are keyed on the sequence (unique across messages and removals), never on an
 * offset. Tokens are opaque to clients: base64url JSON holding the folder, the window, the position and
 * the first request's options (which must not be repeated on a nextLink or deltaLink). Changes come in
 * the order they were made; `$orderby=receivedDateTime desc` is accepted, as Graph accepts it, but
 * does not reorder them.
 *
 * A later round gives a message whose only change since the round's start is its read state as Graph
 * does, `{id, isRead, parentFolderId}` without the `$select`ed properties (docs/graph-facts.md "Delta
 * queries"). Which changes were read-state only is told by `delta_content`: each message's content
 * (everything but its read state and version stamps) as a fingerprint, with the sequence at which a
 * delta first saw it. A message whose fingerprint is the one seen at or before the round's start
 * changed only its read state since.
 */
import { createHash } from 'node:crypto';
import type { GraphDb, MessageRow } from './db';
import {
  boundedPageSize,
  decodeDeltaToken,
  encodeDeltaToken,
  preferredPageSize,
  resumeRound,
} from './deltaToken';
import { checkSelect, filterSubject, messageJson } from './messageJson';
import { BadRequest, ok, type GraphResponse, type RequestContext } from './protocol';
import { parseFilter, parseExpand, type Predicate } from './query';

const DEFAULT_PAGE = 10;

interface DeltaOptions {
  readonly select: string[] | null;
  readonly filter: string | null;
  readonly expand: string | null;
  readonly pageSize: number;
}

interface DeltaState {
  readonly folderId: string;
  /** The first round of a sync: it lists what is there and no removals. */
  readonly initial: boolean;
  readonly since: number;
  /** Set on a nextLink: the round's upper bound and the last sequence already returned. */
  readonly upto?: number;
  readonly after?: number;
  readonly options: DeltaOptions;
}

function decodeToken(token: string): DeltaState | null {
  return decodeDeltaToken<DeltaState>(
    token,
    (state) =>
      typeof state.folderId === 'string' &&
      typeof state.initial === 'boolean' &&
      typeof state.since === 'number' &&
      typeof state.options === 'object',
  );
}

function pageSizeOf(headers: Readonly<Record<string, string>>, top: string | undefined): number {
  return preferredPageSize(headers) ?? boundedPageSize(top !== undefined ? Number(top) : DEFAULT_PAGE);
}

/** The first request of a round: its options become part of the state. */
function initialState(
  folderId: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): DeltaState {
  const filter = params.get('$filter') ?? null;
  if (filter) {
    const { properties } = parseFilter(filter);
    if (properties.some((p) => p !== 'receivedDateTime') || !/receivedDateTime\s+(ge|gt)\s/i.test(filter)) {
      throw new BadRequest('BadRequest', 'Delta queries filter only on receivedDateTime with ge or gt.');
    }
  }
  const orderby = params.get('$orderby');
  if (orderby !== undefined && !/^\s*receivedDateTime\s+desc\s*$/i.test(orderby)) {
    throw new BadRequest('BadRequest', 'Delta queries order only by receivedDateTime desc.');
  }
  if (params.has('$search')) throw new BadRequest('BadRequest', 'Delta queries do not support $search.');
  const select = params.get('$select');
  const selected = select
    ? select
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  checkSelect(selected);
  const expand = params.get('$expand') ?? null;
  if (expand) parseExpand(expand);
  return {
    folderId,
    initial: true,
    since: 0,
    options: { select: selected, filter, expand, pageSize: pageSizeOf(headers, params.get('$top')) },
  };
}

const CONTENT_SCHEMA = `CREATE TABLE IF NOT EXISTS delta_content (
  message_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, seq INTEGER NOT NULL)`;

/** What a delta entry shows of a message, read state and version stamps left out. */
function contentFingerprint(m: MessageRow, stored: ReadonlyMap<string, string>): string {
  const { seq: _seq, last_modified: _modified, is_read: _read, ...content } = m;
  const props = [...stored.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([content, props]))
    .digest('base64');
}

/**
 * True when the message's content is as it was at sequence `since`, so only its read state changed
 * after; notes the content first seen otherwise. A first sighting is never read-state only.
 */
function onlyReadStateSince(db: GraphDb, m: MessageRow, since: number): boolean {
  const fingerprint = contentFingerprint(m, db.extProps(m.id));
  const seen = db.sqlite
    .prepare('SELECT fingerprint, seq FROM delta_content WHERE message_id = ?')
    .get(m.id) as { fingerprint: string; seq: number } | undefined;
  if (seen?.fingerprint === fingerprint) return seen.seq <= since;
  db.sqlite
    .prepare('INSERT OR REPLACE INTO delta_content (message_id, fingerprint, seq) VALUES (?, ?, ?)')
    .run(m.id, fingerprint, m.seq);
  return false;
}

type Change = { seq: number; message: MessageRow } | { seq: number; removedId: string };

export function deltaMessages(
  db: GraphDb,
  ctx: RequestContext,
  folderId: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  const round = resumeRound<DeltaState>(
    ctx,
    params,
    (token) => {
      const decoded = decodeToken(token);
      return decoded && decoded.folderId === folderId ? decoded : null;
    },
    () => initialState(folderId, params, headers),
  );
  if ('expired' in round) return round.expired;
  const state = round.state;

  // Prefer on a later request still sizes that page, as Graph honours it on each request.
  const pageSize = preferredPageSize(headers) ?? state.options.pageSize;
  const upto = state.upto ?? db.currentSeq();
  const after = state.after ?? state.since;
  const filter: Predicate | null = state.options.filter ? parseFilter(state.options.filter).predicate : null;
  const expandIds = state.options.expand ? parseExpand(state.options.expand) : null;

  const messages = db.sqlite
    .prepare('SELECT * FROM message WHERE folder_id = ? AND seq > ? AND seq <= ? ORDER BY seq')
    .all(folderId, after, upto) as MessageRow[];
  // A first round lists what is there; removals only matter to a client that has seen the folder.
  const removals = state.initial
    ? []
    : (db.sqlite
        .prepare(
          'SELECT seq, message_id FROM removal WHERE folder_id = ? AND seq > ? AND seq <= ? ORDER BY seq',
        )
        .all(folderId, after, upto) as { seq: number; message_id: string }[]);
  const changes: Change[] = [
    ...messages
      .filter((m) => !filter || filter(filterSubject(m, db.extProps(m.id))))
      .map((m) => ({ seq: m.seq, message: m })),
    ...removals.map((r) => ({ seq: r.seq, removedId: r.message_id })),
  ].sort((a, b) => a.seq - b.seq);

  const page = changes.slice(0, pageSize);
  db.sqlite.exec(CONTENT_SCHEMA);
  const more = changes.length > pageSize;
  const value = page.map((c) =>
    'message' in c && onlyReadStateSince(db, c.message, state.initial ? -1 : state.since)
      ? {
          '@odata.type': '#microsoft.graph.message',
          id: c.message.id,
          isRead: c.message.is_read === 1,
          parentFolderId: c.message.folder_id,
        }
      : 'message' in c
        ? {
            '@odata.type': '#microsoft.graph.message',
            ...messageJson(c.message, expandIds ? db.extProps(c.message.id) : new Map(), {
              select: state.options.select,
              expandIds,
              baseUrl: ctx.baseUrl,
            }),
          }
        : { '@odata.type': '#microsoft.graph.message', id: c.removedId, '@removed': { reason: 'deleted' } },
  );
  const link = `${ctx.baseUrl}/me/mailFolders/${encodeURIComponent(folderId)}/messages/delta`;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.baseUrl}/$metadata#Collection(message)`,
    value,
  };
  if (more) {
    const lastSeq = (page[page.length - 1] as Change).seq;
    body['@odata.nextLink'] = `${link}?$skiptoken=${encodeDeltaToken({ ...state, upto, after: lastSeq })}`;
  } else {
    body['@odata.deltaLink'] =
      `${link}?$deltatoken=${encodeDeltaToken({ folderId, initial: false, since: upto, options: state.options })}`;
  }
  const applied: Record<string, string> = /odata\.maxpagesize/i.test(headers.prefer ?? '')
    ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` }
    : {};
  return ok(body, 200, applied);
}
