/**
 * Type-ahead search for a regarding record: a combobox input and a listbox of results, navigable
 * with the arrow keys, Enter to choose, Escape to close. Each result shows its type and email.
 */
import { useState, type KeyboardEvent } from 'react';
import { Caption1, Field, Input, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { RecordSearchHit } from '../../crm/port';
import type { PaneActions } from '../actions';
import { typeLabel } from '../controller/format';
import type { SearchView } from '../controller/types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
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
}

const optionId = (i: number) => `regarding-option-${i}`;

export function RegardingSearch({ search, actions, busy }: RegardingSearchProps) {
  const styles = useStyles();
  const [active, setActive] = useState(-1);
  const hits = search.hits;
  const current = active >= 0 && active < hits.length ? active : -1;
  const choose = (hit: RecordSearchHit) => actions.chooseRegarding(hit);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && hits.length) {
      event.preventDefault();
      setActive((current + 1) % hits.length);
    } else if (event.key === 'ArrowUp' && hits.length) {
      event.preventDefault();
      setActive(current <= 0 ? hits.length - 1 : current - 1);
    } else if (event.key === 'Enter' && current >= 0) {
      event.preventDefault();
      choose(hits[current] as RecordSearchHit);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      actions.closeSearch();
    }
  };

  return (
    <div className={styles.root} id="regarding-search">
      <Field label="Search records" hint="Accounts, contacts, leads, opportunities and cases">
        <Input
          type="search"
          autoFocus
          value={search.query}
          disabled={busy}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={hits.length > 0}
          aria-controls={hits.length > 0 ? 'regarding-results' : undefined}
          aria-activedescendant={current >= 0 ? optionId(current) : undefined}
          onChange={(_, data) => {
            setActive(-1);
            actions.search(data.value);
          }}
          onKeyDown={onKeyDown}
        />
      </Field>
      <Caption1 role="status" aria-live="polite">
        {search.message ?? ''}
      </Caption1>
      {hits.length > 0 && (
        <ul className={styles.list} role="listbox" id="regarding-results" aria-label="Records">
          {hits.map((hit, i) => (
            <li
              key={`${hit.type}:${hit.id}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className={mergeClasses(styles.option, i === current && styles.active)}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(hit)}
            >
              <span>{hit.name || '(no name)'}</span>
              <Caption1 className={styles.meta}>
                {typeLabel(hit.type)}
                {hit.email ? ` · ${hit.email}` : ''}
              </Caption1>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
