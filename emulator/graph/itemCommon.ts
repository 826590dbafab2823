/**
 * What contacts, events and To Do tasks share: reading a JSON body, `singleValueExtendedProperties` in
 * a body, `$select` / `$expand` / `$filter` / `$top` / `$skip` on their lists, `If-Match`, and Graph's
 * 400s for read-only and unknown properties. The mail's own parsers (query.ts, extendedProperties.ts)
 * do the parsing, so a property id or a filter reads the same on every item type.
 */
import { normalizePropertyId } from './extendedProperties';
import { ifMatchAllows } from './messages';
import type { GraphDb } from './db';
import { itemChangeKey, itemStore, type ItemKind, type ItemRow } from './itemStore';
import { BadRequest, NOT_FOUND_MESSAGE, ok, type GraphResponse, type RequestContext } from './protocol';
import { parseExpand, parseFilter, type Comparable, type Predicate } from './query';
import { requireZone, toUtcMs } from './timeZones';

export const DEFAULT_PAGE = 10;
const MAX_TOP = 1000;

export function readJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text || '{}');
  } catch {
    throw new BadRequest('RequestBodyRead', 'Invalid JSON in the request body.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest('RequestBodyRead', 'The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** An item of that kind, or Graph's 404 (ErrorItemNotFound). */
export function findItem(db: GraphDb, kind: ItemKind, id: string): ItemRow {
  const row = itemStore(db).item(kind, id);
  if (!row) throw new BadRequest('ErrorItemNotFound', NOT_FOUND_MESSAGE, 404);
  return row;
}

/** `DELETE` of a contact or event: 204 once `If-Match` (when sent) holds; its delta reports it removed. */
export function deleteItem(
  db: GraphDb,
  kind: ItemKind,
  id: string,
  ifMatch: string | undefined,
): GraphResponse {
  const row = findItem(db, kind, id);
  checkIfMatch(ifMatch, itemChangeKey(row));
  db.transaction(() => itemStore(db).remove(kind, id));
  return { status: 204, headers: {} };
}

/** A body's `body` (itemBody): text unless it says html. */
export function readItemBody(value: unknown): { contentType: 'text' | 'html'; content: string } {
  const b = value as { contentType?: unknown; content?: unknown } | null;
  return {
    contentType:
      b?.contentType === undefined
        ? 'text'
        : expectOneOf('contentType', b.contentType, ['text', 'html'] as const),
    content: expectString('body.content', b?.content ?? '', false) as string,
  };
}

/** A dateTimeTimeZone property of a body → its instant (ms) and the zone it was given in. */
export function readDateTimeTimeZone(name: string, value: unknown): { ms: number; zone: string } {
  const v = value as { dateTime?: unknown; timeZone?: unknown } | null;
  if (typeof v !== 'object' || v === null)
    throw new BadRequest('RequestBodyRead', `The property '${name}' must be a dateTimeTimeZone object.`);
  requireZone(v.timeZone);
  return { ms: toUtcMs(v.dateTime, v.timeZone), zone: v.timeZone as string };
}

/** `singleValueExtendedProperties` of a POST or PATCH body → normalised (id, value) pairs. */
export function readExtendedProperties(value: unknown): [string, string][] {
  if (!Array.isArray(value))
    throw new BadRequest('RequestBodyRead', "The property 'singleValueExtendedProperties' must be an array.");
  return (value as { id?: unknown; value?: unknown }[]).map((entry) => {
    if (typeof entry?.id !== 'string' || typeof entry.value !== 'string')
      throw new BadRequest('RequestBodyRead', 'Each extended property needs a string id and a string value.');
    return [normalizePropertyId(entry.id), entry.value];
  });
}

export function readOnlyProperty(name: string): BadRequest {
  return new BadRequest(
    'ErrorInvalidPropertyRequest',
    `The property '${name}' is read-only and cannot be set.`,
  );
}

export function unknownProperty(name: string, type: string): BadRequest {
  return new BadRequest(
    'RequestBodyRead',
    `The property '${name}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
}

export function expectString(name: string, value: unknown, nullable = true): string | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'string')
    throw new BadRequest('RequestBodyRead', `The property '${name}' must be a string.`);
  return value;
}

export function expectStrings(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new BadRequest('RequestBodyRead', `The property '${name}' must be an array of strings.`);
  return value as string[];
}

export function expectOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T))
    throw new BadRequest('RequestBodyRead', `The value '${String(value)}' is not valid for '${name}'.`);
  return value as T;
}

/** Graph's 412 when `If-Match` names an older version; nothing is changed. */
export function checkIfMatch(header: string | undefined, changeKey: string): void {
  if (!ifMatchAllows(header, changeKey)) {
    throw new BadRequest(
      'ErrorIrresolvableConflict',
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
      412,
    );
  }
}

export interface ItemQuery {
  readonly select: readonly string[] | null;
  readonly top: number | null;
  readonly skip: number;
  readonly filter: Predicate | null;
  /** Extended property ids to expand, or null. */
  readonly expandIds: readonly string[] | null;
  /** `$expand=linkedResources` (To Do tasks). */
  readonly expandLinked: boolean;
}

/** `$select`, `$top`, `$skip`, `$filter`, `$expand` of an item list or item. */
export function parseItemQuery(
  params: ReadonlyMap<string, string>,
  type: string,
  known: ReadonlySet<string>,
): ItemQuery {
  const select = params.get('$select')
    ? (params.get('$select') as string)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  for (const name of select ?? []) {
    if (!known.has(name))
      throw new BadRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`,
      );
  }
  const topText = params.get('$top');
  let top: number | null = null;
  if (topText !== undefined) {
    if (!/^\d+$/.test(topText) || Number(topText) < 1)
      throw new BadRequest('BadRequest', `Invalid value '${topText}' for $top query option found.`);
    top = Math.min(Number(topText), MAX_TOP);
  }
  const skipText = params.get('$skip');
  const skip = skipText === undefined ? 0 : Number(skipText);
  if (!Number.isInteger(skip) || skip < 0)
    throw new BadRequest('BadRequest', `Invalid value '${skipText}' for $skip.`);
  if (params.has('$orderby'))
    throw new BadRequest(
      'BadRequest',
      `The emulator does not sort ${type} lists: $orderby is not supported.`,
    );
  const filterText = params.get('$filter');
  const expand = params.get('$expand')?.trim();
  const expandLinked = expand === 'linkedResources';
  if (expandLinked && type !== 'todoTask')
    throw new BadRequest(
      'BadRequest',
      `Could not find a property named 'linkedResources' on type 'microsoft.graph.${type}'.`,
    );
  return {
    select,
    top,
    skip,
    filter: filterText ? parseFilter(filterText).predicate : null,
    expandIds: expand && !expandLinked ? parseExpand(expand) : null,
    expandLinked,
  };
}

/** What `$filter` reads of an item: its date stamps, its categories, its extended properties. */
export function itemFilterSubject(
  values: Readonly<Record<string, Comparable>>,
  categories: readonly string[],
  stored: ReadonlyMap<string, string>,
): Parameters<Predicate>[0] {
  return {
    value: (p) => values[p],
    categories: () => categories,
    extendedProperty: (id) => stored.get(id),
  };
}

/**
 * The item as the query asks: `$select`ed properties plus `id` and `@odata.etag`, and the expanded
 * extended properties (none at all when the item has none of them, as for messages).
 */
export function projectItem(
  full: Record<string, unknown>,
  query: Pick<ItemQuery, 'select' | 'expandIds'>,
  stored: ReadonlyMap<string, string>,
  propertiesContext: string,
): Record<string, unknown> {
  let out: Record<string, unknown> = full;
  if (query.select) {
    out = { '@odata.etag': full['@odata.etag'], id: full.id };
    for (const name of query.select) out[name] = full[name];
  }
  if (query.expandIds) {
    const props = query.expandIds.flatMap((id) => {
      const value = stored.get(id);
      return value === undefined ? [] : [{ id, value }];
    });
    if (props.length) {
      out['singleValueExtendedProperties@odata.context'] = propertiesContext;
      out.singleValueExtendedProperties = props;
    }
  }
  return out;
}

/** One page of a list, `@odata.nextLink` with `$skip` when more follow (as Graph pages Outlook items). */
export function listPage<T>(
  ctx: RequestContext,
  path: string,
  params: ReadonlyMap<string, string>,
  context: string,
  items: readonly T[],
  render: (item: T) => Record<string, unknown>,
  query: ItemQuery,
  headers: Record<string, string> = {},
): GraphResponse {
  const pageSize = query.top ?? DEFAULT_PAGE;
  // Only the page is rendered: a list of thousands costs one page's worth of property reads.
  const body: Record<string, unknown> = {
    '@odata.context': context,
    value: items.slice(query.skip, query.skip + pageSize).map(render),
  };
  if (query.skip + pageSize < items.length) {
    const next = new Map(params);
    next.set('$top', String(pageSize));
    next.set('$skip', String(query.skip + pageSize));
    body['@odata.nextLink'] =
      `${ctx.baseUrl}${path}?${[...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  }
  return ok(body, 200, headers);
}
