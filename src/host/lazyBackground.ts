/**
 * The background check as the pane's first bundle holds it: a stand-in that loads the real one (the
 * "background" chunk, backgroundHost.ts) when the pane starts it, and until then answers with a status
 * that says it is starting. Listeners, "Check now" and the folder editor's calls made before the chunk
 * arrives are carried over, not dropped; a chunk that cannot load is said in the status.
 */
import { NO_COUNTS, type BackgroundCheckControl, type BackgroundStatus } from '../app/backgroundStatus';
import { loadPart } from '../crm/lazyPart';
import type { FolderMappingPort } from '../crm/folderMappingPort';
import type { DiagnosticsLog } from '../app/ports';
import type { MailFolderPort } from '../graph/folderPort';
import type { PaneBackground } from './backgroundHost';

export interface LazyPaneBackground {
  readonly control: BackgroundCheckControl;
  readonly folderMappings: FolderMappingPort;
  readonly mailFolders: MailFolderPort;
  /** Loads the chunk and starts the runner (the first cycle FIRST_CYCLE_DELAY_MS later). */
  start(): void;
  /** No cycle starts after this (the pane is closing). */
  stop(): void;
}

const STARTING: BackgroundStatus = {
  phase: 'starting',
  lastCycle: null,
  nextRunAt: null,
  lastError: null,
  actions: [],
  sessionCounts: NO_COUNTS,
};

/** Said when the chunk cannot load; the browser's own message goes to the diagnostics log only. */
export const CHUNK_FAILED =
  'The add-in could not load its background check. "Check now" tries again; the details are in the diagnostics log.';

export function lazyPaneBackground(
  load: () => Promise<PaneBackground>,
  log?: DiagnosticsLog,
): LazyPaneBackground {
  let loading: Promise<PaneBackground> | null = null;
  let loaded: PaneBackground | null = null;
  let status = STARTING;
  let stopped = false;
  let checkWanted = false;
  const listeners = new Set<(status: BackgroundStatus) => void>();
  const publish = (next: BackgroundStatus): void => {
    status = next;
    for (const listener of listeners) listener(next);
  };
  const part = (): Promise<PaneBackground> => {
    loading ??= loadPart(load).then(
      (bg) => {
        loaded = bg;
        bg.check.subscribe(publish);
        return bg;
      },
      (error: unknown) => {
        loading = null;
        log?.log('Background check: its chunk could not be loaded', error);
        publish({ ...status, phase: 'stopped', lastError: CHUNK_FAILED });
        throw error;
      },
    );
    return loading;
  };

  const start = (): void => {
    stopped = false;
    part().then(
      (bg) => {
        if (stopped) return;
        bg.check.start();
        publish(bg.check.status());
        if (checkWanted) {
          checkWanted = false;
          bg.check.checkNow();
        }
      },
      // Already in the status; "Check now" tries the chunk again.
      () => undefined,
    );
  };

  return {
    control: {
      status: () => status,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      checkNow() {
        if (loaded) {
          loaded.check.checkNow();
        } else {
          checkWanted = true;
          if (!loading && !stopped) start();
        }
      },
    },
    folderMappings: {
      list: async (userId) => (await part()).folderMappings.list(userId),
      add: async (userId, mapping) => (await part()).folderMappings.add(userId, mapping),
      remove: async (mappingId) => (await part()).folderMappings.remove(mappingId),
    },
    mailFolders: {
      listFolders: async () => (await part()).mailFolders.listFolders(),
    },
    start,
    stop() {
      stopped = true;
      loaded?.check.stop();
    },
  };
}
