/**
 * The words and choices of a regarding record search, shared by the pane's search and the Set
 * Regarding dialog so both say the same: the record-type filter and the count of what was found.
 */
import type { SearchableType } from '../crm/port';

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
  if (shown === 0) return `No ${SINGULAR[filter]} matches "${query}".`;
  const count = more ? `${shown}+` : String(shown);
  const noun = shown === 1 && !more ? SINGULAR[filter] : PLURAL[filter];
  return `${count} ${noun} found.`;
}
