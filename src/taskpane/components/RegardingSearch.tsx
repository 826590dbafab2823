/**
 * Type-ahead search for a regarding record: a record-type filter, a combobox input and a listbox of
 * results, navigable with the arrow keys, Enter to choose, Escape to close. Before anything is
 * typed the records chosen lately are offered. Each result shows its type and email; names are
 * untrusted text, rendered as text.
 */
import { useState, type KeyboardEvent } from 'react';
import {
  Body1,
  Caption1,
  Field,
  Input,
  Select,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { RecordSearchHit } from '../../crm/port';
import type { RecentRecord } from '../../app/recentRecords';
import {
  foundText,
  RECORD_TYPE_FILTERS,
  recordTypeFilter,
  type RecordTypeFilter,
} from '../../app/recordSearch';
import type { PaneActions } from '../actions';
import { typeLabel } from '../controller/format';
import type { SearchView } from '../controller/types';
import { usePaneStrings } from '../strings';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    maxHeight: '240px',
    overflowY: 'auto',
  },
  option: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    cursor: 'pointer',
    overflowWrap: 'anywhere',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
    outlineOffset: '-2px',
  },
  meta: { color: tokens.colorNeutralForeground3 },
});

export interface RegardingSearchProps {
  readonly search: SearchView;
  readonly actions: PaneActions;
  readonly busy: boolean;
  /** The record-type filter; shown when `onFilterChange` is given (the search then asks by type). */
  readonly filter?: RecordTypeFilter;
  readonly onFilterChange?: (filter: RecordTypeFilter) => void;
  /** The CRM has more matches than `search.hits` shows: the count reads "10+". */
  readonly more?: boolean;
  /** Records chosen lately, newest first: offered while the search box is empty. */
  readonly recent?: readonly RecentRecord[];
  /** The record chosen for this email, named so the user sees what the search would replace. */
  readonly chosen?: { readonly type: string; readonly name: string | null } | null;
  /** Who takes the chosen record (default: the selected item, `actions.chooseRegarding`). */
  readonly onChoose?: (hit: RecordSearchHit) => unknown;
}

const optionId = (i: number) => `regarding-option-${i}`;

export function RegardingSearch({
  search,
  actions,
  busy,
  filter = 'all',
  onFilterChange,
  more,
  recent = [],
  chosen = null,
  onChoose,
}: RegardingSearchProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const [active, setActive] = useState(-1);
  const typing = search.query.trim() !== '';
  const recentShown: readonly RecordSearchHit[] = typing
    ? []
    : recent
        .filter((r) => filter === 'all' || r.type === filter)
        .map((r) => ({ type: r.type, id: r.id, name: r.name, email: null }));
  const options = typing ? search.hits : recentShown;
  const current = active >= 0 && active < options.length ? active : -1;
  const choose = (hit: RecordSearchHit) => (onChoose ? onChoose(hit) : actions.chooseRegarding(hit));

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && options.length) {
      event.preventDefault();
      setActive((current + 1) % options.length);
    } else if (event.key === 'ArrowUp' && options.length) {
      event.preventDefault();
      setActive(current <= 0 ? options.length - 1 : current - 1);
    } else if (event.key === 'Enter' && current >= 0) {
      event.preventDefault();
      choose(options[current] as RecordSearchHit);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      actions.closeSearch();
    }
  };

  // The true count when the caller knows whether there are more; else the controller's words.
  const status =
    typing && search.status === 'done' && more !== undefined
      ? foundText(search.hits.length, more, filter, search.query.trim())
      : (search.message ?? '');

  return (
    <div className={styles.root} id="regarding-search">
      {chosen && (
        <Body1 as="p" style={{ margin: 0 }} data-testid="regarding-chosen">
          {t('item.nowRegarding', {
            type: typeLabel(chosen.type, t),
            name: chosen.name || t('common.noName'),
          })}
        </Body1>
      )}
      {onFilterChange && (
        <Field label={t('item.recordType')}>
          <Select
            value={filter}
            disabled={busy}
            onChange={(_, data) => {
              setActive(-1);
              onFilterChange(recordTypeFilter(data.value));
            }}
          >
            {RECORD_TYPE_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field label={t('item.searchRecords')} hint={t('item.searchRecordsHint')}>
        <Input
          type="search"
          autoFocus
          value={search.query}
          disabled={busy}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={options.length > 0}
          aria-controls={options.length > 0 ? 'regarding-results' : undefined}
          aria-activedescendant={current >= 0 ? optionId(current) : undefined}
          onChange={(_, data) => {
            setActive(-1);
            actions.search(data.value);
          }}
          onKeyDown={onKeyDown}
        />
      </Field>
      <Caption1 role="status" aria-live="polite">
        {status}
      </Caption1>
      {!typing && recentShown.length > 0 && (
        <Caption1 id="regarding-recent-label" className={styles.meta}>
          {t('item.recentRecords')}
        </Caption1>
      )}
      {options.length > 0 && (
        <ul
          className={styles.list}
          role="listbox"
          id="regarding-results"
          aria-label={t(typing ? 'item.records' : 'item.recentRecords')}
        >
          {options.map((hit, i) => (
            <li
              key={`${hit.type}:${hit.id}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className={mergeClasses(styles.option, i === current && styles.active)}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(hit)}
            >
              <span>{hit.name || t('common.noName')}</span>
              <Caption1 className={styles.meta}>
                {typeLabel(hit.type, t)}
                {hit.email ? ` · ${hit.email}` : ''}
              </Caption1>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
