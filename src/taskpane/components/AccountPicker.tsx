/**
 * A contact's parent account, chosen by search: a combobox (type two characters, arrow keys, Enter)
 * over the accounts the caller finds, or the chosen account's name with a button to remove it.
 * Account names are untrusted text: rendered as text only.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import {
  Button,
  Caption1,
  Field,
  Input,
  Label,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { ChosenAccount } from '../../app/recordForm';
import { usePaneStrings } from '../strings';

/** What an account search found, or why it found nothing. */
export type AccountSearch =
  { readonly accounts: readonly ChosenAccount[]; readonly more: boolean } | { readonly error: string };

export interface AccountPickerProps {
  readonly value: ChosenAccount | null;
  readonly onChange: (account: ChosenAccount | null) => void;
  readonly search: (text: string) => Promise<AccountSearch>;
  readonly disabled: boolean;
}

const DEBOUNCE_MS = 250;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  chosen: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    maxHeight: '160px',
    overflowY: 'auto',
  },
  option: {
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
  status: { color: tokens.colorNeutralForeground3 },
});

export function AccountPicker({ value, onChange, search, disabled }: AccountPickerProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const id = useId();
  const [text, setText] = useState('');
  const [accounts, setAccounts] = useState<readonly ChosenAccount[]>([]);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const asked = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  if (value)
    return (
      <div className={styles.root} role="group" aria-labelledby={`${id}-label`}>
        <Label id={`${id}-label`}>{t('item.parentAccount')}</Label>
        <div className={styles.chosen}>
          <span>{value.name || t('common.noName')}</span>
          <Button
            size="small"
            onClick={() => onChange(null)}
            disabled={disabled}
            aria-label={t('item.removeParentAccount', { name: value.name })}
          >
            {t('common.remove')}
          </Button>
        </div>
      </div>
    );

  const find = (query: string) => {
    const mine = ++asked.current;
    setStatus(t('common.searching'));
    void search(query).then(
      (found) => {
        if (mine !== asked.current) return; // a later search has started
        if ('error' in found) {
          setAccounts([]);
          setStatus(found.error);
          return;
        }
        setAccounts(found.accounts);
        setActive(-1);
        const n = found.accounts.length;
        setStatus(
          n === 0
            ? t('item.noAccountMatches', { query })
            : found.more
              ? t('item.accountsFoundMore', { count: n })
              : t('item.accountsFound', { count: n }),
        );
      },
      (error: unknown) => {
        // The caller words and logs its failures as `{error}`; a rejection is a bug, left to the
        // page's unhandled-rejection report after the user is told.
        if (mine === asked.current) setStatus(t('item.accountSearchFailed'));
        throw error;
      },
    );
  };
  const choose = (account: ChosenAccount) => {
    asked.current += 1;
    setText('');
    setAccounts([]);
    setStatus('');
    onChange(account);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const n = accounts.length;
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && n > 0) {
      event.preventDefault();
      setActive((active + (event.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (event.key === 'Enter') {
      // Enter in the account search never submits the form around it: the user is picking an
      // account, and a half-typed name must not create the record without one.
      event.preventDefault();
      if (active >= 0 && active < n) choose(accounts[active] as ChosenAccount);
    } else if (event.key === 'Escape' && n > 0) {
      // Closes the list only; a second Escape reaches the form.
      event.preventDefault();
      event.stopPropagation();
      setAccounts([]);
      setActive(-1);
    }
  };
  const listId = `${id}-accounts`;
  const optionId = (i: number) => `${id}-account-${i}`;
  return (
    <div className={styles.root}>
      <Field label={t('item.parentAccount')} hint={t('item.parentAccountHint')}>
        <Input
          value={text}
          disabled={disabled}
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={accounts.length > 0}
          aria-controls={accounts.length > 0 ? listId : undefined}
          aria-activedescendant={active >= 0 && active < accounts.length ? optionId(active) : undefined}
          onChange={(_, data) => {
            setText(data.value);
            clearTimeout(timer.current);
            const query = data.value.trim();
            if (query.length < 2) {
              asked.current += 1;
              setAccounts([]);
              setStatus('');
              return;
            }
            timer.current = setTimeout(() => find(query), DEBOUNCE_MS);
          }}
          onKeyDown={onKeyDown}
        />
      </Field>
      <Caption1 className={styles.status} role="status" aria-live="polite">
        {status}
      </Caption1>
      {accounts.length > 0 && (
        <ul className={styles.list} role="listbox" id={listId} aria-label={t('item.accounts')}>
          {accounts.map((account, i) => (
            <li
              key={account.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={mergeClasses(styles.option, i === active && styles.active)}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(account)}
            >
              {account.name || t('common.noName')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
