/**
 * Finding records by what the user typed, and reading given records again: which columns each
 * searchable type is matched on, the queries, and the order hits are shown in. The adapter loads this
 * file as a chunk on the first search; the test fake ranks with the same functions.
 */
import type { RecordRef } from '../rules/types';
import type { BatchResponse } from './batch';
import { entity } from './entities';
import { and, collectionPath, contains, guid, or, startsWith } from './odata';
import type { FindRecordsOptions, FoundRecords, RecordSearchHit, SearchableType } from './port';

/** GETs in one $batch, each answer checked (the adapter's). */
export type GetBatch = (paths: readonly string[]) => Promise<(BatchResponse | undefined)[]>;

type Row = Record<string, unknown>;
/** Keys a part asks for at most (one `or` of `key eq` each). */
const IDS_PER_PART = 50;
const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns matched per type: the name, and the primary address where the type has one. */
export const SEARCH_COLUMNS: Readonly<Record<SearchableType, { name: string; email: string | null }>> = {
  account: { name: 'name', email: 'emailaddress1' },
  contact: { name: 'fullname', email: 'emailaddress1' },
  lead: { name: 'fullname', email: 'emailaddress1' },
  opportunity: { name: 'name', email: null },
  incident: { name: 'title', email: null },
};

export const SEARCHABLE_TYPES = Object.keys(SEARCH_COLUMNS) as SearchableType[];

/**
 * Exact name or address first, then a prefix of either (what the user most likely means), then a
 * word of the name starting with it, then any other substring.
 */
export function searchRank(term: string, name: string, email: string | null): number {
  const t = term.toLowerCase();
  const n = name.toLowerCase();
  const e = (email ?? '').toLowerCase();
  if (n === t || e === t) return 0;
  if (n.startsWith(t) || e.startsWith(t)) return 1;
  if (n.split(/\s+/).some((word) => word.startsWith(t))) return 2;
  return 3;
}

/**
 * Names compared as a person reads them: "Walk 2" before "Walk 10" (numeric), and case or accents
 * alone do not reorder (base). The CRM's `$orderby` compares text, so it only picks which rows come.
 */
const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Hits in the order shown: by rank, then by name; one per record. Equal names keep the CRM's order. */
export function rankHits(term: string, hits: readonly RecordSearchHit[]): RecordSearchHit[] {
  const seen = new Set<string>();
  return hits
    .filter((h) => {
      const key = `${h.type}:${h.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((hit) => ({ hit, rank: searchRank(term, hit.name, hit.email) }))
    .sort((a, b) => a.rank - b.rank || byName.compare(a.hit.name, b.hit.name))
    .map(({ hit }) => hit);
}

function rows(response: BatchResponse | undefined): Row[] {
  const value = (response?.body as { value?: unknown } | null)?.value;
  return Array.isArray(value) ? (value as Row[]) : [];
}

function searchHit(type: SearchableType, row: Row): RecordSearchHit | null {
  const text = (name: string): string | null =>
    typeof row[name] === 'string' ? (row[name] as string) : null;
  const id = text(entity(type).key);
  if (!id) return null;
  const columns = SEARCH_COLUMNS[type];
  return {
    type,
    id: id.toLowerCase(),
    name: text(columns.name) ?? '',
    email: columns.email ? text(columns.email) : null,
  };
}

/**
 * Per type, two parts of ONE $batch, each ordered by name and asking for top+1: names or addresses
 * STARTING with the text, and those CONTAINING it. The first keeps prefix matches from being cut
 * off by many substring matches; the +1 tells whether more match than are shown.
 */
export async function findRecords(
  getBatch: GetBatch,
  text: string,
  options: FindRecordsOptions,
): Promise<FoundRecords> {
  const term = text.trim();
  const top = Math.max(0, Math.floor(options.top));
  if (!term || top === 0) return { hits: [], more: false };
  const types = SEARCHABLE_TYPES.filter((t) => !options.types || options.types.includes(t));
  const path = (type: SearchableType, match: (column: string, text: string) => string): string => {
    const info = entity(type);
    const columns = SEARCH_COLUMNS[type];
    const fields = columns.email ? [columns.name, columns.email] : [columns.name];
    return collectionPath(info.set, {
      select: [info.key, ...fields],
      filter: and(info.activeFilter, or(...fields.map((f) => match(f, term)))),
      orderby: `${columns.name} asc`,
      top: top + 1,
    });
  };
  const responses = await getBatch(types.flatMap((type) => [path(type, startsWith), path(type, contains)]));
  const hits: RecordSearchHit[] = [];
  let more = false;
  let matching = 0;
  types.forEach((type, i) => {
    const contained = rows(responses[2 * i + 1]);
    // The containing part holds every match of this type unless it overflowed.
    if (contained.length > top) more = true;
    matching += contained.length;
    for (const row of [...rows(responses[2 * i]), ...contained]) {
      const hit = searchHit(type, row);
      if (hit) hits.push(hit);
    }
  });
  return { hits: rankHits(term, hits).slice(0, top), more: more || matching > top };
}

/** Per type, parts of ONE $batch by key; in the order asked, active records only. */
export async function recordsByIds(
  getBatch: GetBatch,
  refs: readonly RecordRef[],
): Promise<RecordSearchHit[]> {
  const parts: { type: SearchableType; path: string }[] = [];
  for (const type of SEARCHABLE_TYPES) {
    const ids = [
      ...new Set(refs.filter((r) => r.type === type && GUID_TEXT.test(r.id)).map((r) => r.id.toLowerCase())),
    ];
    const info = entity(type);
    const columns = SEARCH_COLUMNS[type];
    for (let i = 0; i < ids.length; i += IDS_PER_PART)
      parts.push({
        type,
        path: collectionPath(info.set, {
          select: [info.key, columns.name, ...(columns.email ? [columns.email] : [])],
          filter: and(
            info.activeFilter,
            or(...ids.slice(i, i + IDS_PER_PART).map((id) => `${info.key} eq ${guid(id)}`)),
          ),
        }),
      });
  }
  if (parts.length === 0) return [];
  const responses = await getBatch(parts.map((p) => p.path));
  const found = new Map<string, RecordSearchHit>();
  parts.forEach(({ type }, i) => {
    for (const row of rows(responses[i])) {
      const hit = searchHit(type, row);
      if (hit) found.set(`${type}:${hit.id}`, hit);
    }
  });
  return refs.flatMap((r) => {
    const hit = found.get(`${r.type}:${r.id.toLowerCase()}`);
    return hit ? [hit] : [];
  });
}
