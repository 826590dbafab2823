/**
 * How the pane's views reach synchronization: boot.ts hands the pane a controller that also carries
 * it (`synchronization`), since the pane state and its actions (types.ts, actions.ts) do not name it.
 * The Synchronization tab keeps its own small store (syncTabModel.ts) over the runner's status.
 */
import type { PaneSyncSetup } from '../../host/paneSync';

// The pane's components import no host code: they take these types from here.
export type { PaneSyncControl, PaneSyncStatus } from '../../host/lazySync';
export type { SyncUnavailable } from '../../host/paneSync';

/** Synchronization's chunk and how to load it, or why this pane has none. */
export type PaneSyncAccess = PaneSyncSetup;

/** What the pane is handed when it synchronizes (or knows why not). */
export interface SyncCarrier {
  readonly synchronization: PaneSyncAccess;
}

/** The synchronization the pane's actions carry, or null (tests, an older controller). */
export function syncAccessOf(actions: object): PaneSyncAccess | null {
  const carried = (actions as Partial<SyncCarrier>).synchronization;
  return typeof carried === 'object' ? carried : null;
}
