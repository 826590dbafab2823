/**
 * The synchronization runner wired as a pane wires it, onto sync adapters the caller builds (on the
 * emulators, with their own counted fetch): state in memory, this device the sync client, and a timer
 * that only holds the next scheduled run, so runs happen when the caller says. What the integration
 * test and the bench of synchronization share.
 */
import type { Session } from '../../src/app/session';
import { createSynchronization } from '../../src/app/synchronization';
import type { Synchronization } from '../../src/app/syncDeps';
import { EMPTY_SYNC_STATE, type SyncState } from '../../src/app/syncStatus';
import type { DataverseSync } from '../../src/crm/syncAdapter';
import type { GraphSync } from '../../src/graph/syncAdapter';

export interface SyncOnEmulators {
  readonly sync: Synchronization;
  readonly state: () => SyncState;
  /** The next scheduled run, over when it resolves (it keeps the filters and mappings read; Synchronize now reads them again). */
  runScheduled(): Promise<void>;
}

export function startSyncOnEmulators(deps: {
  readonly session: Session;
  readonly crm: DataverseSync;
  readonly outlook: GraphSync;
  readonly log: (message: string, error?: unknown) => void;
}): SyncOnEmulators {
  let state: SyncState = EMPTY_SYNC_STATE;
  let due: (() => void) | null = null;
  const sync = createSynchronization({
    session: () => deps.session,
    crm: deps.crm,
    outlook: deps.outlook,
    store: {
      load: async () => state,
      save: async (next) => {
        state = next;
      },
    },
    isSyncClient: () => true,
    newId: () => crypto.randomUUID(),
    clock: { now: () => Date.now() },
    timer: {
      setTimeout: (fn: () => void) => {
        due = fn;
        return 0;
      },
      clearTimeout: () => {
        due = null;
      },
    },
    log: { log: deps.log },
  });
  sync.start();
  return {
    sync,
    state: () => state,
    runScheduled: async () => {
      const fire = due;
      due = null;
      fire?.();
      await sync.settled();
    },
  };
}
