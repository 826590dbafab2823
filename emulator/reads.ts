/**
 * Reading rows: collections with query options and paging, `/$count`, one row by key, a row's related
 * collection, and the JSON shape of a row (etag, `_x_value` lookups, annotations, expansions).
 */
import type { EmulatorDb, Row, SqlValue } from './db';
import { formattedValue } from './formatted';
import { BY_NAME, type EntityDef } from './metadata';
import { compileFilter } from './odata/filter';
import {
  MAX_PAGE_SIZE,
  type Preferences,
  type QueryOptions,
  parseQueryOptions,
  wantsAnnotation,
} from './odata/query';
import {
  ASSOCIATED_NAV,
  BAD_QUERY,
  type DispatchContext,
  type EmuRequest,
  type EmuResponse,
  FORMATTED,
  LOOKUP_NAME,
  ODataError,
  TOTAL_COUNT,
  TOTAL_COUNT_EXCEEDED,
  etagOf,
  json,
  notFound,
} from './protocol';

export class Reads {
  /**
   * The calling user of the request being served, for `EqualUserId`. The service is synchronous (one
   * request at a time, `$batch` parts included), so the router sets it before each dispatch.
   */
  caller = '';

  constructor(private readonly db: EmulatorDb) {}

  private orderSql(entity: EntityDef, options: QueryOptions): string {
    const items = options.orderBy.map((o) => `"${o.column}" ${o.desc ? 'DESC' : 'ASC'}`);
    items.push(`"${entity.primaryKey}" ASC`);
    return items.join(', ');
  }

  private where(
    entity: EntityDef,
    options: QueryOptions,
    extraSql: string | null,
    extraParams: SqlValue[],
  ): { sql: string; params: SqlValue[] } {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.filter) {
      const condition = compileFilter(entity, options.filter, this.caller);
      where.push(condition.sql);
      params.push(...condition.params);
    }
    if (extraSql) {
      where.push(extraSql);
      params.push(...extraParams);
    }
    return { sql: where.length ? ` WHERE ${where.join(' AND ')}` : '', params };
  }

  /** Rows matching the options (and an extra condition), ordered, with limit and offset. */
  select(
    entity: EntityDef,
    options: QueryOptions,
    extraSql: string | null,
    extraParams: SqlValue[],
    limit: number,
    offset: number,
  ): Row[] {
    const { sql, params } = this.where(entity, options, extraSql, extraParams);
    return this.db
      .prepare(
        `SELECT * FROM "${entity.logicalName}"${sql} ORDER BY ${this.orderSql(entity, options)} LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset) as Row[];
  }

  /** How many rows match (uncapped). */
  count(
    entity: EntityDef,
    options: QueryOptions,
    extraSql: string | null = null,
    extraParams: SqlValue[] = [],
  ): number {
    const { sql, params } = this.where(entity, options, extraSql, extraParams);
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM "${entity.logicalName}"${sql}`).get(...params) as {
      n: number;
    };
    return row.n;
  }

  /** `GET /<set>` (or a row's collection-valued navigation property, with `scope`). */
  list(
    entity: EntityDef,
    query: Map<string, string>,
    prefs: Preferences,
    ctx: DispatchContext,
    nextLinkPath: string = entity.entitySet,
    scope: { sql: string; params: SqlValue[] } | null = null,
  ): EmuResponse {
    const options = parseQueryOptions(entity, query);
    let offset = 0;
    if (options.skipToken !== null) offset = decodeSkipToken(options.skipToken);
    const pageSize = prefs.maxPageSize;
    const limit = pageSize ?? (options.top !== null ? Math.min(options.top, MAX_PAGE_SIZE) : MAX_PAGE_SIZE);
    const paged = pageSize !== null || options.top === null;
    const rows = this.select(entity, options, scope?.sql ?? null, scope?.params ?? [], limit + 1, offset);
    const more = paged && rows.length > limit;
    const page = rows.slice(0, limit);
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}${options.select ? `(${options.select.join(',')})` : ''}`,
    };
    // $count=true: `@odata.count`, at most 5,000. The total-count annotations, when asked for, say -1
    // (not counted) without $count, else the count and whether it passed the 5,000 limit.
    const total = options.count ? this.count(entity, options, scope?.sql ?? null, scope?.params ?? []) : null;
    if (total !== null) body['@odata.count'] = Math.min(total, MAX_PAGE_SIZE);
    if (wantsAnnotation(prefs, TOTAL_COUNT)) {
      body[`@${TOTAL_COUNT}`] = total === null ? -1 : Math.min(total, MAX_PAGE_SIZE);
    }
    if (wantsAnnotation(prefs, TOTAL_COUNT_EXCEEDED)) {
      body[`@${TOTAL_COUNT_EXCEEDED}`] = total !== null && total > MAX_PAGE_SIZE;
    }
    body.value = page.map((row) => this.format(entity, row, options, prefs));
    if (more) {
      const params = [...query.entries()].filter(([k]) => k !== '$skiptoken');
      params.push(['$skiptoken', encodeSkipToken(offset + limit)]);
      body['@odata.nextLink'] = `${ctx.baseUrl}/${nextLinkPath}?${params
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&')}`;
    }
    return json(200, body, preferenceApplied(prefs));
  }

  /**
   * `GET /<set>/$count`: the number of matching rows as plain text (at most 5,000, like `@odata.count`).
   * Only `$filter` applies.
   */
  countOnly(
    entity: EntityDef,
    query: Map<string, string>,
    scope: { sql: string; params: SqlValue[] } | null = null,
  ): EmuResponse {
    const options = parseQueryOptions(entity, query);
    const n = this.count(entity, options, scope?.sql ?? null, scope?.params ?? []);
    return {
      status: 200,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'OData-Version': '4.0' },
      body: String(Math.min(n, MAX_PAGE_SIZE)),
    };
  }

  /** `GET /<set>(<id>)/<collection nav>[/$count]`: the related rows, with the same options as a list. */
  related(
    entity: EntityDef,
    id: string,
    navigation: string,
    countSegment: boolean,
    query: Map<string, string>,
    prefs: Preferences,
    ctx: DispatchContext,
  ): EmuResponse {
    const nav = entity.collections[navigation];
    if (!nav) throw new ODataError(404, BAD_QUERY, `Resource not found for the segment '${navigation}'.`);
    if (!this.db.get(entity, id)) throw notFound(entity, id);
    const target = BY_NAME.get(nav.target) as EntityDef;
    const scope = { sql: `"_${nav.via}_value" = ?`, params: [id] as SqlValue[] };
    if (countSegment) return this.countOnly(target, query, scope);
    return this.list(target, query, prefs, ctx, `${entity.entitySet}(${id})/${navigation}`, scope);
  }

  /** `GET /<set>(<id>)`: `$select` and `$expand`, an `ETag`, 304 on a matching `If-None-Match`. */
  retrieve(
    entity: EntityDef,
    id: string,
    query: Map<string, string>,
    prefs: Preferences,
    req: EmuRequest,
    ctx: DispatchContext,
  ): EmuResponse {
    const options = parseQueryOptions(entity, query);
    if (options.filter || options.orderBy.length || options.top !== null) {
      throw new ODataError(400, BAD_QUERY, 'Only $select and $expand apply to a single record.');
    }
    const row = this.db.get(entity, id);
    if (!row) throw notFound(entity, id);
    const etag = etagOf(row);
    if (req.headers['if-none-match'] === etag) return { status: 304, headers: { ETag: etag } };
    return json(
      200,
      {
        '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}${options.select ? `(${options.select.join(',')})` : ''}/$entity`,
        ...this.format(entity, row, options, prefs),
      },
      { ETag: etag, ...preferenceApplied(prefs) },
    );
  }

  /** A row as Dataverse returns it: etag, attributes, `_x_value` lookups, annotations, expansions. */
  format(entity: EntityDef, row: Row, options: QueryOptions, prefs: Preferences): Record<string, unknown> {
    const out: Record<string, unknown> = { '@odata.etag': etagOf(row) };
    const formatted = wantsAnnotation(prefs, FORMATTED);
    const names = options.select
      ? [...options.select]
      : [...Object.keys(entity.attributes), ...entity.lookups.map((l) => `_${l.name}_value`)];
    if (!names.includes(entity.primaryKey)) names.push(entity.primaryKey);
    for (const name of names) {
      const value = row[name] ?? null;
      const type = entity.attributes[name];
      if (type === undefined) {
        // a lookup
        const lookupName = name.slice(1, -'_value'.length);
        out[name] = value;
        if (value !== null) {
          const target = row[`_${lookupName}_type`] as string | null;
          const lookup = entity.lookups.find((l) => l.name === lookupName);
          const display = formatted ? this.displayName(target, value as string) : null;
          if (display !== null) out[`${name}@${FORMATTED}`] = display;
          if (wantsAnnotation(prefs, ASSOCIATED_NAV) && lookup) {
            const nav = Object.entries(lookup.navigation).find(([, t]) => t === target)?.[0];
            if (nav) out[`${name}@${ASSOCIATED_NAV}`] = nav;
          }
          if (wantsAnnotation(prefs, LOOKUP_NAME) && target) out[`${name}@${LOOKUP_NAME}`] = target;
        }
        continue;
      }
      out[name] = type === 'bool' ? (value === null ? null : value === 1) : value;
      if (formatted) {
        const text = formattedValue(entity, name, value);
        if (text !== null) out[`${name}@${FORMATTED}`] = text;
      }
    }
    for (const expand of options.expand) {
      if (expand.kind === 'collection') {
        const id = row[entity.primaryKey] as string;
        const rows = this.select(
          expand.target,
          expand.options,
          `"_${expand.via}_value" = ?`,
          [id],
          expand.options.top ?? MAX_PAGE_SIZE,
          0,
        );
        out[expand.navigation] = rows.map((r) => this.format(expand.target, r, expand.options, prefs));
      } else {
        const value = row[`_${expand.via}_value`] as string | null;
        const type = row[`_${expand.via}_type`];
        const related =
          value !== null && type === expand.target.logicalName
            ? this.db.get(expand.target, value)
            : undefined;
        out[expand.navigation] = related ? this.format(expand.target, related, expand.options, prefs) : null;
      }
    }
    return out;
  }

  /** The primary name of a lookup's target row (its formatted value), or null. */
  displayName(logicalName: string | null, id: string): string | null {
    const target = logicalName ? BY_NAME.get(logicalName) : undefined;
    if (!target || !target.primaryName) return null;
    const row = this.db
      .prepare(
        `SELECT "${target.primaryName}" AS n FROM "${target.logicalName}" WHERE "${target.primaryKey}" = ?`,
      )
      .get(id) as { n: string | null } | undefined;
    return row?.n ?? null;
  }
}

export function preferenceApplied(prefs: Preferences): Record<string, string> {
  const applied: string[] = [];
  if (prefs.annotations.length > 0)
    applied.push(`odata.include-annotations="${prefs.annotations.join(',')}"`);
  if (prefs.maxPageSize !== null) applied.push(`odata.maxpagesize=${prefs.maxPageSize}`);
  return applied.length ? { 'Preference-Applied': applied.join(',') } : {};
}

export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

export function decodeSkipToken(token: string): number {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0) return value.o;
  } catch {
    // fall through
  }
  throw new ODataError(400, BAD_QUERY, 'The $skiptoken is not valid.');
}
