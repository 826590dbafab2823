/**
 * Delta rounds of contacts (`contact: delta`), calendar events in a window (`event: delta` on
 * `calendarView`) and To Do tasks (`todoTask: delta`), built as the mail's (delta.ts): a round lists
 * the collection's changes with a sequence in (since, upto], `upto` fixed when the round begins, pages
 * keyed on the sequence; `@odata.nextLink` carries `$skiptoken`, the last page `@odata.deltaLink` with
 * `$deltatoken`. Tokens are opaque base64url JSON holding the collection, the window, the position and
 * the first request's options (the calendarView docs: the tokens "encode the startDateTime and
 * endDateTime parameters and any other query parameter in the initial delta query GET request").
 *
 * A later round has created and changed items whole and removed ones as
 * `{"id", "@removed": {"reason": "deleted"}}`. Events: one that was in the window when the previous
 * round ended and is no longer (moved out, or deleted) is `@removed`; one moved in comes whole; one
 * changed outside the window and never in it is not listed.
 *
 * `$select` and `$expand` (extended properties; `linkedResources` on tasks) are read on contacts and
 * tasks; a calendarView delta takes neither (event: delta, "OData query parameters"), and the emulator
 * answers them 400 (chosen: so a client that relies on them fails here, not against Graph);
 * `$filter`, `$orderby` and `$search` are 400 on every kind.
 */
import type { GraphDb } from './db';
import {
  decodeDeltaToken,
  encodeDeltaToken,
  MAX_DELTA_PAGE,
  preferredPageSize,
  resumeRound,
} from './deltaToken';
import { renderContact } from './contacts';
import { inWindow, readWindow, renderEvent } from './events';
import { parseItemQuery, type ItemQuery } from './itemCommon';
import { itemStore, type ItemKind, type ItemRow } from './itemStore';
import { BadRequest, ok, type GraphResponse, type RequestContext } from './protocol';
import { itemView, preferenceApplied } from './preferences';
import { renderTask } from './todo';
import { CONTACT_PROPERTIES } from './contacts';
import { EVENT_PROPERTIES } from './events';
import { TASK_PROPERTIES } from './todo';

const DEFAULT_PAGE = 10;

interface DeltaOptions {
  readonly select: string | null;
  readonly expand: string | null;
  readonly pageSize: number;
}

interface DeltaState {
  readonly kind: ItemKind;
  readonly parentId: string;
  readonly initial: boolean;
  readonly since: number;
  readonly upto?: number;
  readonly after?: number;
  readonly window?: { readonly start: number; readonly end: number };
  readonly options: DeltaOptions;
}

const TYPE: Record<ItemKind, string> = { contact: 'contact', event: 'event', task: 'todoTask' };
const KNOWN: Record<ItemKind, ReadonlySet<string>> = {
  contact: CONTACT_PROPERTIES,
  event: EVENT_PROPERTIES,
  task: TASK_PROPERTIES,
};

function decodeToken(token: string): DeltaState | null {
  return decodeDeltaToken<DeltaState>(
    token,
    (state) =>
      typeof state.kind === 'string' && typeof state.since === 'number' && typeof state.options === 'object',
  );
}

function initialState(
  kind: ItemKind,
  parentId: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): DeltaState {
  // event: delta "doesn't support $select, $expand, $filter, $orderby, $search" on calendarView.
  const refused =
    kind === 'event'
      ? ['$select', '$expand', '$filter', '$orderby', '$search']
      : ['$filter', '$orderby', '$search'];
  for (const option of refused) {
    if (params.has(option))
      throw new BadRequest('BadRequest', `Delta queries on ${TYPE[kind]} do not support ${option}.`);
  }
  // Parsed now so a bad $select or $expand is a 400 on the first request, not on a later page.
  parseItemQuery(
    new Map([...params].filter(([k]) => k === '$select' || k === '$expand')),
    TYPE[kind],
    KNOWN[kind],
  );
  const top = params.get('$top');
  return {
    kind,
    parentId,
    initial: true,
    since: 0,
    ...(kind === 'event' ? { window: readWindow(params) } : {}),
    options: {
      select: params.get('$select') ?? null,
      expand: params.get('$expand') ?? null,
      pageSize:
        preferredPageSize(headers) ??
        (top !== undefined && /^\d+$/.test(top) ? Math.min(Number(top), MAX_DELTA_PAGE) : DEFAULT_PAGE),
    },
  };
}

type Change = { seq: number; row: ItemRow } | { seq: number; removedId: string };

/** The round's changes in (after, upto], as the client must see them. */
function changesOf(db: GraphDb, state: DeltaState, after: number, upto: number): Change[] {
  const store = itemStore(db);
  const window = state.window;
  // An event counts as held by the client when it was in the window as the last round ended.
  const heldBefore = (id: string): boolean => {
    if (state.initial) return false;
    if (!window) return true;
    const span = store.spanAt(id, state.since);
    return span !== null && inWindow(span, window);
  };
  const changed: Change[] = store
    .changedItems(state.kind, state.parentId, after, upto)
    .flatMap((row): Change[] => {
      if (!window || inWindow({ start_ms: row.start_ms as number, end_ms: row.end_ms as number }, window))
        return [{ seq: row.seq, row }];
      return heldBefore(row.id) ? [{ seq: row.seq, removedId: row.id }] : [];
    });
  const removed: Change[] = state.initial
    ? []
    : store
        .removals(state.kind, state.parentId, after, upto)
        .filter((r) => heldBefore(r.item_id))
        .map((r) => ({ seq: r.seq, removedId: r.item_id }));
  return [...changed, ...removed].sort((a, b) => a.seq - b.seq);
}

export interface DeltaCollection {
  readonly kind: ItemKind;
  readonly parentId: string;
  /** The delta function's path under the version, for the links: `/me/contacts/delta`. */
  readonly path: string;
}

export function deltaItems(
  db: GraphDb,
  ctx: RequestContext,
  collection: DeltaCollection,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  const round = resumeRound<DeltaState>(
    ctx,
    params,
    (token) => {
      const decoded = decodeToken(token);
      return decoded && decoded.kind === collection.kind && decoded.parentId === collection.parentId
        ? decoded
        : null;
    },
    () => initialState(collection.kind, collection.parentId, params, headers),
  );
  if ('expired' in round) return round.expired;
  const state = round.state;

  // Prefer on a later request still sizes that page, as Graph honours it on each request.
  const pageSize = preferredPageSize(headers) ?? state.options.pageSize;
  const view = itemView(headers);
  const upto = state.upto ?? db.currentSeq();
  const after = state.after ?? state.since;
  const query: ItemQuery = parseItemQuery(
    new Map(
      [
        ['$select', state.options.select],
        ['$expand', state.options.expand],
      ].filter((e): e is [string, string] => e[1] !== null),
    ),
    TYPE[collection.kind],
    KNOWN[collection.kind],
  );
  const changes = changesOf(db, state, after, upto);
  const page = changes.slice(0, pageSize);
  const odataType = `#microsoft.graph.${TYPE[collection.kind]}`;
  const render = (row: ItemRow): Record<string, unknown> =>
    collection.kind === 'contact'
      ? renderContact(db, ctx, row, query)
      : collection.kind === 'event'
        ? renderEvent(db, ctx, row, query, view)
        : renderTask(db, ctx, row, query, view.zone);
  const value = page.map((c) =>
    'row' in c
      ? { '@odata.type': odataType, ...render(c.row) }
      : { '@odata.type': odataType, id: c.removedId, '@removed': { reason: 'deleted' } },
  );
  const link = `${ctx.baseUrl}${collection.path}`;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.baseUrl}/$metadata#Collection(${TYPE[collection.kind]})`,
    value,
  };
  if (changes.length > pageSize) {
    const lastSeq = (page[page.length - 1] as Change).seq;
    body['@odata.nextLink'] = `${link}?$skiptoken=${encodeDeltaToken({ ...state, upto, after: lastSeq })}`;
  } else {
    const next: DeltaState = {
      kind: state.kind,
      parentId: state.parentId,
      initial: false,
      since: upto,
      ...(state.window ? { window: state.window } : {}),
      options: state.options,
    };
    body['@odata.deltaLink'] = `${link}?$deltatoken=${encodeDeltaToken(next)}`;
  }
  return ok(body, 200, preferenceApplied(headers, pageSize));
}
