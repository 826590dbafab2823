/**
 * The words and choices of a regarding record search, shared by the pane's search and the Set
 * Regarding dialog so both say the same: the record-type filter and the count of what was found.
 */
import type { CrmPort, FoundRecords, SearchableType } from '../crm/port';

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

/** The types a filter keeps, as `recentOfTypes` takes them: none listed for All (every type). */
export function typesOf(filter: RecordTypeFilter): SearchableType[] {
  return filter === 'all' ? [] : [filter];
}

/**
 * The count as the user reads it: the true number, or "10+" when the CRM has more than the list
 * shows (a bare "10" would claim there are exactly ten).
 */
export function foundText(shown: number, more: boolean, filter: RecordTypeFilter, query: string): string {
  if (shown === 0) return `No ${SINGULAR[filter]} matches "${query}".`;
  const count = more ? `${shown}+` : String(shown);
  const noun = shown === 1 && !more ? SINGULAR[filter] : PLURAL[filter];
  return `${count} ${noun} found.`;
}

/** How many results a search shows. */
export const SEARCH_SHOWN = 10;

/**
 * The records a regarding search shows for the filter, with whether the CRM has more than shown
 * (the port counts every match, so "10+" is true).
 */
export function findRegardingRecords(
  crm: Pick<CrmPort, 'findRecords'>,
  text: string,
  filter: RecordTypeFilter,
): Promise<FoundRecords> {
  return crm.findRecords(
    text,
    filter === 'all' ? { top: SEARCH_SHOWN } : { types: [filter], top: SEARCH_SHOWN },
  );
}
