/**
 * What the background check keeps between cycles and across restarts of the pane
 * (background-check.md §1.2 step 3, §1.5, §1.6): where each folder's delta stopped, the items seen
 * at the version they were seen, the aggressive cycles left, and the items carried to a later cycle
 * (deferred by the item limit, or whose tag could not be written). The host keeps it in
 * localStorage (src/host/backgroundStore.ts); tests keep it in memory.
 */
import type { SeenEntry } from '../rules/backgroundCycle';
import type { GraphFolder } from '../graph/port';

/** A seen entry with when it was seen (epoch ms), so entries past the lookback can be let go. */
export interface SeenRecord extends SeenEntry {
  readonly at: number;
}

/** An item a later cycle takes up again: a delta gives an item once, so the id is kept here. */
export interface CarriedItem {
  readonly itemId: string;
  readonly folder: GraphFolder;
  /**
   * When it was received (deferred items): after a restart only the next `backgroundMaxItems`,
   * oldest first, are read again by id, not every item a huge first round deferred.
   */
  readonly receivedAt?: string;
}

/** An item whose track waits in the pending queue, under the queue's key for it. */
export interface QueuedItem extends CarriedItem {
  readonly key: string;
}

export interface BackgroundState {
  /** Each folder's delta watermark, by the folder's name in lower case. */
  readonly watermarks: Readonly<Record<string, string>>;
  readonly seen: readonly SeenRecord[];
  readonly aggressiveCyclesLeft: number;
  /** Left for a later cycle by `backgroundMaxItems` (§1.2 step 5), in the planner's order. */
  readonly deferred: readonly CarriedItem[];
  /** Decided, but their tag (category and custom property) could not be written: looked at again. */
  readonly retry: readonly CarriedItem[];
  /**
   * Seen, their track waiting in the pending queue (§1.6). The pane's queue tags only the item on
   * screen when it delivers; once the entry has left the queue the check looks at the item again,
   * to tag it with the activity made (never to track it again: a discarded track stays discarded).
   */
  readonly queued: readonly QueuedItem[];
}

export const EMPTY_BACKGROUND_STATE: BackgroundState = {
  watermarks: {},
  seen: [],
  aggressiveCyclesLeft: 0,
  deferred: [],
  retry: [],
  queued: [],
};

export interface BackgroundStateStore {
  load(): Promise<BackgroundState>;
  save(state: BackgroundState): Promise<void>;
}

/** The key a folder's watermark is kept under. */
export const folderKey = (folder: GraphFolder): string =>
  ('wellKnown' in folder ? folder.wellKnown : folder.path).trim().toLowerCase();
