/**
 * The records a user chose as regarding lately, offered before anything is typed in a search. Pure:
 * the list is kept in roaming settings by the caller (32 KB shared by everything the add-in keeps),
 * so its stored form is small, versioned and bounded, and anything unreadable in it is dropped.
 */
import type { SearchableType } from '../crm/port';

export interface RecentRecord {
  readonly type: SearchableType;
  readonly id: string;
  readonly name: string;
}

/** At most this many, newest first. */
export const RECENT_MAX = 10;
/** A name is kept to this many characters: enough to recognise a record in a list. */
export const RECENT_NAME_MAX = 64;
/** Dataverse keys are GUIDs (36); anything longer is not one of ours. */
const ID_MAX = 64;
/** The stored form's JSON is at most this long, whatever the names hold. */
export const RECENT_STORED_MAX_CHARS = 2048;
export const RECENT_VERSION = 1;

const TYPES: ReadonlySet<string> = new Set<SearchableType>([
  'account',
  'contact',
  'lead',
  'opportunity',
  'incident',
]);

/** Stored as `{v, r: [[type, id, name], …]}`: no repeated keys, as roaming space is shared. */
export interface StoredRecent {
  readonly v: number;
  readonly r: readonly (readonly [string, string, string])[];
}

const sameRecord = (a: RecentRecord, b: RecentRecord): boolean =>
  a.type === b.type && a.id.toLowerCase() === b.id.toLowerCase();

/** Keeps the name whole code points only: a cut never leaves half a surrogate pair. */
function shortName(name: string): string {
  if (name.length <= RECENT_NAME_MAX) return name;
  let end = RECENT_NAME_MAX;
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return name.slice(0, end);
}

function usable(record: RecentRecord): boolean {
  return TYPES.has(record.type) && record.id.length > 0 && record.id.length <= ID_MAX;
}

/** The list with `record` first (its newest name), without its earlier entry, at most RECENT_MAX long. */
export function rememberRecent(list: readonly RecentRecord[], record: RecentRecord): RecentRecord[] {
  const entry = { type: record.type, id: record.id, name: shortName(record.name) };
  if (!usable(entry)) return list.slice(0, RECENT_MAX);
  return [entry, ...list.filter((r) => !sameRecord(r, entry))].slice(0, RECENT_MAX);
}

/** The list without a record (one deleted in the CRM, or no longer found). */
export function forgetRecent(
  list: readonly RecentRecord[],
  record: Pick<RecentRecord, 'type' | 'id'>,
): RecentRecord[] {
  return list.filter((r) => !sameRecord(r, { ...record, name: '' }));
}

/** Only the records of the given types (all when `types` is empty), order kept. */
export function recentOfTypes(
  list: readonly RecentRecord[],
  types: readonly SearchableType[],
): RecentRecord[] {
  return types.length === 0 ? [...list] : list.filter((r) => types.includes(r.type));
}

/** The stored form. Oldest entries go first if names full of escaped characters would pass the bound. */
export function toStoredRecent(list: readonly RecentRecord[]): StoredRecent {
  const rows = list
    .slice(0, RECENT_MAX)
    .map((r): readonly [string, string, string] => [r.type, r.id, shortName(r.name)]);
  while (rows.length > 0 && JSON.stringify({ v: RECENT_VERSION, r: rows }).length > RECENT_STORED_MAX_CHARS)
    rows.pop();
  return { v: RECENT_VERSION, r: rows };
}

/**
 * The list from what roaming settings hold: another version, another shape or a bad entry (another
 * runtime's write, an older add-in) gives what can be read, never an error, since the list is only
 * a convenience. Read again through `rememberRecent`'s rules, so a stored list cannot break them.
 */
export function fromStoredRecent(stored: unknown): RecentRecord[] {
  if (typeof stored !== 'object' || stored === null) return [];
  const { v, r } = stored as { v?: unknown; r?: unknown };
  if (v !== RECENT_VERSION || !Array.isArray(r)) return [];
  const list: RecentRecord[] = [];
  for (const row of r.slice(0, RECENT_MAX)) {
    if (!Array.isArray(row)) continue;
    const [type, id, name] = row as unknown[];
    if (typeof type !== 'string' || typeof id !== 'string' || typeof name !== 'string') continue;
    const record = { type: type as SearchableType, id, name: shortName(name) };
    if (usable(record) && !list.some((r) => sameRecord(r, record))) list.push(record);
  }
  return list;
}
