/**
 * The background check's state in the pane's localStorage, one key per mailbox. Not in roaming
 * settings: those hold 32 KB in all, shared with the pending queue, and a first cycle's `seen` list
 * (hundreds of Graph ids) alone can pass that; the state is also this machine's (each client keeps
 * its own delta watermarks). A value that does not read as a state is started over: the lookback
 * window bounds what that costs, and tracks found already made are tagged, never made twice.
 */
import {
  EMPTY_BACKGROUND_STATE,
  type BackgroundState,
  type BackgroundStateStore,
  type CarriedItem,
  type QueuedItem,
  type SeenRecord,
} from '../app/backgroundState';
import type { DiagnosticsLog } from '../app/ports';
import type { GraphFolder } from '../graph/port';

/** The part of the Web Storage API used (localStorage in the pane; a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const backgroundStateKey = (mailbox: string): string =>
  `track-in-crm:background:${mailbox.trim().toLowerCase()}`;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function readFolder(v: unknown): GraphFolder | null {
  if (!isObject(v)) return null;
  if (typeof v.wellKnown === 'string') return { wellKnown: v.wellKnown };
  if (typeof v.path !== 'string') return null;
  return typeof v.id === 'string' ? { path: v.path, id: v.id } : { path: v.path };
}

function readCarried(v: unknown): CarriedItem[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((c: unknown): CarriedItem[] => {
    const folder = isObject(c) ? readFolder(c.folder) : null;
    if (!isObject(c) || typeof c.itemId !== 'string' || !folder) return [];
    return typeof c.receivedAt === 'string'
      ? [{ itemId: c.itemId, folder, receivedAt: c.receivedAt }]
      : [{ itemId: c.itemId, folder }];
  });
}

function readQueued(v: unknown): QueuedItem[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((q: unknown) => {
    const [carried] = readCarried([q]);
    return carried && isObject(q) && typeof q.key === 'string' ? [{ ...carried, key: q.key }] : [];
  });
}

function readSeen(v: unknown): SeenRecord[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((s: unknown) =>
    isObject(s) && typeof s.itemId === 'string' && typeof s.changeKey === 'string' && typeof s.at === 'number'
      ? [{ itemId: s.itemId, changeKey: s.changeKey, at: s.at }]
      : [],
  );
}

/** A stored value → the state; entries of the wrong shape are dropped one by one. */
export function readBackgroundState(text: string | null): BackgroundState | null {
  if (text === null) return EMPTY_BACKGROUND_STATE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  const watermarks: Record<string, string> = {};
  if (isObject(parsed.watermarks))
    for (const [key, value] of Object.entries(parsed.watermarks))
      if (typeof value === 'string') watermarks[key] = value;
  const left = parsed.aggressiveCyclesLeft;
  return {
    watermarks,
    seen: readSeen(parsed.seen),
    aggressiveCyclesLeft: typeof left === 'number' && Number.isInteger(left) && left >= 0 ? left : 0,
    deferred: readCarried(parsed.deferred),
    retry: readCarried(parsed.retry),
    queued: readQueued(parsed.queued),
  };
}

export function localBackgroundStore(
  storage: KeyValueStorage,
  mailbox: string,
  log: DiagnosticsLog,
): BackgroundStateStore {
  const key = backgroundStateKey(mailbox);
  return {
    async load() {
      const state = readBackgroundState(storage.getItem(key));
      if (state) return state;
      log.log(`The background check's stored state (${key}) does not read; starting over`);
      return EMPTY_BACKGROUND_STATE;
    },
    async save(state) {
      // A full storage throws (QuotaExceededError): the runner says so and reads the same mail again.
      storage.setItem(key, fittedState(state, log));
    },
  };
}

/** The most the state may take in localStorage (JSON characters); the pane's storage is 5 MB in all. */
export const MAX_STATE_CHARS = 1_000_000;

/**
 * The state as JSON within MAX_STATE_CHARS. Over it, the oldest seen entries go first (an item let go
 * is looked at again only if it changes, and then found tagged), then the newest deferred items (they
 * are read again only if they change). What was let go is said in the log.
 */
export function fittedState(state: BackgroundState, log: DiagnosticsLog): string {
  let text = JSON.stringify(state);
  if (text.length <= MAX_STATE_CHARS) return text;
  let seen = [...state.seen].sort((a, b) => b.at - a.at);
  let deferred = [...state.deferred];
  const fits = (): boolean => {
    text = JSON.stringify({ ...state, seen, deferred });
    return text.length <= MAX_STATE_CHARS;
  };
  // A tenth at a time: a few serializations, not one per entry.
  while (!fits() && seen.length > 0) seen = seen.slice(0, Math.floor(seen.length * 0.9));
  while (!fits() && deferred.length > 0) deferred = deferred.slice(0, Math.floor(deferred.length * 0.9));
  log.log(
    `The background check's state passed ${MAX_STATE_CHARS} characters: ${state.seen.length - seen.length} seen and ${state.deferred.length - deferred.length} deferred items let go`,
  );
  return text;
}
