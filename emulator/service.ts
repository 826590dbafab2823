/**
 * The Web API's router, synchronous over SQLite: one request in, one response out. The HTTP server
 * (`server.ts`) and `$batch` both call `dispatch`. Each kind of endpoint lives in its own file:
 * `reads.ts` and `writes.ts` (rows), `associations.ts` (`$ref`), `batch.ts`, `functions.ts` (WhoAmI),
 * `entityDefinitions.ts` (table definitions), `security.ts` (roles, privileges, the 403 on guarded
 * writes); `protocol.ts` holds the shared shapes and errors.
 */
import type { EmulatorDb } from './db';
import { Associations } from './associations';
import { runBatch } from './batch';
import { csdlDocument } from './csdl';
import { entityDefinitions } from './entityDefinitions';
import { FUNCTION_NAMES, callFunction } from './functions';
import { BY_NAME, BY_SET, type EntityDef, lookupByNavigation, lookupByValueName } from './metadata';
import { parsePrefer, parseQueryOptions } from './odata/query';
import {
  type DispatchContext,
  type EmuRequest,
  type EmuResponse,
  BAD_QUERY,
  ODataError,
  PAYLOAD_ERROR,
  errorResponse,
  json,
  methodNotAllowed,
  notFound,
  segmentNotFound,
} from './protocol';
import { Reads } from './reads';
import {
  checkWritePrivilege,
  isPrivilegeFunction,
  isUserRolesNavigation,
  refuseIntersectWrite,
  retrieveUserPrivilegeByPrivilegeName,
  userRolesNavigation,
  verbOf,
} from './security';
import { isSyncMappingsFunction, retrievePrincipalSyncAttributeMappings } from './syncMappings';
import { fetchXmlList } from './fetchXml/execute';
import { parseKey, pathSegments, segmentParts, splitUrl } from './url';
import { Writes, parseBody } from './writes';

// What server.ts needs from here.
export { SERVICE_PATH, errorResponse } from './protocol';
export type { DispatchContext, EmuRequest, EmuResponse } from './protocol';

/** The bulk operation messages bound to an entity set that the emulator carries out. */
const BULK_ACTIONS: Record<string, 'create' | 'update'> = {
  'Microsoft.Dynamics.CRM.CreateMultiple': 'create',
  'Microsoft.Dynamics.CRM.UpdateMultiple': 'update',
};

/**
 * Query parameters that change what Dataverse answers but that the emulator does not carry out
 * (saved and user queries by id, `sql`): a 400 rather than silently answering every row. Other
 * custom query options (`tag`, ...) are ignored, as OData allows. `fetchXml` is carried out
 * (fetchXml/execute.ts).
 */
const UNSUPPORTED_QUERY_PARAMETERS = ['savedQuery', 'userQuery', 'sql'];

function rejectUnsupportedQueryOptions(query: ReadonlyMap<string, string>): void {
  for (const name of UNSUPPORTED_QUERY_PARAMETERS) {
    if (query.has(name)) {
      throw new ODataError(
        400,
        BAD_QUERY,
        `The query parameter '${name}' is not supported by the emulator (only OData query options are).`,
      );
    }
  }
}

export class Service {
  private readonly reads: Reads;
  private readonly writes: Writes;
  private readonly associations: Associations;
  private csdl: string | undefined;

  constructor(readonly db: EmulatorDb) {
    this.reads = new Reads(db);
    this.writes = new Writes(db, this.reads);
    this.associations = new Associations(db);
  }

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
    const { path, query } = splitUrl(req.url, ctx);
    this.reads.caller = ctx.caller;
    const method = req.method.toUpperCase();
    const prefs = parsePrefer(req.headers.prefer);
    if (path === '' || path === '/') {
      if (method !== 'GET') throw methodNotAllowed('Method not allowed.');
      return json(200, {
        '@odata.context': `${ctx.baseUrl}/$metadata`,
        value: [...BY_SET.keys()].map((name) => ({ name, kind: 'EntitySet', url: name })),
      });
    }
    if (path === '$metadata') {
      if (method !== 'GET') throw methodNotAllowed('$metadata is read with GET.');
      return {
        status: 200,
        headers: { 'Content-Type': 'application/xml', 'OData-Version': '4.0' },
        body: (this.csdl ??= csdlDocument()),
      };
    }
    if (path === '$batch') {
      if (method !== 'POST') throw methodNotAllowed('The $batch endpoint accepts POST only.');
      return runBatch(this.db, (r, c) => this.dispatch(r, c), req, ctx);
    }
    const segments = pathSegments(path);
    const firstText = segments[0] as string;
    if (FUNCTION_NAMES.has(firstText))
      return callFunction(this.db, firstText, method, segments.length - 1, ctx);
    const first = segmentParts(firstText);
    if (first?.name === 'EntityDefinitions') return entityDefinitions(segments, method, query, ctx);
    const entity = first ? BY_SET.get(first.name) : undefined;
    if (!first || !entity) throw segmentNotFound(first ? first.name : firstText);

    if (query.size > 0) rejectUnsupportedQueryOptions(query);
    refuseIntersectWrite(entity, method);
    if (first.key === undefined) {
      const bound = segments.length === 2 ? BULK_ACTIONS[segments[1] as string] : undefined;
      if (bound) {
        if (method !== 'POST') throw methodNotAllowed(`${segments[1]} is an action: use POST.`);
        checkWritePrivilege(this.db, entity, bound === 'create' ? 'Create' : 'Write', ctx.caller);
        return bound === 'create'
          ? this.writes.createMultiple(entity, req, ctx)
          : this.writes.updateMultiple(entity, req, ctx);
      }
      if (segments.length === 2 && segments[1] === '$count') {
        if (method !== 'GET') throw methodNotAllowed('$count is read with GET.');
        return this.reads.countOnly(entity, query);
      }
      if (segments.length > 1) throw segmentNotFound(segments[1] as string);
      const fetchXml = query.get('fetchXml');
      if (method === 'GET' && fetchXml !== undefined) {
        return fetchXmlList(this.db, this.reads, entity, fetchXml, prefs, ctx);
      }
      if (method === 'GET') return this.reads.list(entity, query, prefs, ctx);
      if (method === 'POST') {
        checkWritePrivilege(this.db, entity, 'Create', ctx.caller);
        return this.writes.create(entity, req, prefs, query, ctx);
      }
      throw methodNotAllowed(`The method ${method} is not allowed on an entity set.`);
    }

    const id = parseKey(entity.primaryKey, entity.logicalName, first.key);
    if (segments.length === 1) {
      if (method === 'GET') return this.reads.retrieve(entity, id, query, prefs, req, ctx);
      const verb = verbOf(method, true);
      if (verb) checkWritePrivilege(this.db, entity, verb, ctx.caller);
      if (method === 'PATCH') return this.writes.update(entity, id, req, prefs, query, ctx);
      if (method === 'DELETE') return this.writes.remove(entity, id, req);
      throw methodNotAllowed(`The method ${method} is not allowed on an entity.`);
    }
    const nav = segmentParts(segments[1] as string);
    if (!nav) throw segmentNotFound(segments[1] as string);
    if (segments.length === 2 && entity.logicalName === 'systemuser' && isSyncMappingsFunction(nav.name)) {
      return retrievePrincipalSyncAttributeMappings(this.db, id, method, ctx);
    }
    if (segments.length === 2 && entity.logicalName === 'systemuser' && isPrivilegeFunction(nav.name)) {
      return retrieveUserPrivilegeByPrivilegeName(this.db, id, nav.key, method, query, ctx);
    }
    const last = segments[segments.length - 1];
    if (isUserRolesNavigation(entity, nav.name)) {
      const isRef = segments.length === 3 && last === '$ref';
      if (segments.length !== 2 && !isRef) throw segmentNotFound(last as string);
      return userRolesNavigation(this.db, entity, id, nav.key, isRef, req, query, ctx, (target, row) =>
        this.reads.format(target, row, parseQueryOptions(target, isRef ? new Map() : query), prefs),
      );
    }
    if (segments.length === 3 && last === '$ref') {
      return this.associations.handle(entity, id, nav.name, nav.key, req, query, ctx);
    }
    if (nav.key === undefined && method === 'GET' && entity.collections[nav.name]) {
      if (segments.length === 2) return this.reads.related(entity, id, nav.name, false, query, prefs, ctx);
      if (segments.length === 3 && last === '$count') {
        return this.reads.related(entity, id, nav.name, true, query, prefs, ctx);
      }
    }
    const isColumn =
      nav.key === undefined &&
      (Object.prototype.hasOwnProperty.call(entity.attributes, nav.name) ||
        lookupByValueName(entity, nav.name) !== undefined);
    if (isColumn && (segments.length === 2 || (segments.length === 3 && last === '$value'))) {
      return this.property(entity, id, nav.name, segments.length === 3, req, prefs, ctx);
    }
    const single = lookupByNavigation(entity, nav.name);
    if (single && segments.length === 2 && nav.key === undefined && method === 'GET') {
      return this.relatedSingle(entity, id, single.lookup.name, single.target, query, prefs, req, ctx);
    }
    throw segmentNotFound(segments.length > 2 ? (last as string) : nav.name);
  }

  /**
   * One column of a row ("Retrieve a table row": individual property values; "Update and delete table
   * rows": update or delete a single property value): `GET .../<column>` answers `{"value": …}` (204 when
   * null), `.../<column>/$value` the raw value as text; `PUT .../<column>` `{"value": …}` sets it and
   * `DELETE .../<column>` clears it, both 204 and both on an existing row only.
   */
  private property(
    entity: EntityDef,
    id: string,
    column: string,
    raw: boolean,
    req: EmuRequest,
    prefs: ReturnType<typeof parsePrefer>,
    ctx: DispatchContext,
  ): EmuResponse {
    const method = req.method.toUpperCase();
    if (method === 'GET') {
      const read = this.reads.retrieve(entity, id, new Map([['$select', column]]), prefs, req, ctx);
      if (read.status !== 200) return read;
      const value = (JSON.parse(read.body as string) as Record<string, unknown>)[column];
      if (value === null || value === undefined) return { status: 204, headers: { 'OData-Version': '4.0' } };
      if (raw) {
        return {
          status: 200,
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'OData-Version': '4.0' },
          body: String(value),
        };
      }
      return json(200, {
        '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}(${id})/${column}`,
        value,
      });
    }
    if (raw) throw methodNotAllowed('$value is read with GET.');
    if (method !== 'PUT' && method !== 'DELETE') {
      throw methodNotAllowed(`The method ${method} is not allowed on a property.`);
    }
    checkWritePrivilege(this.db, entity, 'Write', ctx.caller);
    if (column === entity.primaryKey || !Object.prototype.hasOwnProperty.call(entity.attributes, column)) {
      throw new ODataError(400, BAD_QUERY, `The property '${column}' cannot be written on its own.`);
    }
    let value: unknown = null;
    if (method === 'PUT') {
      const body = parseBody(req);
      if (!('value' in body)) {
        throw new ODataError(400, PAYLOAD_ERROR, 'A single property is written as {"value": …}.');
      }
      value = body.value;
    }
    const patch: EmuRequest = {
      method: 'PATCH',
      url: '',
      headers: { 'if-match': req.headers['if-match'] ?? '*' },
      body: JSON.stringify({ [column]: value }),
    };
    this.writes.update(entity, id, patch, parsePrefer(undefined), new Map(), ctx);
    return { status: 204, headers: { 'OData-Version': '4.0' } };
  }

  /** `GET /<set>(<id>)/<single-valued nav>`: the row the lookup points at, or 204 when it is empty. */
  private relatedSingle(
    entity: EntityDef,
    id: string,
    lookup: string,
    targetName: string,
    query: Map<string, string>,
    prefs: ReturnType<typeof parsePrefer>,
    req: EmuRequest,
    ctx: DispatchContext,
  ): EmuResponse {
    const row = this.db.get(entity, id);
    if (!row) throw notFound(entity, id);
    const value = row[`_${lookup}_value`];
    const target = BY_NAME.get(targetName);
    if (value == null || row[`_${lookup}_type`] !== targetName || !target) {
      return { status: 204, headers: { 'OData-Version': '4.0' } };
    }
    return this.reads.retrieve(target, value as string, query, prefs, req, ctx);
  }
}
