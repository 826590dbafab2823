/**
 * In-memory fakes of the two synchronization ports, behaving as the services do where the runner
 * depends on it:
 * - FakeCrmSync: records of the three types by id (createdOn/modifiedOn and an etag kept on writes, a
 *   record the runner creates gets the id it chose), filters that return the active records in scope
 *   (a filter made to fail is said in `failed`), field mappings Dataverse may not define (null), one
 *   request per filter (and, for appointments, one for the parties unless every record returned is
 *   known unchanged), `$batch` writes one outcome each: an update whose etag is stale is a 412
 *   CrmConflictError, a create with an id a record has is Dataverse's 412 duplicate key (0x80040237);
 * - FakeOutlookSync: items with Graph-like ids and changeKeys, a delta by change counter (a write
 *   comes back in the next delta, a delete as `removed`, an unknown or expired watermark restarts the
 *   read), writes in `$batch`es of 20 giving the item as it is after the write; an update whose
 *   changeKey is stale is a 412 GraphConflictError.
 * Both count requests as the real adapters send them and take failures to inject.
 */
import { CrmConflictError, CrmUnavailableError, type CrmError } from '../../src/crm/errors';
import type {
  CrmSyncOutcome,
  CrmSyncPort,
  CrmSyncRecord,
  CrmSyncWrite,
  KnownRecords,
  ScopeRead,
  SyncFilter,
} from '../../src/crm/syncPort';
import { GraphConflictError, GraphUnavailableError, type GraphError } from '../../src/graph/errors';
import type {
  OutlookChanges,
  OutlookChangesOptions,
  OutlookSyncItem,
  OutlookSyncOutcome,
  OutlookSyncPort,
  OutlookSyncWrite,
} from '../../src/graph/syncPort';
import type { RawSettings } from '../../src/rules/settingsInput';
import type { SyncEntity, SyncFields, SyncMapping } from '../../src/rules/syncTypes';
import type { Session } from '../../src/app/session';
import { createSynchronization } from '../../src/app/synchronization';
import type { Synchronization, SynchronizationDeps } from '../../src/app/syncDeps';
import { EMPTY_SYNC_STATE, type SyncRunRecord, type SyncState } from '../../src/app/syncStatus';
import { ManualTimer } from '../unit/app/background-fakes';
import { contactAnn, FakeClock, harness, userDana } from './fakes';

const DETAIL = { status: 503, code: null, requestId: null, request: null };
export const crmDown = (): CrmError => new CrmUnavailableError('Service Unavailable', DETAIL);
export const graphDown = (): GraphError => new GraphUnavailableError('Service Unavailable', DETAIL);
/** Dataverse's answer to a stale If-Match (and, with code 0x80040237, to a create whose id exists). */
export const crmConflict = (code: string | null = null): CrmError =>
  new CrmConflictError('Precondition Failed', { ...DETAIL, status: 412, code });
export const graphConflict = (): GraphError =>
  new GraphConflictError('Precondition Failed', {
    ...DETAIL,
    status: 412,
    code: 'ErrorIrresolvableConflict',
  });

/** Graph's `$batch` takes at most 20 requests. */
const GRAPH_BATCH = 20;

interface Clock {
  now(): number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A missing or null value is no value (the catalog's text domain never holds ""). */
function merged(fields: SyncFields, patch: SyncFields): SyncFields {
  const next: Record<string, unknown> = { ...fields };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete next[name];
    else next[name] = value;
  }
  return next;
}

class Calls {
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** method → errors its next calls throw, in order. */
  readonly failures = new Map<string, unknown[]>();
  /** HTTP requests as the real adapter sends them. */
  requests = 0;

  record(method: string, args: unknown[], requests: number): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method)?.shift();
    if (failure !== undefined) {
      this.requests += 1;
      throw failure;
    }
    this.requests += requests;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  fail(method: string, error: unknown, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<unknown>(times).fill(error)]);
  }
}

export interface FakeCrmRecord {
  readonly entity: SyncEntity;
  id: string;
  active: boolean;
  /** Returned by the user's filter of its type (when active). */
  inScope: boolean;
  createdOn: string;
  modifiedOn: string;
  fields: SyncFields;
  parentAccountName: string | null;
  /** Dataverse's `@odata.etag`: a new one at each change. */
  etag: string;
}

export class FakeCrmSync extends Calls implements CrmSyncPort {
  readonly records = new Map<string, FakeCrmRecord>();
  filters: SyncFilter[] = (['contact', 'appointment', 'task'] as const).map((entity) => ({
    id: `filter-${entity}`,
    name: `My ${entity}s`,
    entity,
    fetchXml: `<fetch><entity name="${entity}"><filter><condition attribute="statecode" operator="eq" value="0"/></filter></entity></fetch>`,
  }));
  /** Dataverse's mappings per type; absent or null: none defined (the runner uses the defaults). */
  readonly mappings = new Map<SyncEntity, SyncMapping[] | null>();
  /** CRM ids whose next write fails with this error. */
  readonly failWrites = new Map<string, CrmError>();
  /** Filter ids whose runs fail with this error (said in the scope read's `failed`). */
  readonly failFilters = new Map<string, CrmError>();
  private serial = 0;
  private versions = 0;

  private nextEtag(): string {
    this.versions += 1;
    return `W/"${this.versions}"`;
  }

  constructor(private readonly clock: Clock) {
    super();
  }

  add(
    entity: SyncEntity,
    fields: SyncFields,
    options: { active?: boolean; inScope?: boolean; parentAccountName?: string | null } = {},
  ): FakeCrmRecord {
    this.serial += 1;
    // Created one second apart, so "created first" (§2.3 step 5) is well defined.
    const createdOn = iso(this.clock.now() - 86_400_000 + this.serial * 1000);
    const record: FakeCrmRecord = {
      entity,
      id: `00000000-0000-4000-8000-${String(this.serial).padStart(12, '0')}`,
      active: options.active ?? true,
      inScope: options.inScope ?? true,
      createdOn,
      modifiedOn: createdOn,
      fields: merged({}, fields),
      parentAccountName: options.parentAccountName ?? null,
      etag: this.nextEtag(),
    };
    this.records.set(record.id, record);
    return record;
  }

  /** A user's edit in the CRM. */
  edit(id: string, fields: SyncFields): void {
    const record = this.record_(id);
    record.fields = merged(record.fields, fields);
    record.modifiedOn = iso(this.clock.now());
    record.etag = this.nextEtag();
  }

  deactivate(id: string): void {
    const record = this.record_(id);
    record.active = false;
    record.modifiedOn = iso(this.clock.now());
    record.etag = this.nextEtag();
  }

  get(id: string): FakeCrmRecord | undefined {
    return this.records.get(id);
  }

  ofType(entity: SyncEntity): FakeCrmRecord[] {
    return [...this.records.values()].filter((r) => r.entity === entity);
  }

  private record_(id: string): FakeCrmRecord {
    const record = this.records.get(id);
    if (!record) throw new Error(`no CRM record ${id}`);
    return record;
  }

  private view(record: FakeCrmRecord, attributes: readonly string[]): CrmSyncRecord {
    const wanted = new Set(attributes);
    return {
      id: record.id,
      active: record.active,
      createdOn: record.createdOn,
      modifiedOn: record.modifiedOn,
      fields: Object.fromEntries(Object.entries(record.fields).filter(([name]) => wanted.has(name))),
      parentAccountName: record.entity === 'contact' ? record.parentAccountName : null,
      etag: record.etag,
    };
  }

  async synchronizationFilters(): Promise<SyncFilter[]> {
    this.record('synchronizationFilters', [], 1);
    return [...this.filters];
  }

  async fieldMappings(entity: SyncEntity): Promise<SyncMapping[] | null> {
    this.record('fieldMappings', [entity], 1);
    return this.mappings.get(entity) ?? null;
  }

  async recordsInScope(
    entity: SyncEntity,
    filters: readonly SyncFilter[],
    attributes: readonly string[],
    known?: KnownRecords,
  ): Promise<ScopeRead> {
    const ofType = filters.filter((f) => f.entity === entity);
    const failed = ofType.flatMap((filter) => {
      const error = this.failFilters.get(filter.id);
      return error ? [{ filter, error }] : [];
    });
    const records =
      ofType.length === failed.length
        ? []
        : this.ofType(entity)
            .filter((r) => r.active && r.inScope)
            .map((r) => this.view(r, attributes));
    // Appointments: their parties are one more request, unless every record returned is known unchanged.
    const parties =
      entity === 'appointment' && records.some((r) => known?.get(r.id)?.modifiedOn !== r.modifiedOn) ? 1 : 0;
    this.record('recordsInScope', [entity, filters, attributes, known], filters.length + parties);
    return { records, failed };
  }

  async recordsById(
    entity: SyncEntity,
    ids: readonly string[],
    attributes: readonly string[],
  ): Promise<CrmSyncRecord[]> {
    this.record('recordsById', [entity, ids, attributes], 1);
    return ids.flatMap((id) => {
      const record = this.records.get(id);
      return record && record.entity === entity ? [this.view(record, attributes)] : [];
    });
  }

  async contactsByEmail(emails: readonly string[], attributes: readonly string[]): Promise<CrmSyncRecord[]> {
    this.record('contactsByEmail', [emails, attributes], 1);
    const wanted = new Set(emails.map((e) => e.trim().toLowerCase()));
    return this.ofType('contact')
      .filter((r) => {
        const email = r.fields.emailaddress1;
        return r.active && typeof email === 'string' && wanted.has(email.trim().toLowerCase());
      })
      .map((r) => this.view(r, attributes));
  }

  async applyWrites(
    entity: SyncEntity,
    writes: readonly CrmSyncWrite[],
    onProgress?: (done: number) => void,
  ): Promise<CrmSyncOutcome[]> {
    this.record('applyWrites', [entity, writes], 1);
    return answeredInChunks(writes, onProgress, (write): CrmSyncOutcome => {
      const failure = this.failWrites.get(write.id);
      if (failure) {
        this.failWrites.delete(write.id);
        return { id: write.id, ok: false, error: failure };
      }
      const current = this.records.get(write.id);
      if (write.kind === 'create' && current)
        return { id: write.id, ok: false, error: crmConflict('0x80040237') };
      if (write.kind === 'update' && write.etag !== undefined && current && write.etag !== current.etag)
        return { id: write.id, ok: false, error: crmConflict() };
      if (write.kind === 'create') {
        const now = iso(this.clock.now());
        this.records.set(write.id, {
          entity,
          id: write.id,
          active: true,
          // Owned by the user, so the default filter ("My …") returns it.
          inScope: true,
          createdOn: now,
          modifiedOn: now,
          fields: merged({}, write.fields),
          parentAccountName: null,
          etag: this.nextEtag(),
        });
      } else this.edit(write.id, write.fields);
      return { id: write.id, ok: true };
    });
  }
}

interface StoredItem {
  readonly entity: SyncEntity;
  item: OutlookSyncItem;
  version: number;
  deleted: boolean;
}

/** What Outlook shows an item as (a contact's name, a subject), from its fields. */
function titleOf(entity: SyncEntity, fields: SyncFields, emails: readonly string[]): string {
  const text = (name: string): string | null =>
    typeof fields[name] === 'string' ? (fields[name] as string) : null;
  if (entity === 'contact') {
    const name = [text('givenName'), text('surname')].filter((p) => p !== null).join(' ');
    return name || emails[0] || '';
  }
  return (entity === 'task' ? text('title') : text('subject')) ?? '';
}

export class FakeOutlookSync extends Calls implements OutlookSyncPort {
  private readonly items = new Map<string, StoredItem>();
  private version = 0;
  private serial = 0;
  /** Items per delta page (Graph pages); null: one page. */
  pageSize: number | null = null;
  /** Watermarks Graph no longer knows (410): a call with one restarts the read. */
  readonly expired = new Set<string>();
  /** Item ids (or a create's ref) whose next write fails with this error. */
  readonly failWrites = new Map<string, GraphError>();
  /** The options each `changes` call was given. */
  readonly options: (OutlookChangesOptions | undefined)[] = [];

  constructor(private readonly clock: Clock) {
    super();
  }

  private bump(stored: StoredItem, item: Partial<OutlookSyncItem>): OutlookSyncItem {
    this.version += 1;
    const fields = item.fields ?? stored.item.fields;
    const emails = item.emails ?? stored.item.emails;
    stored.item = {
      ...stored.item,
      ...item,
      fields,
      emails,
      changeKey: `ck-${stored.item.itemId}-${this.version}`,
      modifiedAt: iso(this.clock.now()),
      title: titleOf(stored.entity, fields, emails),
    };
    stored.version = this.version;
    return stored.item;
  }

  private newItem(entity: SyncEntity, crmId: string | null, tracked: boolean): StoredItem {
    this.serial += 1;
    const itemId = `AAMk-${entity}-${String(this.serial).padStart(6, '0')}`;
    const stored: StoredItem = {
      entity,
      item: { itemId, changeKey: null, crmId, tracked, modifiedAt: null, fields: {}, emails: [], title: '' },
      version: 0,
      deleted: false,
    };
    this.items.set(itemId, stored);
    return stored;
  }

  /** The user makes an item in Outlook (`tracked`: and asks to track it). */
  userCreate(
    entity: SyncEntity,
    fields: SyncFields,
    options: { emails?: string[]; tracked?: boolean; crmId?: string | null } = {},
  ): OutlookSyncItem {
    const stored = this.newItem(entity, options.crmId ?? null, options.tracked ?? false);
    return this.bump(stored, { fields: merged({}, fields), emails: options.emails ?? emailsOf(fields) });
  }

  userEdit(itemId: string, fields: SyncFields): OutlookSyncItem {
    const stored = this.stored(itemId);
    const next = merged(stored.item.fields, fields);
    return this.bump(stored, { fields: next, emails: emailsOf(next, stored.item.emails) });
  }

  userDelete(itemId: string): void {
    const stored = this.stored(itemId);
    stored.deleted = true;
    this.version += 1;
    stored.version = this.version;
  }

  item(itemId: string): OutlookSyncItem | undefined {
    const stored = this.items.get(itemId);
    return stored && !stored.deleted ? stored.item : undefined;
  }

  ofType(entity: SyncEntity): OutlookSyncItem[] {
    return [...this.items.values()].filter((s) => s.entity === entity && !s.deleted).map((s) => s.item);
  }

  private stored(itemId: string): StoredItem {
    const stored = this.items.get(itemId);
    if (!stored || stored.deleted) throw new Error(`no Outlook item ${itemId}`);
    return stored;
  }

  async changes(
    entity: SyncEntity,
    watermark: string | null,
    options?: OutlookChangesOptions,
  ): Promise<OutlookChanges> {
    this.record('changes', [entity, watermark], 1);
    this.options.push(options);
    const ours = watermark !== null && watermark.startsWith(`${entity}:`) && !this.expired.has(watermark);
    const since = ours ? Number(watermark.slice(entity.length + 1)) : 0;
    // calendarView: a full read of events has only those starting inside the window.
    const inWindow = (s: StoredItem): boolean => {
      const start = s.item.fields.start;
      const window = options?.window;
      if (since !== 0 || !window || typeof start !== 'string') return true;
      return start >= window.start.replace(/\.\d{3}Z$/, 'Z') && start < window.end.replace(/\.\d{3}Z$/, 'Z');
    };
    const changed = [...this.items.values()]
      .filter((s) => s.entity === entity && s.version > since && !(since === 0 && s.deleted) && inWindow(s))
      .sort((a, b) => a.version - b.version);
    const page = this.pageSize === null ? changed : changed.slice(0, this.pageSize);
    const complete = page.length === changed.length;
    const last = complete ? this.version : (page[page.length - 1] as StoredItem).version;
    return {
      items: page.filter((s) => !s.deleted).map((s) => s.item),
      removed: page.filter((s) => s.deleted).map((s) => s.item.itemId),
      watermark: `${entity}:${last}`,
      complete,
      restarted: watermark !== null && !ours,
    };
  }

  async applyWrites(
    entity: SyncEntity,
    writes: readonly OutlookSyncWrite[],
    onProgress?: (done: number) => void,
  ): Promise<OutlookSyncOutcome[]> {
    this.record('applyWrites', [entity, writes], Math.ceil(writes.length / GRAPH_BATCH));
    return answeredInChunks(writes, onProgress, (write): OutlookSyncOutcome => {
      const key = write.kind === 'create' ? write.ref : write.itemId;
      const failure = this.failWrites.get(key);
      if (failure) {
        this.failWrites.delete(key);
        return {
          itemId: write.kind === 'create' ? null : write.itemId,
          ...(write.kind === 'create' ? { ref: write.ref } : {}),
          ok: false,
          error: failure,
        };
      }
      if (write.kind === 'create') {
        const stored = this.newItem(entity, write.crmId, false);
        const item = this.bump(stored, { fields: merged({}, write.fields), emails: emailsOf(write.fields) });
        return { itemId: item.itemId, ref: write.ref, ok: true, item };
      }
      const stored = this.items.get(write.itemId);
      if (!stored || stored.deleted)
        return {
          itemId: write.itemId,
          ok: false,
          error: new GraphUnavailableError('Not found', { ...DETAIL, status: 404 }),
        };
      switch (write.kind) {
        case 'delete':
          this.userDelete(write.itemId);
          return { itemId: write.itemId, ok: true, item: null };
        case 'update': {
          if (write.changeKey !== undefined && write.changeKey !== stored.item.changeKey)
            return { itemId: write.itemId, ok: false, error: graphConflict() };
          const fields = merged(stored.item.fields, write.fields);
          const item = this.bump(stored, { fields, emails: emailsOf(fields, stored.item.emails) });
          return { itemId: write.itemId, ok: true, item };
        }
        case 'link':
          return {
            itemId: write.itemId,
            ok: true,
            item: this.bump(stored, { crmId: write.crmId, tracked: write.tracked }),
          };
        case 'unlink':
          return { itemId: write.itemId, ok: true, item: this.bump(stored, { crmId: null, tracked: false }) };
        default:
          return { itemId: write.itemId, ok: true, item: this.bump(stored, { tracked: true }) };
      }
    });
  }
}

/**
 * The writes answered in order, `onProgress` told after each chunk of GRAPH_BATCH (both fakes, so a
 * run's progress moves as it would with Graph's `$batch`es of 20).
 */
function answeredInChunks<W, O>(
  writes: readonly W[],
  onProgress: ((done: number) => void) | undefined,
  answer: (write: W) => O,
): O[] {
  const outcomes: O[] = [];
  for (let at = 0; at < writes.length; at += GRAPH_BATCH) {
    outcomes.push(...writes.slice(at, at + GRAPH_BATCH).map(answer));
    onProgress?.(outcomes.length);
  }
  return outcomes;
}

/** A contact's addresses as Graph keeps them (`emailAddresses`), from the flat email fields. */
function emailsOf(fields: SyncFields, fallback: readonly string[] = []): string[] {
  const emails = ['email1Address', 'email2Address', 'email3Address']
    .map((name) => fields[name])
    .filter((value): value is string => typeof value === 'string');
  return emails.length ? emails : [...fallback];
}

export interface SyncHarness {
  readonly crm: FakeCrmSync;
  readonly outlook: FakeOutlookSync;
  readonly timer: ManualTimer;
  readonly clock: FakeClock;
  /** The pane's runner (a new one after `reload`). */
  sync: Synchronization;
  readonly logged: string[];
  /** What the store holds. */
  state: SyncState;
  session: Session | null;
  syncClient: boolean;
  /** Fires the timers and waits for the run (and any asked for during it). */
  tick(): Promise<void>;
  /** "Synchronize now", the runner started. */
  run(): Promise<SyncRunRecord>;
  /**
   * The pane reloaded: a new runner over the same store, CRM and mailbox; a run of the old one still
   * under way is abandoned where it stands (its promises never settle, nothing after it is saved).
   */
  reload(): void;
  /**
   * Makes the next `method` call of `port` do its work and then never answer (the page reloaded while
   * it was sent); resolves once the work is done.
   */
  cutShortAfter(
    port: 'crm' | 'outlook',
    method: 'applyWrites' | 'changes',
    entity?: SyncEntity,
  ): Promise<void>;
}

/** The signed-in user's session with these settings (raw, as Dataverse and roaming settings hold them). */
export async function syncSession(settings: RawSettings = { organization: {}, user: {} }): Promise<Session> {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = settings;
  return h.session();
}

export async function syncHarness(
  settings?: RawSettings,
  options: Partial<Pick<SynchronizationDeps, 'firstRunDelayMs' | 'exclusive' | 'log'>> = {},
): Promise<SyncHarness> {
  const clock = new FakeClock();
  const crm = new FakeCrmSync(clock);
  const outlook = new FakeOutlookSync(clock);
  const timer = new ManualTimer();
  const logged: string[] = [];
  let ids = 0;
  const h: Omit<SyncHarness, 'sync' | 'tick' | 'run' | 'reload' | 'cutShortAfter'> = {
    crm,
    outlook,
    timer,
    clock,
    logged,
    state: EMPTY_SYNC_STATE,
    session: await syncSession(settings),
    syncClient: true,
  };
  const runner = (): Synchronization =>
    createSynchronization({
      session: () => h.session,
      crm,
      outlook,
      store: {
        load: async () => h.state,
        save: async (state) => {
          h.state = state;
        },
      },
      isSyncClient: () => h.syncClient,
      newId: () => `10000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
      clock,
      timer,
      log: { log: (message) => logged.push(message) },
      ...options,
    });
  const full: SyncHarness = Object.assign(h, {
    sync: runner(),
    tick: async () => {
      timer.fireAll();
      await full.sync.settled();
    },
    run: async () => {
      full.sync.start();
      await full.sync.synchronizeNow();
      return full.sync.status().runs[0] as SyncRunRecord;
    },
    reload: () => {
      full.sync.stop();
      full.sync = runner();
    },
    cutShortAfter: (port: 'crm' | 'outlook', method: 'applyWrites' | 'changes', entity?: SyncEntity) =>
      new Promise<void>((done) => {
        const target = (port === 'crm' ? crm : outlook) as unknown as Record<
          string,
          (entity: SyncEntity, ...rest: unknown[]) => Promise<unknown>
        >;
        const original = target[method] as (entity: SyncEntity, ...rest: unknown[]) => Promise<unknown>;
        target[method] = async (called: SyncEntity, ...rest: unknown[]) => {
          const answer = await original.call(target, called, ...rest);
          if (entity !== undefined && called !== entity) return answer;
          target[method] = original;
          done();
          return new Promise(() => undefined);
        };
      }),
  });
  return full;
}
