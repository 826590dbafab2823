/**
 * Synchronization as the Synchronization tab follows it: a control over the "sync" chunk (syncHost.ts,
 * which the pane loads and starts when it opens, paneSync.ts), answering with a status of no run yet
 * until the chunk is there. "Synchronize now" asked before it arrives is carried over; a chunk that
 * cannot load is said in the status (`problem`), and "Synchronize now" tries it again. Loaded with the
 * tab, not in the pane's first bundle.
 */
import type { DiagnosticsLog } from '../app/ports';
import type { SyncControl, SyncStatus } from '../app/syncStatus';
import type { SyncEntity, SyncMapping } from '../rules/syncTypes';
import type { PaneSyncPart } from './syncHost';

/** The runner's status, and why the pane has no runner when its chunk could not load. */
export interface PaneSyncStatus extends SyncStatus {
  readonly problem: string | null;
}

export interface PaneSyncControl extends SyncControl {
  status(): PaneSyncStatus;
  subscribe(listener: (status: PaneSyncStatus) => void): () => void;
  /** The organization's mappings of the type, or null when Dataverse defines none (then the catalog's). */
  fieldMappings(entity: SyncEntity): Promise<SyncMapping[] | null>;
  /** Whether this device is the synchronization client (or would claim it: none is chosen yet). */
  isSyncClient(): Promise<boolean>;
  /** Makes this device the synchronization client, or (on it) none; applies from the next run. */
  chooseSyncClient(isClient: boolean): Promise<void>;
}

/** Said when the chunk cannot load; the browser's own message goes to the diagnostics log only. */
export const SYNC_CHUNK_FAILED =
  'The add-in could not load its synchronization. "Synchronize now" tries again; the details are in the diagnostics log.';

const NO_RUN_YET: PaneSyncStatus = {
  phase: 'stopped',
  progress: null,
  nextRunAt: null,
  runs: [],
  problem: null,
};

export function lazyPaneSync(load: () => Promise<PaneSyncPart>, log: DiagnosticsLog): PaneSyncControl {
  let loaded: Promise<PaneSyncPart> | null = null;
  let status = NO_RUN_YET;
  const listeners = new Set<(status: PaneSyncStatus) => void>();
  const publish = (next: SyncStatus, problem: string | null = null): void => {
    status = { ...next, problem };
    for (const listener of listeners) listener(status);
  };
  const part = (): Promise<PaneSyncPart> => {
    loaded ??= load().then(
      (sync) => {
        sync.synchronization.subscribe((next) => publish(next));
        publish(sync.synchronization.status());
        return sync;
      },
      (error: unknown) => {
        loaded = null;
        log.log('Synchronization: the Synchronization tab has no runner', error);
        publish(status, SYNC_CHUNK_FAILED);
        throw error;
      },
    );
    return loaded;
  };
  // Joins the pane's own load (or says at once that it failed).
  part().catch(() => undefined);
  return {
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async synchronizeNow() {
      const sync = await part().catch(() => null);
      if (sync) await sync.synchronization.synchronizeNow();
    },
    fieldMappings: async (entity) => (await part()).fieldMappings(entity),
    isSyncClient: async () => (await part()).device.peek(),
    chooseSyncClient: async (isClient) => (await part()).device.choose(isClient),
  };
}
