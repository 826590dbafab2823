/**
 * Finding records by what the user typed: which columns each searchable type is matched on, and the
 * order hits are shown in. Shared by the Dataverse adapter and the test fake, so both rank alike.
 */
import type { RecordSearchHit, SearchableType } from './port';

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

/** Hits in the order shown: by rank, then by name; one per record. */
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
    .sort((a, b) => a.rank - b.rank || a.hit.name.localeCompare(b.hit.name))
    .map(({ hit }) => hit);
}
