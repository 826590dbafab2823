/**
 * The CrmSyncPort over the Dataverse Web API (synchronization.md §1–§2): the user's Outlook filters
 * (`userquery`, copied from the `savedquery` templates for a new user), Dataverse's field mappings,
 * the records in scope (each filter's FetchXML run page by page), records by id and contacts by
 * email, and the writes of one synchronization in one `$batch`.
 *
 * Appointment attendees are activity parties. They are read with ONE extra request per page of
 * appointments (a `$batch` of `activityparties` GETs by activity id), not with a link-entity in the
 * filter's FetchXML: a join multiplies each appointment by its parties, so a page of 5,000 rows would
 * cut an appointment's parties in two and the paging cookie would count rows, not appointments
 * ("Page results using FetchXml": paging over a one-to-many link is not supported as such); and the
 * party's own email sits on one of four tables (partyid is polymorphic), one outer link each. The
 * OData read expands each of those lookups instead (chosen).
 */
import type { SyncEntity, SyncMapping } from '../rules/syncTypes';
import type { BatchItem, BatchRequest, BatchResponse } from './batch';
import { batchPartError, type DataverseHttp } from './dataverseHttp';
import { ENTITIES, idFromEntityUrl } from './entities';
import { CrmError, protocolError } from './errors';
import {
  FetchXmlError,
  MAX_FETCH_COUNT,
  nextPagingCookie,
  rewriteFetchXml,
  type FetchPage,
} from './fetchXmlQuery';
import { and, collectionPath, entityPath, guid, isIn, or } from './odata';
import type { CrmSyncOutcome, CrmSyncPort, CrmSyncRecord, CrmSyncWrite, SyncFilter } from './syncPort';
import {
  ATTENDEE_MASKS,
  DIRECTIONS,
  ENTITY_TYPE_CODES,
  isPartyAttribute,
  odataSelect,
  outlookNameOf,
  readColumns,
  recordFromRow,
  rowFromFields,
  SYNC_TABLES,
  type PartyAddress,
} from './syncShapes';

type Row = Record<string, unknown>;

export interface DataverseSyncOptions {
  /** The signed-in user's systemuserid: the owner of the filters and of the mappings asked. */
  readonly userId: string;
  /** Where a filter or a mapping left out (unreadable, of another type) is written. */
  readonly log?: (message: string, error?: unknown) => void;
}

/**
 * `querytype` of a user's Outlook synchronization filter and of the organization's template for it:
 * SavedQueryQueryType's OutlookFilters (256) and OutlookTemplate (131072). Microsoft's table gives 128
 * to SMAppointmentBookView (the service calendar's view), not to Outlook filters, so 256 is read here
 * although synchronization.md §1 says 128 (chosen: the SDK's constants are what Dataverse stores).
 */
const OUTLOOK_FILTER = 256;
const OUTLOOK_FILTER_TEMPLATE = 131072;
/** Ids (or addresses) in one `Microsoft.Dynamics.CRM.In`: about 4 KB of URL for GUIDs. */
const IN_CHUNK = 100;
/** Requests in one `$batch` (Dataverse allows 1,000). */
const BATCH_LIMIT = 1000;

const ANNOTATIONS = 'odata.include-annotations="*"';
const LOGICAL_NAME = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const MORE_RECORDS = '@Microsoft.Dynamics.CRM.morerecords';
const PAGING_COOKIE = '@Microsoft.Dynamics.CRM.fetchxmlpagingcookie';
/** Parties Dataverse writes itself and refuses from a client (SetActivityParties: owner, regarding). */
const READ_ONLY_MASKS: ReadonlySet<number> = new Set([8, 9]);
/** The tables whose records a party's address is resolved to. */
const PARTY_TABLES = ['contact', 'account', 'lead', 'systemuser'] as const;
type PartyTable = (typeof PARTY_TABLES)[number];
/**
 * Which table's record an address becomes when several have it (chosen): an attendee is first the
 * CRM's customer (contact, account, lead), then a colleague; the organizer (7) is a user first, as
 * Dataverse's organizer is a party list of users.
 */
const RESOLVE_ORDER: Readonly<Record<number, readonly PartyTable[]>> = {
  5: ['contact', 'account', 'lead', 'systemuser'],
  6: ['contact', 'account', 'lead', 'systemuser'],
  7: ['systemuser', 'contact', 'account', 'lead'],
};

const ENTITY_OF: Readonly<Record<string, SyncEntity>> = {
  contact: 'contact',
  appointment: 'appointment',
  task: 'task',
};

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const str = (row: Row, name: string): string | null =>
  typeof row[name] === 'string' && row[name] !== '' ? (row[name] as string) : null;

const isGuid = (value: string): boolean => {
  try {
    guid(value);
    return true;
  } catch {
    return false;
  }
};

function valueOf(body: unknown, request: string): Row[] {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw protocolError('a collection response has no "value" array', request);
  return value as Row[];
}

/** A party as it is written: bound to its record when it has one, else by its address alone. */
type PartyWrite = Record<string, unknown>;

export class DataverseSync implements CrmSyncPort {
  private readonly userId: string;
  private readonly log: (message: string, error?: unknown) => void;

  constructor(
    private readonly http: DataverseHttp,
    options: DataverseSyncOptions,
  ) {
    this.userId = guid(options.userId);
    this.log = options.log ?? (() => undefined);
  }

  async synchronizationFilters(): Promise<SyncFilter[]> {
    const own = await this.http.getAll(
      collectionPath('userqueries', {
        select: ['userqueryid', 'name', 'fetchxml', 'returnedtypecode'],
        filter: `querytype eq ${OUTLOOK_FILTER} and statecode eq 0 and _ownerid_value eq ${this.userId}`,
      }),
    );
    const filters = this.filtersOf(own, 'userqueryid');
    if (filters.length > 0) return filters;
    return this.copyTemplates();
  }

  /** Rows of the three types as filters; another type's row is not synchronization's (logged). */
  private filtersOf(rows: readonly Row[], key: string): SyncFilter[] {
    const filters: SyncFilter[] = [];
    for (const row of rows) {
      const id = str(row, key);
      const type = str(row, 'returnedtypecode');
      const entity = type ? ENTITY_OF[type] : undefined;
      const fetchXml = str(row, 'fetchxml');
      if (!id || !entity || !fetchXml) {
        if (type && !entity) continue; // an Outlook filter of another table (the legacy client had some)
        this.log(`Synchronization filter ${String(id)} has no type or no FetchXML; left out`);
        continue;
      }
      filters.push({ id: id.toLowerCase(), name: str(row, 'name') ?? '', entity, fetchXml });
    }
    return filters;
  }

  /**
   * A new user's filters: the organization's active templates copied as the user's own, all in ONE
   * changeset (chosen): a copy cut short would leave the user with some filters, and the next run
   * would not copy the rest.
   */
  private async copyTemplates(): Promise<SyncFilter[]> {
    const templates = this.filtersOf(
      await this.http.getAll(
        collectionPath('savedqueries', {
          select: ['savedqueryid', 'name', 'fetchxml', 'returnedtypecode'],
          filter: `querytype eq ${OUTLOOK_FILTER_TEMPLATE} and statecode eq 0`,
        }),
      ),
      'savedqueryid',
    );
    if (templates.length === 0) return [];
    const requests: BatchRequest[] = templates.map((t) => ({
      method: 'POST',
      path: 'userqueries',
      body: {
        name: t.name,
        fetchxml: t.fetchXml,
        returnedtypecode: t.entity,
        querytype: OUTLOOK_FILTER,
        'ownerid@odata.bind': `/${entityPath('systemusers', this.userId)}`,
      },
    }));
    const [answer] = await this.http.batch([{ kind: 'changeset', requests }]);
    if (!Array.isArray(answer)) {
      throw (
        (answer && batchPartError(answer, 'POST userqueries')) ??
        protocolError('the filters changeset answered with one part', 'POST $batch')
      );
    }
    return templates.map((t, i) => {
      const id = idFromEntityUrl(answer[i]?.headers.get('odata-entityid'));
      if (!id) throw protocolError('a filter was created without its id', 'POST userqueries');
      return { ...t, id };
    });
  }

  async fieldMappings(entity: SyncEntity): Promise<SyncMapping[] | null> {
    const path = `${entityPath('systemusers', this.userId)}/Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappings()`;
    const { body } = await this.http.send('GET', path, { idempotent: true });
    const rows = (body as { AttributeMappings?: unknown } | null)?.AttributeMappings;
    if (!Array.isArray(rows))
      throw protocolError(
        'the mappings came without AttributeMappings',
        'GET RetrievePrincipalSyncAttributeMappings',
      );
    const mappings: SyncMapping[] = [];
    for (const row of rows as Row[]) {
      if (row.EntityTypeCode !== ENTITY_TYPE_CODES[entity]) continue;
      const crm = str(row, 'AttributeCrmName');
      const exchange = str(row, 'AttributeExchangeName');
      const direction = typeof row.SyncDirection === 'number' ? DIRECTIONS[row.SyncDirection] : undefined;
      const outlook = exchange ? outlookNameOf(entity, exchange) : null;
      if (!crm || !outlook || !direction) {
        this.log(
          `The ${entity} mapping ${String(crm)} ↔ ${String(exchange)} (direction ${String(row.SyncDirection)}) is not one the add-in knows; left out`,
        );
        continue;
      }
      mappings.push({ crm: crm.toLowerCase(), outlook, direction });
    }
    return mappings.length > 0 ? mappings : null;
  }

  async recordsInScope(
    entity: SyncEntity,
    filters: readonly SyncFilter[],
    attributes: readonly string[],
  ): Promise<CrmSyncRecord[]> {
    const table = SYNC_TABLES[entity];
    const columns = readColumns(entity, attributes);
    const found = new Map<string, CrmSyncRecord>();
    for (const filter of filters.filter((f) => f.entity === entity)) {
      let page: FetchPage = { count: MAX_FETCH_COUNT, page: 1, pagingCookie: null };
      for (;;) {
        let fetchXml: string;
        try {
          fetchXml = rewriteFetchXml(filter.fetchXml, {
            entity: table.logicalName,
            attributes: columns,
            page,
          });
        } catch (error) {
          if (!(error instanceof FetchXmlError)) throw error;
          // A filter the CRM holds but nobody can run: its records are not in scope, which only
          // unlinks them (§2.3 step 3); the failure is the diagnostics log's.
          this.log(
            `The synchronization filter "${filter.name}" (${filter.id}) cannot be read; left out`,
            error,
          );
          break;
        }
        const { body } = await this.http.send(
          'GET',
          `${table.set}?fetchXml=${encodeURIComponent(fetchXml)}`,
          {
            idempotent: true,
            headers: { Prefer: ANNOTATIONS },
          },
        );
        const rows = valueOf(body, `GET ${table.set}?fetchXml`);
        for (const record of await this.records(entity, rows, attributes)) found.set(record.id, record);
        const answer = body as Row;
        if (answer[MORE_RECORDS] !== true || rows.length === 0) break;
        page = {
          count: MAX_FETCH_COUNT,
          page: page.page + 1,
          pagingCookie: nextPagingCookie(answer[PAGING_COOKIE]),
        };
      }
    }
    return [...found.values()];
  }

  async recordsById(
    entity: SyncEntity,
    ids: readonly string[],
    attributes: readonly string[],
  ): Promise<CrmSyncRecord[]> {
    const { set, key } = SYNC_TABLES[entity];
    // An id that is not a GUID names no record: left out rather than quoted into a query.
    const wanted = [...new Set(ids.filter(isGuid).map((id) => id.toLowerCase()))];
    const select = odataSelect(readColumns(entity, attributes));
    const rows = await this.getMany(
      chunks(wanted, IN_CHUNK).map((part) => collectionPath(set, { select, filter: isIn(key, part) })),
    );
    return this.records(entity, rows, attributes);
  }

  async contactsByEmail(emails: readonly string[], attributes: readonly string[]): Promise<CrmSyncRecord[]> {
    const addresses = [...new Set(emails.map((e) => e.trim()).filter(Boolean))];
    const select = odataSelect(readColumns('contact', attributes));
    const rows = await this.getMany(
      chunks(addresses, IN_CHUNK).map((part) =>
        collectionPath('contacts', { select, filter: and('statecode eq 0', isIn('emailaddress1', part)) }),
      ),
    );
    const byId = new Map<string, CrmSyncRecord>();
    for (const record of await this.records('contact', rows, attributes)) byId.set(record.id, record);
    return [...byId.values()];
  }

  /** Rows as records; an appointment's attendees read with one more request when they are asked. */
  private async records(
    entity: SyncEntity,
    rows: readonly Row[],
    attributes: readonly string[],
  ): Promise<CrmSyncRecord[]> {
    const wantsParties = attributes.some((a) => isPartyAttribute(entity, a));
    const ids = rows.map((r) => str(r, SYNC_TABLES[entity].key)).filter((id): id is string => id !== null);
    const parties =
      wantsParties && ids.length > 0 ? await this.partiesOf(ids) : new Map<string, PartyAddress[]>();
    const records: CrmSyncRecord[] = [];
    for (const row of rows) {
      const id = str(row, SYNC_TABLES[entity].key)?.toLowerCase();
      const record = recordFromRow(entity, row, attributes, id ? (parties.get(id) ?? []) : []);
      if (record) records.push(record);
    }
    return records;
  }

  /**
   * The attendee parties (required, optional, organizer) of these appointments, by activity id:
   * `addressused` when Dataverse kept one, else the email of the record the party is (each of the
   * four lookups expanded: only the one of the party's table is non-null).
   */
  private async partiesOf(activityIds: readonly string[]): Promise<Map<string, PartyAddress[]>> {
    const masks = Object.values(ATTENDEE_MASKS);
    const expand = PARTY_TABLES.map(
      (t) => `partyid_${t}($select=${ENTITIES[t]?.emails[0] ?? 'emailaddress1'})`,
    ).join(',');
    const rows = await this.getMany(
      chunks([...new Set(activityIds.map((id) => id.toLowerCase()))], IN_CHUNK).map((part) =>
        collectionPath('activityparties', {
          select: ['_activityid_value', 'participationtypemask', 'addressused', '_partyid_value'],
          filter: and(isIn('activityid', part), or(...masks.map((m) => `participationtypemask eq ${m}`))),
          expand,
        }),
      ),
    );
    const byActivity = new Map<string, PartyAddress[]>();
    for (const row of rows) {
      const activity = str(row, '_activityid_value')?.toLowerCase();
      const mask = row.participationtypemask;
      if (!activity || typeof mask !== 'number') continue;
      let address = str(row, 'addressused');
      for (const table of PARTY_TABLES) {
        const party = row[`partyid_${table}`] as Row | null | undefined;
        const email = party ? str(party, ENTITIES[table]?.emails[0] ?? '') : null;
        if (!address && email) address = email;
      }
      const list = byActivity.get(activity) ?? [];
      list.push({ mask, address });
      byActivity.set(activity, list);
    }
    return byActivity;
  }

  /**
   * GETs that each fit one response (≤ 100 ids): one request for one path, else one `$batch` of
   * them per 1,000; a part Dataverse paged anyway is followed by its nextLink.
   */
  private async getMany(paths: readonly string[]): Promise<Row[]> {
    if (paths.length === 0) return [];
    if (paths.length === 1) return this.http.getAll(paths[0] as string, 5000, { Prefer: ANNOTATIONS });
    const rows: Row[] = [];
    for (const group of chunks(paths, BATCH_LIMIT)) {
      const responses = await this.http.batch(
        group.map((path): BatchItem => ({
          kind: 'request',
          request: { method: 'GET', path, headers: { Prefer: `odata.maxpagesize=5000,${ANNOTATIONS}` } },
        })),
      );
      for (const [i, response] of responses.entries()) {
        const label = `GET ${(group[i] as string).split('?')[0]}`;
        if (Array.isArray(response)) throw protocolError('a GET answered as a changeset', 'POST $batch');
        const error = batchPartError(response, label);
        if (error) throw error;
        rows.push(...valueOf(response.body, label));
        const next = (response.body as Row)['@odata.nextLink'];
        if (typeof next === 'string')
          rows.push(...(await this.http.getAll(next, 5000, { Prefer: ANNOTATIONS })));
      }
    }
    return rows;
  }

  /**
   * One `$batch` (per 1,000 writes), each write its own changeset: Dataverse accepts writes in a
   * batch only inside changesets (batch.ts), and a changeset of one write is exactly that write, so
   * with `odata.continue-on-error` one refused write never undoes or stops another. A create sets the
   * runner's id as the key; an update is `If-Match: *`, so a record deleted meanwhile is a 404, never
   * created again (no upsert). A batch that fails as a whole is thrown: some of its writes may have
   * landed, which only a read can tell.
   */
  async applyWrites(
    entity: SyncEntity,
    writes: readonly CrmSyncWrite[],
    onProgress?: (done: number) => void,
  ): Promise<CrmSyncOutcome[]> {
    const planned = writes.map((write) => ({ write, row: rowFromFields(entity, write.fields) }));
    const withAttendees = planned.filter((p) => p.row.attendees.size > 0);
    const { resolved, current } =
      entity === 'appointment' && withAttendees.length > 0
        ? await this.partyContext(
            withAttendees.flatMap((p) => [...p.row.attendees.values()].flat()),
            withAttendees.filter((p) => p.write.kind === 'update').map((p) => p.write.id),
          )
        : {
            resolved: new Map<string, Map<PartyTable, PartyWrite>>(),
            current: new Map<string, PartyWrite[]>(),
          };

    const outcomes: CrmSyncOutcome[] = [];
    for (const group of chunks(planned, BATCH_LIMIT)) {
      const items: BatchItem[] = group.map(({ write, row }) => ({
        kind: 'changeset',
        requests: this.writeRequests(entity, write, row.body, row.attendees, resolved, current),
      }));
      const responses = await this.http.batch(items, { continueOnError: true });
      responses.forEach((response, i) => {
        const { write } = group[i] as (typeof group)[number];
        if (Array.isArray(response)) {
          outcomes.push({ id: write.id, ok: true });
          return;
        }
        const error: CrmError =
          batchPartError(
            response,
            `${write.kind === 'create' ? 'POST' : 'PATCH'} ${SYNC_TABLES[entity].set}`,
          ) ?? protocolError('a write answered with one part and no error', 'POST $batch');
        outcomes.push({ id: write.id, ok: false, error });
      });
      onProgress?.(outcomes.length);
    }
    return outcomes;
  }

  /**
   * The requests of one write. A create is made open (Dataverse takes no `statecode` on create) and,
   * when its state is another (a completed task, a busy appointment), set to it by a PATCH in the
   * same changeset, so the record is never left half-written.
   */
  private writeRequests(
    entity: SyncEntity,
    write: CrmSyncWrite,
    body: Record<string, unknown>,
    attendees: ReadonlyMap<number, readonly string[]>,
    resolved: ReadonlyMap<string, ReadonlyMap<PartyTable, PartyWrite>>,
    current: ReadonlyMap<string, PartyWrite[]>,
  ): BatchRequest[] {
    const { set, key } = SYNC_TABLES[entity];
    const path = entityPath(set, write.id);
    const partyOf = (mask: number, address: string): PartyWrite => {
      const records = resolved.get(address);
      const table = (RESOLVE_ORDER[mask] ?? PARTY_TABLES).find((t) => records?.has(t));
      return { participationtypemask: mask, ...((table && records?.get(table)) ?? { addressused: address }) };
    };
    const written = [...attendees].flatMap(([mask, list]) => list.map((a) => partyOf(mask, a)));
    if (write.kind === 'update') {
      const patch: Record<string, unknown> = { ...body };
      if (attendees.size > 0) {
        // Parties are replaced as a set when the activity is updated with its party collection
        // (SetActivityParties: existing parties deleted, the given ones created), so the lists this
        // write does not touch (the organizer among them) are sent again as they are (chosen).
        const kept = (current.get(write.id.toLowerCase()) ?? []).filter(
          (p) => !attendees.has(p.participationtypemask as number),
        );
        patch.appointment_activity_parties = [...kept, ...written];
      }
      return [{ method: 'PATCH', path, headers: { 'If-Match': '*' }, body: patch }];
    }
    const { statecode, statuscode, ...rest } = body;
    const create: Record<string, unknown> = { ...rest, [key]: guid(write.id) };
    const opensAs = statecode === undefined || statecode === 0;
    if (opensAs && statuscode !== undefined) create.statuscode = statuscode;
    if (written.length > 0) create.appointment_activity_parties = written;
    const requests: BatchRequest[] = [{ method: 'POST', path: set, body: create }];
    if (!opensAs)
      requests.push({ method: 'PATCH', path, headers: { 'If-Match': '*' }, body: { statecode, statuscode } });
    return requests;
  }

  /**
   * ONE `$batch` before the writes: the parties' addresses looked up among active contacts,
   * accounts, leads and users (RESOLVE_ORDER picks among them), and the current parties of the
   * appointments whose attendees an update replaces.
   */
  private async partyContext(
    addresses: readonly string[],
    updatedIds: readonly string[],
  ): Promise<{ resolved: Map<string, Map<PartyTable, PartyWrite>>; current: Map<string, PartyWrite[]> }> {
    const wanted = [...new Set(addresses)];
    const lookups = PARTY_TABLES.flatMap((type) => {
      const info = ENTITIES[type];
      if (!info) return [];
      const email = info.emails[0] as string;
      return chunks(wanted, IN_CHUNK).map((part) => ({
        type,
        email,
        path: collectionPath(info.set, {
          select: [info.key, email],
          filter: and(info.activeFilter, isIn(email, part)),
          orderby: info.key,
        }),
      }));
    });
    const ids = [...new Set(updatedIds.filter(isGuid).map((id) => id.toLowerCase()))];
    const partyPaths = chunks(ids, IN_CHUNK).map((part) =>
      collectionPath('activityparties', {
        select: ['_activityid_value', 'participationtypemask', 'addressused', '_partyid_value'],
        filter: isIn('activityid', part),
      }),
    );
    const paths = [...lookups.map((l) => l.path), ...partyPaths];
    const responses: BatchResponse[] = [];
    for (const group of chunks(paths, BATCH_LIMIT)) {
      const answers = await this.http.batch(
        group.map((path): BatchItem => ({
          kind: 'request',
          request: { method: 'GET', path, headers: { Prefer: ANNOTATIONS } },
        })),
      );
      for (const [i, answer] of answers.entries()) {
        if (Array.isArray(answer)) throw protocolError('a GET answered as a changeset', 'POST $batch');
        const error = batchPartError(answer, `GET ${(group[i] as string).split('?')[0]}`);
        if (error) throw error;
        responses.push(answer);
      }
    }
    const resolved = new Map<string, Map<PartyTable, PartyWrite>>();
    lookups.forEach((lookup, i) => {
      const info = ENTITIES[lookup.type];
      if (!info) return;
      for (const row of valueOf(responses[i]?.body, `GET ${info.set}`)) {
        const address = str(row, lookup.email)?.trim().toLowerCase();
        const id = str(row, info.key);
        if (!address || !id) continue;
        const records = resolved.get(address) ?? new Map<PartyTable, PartyWrite>();
        // Rows come ordered by id: the first record of a table with the address is the one taken.
        if (!records.has(lookup.type))
          records.set(lookup.type, { [`partyid_${lookup.type}@odata.bind`]: `/${entityPath(info.set, id)}` });
        resolved.set(address, records);
      }
    });
    const current = new Map<string, PartyWrite[]>();
    for (const response of responses.slice(lookups.length)) {
      for (const row of valueOf(response.body, 'GET activityparties')) {
        const activity = str(row, '_activityid_value')?.toLowerCase();
        const mask = row.participationtypemask;
        if (!activity || typeof mask !== 'number' || READ_ONLY_MASKS.has(mask)) continue;
        const party = str(row, '_partyid_value');
        const type = str(row, `_partyid_value${LOGICAL_NAME}`);
        const info = type ? ENTITIES[type] : undefined;
        const write: PartyWrite | null =
          party && info?.party
            ? {
                participationtypemask: mask,
                [`partyid_${type}@odata.bind`]: `/${entityPath(info.set, party)}`,
              }
            : str(row, 'addressused')
              ? { participationtypemask: mask, addressused: str(row, 'addressused') }
              : null;
        if (!write) continue;
        const list = current.get(activity) ?? [];
        list.push(write);
        current.set(activity, list);
      }
    }
    return { resolved, current };
  }
}
