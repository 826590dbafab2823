/**
 * Synchronization's state (delta watermarks, the Outlook items as last read, the pairs' baselines,
 * the last runs) in the pane's IndexedDB, one record per mailbox. Not localStorage: a few thousand
 * contacts with their baselines pass its 5 MB, and the background check already keeps its state
 * there; not roaming settings (32 KB in all). The state is this device's: only the synchronization
 * client runs (synchronization.md §1).
 *
 * Where IndexedDB is unavailable (a private window, a WebView that has none) the state is kept in
 * memory for the pane's life and the diagnostics log says so: synchronization still runs, and the
 * first run after a reload reads Outlook and the CRM whole again (pairs are found again by the link
 * the Outlook items carry, so nothing is made twice). A stored value that does not read as a state
 * starts over the same way.
 */
import type { DiagnosticsLog } from '../app/ports';
import {
  EMPTY_SYNC_STATE,
  EMPTY_SYNC_TYPE_STATE,
  MAX_SYNC_RUNS_KEPT,
  type StoredPair,
  type SyncRunMarker,
  type SyncRunRecord,
  type SyncState,
  type SyncStateStore,
  type SyncTypeState,
} from '../app/syncStatus';
import type { OutlookSyncItem } from '../graph/syncPort';

export const SYNC_DB_NAME = 'track-in-crm-sync';
export const SYNC_DB_STORE = 'states';
const SYNC_DB_VERSION = 1;

export const syncStateKey = (mailbox: string): string => mailbox.trim().toLowerCase();

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function readItem(v: unknown): OutlookSyncItem | null {
  if (!isObject(v) || typeof v.itemId !== 'string' || !isObject(v.fields)) return null;
  if (!isStringOrNull(v.changeKey) || !isStringOrNull(v.crmId) || !isStringOrNull(v.modifiedAt)) return null;
  if (typeof v.tracked !== 'boolean' || !isStringList(v.emails) || typeof v.title !== 'string') return null;
  return {
    itemId: v.itemId,
    changeKey: v.changeKey,
    crmId: v.crmId,
    tracked: v.tracked,
    modifiedAt: v.modifiedAt,
    fields: v.fields,
    emails: v.emails,
    title: v.title,
  };
}

function readPair(v: unknown): StoredPair | null {
  if (!isObject(v) || typeof v.crmId !== 'string' || typeof v.itemId !== 'string') return null;
  if (!isObject(v.crm) || !isObject(v.outlook)) return null;
  return { crmId: v.crmId, itemId: v.itemId, crm: v.crm, outlook: v.outlook };
}

/**
 * One type's state, or null when it does not read: a type is taken whole or started over, never in
 * part (a watermark kept with items dropped would leave those items unread until they change).
 */
function readTypeState(v: unknown): SyncTypeState | null {
  if (v === undefined) return EMPTY_SYNC_TYPE_STATE;
  if (!isObject(v) || !isStringOrNull(v.watermark) || !isStringList(v.excluded)) return null;
  if (!Array.isArray(v.items) || !Array.isArray(v.pairs)) return null;
  const items = v.items.map(readItem);
  const pairs = v.pairs.map(readPair);
  if (items.some((i) => i === null) || pairs.some((p) => p === null)) return null;
  const deleted = v.deleted === undefined ? [] : Array.isArray(v.deleted) ? v.deleted.map(readItem) : [null];
  const pendingLinks = readIdPairs(v.pendingLinks);
  const pendingCreates = readIdPairs(v.pendingCreates);
  const known = readKnown(v.known);
  if (deleted.some((i) => i === null) || !pendingLinks || !pendingCreates || !known) return null;
  if (v.window !== undefined && !isWindow(v.window)) return null;
  // What a run must remember across a reload (a create's chosen id above all: without it, the next
  // run would create the record a second time) is kept, or the type is started over as a whole.
  return {
    watermark: v.watermark,
    items: items as OutlookSyncItem[],
    pairs: pairs as StoredPair[],
    excluded: v.excluded,
    ...(deleted.length > 0 ? { deleted: deleted as OutlookSyncItem[] } : {}),
    ...(pendingLinks.length > 0 ? { pendingLinks } : {}),
    ...(pendingCreates.length > 0 ? { pendingCreates } : {}),
    ...(isWindow(v.window) ? { window: { start: v.window.start, end: v.window.end } } : {}),
    ...(known.length > 0 ? { known } : {}),
  };
}

type IdPair = { readonly itemId: string; readonly crmId: string };

/** A list of {itemId, crmId}; [] when absent; null when it does not read. */
function readIdPairs(v: unknown): IdPair[] | null {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return null;
  const pairs = v.map((p: unknown) =>
    isObject(p) && typeof p.itemId === 'string' && typeof p.crmId === 'string'
      ? { itemId: p.itemId, crmId: p.crmId }
      : null,
  );
  return pairs.some((p) => p === null) ? null : (pairs as IdPair[]);
}

const isWindow = (v: unknown): v is { start: string; end: string } =>
  isObject(v) && typeof v.start === 'string' && typeof v.end === 'string';

type Known = NonNullable<SyncTypeState['known']>[number];

function readKnown(v: unknown): Known[] | null {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return null;
  const known = v.map((k: unknown) =>
    isObject(k) && typeof k.crmId === 'string' && isStringOrNull(k.modifiedOn) && isObject(k.fields)
      ? { crmId: k.crmId, modifiedOn: k.modifiedOn, fields: k.fields }
      : null,
  );
  return known.some((k) => k === null) ? null : (known as Known[]);
}

/**
 * The run under way when the state was saved (a reload cut it short, or it is still running in this
 * pane's other instance): kept so the next run logs it as interrupted; left out when it does not read.
 */
function readRunning(v: unknown): SyncRunMarker | null {
  if (!isObject(v) || typeof v.startedAt !== 'number' || typeof v.savedAt !== 'number') return null;
  if (v.trigger !== 'scheduled' && v.trigger !== 'manual') return null;
  if (typeof v.reason !== 'string' || !Array.isArray(v.types) || !Array.isArray(v.entries)) return null;
  return v as unknown as SyncRunMarker;
}

/** The runs are shown only: one of another shape is left out, the others kept. */
function readRuns(v: unknown): SyncRunRecord[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter(
      (r): r is SyncRunRecord =>
        isObject(r) &&
        typeof r.startedAt === 'number' &&
        typeof r.finishedAt === 'number' &&
        typeof r.ran === 'boolean' &&
        typeof r.reason === 'string' &&
        (r.trigger === 'scheduled' || r.trigger === 'manual') &&
        Array.isArray(r.types) &&
        Array.isArray(r.entries),
    )
    .slice(0, MAX_SYNC_RUNS_KEPT);
}

/** A stored value → the state; null when it does not read as one (the caller starts over). */
export function readSyncState(value: unknown): SyncState | null {
  if (value === undefined) return EMPTY_SYNC_STATE;
  if (!isObject(value)) return null;
  const contact = readTypeState(value.contact);
  const appointment = readTypeState(value.appointment);
  const task = readTypeState(value.task);
  if (!contact || !appointment || !task) return null;
  const running = readRunning(value.running);
  return { contact, appointment, task, runs: readRuns(value.runs), ...(running ? { running } : {}) };
}

/** Kept for the pane's life only (no IndexedDB here). */
export function memorySyncStore(): SyncStateStore {
  let state: SyncState = EMPTY_SYNC_STATE;
  return {
    load: async () => state,
    save: async (next) => {
      state = next;
    },
  };
}

const requestResult = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(SYNC_DB_NAME, SYNC_DB_VERSION);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(SYNC_DB_STORE))
      request.result.createObjectStore(SYNC_DB_STORE);
  };
  return requestResult(request);
}

async function inStore<T>(
  database: IDBDatabase,
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const transaction = database.transaction(SYNC_DB_STORE, mode);
  // A write counts once its transaction commits, not when its request succeeds.
  const committed = new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write aborted'));
  });
  const [result] = await Promise.all([requestResult(use(transaction.objectStore(SYNC_DB_STORE))), committed]);
  return result;
}

/**
 * The store for one mailbox: IndexedDB when `factory` opens, else memory (said once in the log). A
 * save that fails throws: the runner says so and the next run starts from the state last saved.
 */
export function syncStateStore(
  factory: IDBFactory | undefined,
  mailbox: string,
  log: DiagnosticsLog,
): SyncStateStore {
  const key = syncStateKey(mailbox);
  const fallback = memorySyncStore();
  let database: Promise<IDBDatabase | null> | null = null;
  const open = (): Promise<IDBDatabase | null> => {
    database ??= (
      factory ? openDatabase(factory) : Promise.reject(new Error('this browser has no IndexedDB'))
    ).catch((error: unknown) => {
      log.log(
        "Synchronization: IndexedDB cannot be used, so its state is kept in memory until the pane closes (the next pane's first run reads Outlook and the CRM whole again)",
        error,
      );
      return null;
    });
    return database;
  };
  return {
    async load() {
      const db = await open();
      if (!db) return fallback.load();
      const state = readSyncState(await inStore(db, 'readonly', (store) => store.get(key)));
      if (state) return state;
      log.log(`Synchronization's stored state (${key}) does not read; starting over`);
      return EMPTY_SYNC_STATE;
    },
    async save(state) {
      const db = await open();
      if (!db) return fallback.save(state);
      await inStore(db, 'readwrite', (store) => store.put(state, key));
    },
  };
}
