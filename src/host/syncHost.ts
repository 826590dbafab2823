/**
 * The pane's synchronization put together (a chunk of its own: the Graph and Dataverse sync adapters
 * and the runner stay out of the pane's first bundle). Graph is read with the synchronization scopes
 * (contacts, calendars, tasks), asked only once a run needs them; the CRM side goes through the live
 * session's own DataverseHttp, so it shares its token and retries, and follows the session when the
 * pane opens another one (a new CRM URL, a save of the options).
 */
import { requestEventsFor } from '../app/diagnosticsEvents';
import type { DiagnosticsLog } from '../app/ports';
import type { Session } from '../app/session';
import { createSynchronization } from '../app/synchronization';
import type { Synchronization } from '../app/syncDeps';
import { networkError } from '../crm/errors';
import { DataverseSync } from '../crm/syncAdapter';
import type { CrmSyncPort } from '../crm/syncPort';
import { SYNC_SCOPES, graphTokens } from '../graph/auth';
import { GraphHttp } from '../graph/graphHttp';
import { GraphSync } from '../graph/syncAdapter';
import type { SyncEntity, SyncMapping } from '../rules/syncTypes';
import { ADDIN_ID } from './addinId';
import { CLIENT_ID } from './connection';
import type { OutlookHost } from './outlookSession';
import { syncDevice, type DeviceStorage, type SyncDevice } from './syncDevice';
import { syncStateStore } from './syncStore';

export interface PaneSyncOptions {
  readonly graphUrl: string;
  readonly userAddress: string;
  /** The pane's CRM connection as it is now (null while it has none). */
  readonly currentHost: () => OutlookHost | null;
  readonly roaming: Office.RoamingSettings;
  readonly storage: DeviceStorage;
  /** The pane's IndexedDB (undefined where there is none: the state is kept in memory). */
  readonly indexedDB: IDBFactory | undefined;
  readonly log: DiagnosticsLog;
  readonly firstRunDelayMs?: number;
  readonly fetch?: typeof fetch;
  /** Default crypto.randomUUID (a new CRM record's id, this device's id). */
  readonly newId?: () => string;
  /** The pane's Web Locks (navigator.locks; undefined where there are none: runs are not guarded). */
  readonly locks?: LockManager;
  /** The user's IANA time zone (default Intl's): the days of all-day events and task due dates. */
  readonly timeZone?: string;
}

export interface PaneSyncPart {
  readonly synchronization: Synchronization;
  /** The organization's mappings for the Options' table of synchronized fields (null: the defaults). */
  fieldMappings(entity: SyncEntity): Promise<SyncMapping[] | null>;
  readonly device: SyncDevice;
}

const withExclusive = <F>(exclusive: F | undefined): { exclusive?: F } => (exclusive ? { exclusive } : {});

/** A session synchronization can use: connected, not started from a saved snapshot. */
const liveSession = (host: OutlookHost | null): Session | null =>
  host && !host.session.offline ? host.session : null;

/** The CRM side for the session in use: one adapter per session (its http and user), made when first asked. */
function currentCrm(currentHost: () => OutlookHost | null, log: DiagnosticsLog['log']): CrmSyncPort {
  let made: { readonly host: OutlookHost; readonly port: CrmSyncPort } | null = null;
  const port = async (): Promise<CrmSyncPort> => {
    const host = currentHost();
    const session = liveSession(host);
    if (!host || !session) throw networkError('The add-in is not connected to the CRM.', null);
    if (made?.host !== host)
      made = { host, port: new DataverseSync(host.http, { userId: session.user.id, log }) };
    return made.port;
  };
  // Every argument passed on as given (the port's optional ones too: known records, progress).
  return {
    synchronizationFilters: async (...args) => (await port()).synchronizationFilters(...args),
    fieldMappings: async (...args) => (await port()).fieldMappings(...args),
    recordsInScope: async (...args) => (await port()).recordsInScope(...args),
    recordsById: async (...args) => (await port()).recordsById(...args),
    contactsByEmail: async (...args) => (await port()).contactsByEmail(...args),
    applyWrites: async (...args) => (await port()).applyWrites(...args),
  };
}

/**
 * One run at a time on this device, whatever the number of panes open on the mailbox (Outlook on the
 * web in two tabs, a pane and a pop-out): another pane's run under way means this one skips its run.
 */
function exclusiveOn(locks: LockManager | undefined, mailbox: string) {
  if (!locks) return undefined;
  const name = `track-in-crm:synchronization:${mailbox.trim().toLowerCase()}`;
  return <T>(run: () => Promise<T>): Promise<T | null> =>
    // The lock is held until the run's promise settles; the answer is the run's (not a promise of it).
    locks.request(name, { ifAvailable: true }, (lock) => (lock ? run() : null)) as Promise<T | null>;
}

export function openPaneSync(options: PaneSyncOptions): PaneSyncPart {
  const log = (message: string, error?: unknown) => options.log.log(message, error);
  const newId = options.newId ?? (() => crypto.randomUUID());
  const http = new GraphHttp({
    baseUrl: options.graphUrl,
    tokens: graphTokens({ baseUrl: options.graphUrl, clientId: CLIENT_ID, scopes: SYNC_SCOPES, log }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...requestEventsFor(options.log),
  });
  const crm = currentCrm(options.currentHost, log);
  const device = syncDevice(options.roaming, options.storage, newId, options.log);
  const synchronization = createSynchronization({
    session: () => liveSession(options.currentHost()),
    crm,
    outlook: new GraphSync({
      http,
      addinId: ADDIN_ID,
      log,
      timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    }),
    store: syncStateStore(options.indexedDB, options.userAddress, options.log),
    isSyncClient: () => device.isSyncClient(),
    ...withExclusive(exclusiveOn(options.locks, options.userAddress)),
    newId,
    clock: { now: () => Date.now() },
    timer: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    log: options.log,
    ...(options.firstRunDelayMs !== undefined ? { firstRunDelayMs: options.firstRunDelayMs } : {}),
  });
  return { synchronization, fieldMappings: (entity) => crm.fieldMappings(entity), device };
}
