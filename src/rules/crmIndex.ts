/**
 * An index over the CRM records and tracked emails a decision looks at, built once and reused, so
 * that a decision is a handful of hash lookups and never a scan (budget: 100,000 decisions/s with
 * 100,000 addresses indexed). Built from whatever the CRM lookup returned for one item, or from a
 * whole local cache; the rules do not care which.
 */
import { addressKey } from './addresses';
import { normalizeMessageId } from './messageId';
import { threadIndexKey } from './threadIndex';
import { trackingTokenDigits } from './trackingToken';
import type { CrmRecord, FolderMapping, TrackedEmail } from './types';

/** One record an address matches, and whether the address is that record's primary one (§2.4). */
export interface AddressMatch {
  readonly record: CrmRecord;
  readonly primary: boolean;
  /** Position in "created first" order (§2.1 step 8): lower wins. */
  readonly rank: number;
}

export interface CrmIndex {
  /** Active records by address key; inactive records never match (§2.4). */
  readonly recordsByAddress: ReadonlyMap<string, readonly AddressMatch[]>;
  readonly trackedByMessageId: ReadonlyMap<string, readonly TrackedEmail[]>;
  readonly trackedByThreadIndex: ReadonlyMap<string, readonly TrackedEmail[]>;
  /** Tracked emails by each of their addresses: smart matching's candidates (§3.4). */
  readonly trackedByAddress: ReadonlyMap<string, readonly TrackedEmail[]>;
  readonly tracked: readonly TrackedEmail[];
  readonly folderMappings: readonly FolderMapping[];
  /** Tracked emails by token digits for one configured prefix (§3.2); built on first use per prefix. */
  trackedByTokenDigits(prefix: string): ReadonlyMap<string, readonly TrackedEmail[]>;
  /** Per-index memo for derived views that depend on settings (smart-matching reductions). */
  readonly memo: Map<string, unknown>;
}

/** §2.1 step 8 tie order: systemuser, contact, account, lead, queue, then others by type name. */
const TYPE_ORDER: Readonly<Record<string, number>> = {
  systemuser: 0,
  contact: 1,
  account: 2,
  lead: 3,
  queue: 4,
};

/** Compares two records by "created first" (§2.1 step 8). Ids compare by UTF-16 code units (ordinal). */
export function compareCreatedFirst(a: CrmRecord, b: CrmRecord): number {
  const at = createdMillis(a);
  const bt = createdMillis(b);
  if (at !== bt) return at < bt ? -1 : 1;
  const ao = TYPE_ORDER[a.type] ?? 5;
  const bo = TYPE_ORDER[b.type] ?? 5;
  if (ao !== bo) return ao - bo;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function createdMillis(record: CrmRecord): number {
  const ms = Date.parse(record.createdOn);
  // A record with no readable creation time sorts last: it cannot claim to be first.
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildCrmIndex(
  records: readonly CrmRecord[],
  trackedEmails: readonly TrackedEmail[],
  folderMappings: readonly FolderMapping[] = [],
): CrmIndex {
  const ranked = records.filter((r) => r.active).sort(compareCreatedFirst);
  const recordsByAddress = new Map<string, AddressMatch[]>();
  ranked.forEach((record, rank) => {
    const seen = new Set<string>();
    record.emails.forEach((email, position) => {
      if (typeof email !== 'string') return;
      const key = addressKey(email);
      if (key === '') return;
      if (seen.has(key)) {
        // The same address twice on one record is one match; it is primary if either slot is.
        if (position === 0) {
          const list = recordsByAddress.get(key) ?? [];
          const i = list.findIndex((m) => m.record === record);
          if (i >= 0) list[i] = { record, primary: true, rank };
        }
        return;
      }
      seen.add(key);
      push(recordsByAddress, key, { record, primary: position === 0, rank });
    });
  });

  const trackedByMessageId = new Map<string, TrackedEmail[]>();
  const trackedByThreadIndex = new Map<string, TrackedEmail[]>();
  const trackedByAddress = new Map<string, TrackedEmail[]>();
  for (const tracked of trackedEmails) {
    if (tracked.messageId) {
      const id = normalizeMessageId(tracked.messageId);
      if (id) push(trackedByMessageId, id, tracked);
    }
    if (tracked.threadIndex) {
      const key = threadIndexKey(tracked.threadIndex);
      if (key) push(trackedByThreadIndex, key, tracked);
    }
    const seen = new Set<string>();
    for (const address of tracked.addresses) {
      const key = addressKey(address);
      if (key && !seen.has(key)) {
        seen.add(key);
        push(trackedByAddress, key, tracked);
      }
    }
  }

  const byPrefix = new Map<string, Map<string, TrackedEmail[]>>();
  return {
    recordsByAddress,
    trackedByMessageId,
    trackedByThreadIndex,
    trackedByAddress,
    tracked: trackedEmails,
    folderMappings,
    trackedByTokenDigits(prefix: string) {
      const cacheKey = prefix.toLowerCase();
      let map = byPrefix.get(cacheKey);
      if (!map) {
        map = new Map();
        for (const tracked of trackedEmails) {
          // A stored value is a token only under the configured prefix, in any case (§3.2).
          const digits = tracked.trackingToken ? trackingTokenDigits(tracked.trackingToken, prefix) : null;
          if (digits) push(map, digits, tracked);
        }
        byPrefix.set(cacheKey, map);
      }
      return map;
    },
    memo: new Map(),
  };
}

// Parsed once per tracked email: Date.parse on every comparison was a tenth of a decision's time.
const receivedMillis = new WeakMap<TrackedEmail, number>();
function receivedTime(tracked: TrackedEmail): number {
  let time = receivedMillis.get(tracked);
  if (time === undefined) {
    const ms = tracked.receivedAt ? Date.parse(tracked.receivedAt) : Number.NaN;
    time = Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
    receivedMillis.set(tracked, time);
  }
  return time;
}

/** The latest of tracked emails by `receivedAt`; on a tie (or no time) the one listed first. */
export function latestTracked(candidates: readonly TrackedEmail[]): TrackedEmail | undefined {
  if (candidates.length <= 1) return candidates[0];
  let best: TrackedEmail | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const candidate of candidates) {
    const time = receivedTime(candidate);
    if (best === undefined || time > bestTime) {
      best = candidate;
      bestTime = time;
    }
  }
  return best;
}
