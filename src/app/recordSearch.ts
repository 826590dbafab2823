/**
 * The words and choices of a regarding record search, shared by the pane's search and the Set
 * Regarding dialog so both say the same: the record-type filter and the count of what was found.
 */
import type { CrmPort, FoundRecords, SearchableType } from '../crm/port';
import { englishAppPaneWords } from './appPaneWords';
import type { AppKey, AppTranslate } from './appWords';

export type RecordTypeFilter = 'all' | SearchableType;

/** The filter's choices, in the order shown; `label` is English, `labelKey` names it in any language. */
export const RECORD_TYPE_FILTERS: readonly {
  readonly value: RecordTypeFilter;
  readonly label: string;
  readonly labelKey: AppKey;
}[] = (
  [
    ['all', 'All'],
    ['account', 'Account'],
    ['contact', 'Contact'],
    ['lead', 'Lead'],
    ['opportunity', 'Opportunity'],
    ['incident', 'Incident'],
  ] as const
).map(([value, name]) => ({
  value,
  labelKey: `appPane.filter${name}` satisfies AppKey,
  label: englishAppPaneWords(`appPane.filter${name}`),
}));

/** The filter's part of a message's key: each type has its own sentences, as languages inflect each noun apart. */
const KEY_PART: Readonly<
  Record<RecordTypeFilter, 'All' | 'Account' | 'Contact' | 'Lead' | 'Opportunity' | 'Incident'>
> = {
  all: 'All',
  account: 'Account',
  contact: 'Contact',
  lead: 'Lead',
  opportunity: 'Opportunity',
  incident: 'Incident',
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
export function foundText(
  shown: number,
  more: boolean,
  filter: RecordTypeFilter,
  query: string,
  t: AppTranslate = englishAppPaneWords,
): string {
  const part = KEY_PART[filter];
  if (shown === 0) return t(`appPane.noneFound${part}`, { query });
  return more ? t(`appPane.foundMore${part}`, { count: shown }) : t(`appPane.found${part}`, { count: shown });
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
