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
 * OData read expands each of those lookups instead (chosen). An appointment the runner already knows
 * unchanged (same `modifiedon`) keeps its known attendees, so a page of quiet appointments costs no
 * party read.
 *
 * Failures stay with what they concern: a filter that cannot be run (its FetchXML unreadable, its
 * request refused) is reported in ScopeRead.failed while the others run; a party lookup or party read
 * that fails fails only the writes that needed it (chosen over writing the unresolved addresses as
 * bare `addressused` parties: the next run would see the same addresses and never bind them).
 */
import type { SyncEntity, SyncMapping } from '../rules/syncTypes';
import type { BatchItem, BatchRequest } from './batch';
import { batchPartError, type DataverseHttp } from './dataverseHttp';
import { ENTITIES, idFromEntityUrl } from './entities';
import { CrmAuthError, CrmError, CrmNetworkError, CrmRequestError, protocolError } from './errors';
import {
  FetchXmlError,
  MAX_FETCH_COUNT,
  nextPagingCookie,
  rewriteFetchXml,
  type FetchPage,
} from './fetchXmlQuery';
import { and, collectionPath, entityPath, guid, isIn, or } from './odata';
import { NO_DETAIL } from './retryPolicy';
import type {
  CrmSyncOutcome,
  CrmSyncPort,
  CrmSyncRecord,
  CrmSyncWrite,
  KnownRecords,
  ScopeRead,
  SyncFilter,
} from './syncPort';
import {
  ATTENDEE_MASKS,
  checkTimeZone,
  DIRECTIONS,
  ENTITY_TYPE_CODES,
  isPartyAttribute,
  normalizeInstant,
  odataSelect,
  outlookNameOf,
  readColumns,
  recordAsRead,
  recordFromRow,
  rowFromFields,
  SYNC_TABLES,
  type PartyAddress,
  type RecordAsRead,
} from './syncShapes';

type Row = Record<string, unknown>;

export interface DataverseSyncOptions {
  /** The signed-in user's systemuserid: the owner of the filters and of the mappings asked. */
  readonly userId: string;
  /**
   * The user's time zone, an IANA name (`Europe/Berlin`): the zone Dataverse's user-local
   * appointment times and task due dates are days in (syncShapes.ts). UTC when not given.
   */
  readonly timeZone?: string;
  /** Where a filter or a mapping left out (unreadable, of another type) is written. */
  readonly log?: (message: string, error?: unknown) => void;
  /** The clock the mappings' answer is kept by (tests). */
  readonly now?: () => number;
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
/**
 * How long one answer of RetrievePrincipalSyncAttributeMappings is kept: one call answers all three
 * types, which one synchronization asks for one after the other (chosen: a minute covers a run and
 * never outlives an administrator's change by much).
 */
const MAPPINGS_KEPT_MS = 60_000;

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

const addressKey = (address: string | null): string | null => {
  const key = address?.trim().toLowerCase() ?? '';
  return key === '' ? null : key;
};

function valueOf(body: unknown, request: string): Row[] {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw protocolError('a collection response has no "value" array', request);
  return value as Row[];
}

/**
 * A failure that ends every filter alike (the session's token refused, the CRM unreachable): thrown,
 * not reported per filter, as no other filter could run either (chosen).
 */
const endsTheRead = (error: unknown): boolean =>
  !(error instanceof CrmError) || error instanceof CrmAuthError || error instanceof CrmNetworkError;

/** The party-list expansion of an `activityparties` read: the email of whichever record the party is. */
const PARTY_EXPAND = PARTY_TABLES.map(
  (t) => `partyid_${t}($select=${ENTITIES[t]?.emails[0] ?? 'emailaddress1'})`,
).join(',');
const PARTY_SELECT = ['_activityid_value', 'participationtypemask', 'addressused', '_partyid_value'];

/** A party's address: `addressused` when Dataverse kept one, else the email of the record it is. */
function partyAddress(row: Row): string | null {
  let address = str(row, 'addressused');
  for (const table of PARTY_TABLES) {
    const party = row[`partyid_${table}`] as Row | null | undefined;
    const email = party ? str(party, ENTITIES[table]?.emails[0] ?? '') : null;
    if (!address && email) address = email;
  }
  return address;
}

/** A party as it is written: bound to its record when it has one, else by its address alone. */
type PartyWrite = Record<string, unknown>;

/** An appointment's party as read before its attendees are rewritten. */
interface CurrentParty {
  readonly mask: number;
  /** Lowercased; null for a party with no address (kept whatever the write says). */
  readonly address: string | null;
  readonly write: PartyWrite;
}

/** What the attendee writes of one `applyWrites` need, and which of it could not be read. */
interface PartyContext {
  readonly resolved: ReadonlyMap<string, ReadonlyMap<PartyTable, PartyWrite>>;
  /** Addresses whose lookup failed, with the failure. */
  readonly unresolved: ReadonlyMap<string, CrmError>;
  readonly current: ReadonlyMap<string, readonly CurrentParty[]>;
  /** Appointments whose current parties could not be read, with the failure. */
  readonly unread: ReadonlyMap<string, CrmError>;
}

const NO_PARTY_CONTEXT: PartyContext = {
  resolved: new Map(),
  unresolved: new Map(),
  current: new Map(),
  unread: new Map(),
};

export class DataverseSync implements CrmSyncPort {
  private readonly userId: string;
  private readonly timeZone: string;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly now: () => number;
  private mappingRows: { readonly at: number; readonly rows: Promise<Row[]> } | null = null;
  /** Each record as last read (RecordAsRead), for the writes that follow the read. */
  private readonly asRead = new Map<string, RecordAsRead>();

  constructor(
    private readonly http: DataverseHttp,
    options: DataverseSyncOptions,
  ) {
    this.userId = guid(options.userId);
    this.timeZone = options.timeZone ?? 'UTC';
    checkTimeZone(this.timeZone);
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? Date.now;
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
    const mappings: SyncMapping[] = [];
    for (const row of await this.allMappingRows()) {
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

  /** The user's mappings of all types: one call, its answer kept MAPPINGS_KEPT_MS (a failure is not kept). */
  private allMappingRows(): Promise<Row[]> {
    const kept = this.mappingRows;
    if (kept && this.now() - kept.at < MAPPINGS_KEPT_MS) return kept.rows;
    const path = `${entityPath('systemusers', this.userId)}/Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappings()`;
    const rows = this.http.send('GET', path, { idempotent: true }).then(({ body }) => {
      const answer = (body as { AttributeMappings?: unknown } | null)?.AttributeMappings;
      if (!Array.isArray(answer))
        throw protocolError(
          'the mappings came without AttributeMappings',
          'GET RetrievePrincipalSyncAttributeMappings',
        );
      return answer as Row[];
    });
    const entry = { at: this.now(), rows };
    this.mappingRows = entry;
    rows.catch(() => {
      if (this.mappingRows === entry) this.mappingRows = null;
    });
    return rows;
  }

  async recordsInScope(
    entity: SyncEntity,
    filters: readonly SyncFilter[],
    attributes: readonly string[],
    known?: KnownRecords,
  ): Promise<ScopeRead> {
    const found = new Map<string, CrmSyncRecord>();
    const failed: { filter: SyncFilter; error: CrmError }[] = [];
    // Ids compare lowercased whatever case the runner kept them in.
    const knownById: KnownRecords | undefined =
      known && new Map([...known].map(([id, record]) => [id.toLowerCase(), record]));
    for (const filter of filters.filter((f) => f.entity === entity)) {
      try {
        await this.readFilter(entity, filter, attributes, knownById, found);
      } catch (error) {
        if (endsTheRead(error)) throw error;
        // Its records are unknown, not out of scope: the runner unlinks none of them (ScopeRead).
        this.log(`The synchronization filter "${filter.name}" (${filter.id}) could not be run`, error);
        failed.push({ filter, error: error as CrmError });
      }
    }
    return { records: [...found.values()], failed };
  }

  /** One filter's records, page by page, into `found`. */
  private async readFilter(
    entity: SyncEntity,
    filter: SyncFilter,
    attributes: readonly string[],
    known: KnownRecords | undefined,
    found: Map<string, CrmSyncRecord>,
  ): Promise<void> {
    const table = SYNC_TABLES[entity];
    const columns = readColumns(entity, attributes);
    const request = `GET ${table.set}?fetchXml`;
    let page: FetchPage = { count: MAX_FETCH_COUNT, page: 1, pagingCookie: null };
    for (;;) {
      let fetchXml: string;
      try {
        fetchXml = rewriteFetchXml(filter.fetchXml, { entity: table.logicalName, attributes: columns, page });
      } catch (error) {
        if (!(error instanceof FetchXmlError)) throw error;
        throw new CrmRequestError(
          `The synchronization filter "${filter.name}" cannot be read: ${error.message}`,
          { ...NO_DETAIL, request },
        );
      }
      const { body } = await this.http.send('GET', `${table.set}?fetchXml=${encodeURIComponent(fetchXml)}`, {
        idempotent: true,
        headers: { Prefer: ANNOTATIONS },
      });
      const rows = valueOf(body, request);
      for (const record of await this.records(entity, rows, attributes, known)) found.set(record.id, record);
      const answer = body as Row;
      if (answer[MORE_RECORDS] !== true || rows.length === 0) return;
      page = {
        count: MAX_FETCH_COUNT,
        page: page.page + 1,
        pagingCookie: nextPagingCookie(answer[PAGING_COOKIE]),
      };
    }
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

  /**
   * Rows as records; an appointment's attendees read with one more request when they are asked,
   * except those of an appointment `known` has with the same `modifiedon` and every list asked.
   */
  private async records(
    entity: SyncEntity,
    rows: readonly Row[],
    attributes: readonly string[],
    known?: KnownRecords,
  ): Promise<CrmSyncRecord[]> {
    const { key } = SYNC_TABLES[entity];
    const partyAttributes = attributes.filter((a) => isPartyAttribute(entity, a));
    const knownAttendees = (row: Row): Readonly<Record<string, unknown>> | null => {
      const id = str(row, key)?.toLowerCase();
      const before = id ? known?.get(id) : undefined;
      const modifiedOn = normalizeInstant(before?.modifiedOn);
      if (!before || modifiedOn === null || modifiedOn !== normalizeInstant(row.modifiedon)) return null;
      return partyAttributes.every((a) => a in before.fields) ? before.fields : null;
    };
    const unread =
      partyAttributes.length > 0
        ? rows
            .filter((row) => knownAttendees(row) === null)
            .map((row) => str(row, key))
            .filter((id): id is string => id !== null)
        : [];
    const parties = unread.length > 0 ? await this.partiesOf(unread) : new Map<string, PartyAddress[]>();
    const records: CrmSyncRecord[] = [];
    for (const row of rows) {
      const id = str(row, key)?.toLowerCase();
      const record = recordFromRow(entity, row, attributes, id ? (parties.get(id) ?? []) : [], {
        timeZone: this.timeZone,
      });
      if (!record) continue;
      this.asRead.set(record.id, recordAsRead(entity, row));
      const kept = partyAttributes.length > 0 ? knownAttendees(row) : null;
      records.push(
        kept
          ? {
              ...record,
              fields: { ...record.fields, ...Object.fromEntries(partyAttributes.map((a) => [a, kept[a]])) },
            }
          : record,
      );
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
    const rows = await this.getMany(
      chunks([...new Set(activityIds.map((id) => id.toLowerCase()))], IN_CHUNK).map((part) =>
        collectionPath('activityparties', {
          select: PARTY_SELECT,
          filter: and(isIn('activityid', part), or(...masks.map((m) => `participationtypemask eq ${m}`))),
          expand: PARTY_EXPAND,
        }),
      ),
    );
    const byActivity = new Map<string, PartyAddress[]>();
    for (const row of rows) {
      const activity = str(row, '_activityid_value')?.toLowerCase();
      const mask = row.participationtypemask;
      if (!activity || typeof mask !== 'number') continue;
      const list = byActivity.get(activity) ?? [];
      list.push({ mask, address: partyAddress(row) });
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
    for (const answer of await this.getEach(paths)) {
      if (answer instanceof CrmError) throw answer;
      rows.push(...answer);
    }
    return rows;
  }

  /** Each GET's rows or its own failure, in the order of `paths`, in `$batch`es of 1,000. */
  private async getEach(paths: readonly string[]): Promise<(Row[] | CrmError)[]> {
    const answers: (Row[] | CrmError)[] = [];
    for (const group of chunks(paths, BATCH_LIMIT)) {
      const responses = await this.http.batch(
        group.map((path): BatchItem => ({
          kind: 'request',
          request: { method: 'GET', path, headers: { Prefer: `odata.maxpagesize=5000,${ANNOTATIONS}` } },
        })),
      );
      for (const [i, response] of responses.entries()) {
        const label = `GET ${(group[i] as string).split('?')[0]}`;
        try {
          if (Array.isArray(response)) throw protocolError('a GET answered as a changeset', 'POST $batch');
          const error = batchPartError(response, label);
          if (error) throw error;
          const rows = [...valueOf(response.body, label)];
          const next = (response.body as Row)['@odata.nextLink'];
          if (typeof next === 'string')
            rows.push(...(await this.http.getAll(next, 5000, { Prefer: ANNOTATIONS })));
          answers.push(rows);
        } catch (error) {
          if (!(error instanceof CrmError)) throw error;
          answers.push(error);
        }
      }
    }
    return answers;
  }

  /**
   * One `$batch` (per 1,000 writes), each write its own changeset: Dataverse accepts writes in a
   * batch only inside changesets (batch.ts), and a changeset of one write is exactly that write, so
   * with `odata.continue-on-error` one refused write never undoes or stops another. A create sets the
   * runner's id as the key; an update carries the record's etag as If-Match when the runner has one
   * (a record changed since it was read is a 412, CrmConflictError, tried next run), else
   * `If-Match: *`, so a record deleted meanwhile is a 404, never created again (no upsert). A batch
   * that fails as a whole is thrown: some of its writes may have landed, which only a read can tell.
   */
  async applyWrites(
    entity: SyncEntity,
    writes: readonly CrmSyncWrite[],
    onProgress?: (done: number) => void,
  ): Promise<CrmSyncOutcome[]> {
    const planned = writes.map((write) => {
      const id = write.id.toLowerCase();
      const asRead = write.kind === 'update' ? this.asRead.get(id) : undefined;
      return { write, id, row: rowFromFields(entity, write.fields, { timeZone: this.timeZone }, asRead) };
    });
    const withAttendees = planned.filter((p) => p.row.attendees.size > 0);
    const context =
      entity === 'appointment' && withAttendees.length > 0
        ? await this.partyContext(
            withAttendees.flatMap((p) => [...p.row.attendees.values()].flat()),
            withAttendees.filter((p) => p.write.kind === 'update').map((p) => p.id),
          )
        : NO_PARTY_CONTEXT;

    const outcomes: CrmSyncOutcome[] = [];
    for (const group of chunks(planned, BATCH_LIMIT)) {
      const sent: { id: string; label: string; index: number }[] = [];
      const items: BatchItem[] = [];
      const groupOutcomes: CrmSyncOutcome[] = [];
      for (const { write, id, row } of group) {
        const parties = this.partiesFor(write.kind, id, row.attendees, context);
        if (parties instanceof CrmError) {
          groupOutcomes.push({ id, ok: false, error: parties });
          continue;
        }
        sent.push({
          id,
          label: `${write.kind === 'create' ? 'POST' : 'PATCH'} ${SYNC_TABLES[entity].set}`,
          index: groupOutcomes.length,
        });
        groupOutcomes.push({ id, ok: true });
        items.push({ kind: 'changeset', requests: this.writeRequests(entity, write, id, row.body, parties) });
      }
      const responses = items.length > 0 ? await this.http.batch(items, { continueOnError: true }) : [];
      sent.forEach(({ id, label, index }, i) => {
        const response = responses[i];
        if (Array.isArray(response)) return;
        const error: CrmError =
          (response && batchPartError(response, label)) ??
          protocolError('a write answered with one part and no error', 'POST $batch');
        groupOutcomes[index] = { id, ok: false, error };
      });
      outcomes.push(...groupOutcomes);
      onProgress?.(outcomes.length);
    }
    return outcomes;
  }

  /**
   * The party set one write sends, or the failure that keeps it from being sent; null when the write
   * names no attendees. An update keeps every current party whose address the new lists still hold
   * and every party without an address (its record has no email: nothing in Outlook stands for it),
   * and binds only the addresses that are new; lists the write does not name are kept as they are.
   * Parties are replaced as a set when the activity is updated with its party collection
   * (SetActivityParties: existing parties deleted, the given ones created), hence the whole set.
   */
  private partiesFor(
    kind: CrmSyncWrite['kind'],
    id: string,
    attendees: ReadonlyMap<number, readonly string[]>,
    context: PartyContext,
  ): PartyWrite[] | CrmError | null {
    if (attendees.size === 0) return null;
    const unread = context.unread.get(id);
    if (kind === 'update' && unread) return unread;
    const current = kind === 'update' ? (context.current.get(id) ?? []) : [];
    const kept = current.filter((party) => {
      const wanted = attendees.get(party.mask);
      return wanted === undefined || party.address === null || wanted.includes(party.address);
    });
    const added: PartyWrite[] = [];
    for (const [mask, list] of attendees) {
      for (const address of list) {
        if (kept.some((p) => p.mask === mask && p.address === address)) continue;
        const failure = context.unresolved.get(address);
        if (failure) return failure;
        const records = context.resolved.get(address);
        const table = (RESOLVE_ORDER[mask] ?? PARTY_TABLES).find((t) => records?.has(t));
        added.push({
          participationtypemask: mask,
          ...((table && records?.get(table)) ?? { addressused: address }),
        });
      }
    }
    return [...kept.map((p) => p.write), ...added];
  }

  /**
   * The requests of one write. A create is made open (Dataverse takes no `statecode` on create) and,
   * when its state is another (a completed task, a busy appointment), set to it by a PATCH in the
   * same changeset, so the record is never left half-written.
   */
  private writeRequests(
    entity: SyncEntity,
    write: CrmSyncWrite,
    id: string,
    body: Record<string, unknown>,
    parties: PartyWrite[] | null,
  ): BatchRequest[] {
    const { set, key } = SYNC_TABLES[entity];
    const path = entityPath(set, id);
    if (write.kind === 'update') {
      const patch: Record<string, unknown> = { ...body };
      if (parties) patch.appointment_activity_parties = parties;
      return [{ method: 'PATCH', path, headers: { 'If-Match': write.etag ?? '*' }, body: patch }];
    }
    const { statecode, statuscode, ...rest } = body;
    const create: Record<string, unknown> = { ...rest, [key]: guid(id) };
    const opensAs = statecode === undefined || statecode === 0;
    if (opensAs && statuscode !== undefined) create.statuscode = statuscode;
    if (parties && parties.length > 0) create.appointment_activity_parties = parties;
    const requests: BatchRequest[] = [{ method: 'POST', path: set, body: create }];
    if (!opensAs)
      requests.push({ method: 'PATCH', path, headers: { 'If-Match': '*' }, body: { statecode, statuscode } });
    return requests;
  }

  /**
   * ONE `$batch` before the writes: the parties' addresses looked up among active contacts,
   * accounts, leads and users (RESOLVE_ORDER picks among them), and the current parties of the
   * appointments whose attendees an update replaces. A part that fails marks what it was for
   * (its addresses unresolved, its appointments unread); a batch that fails as a whole, all of it.
   */
  private async partyContext(
    addresses: readonly string[],
    updatedIds: readonly string[],
  ): Promise<PartyContext> {
    const wanted = [...new Set(addresses)];
    const lookups = PARTY_TABLES.flatMap((type) => {
      const info = ENTITIES[type];
      if (!info) return [];
      const email = info.emails[0] as string;
      return chunks(wanted, IN_CHUNK).map((part) => ({
        type,
        email,
        part,
        path: collectionPath(info.set, {
          select: [info.key, email],
          filter: and(info.activeFilter, isIn(email, part)),
          orderby: info.key,
        }),
      }));
    });
    const ids = [...new Set(updatedIds.filter(isGuid))];
    const partyReads = chunks(ids, IN_CHUNK).map((part) => ({
      part,
      path: collectionPath('activityparties', {
        select: PARTY_SELECT,
        filter: isIn('activityid', part),
        expand: PARTY_EXPAND,
      }),
    }));
    let answers: (Row[] | CrmError)[];
    try {
      answers = await this.getEach([...lookups.map((l) => l.path), ...partyReads.map((r) => r.path)]);
    } catch (error) {
      if (!(error instanceof CrmError)) throw error;
      answers = [...lookups, ...partyReads].map(() => error);
    }

    const resolved = new Map<string, Map<PartyTable, PartyWrite>>();
    const unresolved = new Map<string, CrmError>();
    lookups.forEach((lookup, i) => {
      const info = ENTITIES[lookup.type];
      const answer = answers[i];
      if (!info || !answer) return;
      if (answer instanceof CrmError) {
        for (const address of lookup.part) unresolved.set(address, answer);
        return;
      }
      for (const row of answer) {
        const address = addressKey(str(row, lookup.email));
        const id = str(row, info.key);
        if (!address || !id) continue;
        const records = resolved.get(address) ?? new Map<PartyTable, PartyWrite>();
        // Rows come ordered by id: the first record of a table with the address is the one taken.
        if (!records.has(lookup.type))
          records.set(lookup.type, { [`partyid_${lookup.type}@odata.bind`]: `/${entityPath(info.set, id)}` });
        resolved.set(address, records);
      }
    });

    const current = new Map<string, CurrentParty[]>();
    const unread = new Map<string, CrmError>();
    partyReads.forEach((read, i) => {
      const answer = answers[lookups.length + i];
      if (answer instanceof CrmError || !answer) {
        for (const id of read.part)
          unread.set(id, answer ?? protocolError('a read went unanswered', 'POST $batch'));
        return;
      }
      for (const row of answer) {
        const party = this.currentParty(row);
        const activity = str(row, '_activityid_value')?.toLowerCase();
        if (!party || !activity) continue;
        const list = current.get(activity) ?? [];
        list.push(party);
        current.set(activity, list);
      }
    });
    return { resolved, unresolved, current, unread };
  }

  /**
   * A party read back as it is written again: bound to its record (with the address it was sent
   * to, so that stays what the CRM shows), else by its address; an owner or regarding party (which
   * Dataverse derives) or a party with neither is none.
   */
  private currentParty(row: Row): CurrentParty | null {
    const mask = row.participationtypemask;
    if (typeof mask !== 'number' || READ_ONLY_MASKS.has(mask)) return null;
    const party = str(row, '_partyid_value');
    const type = str(row, `_partyid_value${LOGICAL_NAME}`);
    const info = type ? ENTITIES[type] : undefined;
    const used = str(row, 'addressused');
    if (party && info?.party) {
      return {
        mask,
        address: addressKey(partyAddress(row)),
        write: {
          participationtypemask: mask,
          [`partyid_${type}@odata.bind`]: `/${entityPath(info.set, party)}`,
          ...(used ? { addressused: used } : {}),
        },
      };
    }
    return used
      ? { mask, address: addressKey(used), write: { participationtypemask: mask, addressused: used } }
      : null;
  }
}
