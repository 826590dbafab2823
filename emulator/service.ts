/**
 * The Web API itself, synchronous over SQLite: one request in, one response out. The HTTP server
 * (`server.ts`) and `$batch` both call `dispatch`; a `$batch` changeset runs its parts inside one
 * transaction and rolls all of them back when one fails.
 */
import { randomUUID } from 'node:crypto';
import { type EmulatorDb, type Row, type SqlValue, nowIso } from './db';
import { BY_NAME, BY_SET, type EntityDef, entitySetOf, lookupByNavigation } from './metadata';
import { BAD_QUERY, ODataError, compileFilter, unknownProperty } from './odata/filter';
import {
  boundaryOf,
  parseHttpRequest,
  parseMultipart,
  writeHttpPart,
  writeMultipart,
  type HttpResponsePart,
} from './odata/multipart';
import {
  MAX_PAGE_SIZE,
  type Preferences,
  type QueryOptions,
  parsePrefer,
  parseQueryOptions,
  wantsAnnotation,
} from './odata/query';

export const SERVICE_PATH = '/api/data/v9.2';

export interface EmuRequest {
  readonly method: string;
  /** Path relative to the service root plus query, e.g. `contacts?$top=1`, or an absolute URL/path. */
  readonly url: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface EmuResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface DispatchContext {
  /** `http://host:port/api/data/v9.2` */
  readonly baseUrl: string;
  /** systemuserid of the caller. */
  readonly caller: string;
  /** Content-ID → `/entityset(id)` within one changeset. */
  readonly contentIds?: Map<string, string>;
}

const NOT_FOUND = '0x80040217';
const VERSION_MISMATCH = '0x80060882';
const INVALID_ARGUMENT = '0x80040203';
const PAYLOAD_ERROR = '0x80048d19';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const ASSOCIATED_NAV = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

const JSON_HEADERS = { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' };

export function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
) {
  return {
    status,
    headers: { ...JSON_HEADERS, ...extra },
    body: JSON.stringify({ error: { code, message } }),
  } satisfies EmuResponse;
}

function json(status: number, value: unknown, extra: Record<string, string> = {}): EmuResponse {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(value) };
}

function notFound(entity: EntityDef, id: string): ODataError {
  return new ODataError(404, NOT_FOUND, `${entity.logicalName} With Id = ${id} Does Not Exist`);
}

function segmentNotFound(segment: string): ODataError {
  return new ODataError(404, BAD_QUERY, `Resource not found for the segment '${segment}'.`);
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Labels for the formatted values of state and status codes. */
const STATE_LABELS: Record<string, Record<number, string>> = {
  email: { 0: 'Open', 1: 'Completed', 2: 'Canceled' },
  lead: { 0: 'Open', 1: 'Qualified', 2: 'Disqualified' },
  opportunity: { 0: 'Open', 1: 'Won', 2: 'Lost' },
  incident: { 0: 'Active', 1: 'Resolved', 2: 'Canceled' },
};
const EMAIL_STATUS: Record<number, string> = {
  1: 'Draft',
  2: 'Completed',
  3: 'Sent',
  4: 'Received',
  5: 'Canceled',
  6: 'Pending Send',
  7: 'Sending',
  8: 'Failed',
};

export class Service {
  constructor(readonly db: EmulatorDb) {}

  /** The default caller ("me"). */
  get defaultUser(): string {
    return this.db.getMeta('me') ?? '';
  }

  dispatch(req: EmuRequest, ctx: DispatchContext): EmuResponse {
    try {
      return this.route(req, ctx);
    } catch (error) {
      if (error instanceof ODataError) return errorResponse(error.status, error.code, error.message);
      if (error instanceof SyntaxError)
        return errorResponse(400, PAYLOAD_ERROR, `Invalid JSON: ${error.message}`);
      return errorResponse(500, '0x80040216', `An unexpected error occurred: ${(error as Error).message}`);
    }
  }

  private route(req: EmuRequest, ctx: DispatchContext): EmuResponse {
    const { path, query } = this.splitUrl(req.url, ctx);
    const method = req.method.toUpperCase();
    const prefs = parsePrefer(req.headers.prefer);
    if (path === '' || path === '/') {
      if (method !== 'GET') throw new ODataError(405, BAD_QUERY, 'Method not allowed.');
      return json(200, {
        '@odata.context': `${ctx.baseUrl}/$metadata`,
        value: [...BY_SET.keys()].map((name) => ({ name, kind: 'EntitySet', url: name })),
      });
    }
    if (path === '$batch') {
      if (method !== 'POST') throw new ODataError(405, BAD_QUERY, 'The $batch endpoint accepts POST only.');
      return this.batch(req, ctx);
    }
    const segments = path.split('/');
    const first = segments[0] as string;
    if (first === 'WhoAmI' || first === 'WhoAmI()') {
      if (method !== 'GET' || segments.length > 1)
        throw new ODataError(405, BAD_QUERY, 'WhoAmI is a GET function.');
      return this.whoAmI(ctx);
    }
    const m = /^([A-Za-z_][\w.]*)(?:\((.*)\))?$/.exec(first);
    const entity = m ? BY_SET.get(m[1] as string) : undefined;
    if (!m || !entity) throw segmentNotFound(m ? (m[1] as string) : first);
    const keyText = m[2];
    if (keyText === undefined) {
      if (segments.length > 1) throw segmentNotFound(segments[1] as string);
      if (method === 'GET') return this.list(entity, query, prefs, ctx);
      if (method === 'POST') return this.create(entity, req, prefs, query, ctx);
      throw new ODataError(405, BAD_QUERY, `The method ${method} is not allowed on an entity set.`);
    }
    const id = this.parseKey(entity, keyText);
    if (segments.length === 1) {
      if (method === 'GET') return this.retrieve(entity, id, query, prefs, req, ctx);
      if (method === 'PATCH') return this.update(entity, id, req, prefs, query, ctx);
      if (method === 'DELETE') return this.remove(entity, id, req);
      throw new ODataError(405, BAD_QUERY, `The method ${method} is not allowed on an entity.`);
    }
    const navigation = segments[1] as string;
    if (segments.length === 3 && segments[2] === '$ref' && method === 'DELETE') {
      return this.disassociate(entity, id, navigation);
    }
    if (segments.length === 2 && method === 'GET' && entity.collections[navigation]) {
      const row = this.db.get(entity, id);
      if (!row) throw notFound(entity, id);
      const nav = entity.collections[navigation];
      const target = BY_NAME.get(nav.target) as EntityDef;
      const options = parseQueryOptions(target, query);
      const rows = this.select(
        target,
        options,
        `"_${nav.via}_value" = ?`,
        [id],
        options.top ?? MAX_PAGE_SIZE,
        0,
      );
      return json(200, {
        '@odata.context': `${ctx.baseUrl}/$metadata#${target.entitySet}`,
        value: rows.map((r) => this.format(target, r, options, prefs)),
      });
    }
    throw segmentNotFound(navigation);
  }

  private splitUrl(url: string, ctx: DispatchContext): { path: string; query: Map<string, string> } {
    let rest = url;
    const contentRef = /^\$(\d+)(.*)$/.exec(rest);
    if (contentRef) {
      const target = ctx.contentIds?.get(contentRef[1] as string);
      if (!target)
        throw new ODataError(400, BAD_QUERY, `Content-ID reference '$${contentRef[1]}' is not defined.`);
      rest = `${target}${contentRef[2]}`;
    }
    rest = rest.replace(/^https?:\/\/[^/]+/i, '');
    if (rest.startsWith(SERVICE_PATH)) rest = rest.slice(SERVICE_PATH.length);
    rest = rest.replace(/^\/+/, '');
    const q = rest.indexOf('?');
    const decode = (text: string): string => {
      try {
        return decodeURIComponent(text);
      } catch {
        throw new ODataError(400, BAD_QUERY, `The URL contains a malformed escape: '${text}'.`);
      }
    };
    const path = decode(q < 0 ? rest : rest.slice(0, q));
    const query = new Map<string, string>();
    if (q >= 0) {
      for (const pair of rest.slice(q + 1).split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const name = decode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
        const value = eq < 0 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '));
        if (query.has(name))
          throw new ODataError(400, BAD_QUERY, `Query option '${name}' was specified more than once.`);
        query.set(name, value);
      }
    }
    return { path, query };
  }

  private parseKey(entity: EntityDef, keyText: string): string {
    let text = keyText.trim();
    const named = /^(\w+)=(.*)$/.exec(text);
    if (named) {
      if (named[1] !== entity.primaryKey) {
        throw new ODataError(400, BAD_QUERY, `'${named[1]}' is not a key of '${entity.logicalName}'.`);
      }
      text = (named[2] as string).trim();
    }
    if (!GUID_RE.test(text)) {
      throw new ODataError(400, BAD_QUERY, `Bad Request - Error in query syntax: invalid key '${keyText}'.`);
    }
    return text.toLowerCase();
  }

  private whoAmI(ctx: DispatchContext): EmuResponse {
    const user = this.db.get('systemuser', ctx.caller);
    return json(200, {
      '@odata.context': `${ctx.baseUrl}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: user?._businessunitid_value ?? this.db.getMeta('businessunitid') ?? null,
      UserId: ctx.caller,
      OrganizationId: this.db.getMeta('organizationid') ?? null,
    });
  }

  // ---------------------------------------------------------------- reads

  private orderSql(entity: EntityDef, options: QueryOptions): string {
    const items = options.orderBy.map((o) => `"${o.column}" ${o.desc ? 'DESC' : 'ASC'}`);
    items.push(`"${entity.primaryKey}" ASC`);
    return items.join(', ');
  }

  /** Rows matching the options (and an extra condition), ordered, with limit and offset. */
  private select(
    entity: EntityDef,
    options: QueryOptions,
    extraSql: string | null,
    extraParams: SqlValue[],
    limit: number,
    offset: number,
  ): Row[] {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.filter) {
      const condition = compileFilter(entity, options.filter);
      where.push(condition.sql);
      params.push(...condition.params);
    }
    if (extraSql) {
      where.push(extraSql);
      params.push(...extraParams);
    }
    const sql = `SELECT * FROM "${entity.logicalName}"${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${this.orderSql(entity, options)} LIMIT ? OFFSET ?`;
    return this.db.prepare(sql).all(...params, limit, offset) as Row[];
  }

  private list(
    entity: EntityDef,
    query: Map<string, string>,
    prefs: Preferences,
    ctx: DispatchContext,
  ): EmuResponse {
    const options = parseQueryOptions(entity, query);
    let offset = 0;
    if (options.skipToken !== null) offset = decodeSkipToken(options.skipToken);
    const pageSize = prefs.maxPageSize;
    const limit = pageSize ?? (options.top !== null ? Math.min(options.top, MAX_PAGE_SIZE) : MAX_PAGE_SIZE);
    const paged = pageSize !== null || options.top === null;
    const rows = this.select(entity, options, null, [], limit + 1, offset);
    const more = paged && rows.length > limit;
    const page = rows.slice(0, limit);
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}${options.select ? `(${options.select.join(',')})` : ''}`,
      value: page.map((row) => this.format(entity, row, options, prefs)),
    };
    if (options.count) {
      const where = options.filter ? compileFilter(entity, options.filter) : null;
      const total = this.db
        .prepare(`SELECT COUNT(*) AS n FROM "${entity.logicalName}"${where ? ` WHERE ${where.sql}` : ''}`)
        .get(...(where?.params ?? [])) as { n: number };
      body['@odata.count'] = Math.min(total.n, MAX_PAGE_SIZE);
    }
    if (more) {
      const params = [...query.entries()].filter(([k]) => k !== '$skiptoken');
      params.push(['$skiptoken', encodeSkipToken(offset + limit)]);
      body['@odata.nextLink'] = `${ctx.baseUrl}/${entity.entitySet}?${params
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&')}`;
    }
    return json(200, body, this.preferenceApplied(prefs));
  }

  private preferenceApplied(prefs: Preferences): Record<string, string> {
    const applied: string[] = [];
    if (prefs.annotations.length > 0)
      applied.push(`odata.include-annotations="${prefs.annotations.join(',')}"`);
    if (prefs.maxPageSize !== null) applied.push(`odata.maxpagesize=${prefs.maxPageSize}`);
    return applied.length ? { 'Preference-Applied': applied.join(',') } : {};
  }

  private retrieve(
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
      { ETag: etag, ...this.preferenceApplied(prefs) },
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
      if (type === 'bool') {
        out[name] = value === null ? null : value === 1;
        if (formatted && value !== null) out[`${name}@${FORMATTED}`] = value === 1 ? 'Yes' : 'No';
      } else {
        out[name] = value;
        if (formatted && value !== null) {
          const label = this.optionLabel(entity, name, value as number);
          if (label !== null) out[`${name}@${FORMATTED}`] = label;
          else if (type === 'int') out[`${name}@${FORMATTED}`] = Number(value).toLocaleString('en-US');
          else if (type === 'datetime') out[`${name}@${FORMATTED}`] = formatDate(value as string);
        }
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

  private optionLabel(entity: EntityDef, name: string, value: number): string | null {
    if (name === 'statecode')
      return STATE_LABELS[entity.logicalName]?.[value] ?? (value === 0 ? 'Active' : 'Inactive');
    if (name === 'statuscode') {
      if (entity.logicalName === 'email') return EMAIL_STATUS[value] ?? null;
      if (STATE_LABELS[entity.logicalName] === undefined)
        return value === 1 ? 'Active' : value === 2 ? 'Inactive' : null;
    }
    return null;
  }

  private displayName(logicalName: string | null, id: string): string | null {
    const target = logicalName ? BY_NAME.get(logicalName) : undefined;
    if (!target || !target.primaryName) return null;
    const row = this.db
      .prepare(
        `SELECT "${target.primaryName}" AS n FROM "${target.logicalName}" WHERE "${target.primaryKey}" = ?`,
      )
      .get(id) as { n: string | null } | undefined;
    return row?.n ?? null;
  }

  // ---------------------------------------------------------------- writes

  /** Turns a JSON payload into column values; collects deep inserts. */
  private readPayload(
    entity: EntityDef,
    body: Record<string, unknown>,
    ctx: DispatchContext,
    creating: boolean,
  ): { row: Row; deep: { navigation: string; items: Record<string, unknown>[] }[] } {
    const row: Row = {};
    const deep: { navigation: string; items: Record<string, unknown>[] }[] = [];
    for (const [key, value] of Object.entries(body)) {
      if (key.endsWith('@odata.bind')) {
        const navigation = key.slice(0, -'@odata.bind'.length);
        const nav = lookupByNavigation(entity, navigation);
        if (!nav) {
          throw new ODataError(
            400,
            BAD_QUERY,
            `An undeclared property '${navigation}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
          );
        }
        if (value === null) {
          if (creating) continue;
          row[`_${nav.lookup.name}_value`] = null;
          row[`_${nav.lookup.name}_type`] = null;
          continue;
        }
        if (typeof value !== 'string') throw new ODataError(400, PAYLOAD_ERROR, `'${key}' must be a URL.`);
        const id = this.resolveBind(value, nav.target, ctx);
        row[`_${nav.lookup.name}_value`] = id;
        row[`_${nav.lookup.name}_type`] = nav.target;
        continue;
      }
      if (key.startsWith('@') || key.includes('@')) continue; // instance annotations (@odata.type, …)
      if (entity.collections[key]) {
        if (!creating) {
          throw new ODataError(400, BAD_QUERY, `Deep insert of '${key}' is only supported on create.`);
        }
        if (
          !Array.isArray(value) ||
          value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        ) {
          throw new ODataError(400, PAYLOAD_ERROR, `'${key}' must be an array of objects.`);
        }
        deep.push({ navigation: key, items: value as Record<string, unknown>[] });
        continue;
      }
      if (key === 'overriddencreatedon' && 'createdon' in entity.attributes) {
        row.createdon = this.coerce(entity, 'createdon', value);
        continue;
      }
      const type = entity.attributes[key];
      if (type === undefined) {
        throw new ODataError(
          400,
          BAD_QUERY,
          `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'. Make sure to only use property names that are defined by the type.`,
        );
      }
      if (key === 'versionnumber' || key === 'modifiedon' || key === 'createdon') continue; // read-only
      if (key === entity.primaryKey) {
        if (!creating) continue;
        if (typeof value !== 'string' || !GUID_RE.test(value)) {
          throw new ODataError(400, PAYLOAD_ERROR, `'${key}' must be a GUID.`);
        }
      }
      row[key] = this.coerce(entity, key, value);
    }
    return { row, deep };
  }

  private coerce(entity: EntityDef, key: string, value: unknown): SqlValue {
    if (value === null) return null;
    const type = entity.attributes[key];
    const bad = (expected: string): ODataError =>
      new ODataError(
        400,
        PAYLOAD_ERROR,
        `Cannot convert the literal '${String(value)}' to the expected type '${expected}' for '${key}' on '${entity.logicalName}'.`,
      );
    switch (type) {
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('Edm.Int32');
        return value;
      case 'bool':
        if (typeof value !== 'boolean') throw bad('Edm.Boolean');
        return value ? 1 : 0;
      case 'datetime': {
        const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
        if (Number.isNaN(date.getTime())) throw bad('Edm.DateTimeOffset');
        return nowIso(date);
      }
      case 'guid':
        if (typeof value !== 'string' || !GUID_RE.test(value)) throw bad('Edm.Guid');
        return value.toLowerCase();
      default:
        if (typeof value !== 'string') throw bad('Edm.String');
        return value;
    }
  }

  /** `/contacts(<id>)`, a full URL, or `$n` → the id, checking the set and that the row exists. */
  private resolveBind(value: string, targetName: string, ctx: DispatchContext): string {
    let text = value.trim();
    const ref = /^\$(\d+)$/.exec(text);
    if (ref) {
      const resolved = ctx.contentIds?.get(ref[1] as string);
      if (!resolved) throw new ODataError(400, BAD_QUERY, `Content-ID reference '${text}' is not defined.`);
      text = resolved;
    }
    text = text.replace(/^https?:\/\/[^/]+/i, '');
    if (text.startsWith(SERVICE_PATH)) text = text.slice(SERVICE_PATH.length);
    const m = /^\/?([A-Za-z_]\w*)\(([^)]+)\)$/.exec(text);
    if (!m || !GUID_RE.test(m[2] as string)) {
      throw new ODataError(
        400,
        BAD_QUERY,
        `The URL '${value}' in an @odata.bind is not a valid entity reference.`,
      );
    }
    const expectedSet = entitySetOf(targetName);
    if (m[1] !== expectedSet) {
      throw new ODataError(
        400,
        BAD_QUERY,
        `The entity set '${m[1]}' in '${value}' does not match the navigation target '${targetName}'.`,
      );
    }
    const id = (m[2] as string).toLowerCase();
    const target = BY_NAME.get(targetName);
    if (target && !this.db.get(target, id)) throw notFound(target, id);
    return id;
  }

  private checkState(entity: EntityDef, row: Row, current: Row | undefined): void {
    if (!entity.states || (row.statecode === undefined && row.statuscode === undefined)) return;
    const state = (row.statecode ?? current?.statecode ?? 0) as number;
    const allowed = entity.states[state];
    if (!allowed)
      throw new ODataError(
        400,
        INVALID_ARGUMENT,
        `${state} is not a valid statecode for ${entity.logicalName}.`,
      );
    if (row.statuscode === undefined || row.statuscode === null) {
      row.statuscode =
        row.statecode !== undefined && row.statecode !== current?.statecode
          ? allowed.default
          : (current?.statuscode ?? allowed.default);
    }
    if (!allowed.allowed.includes(row.statuscode as number)) {
      throw new ODataError(
        400,
        INVALID_ARGUMENT,
        `${row.statuscode} is not a valid status code for state code ${entity.logicalName}State.${state} on ${entity.logicalName}.`,
      );
    }
  }

  private parseBody(req: EmuRequest): Record<string, unknown> {
    const body: unknown = req.body.trim() === '' ? {} : JSON.parse(req.body);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ODataError(400, PAYLOAD_ERROR, 'The payload must be a JSON object.');
    }
    return body as Record<string, unknown>;
  }

  /** Inserts one row (and its deep inserts); returns the full stored row. */
  private insertRow(entity: EntityDef, body: Record<string, unknown>, ctx: DispatchContext): Row {
    const { row, deep } = this.readPayload(entity, body, ctx, true);
    if (entity.owned && row._ownerid_value === undefined) {
      row._ownerid_value = ctx.caller;
      row._ownerid_type = 'systemuser';
    }
    this.checkState(entity, row, undefined);
    const id = row[entity.primaryKey] as string | undefined;
    if (id !== undefined && this.db.get(entity, id)) {
      throw new ODataError(412, '0x80040237', 'A record with matching key values already exists.');
    }
    const stored = this.db.insert(entity, row);
    for (const { navigation, items } of deep) {
      const nav = entity.collections[navigation];
      if (!nav) continue;
      const target = BY_NAME.get(nav.target) as EntityDef;
      for (const item of items) {
        const child = { ...item };
        for (const key of Object.keys(child)) {
          if (key.startsWith(`${nav.via}_`) && key.endsWith('@odata.bind')) delete child[key];
        }
        const { row: childRow } = this.readPayload(target, child, ctx, true);
        childRow[`_${nav.via}_value`] = stored[entity.primaryKey] as string;
        childRow[`_${nav.via}_type`] = entity.logicalName;
        if (target.logicalName === 'activityparty') this.completeParty(childRow);
        this.db.insert(target, childRow);
      }
    }
    return stored;
  }

  /** An activity party: a valid participation type, and `addressused` filled from the resolved record. */
  private completeParty(row: Row): void {
    const mask = row.participationtypemask;
    if (typeof mask !== 'number' || mask < 1 || mask > 11) {
      throw new ODataError(400, INVALID_ARGUMENT, `participationtypemask ${String(mask)} is not valid.`);
    }
    if (row._partyid_value == null && (row.addressused == null || row.addressused === '')) {
      throw new ODataError(400, INVALID_ARGUMENT, 'An activity party needs a partyid or an addressused.');
    }
    if (row._partyid_value != null && row.addressused == null) {
      const target = BY_NAME.get(row._partyid_type as string);
      const address = target?.emailAttributes[0];
      if (target && address) {
        const record = this.db.get(target, row._partyid_value as string);
        row.addressused = (record?.[address] as string | null | undefined) ?? null;
      }
    }
  }

  private create(
    entity: EntityDef,
    req: EmuRequest,
    prefs: Preferences,
    query: Map<string, string>,
    ctx: DispatchContext,
  ): EmuResponse {
    const body = this.parseBody(req);
    const options = parseQueryOptions(entity, query);
    const stored = this.db.transaction(() => this.insertRow(entity, body, ctx));
    const id = stored[entity.primaryKey] as string;
    const entityId = `${ctx.baseUrl}/${entity.entitySet}(${id})`;
    if (prefs.returnRepresentation) {
      const row = this.db.get(entity, id) as Row;
      return json(
        201,
        {
          '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}/$entity`,
          ...this.format(entity, row, options, prefs),
        },
        { 'OData-EntityId': entityId, ETag: etagOf(row), 'Preference-Applied': 'return=representation' },
      );
    }
    return { status: 204, headers: { 'OData-Version': '4.0', 'OData-EntityId': entityId } };
  }

  private update(
    entity: EntityDef,
    id: string,
    req: EmuRequest,
    prefs: Preferences,
    query: Map<string, string>,
    ctx: DispatchContext,
  ): EmuResponse {
    const body = this.parseBody(req);
    const options = parseQueryOptions(entity, query);
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    const result = this.db.transaction((): 'created' | 'updated' => {
      const current = this.db.get(entity, id);
      if (!current) {
        if (ifMatch !== undefined) throw notFound(entity, id);
        // Upsert: PATCH of a missing id creates it (unless If-Match says it must exist).
        this.insertRow(entity, { ...body, [entity.primaryKey]: id }, ctx);
        return 'created';
      }
      if (ifNoneMatch === '*') {
        throw new ODataError(412, '0x80040237', 'A record with matching key values already exists.');
      }
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(current)) {
        throw new ODataError(
          412,
          VERSION_MISMATCH,
          "The version of the existing record doesn't match the RowVersion property provided.",
        );
      }
      const { row } = this.readPayload(entity, body, ctx, false);
      if (entity.computedFullName && ('firstname' in row || 'lastname' in row)) {
        const first = 'firstname' in row ? row.firstname : current.firstname;
        const last = 'lastname' in row ? row.lastname : current.lastname;
        row.fullname = [first, last].filter((p) => typeof p === 'string' && p !== '').join(' ') || null;
      }
      this.checkState(entity, row, current);
      if (Object.keys(row).length > 0) this.db.update(entity, id, row);
      return 'updated';
    });
    const entityId = `${ctx.baseUrl}/${entity.entitySet}(${id})`;
    const stored = this.db.get(entity, id) as Row;
    if (prefs.returnRepresentation) {
      return json(
        result === 'created' ? 201 : 200,
        {
          '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}/$entity`,
          ...this.format(entity, stored, options, prefs),
        },
        { 'OData-EntityId': entityId, ETag: etagOf(stored), 'Preference-Applied': 'return=representation' },
      );
    }
    return {
      status: 204,
      headers: { 'OData-Version': '4.0', 'OData-EntityId': entityId, ETag: etagOf(stored) },
    };
  }

  private remove(entity: EntityDef, id: string, req: EmuRequest): EmuResponse {
    const ifMatch = req.headers['if-match'];
    this.db.transaction(() => {
      const current = this.db.get(entity, id);
      if (!current) throw notFound(entity, id);
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(current)) {
        throw new ODataError(
          412,
          VERSION_MISMATCH,
          "The version of the existing record doesn't match the RowVersion property provided.",
        );
      }
      for (const nav of Object.values(entity.collections)) {
        this.db.prepare(`DELETE FROM "${nav.target}" WHERE "_${nav.via}_value" = ?`).run(id);
      }
      this.db.delete(entity, id);
    });
    return { status: 204, headers: { 'OData-Version': '4.0' } };
  }

  private disassociate(entity: EntityDef, id: string, navigation: string): EmuResponse {
    const nav = lookupByNavigation(entity, navigation);
    if (!nav) throw unknownProperty(entity, navigation);
    this.db.transaction(() => {
      const current = this.db.get(entity, id);
      if (!current) throw notFound(entity, id);
      if (current[`_${nav.lookup.name}_type`] === nav.target) {
        this.db.update(entity, id, {
          [`_${nav.lookup.name}_value`]: null,
          [`_${nav.lookup.name}_type`]: null,
        });
      }
    });
    return { status: 204, headers: { 'OData-Version': '4.0' } };
  }

  // ---------------------------------------------------------------- $batch

  private batch(req: EmuRequest, ctx: DispatchContext): EmuResponse {
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary)
      throw new ODataError(
        400,
        BAD_QUERY,
        'A $batch request needs Content-Type multipart/mixed with a boundary.',
      );
    const parts = parseMultipart(req.body, boundary);
    if (!parts)
      throw new ODataError(400, BAD_QUERY, `The batch body has no part delimited by '--${boundary}'.`);
    const outerPrefs = parsePrefer(req.headers.prefer);
    let total = 0;
    const plan = parts.map((part) => {
      const inner = boundaryOf(part.headers['content-type']);
      if (inner) {
        const changeParts = parseMultipart(part.body, inner) ?? [];
        const requests = changeParts.map((p) => {
          const message = parseHttpRequest(p.body);
          if (!message) throw new ODataError(400, BAD_QUERY, 'A changeset part is not an HTTP request.');
          if (message.method === 'GET')
            throw new ODataError(400, BAD_QUERY, 'A GET request may not be part of a changeset.');
          return { message, contentId: p.headers['content-id'] ?? message.headers['content-id'] };
        });
        total += requests.length;
        return { kind: 'changeset' as const, requests };
      }
      const message = parseHttpRequest(part.body);
      if (!message) throw new ODataError(400, BAD_QUERY, 'A batch part is not an HTTP request.');
      total += 1;
      return { kind: 'single' as const, message, contentId: part.headers['content-id'] };
    });
    if (total > 1000) {
      throw new ODataError(400, BAD_QUERY, 'The number of requests in a batch exceeds the maximum of 1000.');
    }
    const withPrefer = (headers: Record<string, string>): Record<string, string> =>
      headers.prefer === undefined && req.headers.prefer !== undefined
        ? { ...headers, prefer: req.headers.prefer }
        : headers;
    const written: string[] = [];
    for (const step of plan) {
      if (step.kind === 'single') {
        const response = this.dispatch({ ...step.message, headers: withPrefer(step.message.headers) }, ctx);
        written.push(writeHttpPart({ ...response, contentId: step.contentId }));
        if (response.status >= 400 && !outerPrefs.continueOnError) break;
        continue;
      }
      const contentIds = new Map<string, string>();
      const responses: HttpResponsePart[] = [];
      const outcome: { failed: HttpResponsePart | null } = { failed: null };
      try {
        this.db.transaction(() => {
          for (const { message, contentId } of step.requests) {
            const response = this.dispatch(
              { ...message, headers: withPrefer(message.headers) },
              { ...ctx, contentIds },
            );
            if (response.status >= 400) {
              outcome.failed = { ...response, contentId };
              throw new ChangesetFailed();
            }
            const entityId = response.headers['OData-EntityId'];
            if (contentId !== undefined && entityId) {
              contentIds.set(contentId, entityId.slice(ctx.baseUrl.length));
            }
            responses.push({ ...response, contentId });
          }
        });
      } catch (error) {
        if (!(error instanceof ChangesetFailed)) throw error;
      }
      if (outcome.failed) {
        written.push(writeHttpPart(outcome.failed));
        if (!outerPrefs.continueOnError) break;
        continue;
      }
      const changesetBoundary = `changesetresponse_${randomUUID()}`;
      written.push(
        `Content-Type: multipart/mixed; boundary=${changesetBoundary}\r\n\r\n${writeMultipart(
          changesetBoundary,
          responses.map((r) => writeHttpPart(r)),
        )}`,
      );
    }
    const responseBoundary = `batchresponse_${randomUUID()}`;
    return {
      status: 200,
      headers: { 'Content-Type': `multipart/mixed; boundary=${responseBoundary}`, 'OData-Version': '4.0' },
      body: writeMultipart(responseBoundary, written),
    };
  }
}

class ChangesetFailed extends Error {}

export function etagOf(row: Row): string {
  return `W/"${String(row.versionnumber ?? 0)}"`;
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

function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-US', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}
