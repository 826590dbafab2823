/**
 * Writing rows: create (with binds and a deep insert of parties), update (with upsert and etags, and
 * an activity's party list replaced), delete. Payload values are checked against the column's type and MaxLength as Dataverse checks them.
 */
import type { EmulatorDb, Row, SqlValue } from './db';
import { nowIso } from './db';
import { BY_NAME, type CollectionNavDef, type EntityDef, lookupByNavigation } from './metadata';
import { type Preferences, parsePrefer, parseQueryOptions } from './odata/query';
import {
  BAD_QUERY,
  DUPLICATE_KEY,
  type DispatchContext,
  type EmuRequest,
  type EmuResponse,
  GUID_RE,
  INVALID_ARGUMENT,
  LENGTH_EXCEEDED,
  ODataError,
  PAYLOAD_ERROR,
  VERSION_MISMATCH,
  etagOf,
  json,
  noContent,
  notFound,
} from './protocol';
import type { Reads } from './reads';
import { checkSyncDirection } from './syncMappings';
import { completeTrackingFolder } from './trackingFolders';
import { resolveEntityRef } from './url';

/** Dataverse's AttachmentBlocked (-2147205623): a blocked file extension, or over maxuploadfilesize. */
export const ATTACHMENT_BLOCKED = '0x80043e09';

/** The extension after the last dot, compared without case against a `;`-separated list. */
export function isBlockedFileName(filename: string, blocked: string): boolean {
  const dot = filename.lastIndexOf('.');
  if (dot < 0 || dot === filename.length - 1) return false;
  const extension = filename
    .slice(dot + 1)
    .trim()
    .toLowerCase();
  return blocked
    .split(';')
    .map((e) => e.trim().replace(/^\./, '').toLowerCase())
    .includes(extension);
}

type Deep = { navigation: string; items: Record<string, unknown>[] }[];

/** Regarding (8) and owner (9): parties Dataverse keeps from the activity's own lookups. */
const DERIVED_PARTY_MASKS: readonly number[] = [8, 9];

/** An activity's own party list (`<activity>_activity_parties`), the one collection a PATCH may carry. */
function isPartyList(collection: CollectionNavDef): boolean {
  return collection.target === 'activityparty' && collection.via === 'activityid';
}

export function parseBody(req: EmuRequest): Record<string, unknown> {
  const body: unknown = req.body.trim() === '' ? {} : JSON.parse(req.body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ODataError(400, PAYLOAD_ERROR, 'The payload must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function staleEtag(): ODataError {
  return new ODataError(
    412,
    VERSION_MISMATCH,
    "The version of the existing record doesn't match the RowVersion property provided.",
  );
}

export class Writes {
  constructor(
    private readonly db: EmulatorDb,
    private readonly reads: Reads,
  ) {}

  /** `POST /<set>`: 204 with `OData-EntityId`, or 201 and the row with `return=representation`. */
  create(
    entity: EntityDef,
    req: EmuRequest,
    prefs: Preferences,
    query: Map<string, string>,
    ctx: DispatchContext,
  ): EmuResponse {
    const body = parseBody(req);
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
          ...this.reads.format(entity, row, options, prefs),
        },
        { 'OData-EntityId': entityId, ETag: etagOf(row), 'Preference-Applied': 'return=representation' },
      );
    }
    return noContent({ 'OData-EntityId': entityId });
  }

  /** `PATCH /<set>(<id>)`: update, or create when the row is missing and no `If-Match` says it must exist. */
  update(
    entity: EntityDef,
    id: string,
    req: EmuRequest,
    prefs: Preferences,
    query: Map<string, string>,
    ctx: DispatchContext,
  ): EmuResponse {
    const body = parseBody(req);
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
        throw new ODataError(412, DUPLICATE_KEY, 'A record with matching key values already exists.');
      }
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(current)) throw staleEtag();
      const { row, deep } = this.readPayload(entity, body, ctx, false);
      if (entity.computedFullName && ('firstname' in row || 'lastname' in row)) {
        const first = 'firstname' in row ? row.firstname : current.firstname;
        const last = 'lastname' in row ? row.lastname : current.lastname;
        row.fullname = [first, last].filter((p) => typeof p === 'string' && p !== '').join(' ') || null;
      }
      this.checkState(entity, row, current);
      if (entity.logicalName === 'activitymimeattachment') this.checkAttachment(row, current);
      if (entity.logicalName === 'mailboxtrackingfolder') completeTrackingFolder(row, current);
      if (entity.logicalName === 'syncattributemapping') checkSyncDirection(row, current);
      // An update that carries only the party collection is still an update of the activity:
      // Dataverse moves its `modifiedon` and `versionnumber` (chosen from the Update message, which
      // sets both on every update), so a reader can tell from them that the attendees changed.
      if (Object.keys(row).length > 0 || deep.length > 0) this.db.update(entity, id, row);
      for (const { navigation, items } of deep) this.replaceParties(entity, id, navigation, items, ctx);
      return 'updated';
    });
    const entityId = `${ctx.baseUrl}/${entity.entitySet}(${id})`;
    const stored = this.db.get(entity, id) as Row;
    if (prefs.returnRepresentation) {
      return json(
        result === 'created' ? 201 : 200,
        {
          '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}/$entity`,
          // "Update with data returned": $select applies, $expand is ignored.
          ...this.reads.format(entity, stored, { ...options, expand: [] }, prefs),
        },
        { 'OData-EntityId': entityId, ETag: etagOf(stored), 'Preference-Applied': 'return=representation' },
      );
    }
    return noContent({ 'OData-EntityId': entityId, ETag: etagOf(stored) });
  }

  /** `DELETE /<set>(<id>)`: parental relationships delete their rows, the others lose the link. */
  remove(entity: EntityDef, id: string, req: EmuRequest): EmuResponse {
    const ifMatch = req.headers['if-match'];
    this.db.transaction(() => {
      const current = this.db.get(entity, id);
      if (!current) throw notFound(entity, id);
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(current)) throw staleEtag();
      for (const nav of Object.values(entity.collections)) {
        if (nav.cascadeDelete) {
          this.db.prepare(`DELETE FROM "${nav.target}" WHERE "_${nav.via}_value" = ?`).run(id);
        } else {
          this.db
            .prepare(
              `UPDATE "${nav.target}" SET "_${nav.via}_value" = NULL, "_${nav.via}_type" = NULL WHERE "_${nav.via}_value" = ?`,
            )
            .run(id);
        }
      }
      this.db.delete(entity, id);
    });
    return noContent();
  }

  /**
   * The Targets of a bulk operation message (CreateMultiple, UpdateMultiple: "Bulk operation
   * messages"): each one a JSON object whose `@odata.type` names this table, as the reference requires.
   */
  private bulkTargets(entity: EntityDef, req: EmuRequest, action: string): Record<string, unknown>[] {
    const body = parseBody(req);
    const targets = body.Targets;
    if (!Array.isArray(targets) || targets.length === 0) {
      throw new ODataError(400, PAYLOAD_ERROR, `${action} needs a non-empty Targets collection.`);
    }
    return targets.map((target, i) => {
      if (typeof target !== 'object' || target === null || Array.isArray(target)) {
        throw new ODataError(400, PAYLOAD_ERROR, `Targets[${i}] of ${action} must be a JSON object.`);
      }
      const type = (target as Record<string, unknown>)['@odata.type'];
      const expected = `Microsoft.Dynamics.CRM.${entity.logicalName}`;
      if (typeof type !== 'string' || type.replace(/^#/, '') !== expected) {
        throw new ODataError(
          400,
          PAYLOAD_ERROR,
          `Targets[${i}] of ${action} must carry "@odata.type": "${expected}" (found ${JSON.stringify(type ?? null)}).`,
        );
      }
      return target as Record<string, unknown>;
    });
  }

  /**
   * `POST /<set>/Microsoft.Dynamics.CRM.CreateMultiple` `{"Targets": [...]}`: all or nothing; answers
   * 200 with the CreateMultipleResponse (`Ids`, in the order of Targets).
   */
  createMultiple(entity: EntityDef, req: EmuRequest, ctx: DispatchContext): EmuResponse {
    const targets = this.bulkTargets(entity, req, 'CreateMultiple');
    const ids = this.db.transaction(() =>
      targets.map((target) => this.insertRow(entity, target, ctx)[entity.primaryKey] as string),
    );
    return json(200, {
      '@odata.context': `${ctx.baseUrl}/$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`,
      Ids: ids,
    });
  }

  /**
   * `POST /<set>/Microsoft.Dynamics.CRM.UpdateMultiple` `{"Targets": [...]}`: each target names its row
   * by the primary key; a missing row fails the whole message (an update, not an upsert). 204.
   */
  updateMultiple(entity: EntityDef, req: EmuRequest, ctx: DispatchContext): EmuResponse {
    const targets = this.bulkTargets(entity, req, 'UpdateMultiple');
    const noPrefs = parsePrefer(undefined);
    this.db.transaction(() => {
      targets.forEach((target, i) => {
        const { [entity.primaryKey]: id, ...changes } = target;
        if (typeof id !== 'string' || !GUID_RE.test(id)) {
          throw new ODataError(
            400,
            PAYLOAD_ERROR,
            `Targets[${i}] of UpdateMultiple must carry its primary key '${entity.primaryKey}'.`,
          );
        }
        const patch: EmuRequest = {
          method: 'PATCH',
          url: '',
          headers: { 'if-match': '*' },
          body: JSON.stringify(changes),
        };
        this.update(entity, id.toLowerCase(), patch, noPrefs, new Map(), ctx);
      });
    });
    return noContent();
  }

  /** Inserts one row (and its deep inserts); returns the full stored row. */
  insertRow(entity: EntityDef, body: Record<string, unknown>, ctx: DispatchContext): Row {
    const { row, deep } = this.readPayload(entity, body, ctx, true);
    if (entity.owned && row._ownerid_value === undefined) {
      row._ownerid_value = ctx.caller;
      row._ownerid_type = 'systemuser';
    }
    this.checkState(entity, row, undefined);
    if (entity.logicalName === 'activitymimeattachment') this.checkAttachment(row, undefined);
    if (entity.logicalName === 'mailboxtrackingfolder') completeTrackingFolder(row, undefined);
    if (entity.logicalName === 'syncattributemapping') checkSyncDirection(row, undefined);
    const id = row[entity.primaryKey] as string | undefined;
    if (id !== undefined && this.db.get(entity, id)) {
      throw new ODataError(412, DUPLICATE_KEY, 'A record with matching key values already exists.');
    }
    const stored = this.db.insert(entity, row);
    for (const { navigation, items } of deep) {
      this.insertChildren(entity, stored[entity.primaryKey] as string, navigation, items, ctx);
    }
    return stored;
  }

  /** The rows of a deep insert, each bound to the parent through the collection's lookup. */
  private insertChildren(
    entity: EntityDef,
    parentId: string,
    navigation: string,
    items: readonly Record<string, unknown>[],
    ctx: DispatchContext,
  ): void {
    const nav = entity.collections[navigation];
    if (!nav) return;
    const target = BY_NAME.get(nav.target) as EntityDef;
    for (const item of items) {
      const child = { ...item };
      for (const key of Object.keys(child)) {
        if (key.startsWith(`${nav.via}_`) && key.endsWith('@odata.bind')) delete child[key];
      }
      const { row: childRow } = this.readPayload(target, child, ctx, true);
      childRow[`_${nav.via}_value`] = parentId;
      childRow[`_${nav.via}_type`] = entity.logicalName;
      if (target.logicalName === 'activityparty') this.completeParty(childRow);
      this.db.insert(target, childRow);
    }
  }

  /**
   * PATCH of an activity with its party collection: the activity's party list becomes the given one.
   * Microsoft documents party lists as values of the activity's party-list columns (the ActivityParty
   * table page: "specify a value or an array of values of the ActivityParty type" in e.g.
   * `Appointment.Organizer`), and the SDK's Update with such a column replaces that list; no Web API
   * page spells out a PATCH with `<activity>_activity_parties`. What the emulator does is chosen from
   * Microsoft's older wording of the same operation (CRMActivity.SetActivityParties: it "deletes all
   * existing parties for the specified activity and creates a set of new parties"; CRMActivity.Update:
   * owner and regarding parties "are read-only" and ignored): every party but the owner (9) and
   * regarding (8) ones, which Dataverse derives from `ownerid` and `regardingobjectid`, is deleted,
   * and the given ones are created with the same checks as on create, those two types left out (chosen).
   */
  private replaceParties(
    entity: EntityDef,
    id: string,
    navigation: string,
    items: readonly Record<string, unknown>[],
    ctx: DispatchContext,
  ): void {
    const nav = entity.collections[navigation];
    if (!nav) return;
    this.db
      .prepare(
        `DELETE FROM "activityparty" WHERE "_${nav.via}_value" = ? AND ("participationtypemask" IS NULL OR "participationtypemask" NOT IN (${DERIVED_PARTY_MASKS.join(', ')}))`,
      )
      .run(id);
    const given = items.filter((item) => {
      const mask = item.participationtypemask;
      return !(typeof mask === 'number' && DERIVED_PARTY_MASKS.includes(mask));
    });
    this.insertChildren(entity, id, navigation, given, ctx);
  }

  /**
   * An attachment as Dataverse keeps it: `filesize` is computed from the base64 `body` (read-only),
   * `objecttypecode` follows the activity it is bound to, and a file over the organization's
   * `maxuploadfilesize` or whose extension is in `blockedattachments` is refused with
   * 0x80043e09 ("The attachment is either not a valid type or is too large").
   */
  private checkAttachment(row: Row, current: Row | undefined): void {
    delete row.filesize;
    if (row._objectid_type != null && row.objecttypecode === undefined)
      row.objecttypecode = row._objectid_type;
    const body = 'body' in row ? row.body : (current?.body ?? null);
    const filename = 'filename' in row ? row.filename : (current?.filename ?? null);
    if (typeof body === 'string') {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.replace(/\s+/g, '')))
        throw new ODataError(400, PAYLOAD_ERROR, 'The attachment body must be base64.');
      row.filesize = Buffer.from(body, 'base64').length;
    } else if ('body' in row) row.filesize = 0;
    const org = this.db.get(
      BY_NAME.get('organization') as EntityDef,
      this.db.getMeta('organizationid') ?? '',
    );
    const max = typeof org?.maxuploadfilesize === 'number' ? org.maxuploadfilesize : 5_242_880;
    const size = typeof row.filesize === 'number' ? row.filesize : 0;
    if (size > max)
      throw new ODataError(
        400,
        ATTACHMENT_BLOCKED,
        `The attachment is either not a valid type or is too large. It cannot be uploaded or downloaded. (${size} bytes; the limit is ${max})`,
      );
    const blocked = typeof org?.blockedattachments === 'string' ? org.blockedattachments : '';
    if (typeof filename === 'string' && isBlockedFileName(filename, blocked))
      throw new ODataError(
        400,
        ATTACHMENT_BLOCKED,
        'The attachment is either not a valid type or is too large. It cannot be uploaded or downloaded.',
      );
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

  /** Turns a JSON payload into column values; collects deep inserts. */
  private readPayload(
    entity: EntityDef,
    body: Record<string, unknown>,
    ctx: DispatchContext,
    creating: boolean,
  ): { row: Row; deep: Deep } {
    const row: Row = {};
    const deep: Deep = [];
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
        const id = resolveEntityRef(this.db, value, nav.target, ctx);
        row[`_${nav.lookup.name}_value`] = id;
        row[`_${nav.lookup.name}_type`] = nav.target;
        continue;
      }
      if (key.startsWith('@') || key.includes('@')) continue; // instance annotations (@odata.type, …)
      const collection = entity.collections[key];
      if (collection) {
        if (!creating && !isPartyList(collection)) {
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
        row.createdon = coerce(entity, 'createdon', value);
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
      row[key] = coerce(entity, key, value);
    }
    return { row, deep };
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
}

/** A JSON value → the column's stored value; a wrong type is 400, a string over MaxLength 0x80044331. */
export function coerce(entity: EntityDef, key: string, value: unknown): SqlValue {
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
    case 'money':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('Edm.Decimal');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw bad('Edm.Boolean');
      return value ? 1 : 0;
    case 'datetime': {
      const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
      if (Number.isNaN(date.getTime())) throw bad('Edm.DateTimeOffset');
      return nowIso(date);
    }
    case 'date': {
      // A DateOnly column takes `YYYY-MM-DD` (Edm.Date) and keeps no time.
      const day = typeof value === 'string' ? value.slice(0, 10) : '';
      const date = new Date(`${day}T00:00:00Z`);
      if (day.length !== 10 || Number.isNaN(date.getTime()) || nowIso(date).slice(0, 10) !== day) {
        throw bad('Edm.Date');
      }
      return day;
    }
    case 'guid':
      if (typeof value !== 'string' || !GUID_RE.test(value)) throw bad('Edm.Guid');
      return value.toLowerCase();
    default: {
      if (typeof value !== 'string') throw bad('Edm.String');
      const max = entity.maxLength[key];
      if (max !== undefined && value.length > max) {
        // Dataverse's wording, two spaces included.
        throw new ODataError(
          400,
          LENGTH_EXCEEDED,
          `A validation error occurred.  The length of the '${key}' attribute of the '${entity.logicalName}' entity exceeded the maximum allowed length of '${max}'.`,
        );
      }
      return value;
    }
  }
}
