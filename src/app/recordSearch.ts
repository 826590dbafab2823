/**
 * The words and choices of a regarding record search, shared by the pane's search and the Set
 * Regarding dialog so both say the same: the record-type filter and the count of what was found.
 */
import type { CrmPort, RecordSearchHit, SearchableType } from '../crm/port';

export type RecordTypeFilter = 'all' | SearchableType;

/** The filter's choices, in the order shown. */
export const RECORD_TYPE_FILTERS: readonly { readonly value: RecordTypeFilter; readonly label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'account', label: 'Accounts' },
  { value: 'contact', label: 'Contacts' },
  { value: 'lead', label: 'Leads' },
  { value: 'opportunity', label: 'Opportunities' },
  { value: 'incident', label: 'Cases' },
];

const SINGULAR: Readonly<Record<RecordTypeFilter, string>> = {
  all: 'record',
  account: 'account',
  contact: 'contact',
  lead: 'lead',
  opportunity: 'opportunity',
  incident: 'case',
};
const PLURAL: Readonly<Record<RecordTypeFilter, string>> = {
  all: 'records',
  account: 'accounts',
  contact: 'contacts',
  lead: 'leads',
  opportunity: 'opportunities',
  incident: 'cases',
};

/** A filter value from untrusted text (a `<select>`, a stored choice): anything unknown is All. */
export function recordTypeFilter(value: string | null | undefined): RecordTypeFilter {
  return RECORD_TYPE_FILTERS.some((f) => f.value === value) ? (value as RecordTypeFilter) : 'all';
}

/** The types a search asks for: every type for All. */
export function typesOf(filter: RecordTypeFilter): SearchableType[] {
  return filter === 'all' ? [] : [filter];
}

/**
 * The count as the user reads it: the true number, or "10+" when the CRM has more than the list
 * shows (a bare "10" would claim there are exactly ten).
 */
export function foundText(shown: number, more: boolean, filter: RecordTypeFilter, query: string): string {
  if (shown === 0)
    return more
      ? `No ${SINGULAR[filter]} among the closest matches of "${query}": type more of the name.`
      : `No ${SINGULAR[filter]} matches "${query}".`;
  const count = more ? `${shown}+` : String(shown);
  const noun = shown === 1 && !more ? SINGULAR[filter] : PLURAL[filter];
  return `${count} ${noun} found.`;
}

/** How many results a search shows. */
export const SEARCH_SHOWN = 10;
/**
 * With a type filter, the port's search (best matches across all types) is asked for this many, so
 * that the filtered list is complete when the answer is shorter than this.
 */
export const SEARCH_WIDE = 50;

export interface FoundRecords {
  readonly hits: readonly RecordSearchHit[];
  /** The CRM has more matches than `hits` (shown as "10+"). */
  readonly more: boolean;
}

/**
 * The records a regarding search shows, with whether there are more. All: one more than shown is
 * asked for, so "more" is exact. One type: the port searches every type and keeps the best `top`,
 * so a short answer (under SEARCH_WIDE) holds every match of that type, and a full one may have cut
 * some: then the count says "+" (at least), never a number that claims to be all.
 */
export async function findRegardingRecords(
  crm: Pick<CrmPort, 'searchRecords'>,
  text: string,
  filter: RecordTypeFilter,
): Promise<FoundRecords> {
  if (filter === 'all') {
    const found = await crm.searchRecords(text, SEARCH_SHOWN + 1);
    return { hits: found.slice(0, SEARCH_SHOWN), more: found.length > SEARCH_SHOWN };
  }
  const found = await crm.searchRecords(text, SEARCH_WIDE);
  const ofType = found.filter((hit) => hit.type === filter);
  return {
    hits: ofType.slice(0, SEARCH_SHOWN),
    more: ofType.length > SEARCH_SHOWN || found.length >= SEARCH_WIDE,
  };
}
