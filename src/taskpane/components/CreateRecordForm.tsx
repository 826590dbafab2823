/**
 * The review form behind "Create contact" / "Create lead": the names proposed from the sender
 * (§2.5), the address read-only, the company (a contact's parent account, a lead's company name),
 * Create and Cancel; then a confirmation with a link to the new record. Everything comes through
 * props. The sender's name and address are untrusted text: shown as text, sent as typed values.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  Body1,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  RECORD_FORM_LIMITS,
  initialRecordForm,
  recordFromForm,
  type RecordFormErrors,
  type RecordFormRecord,
  type RecordFormType,
  type RecordFormValues,
} from '../../app/recordForm';
import type { MailAddress, RecordRef } from '../../rules/types';
import { usePaneStrings } from '../strings';
import { AccountPicker, type AccountSearch } from './AccountPicker';

/**
 * What creating the record came to: the new record (with the name the CRM composed, when it said),
 * or why not in the user's words.
 */
export type CreateRecordOutcome =
  | { readonly ok: true; readonly record: RecordRef & { readonly name?: string | null } }
  | { readonly ok: false; readonly message: string };

export interface CreateRecordFormProps {
  /** The type the user asked for. */
  readonly type: RecordFormType;
  /** The email's sender, as Outlook gave it. */
  readonly sender: MailAddress;
  /** Creates the record. Resolves with the outcome (a failure already worded and logged). */
  readonly create: (record: RecordFormRecord) => Promise<CreateRecordOutcome>;
  /** Accounts by name, for a contact's parent account. */
  readonly searchAccounts: (text: string) => Promise<AccountSearch>;
  /** The record's page in the CRM. */
  readonly recordUrl: (record: RecordRef) => string;
  /** Cancel, or Done after the confirmation. */
  readonly close: () => void;
  /** Something else is running in the pane. */
  readonly disabled?: boolean;
}

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  heading: { margin: 0 },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  link: {
    color: tokens.colorBrandForegroundLink,
    ':hover': { color: tokens.colorBrandForegroundLinkHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
});

/** Each record type's own sentences: German and French inflect the type's name, so it is never spliced in. */
const WORDS = {
  contact: {
    created: 'item.contactCreated',
    createdText: 'item.contactCreatedText',
    open: 'item.openContact',
    failed: 'item.contactCreateFailed',
    title: 'item.newContactTitle',
    create: 'item.createContact',
  },
  lead: {
    created: 'item.leadCreated',
    createdText: 'item.leadCreatedText',
    open: 'item.openLead',
    failed: 'item.leadCreateFailed',
    title: 'item.newLeadTitle',
    create: 'item.createLead',
  },
} as const;

export function CreateRecordForm({
  type,
  sender,
  create,
  searchAccounts,
  recordUrl,
  close,
  disabled = false,
}: CreateRecordFormProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const words = WORDS[type];
  const [values, setValues] = useState<RecordFormValues>(() => initialRecordForm(type, sender));
  const [errors, setErrors] = useState<RecordFormErrors>({});
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<{ record: RecordRef; name: string } | null>(null);
  const mounted = useRef(true);
  const doneButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  // The confirmation replaces the form the focus was in: move it where the user can go on.
  useEffect(() => {
    if (created) doneButton.current?.focus();
  }, [created]);

  const edit = <K extends keyof RecordFormValues>(key: K, value: RecordFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    // A fixed field stops showing its old problem; the others keep theirs until the next Create.
    setErrors((e) => (key in e ? { ...e, [key]: undefined } : e));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sending || disabled) return;
    const result = recordFromForm(values);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setFailure(null);
    setSending(true);
    const name = [result.record.firstname, result.record.lastname].filter(Boolean).join(' ');
    void create(result.record).then(
      (outcome) => {
        if (!mounted.current) return;
        setSending(false);
        if (outcome.ok) setCreated({ record: outcome.record, name: outcome.record.name || name });
        else setFailure(outcome.message);
      },
      (error: unknown) => {
        // `create` words and logs its own failures; a rejection is a bug: say so, and let the
        // page's unhandled-rejection report keep the detail.
        if (mounted.current) {
          setSending(false);
          setFailure(t(words.failed));
        }
        throw error;
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape' && !sending) {
      event.preventDefault();
      close();
    }
  };

  if (created)
    return (
      <section className={styles.root} aria-labelledby="create-record-title" onKeyDown={onKeyDown}>
        <Subtitle2 as="h2" id="create-record-title" className={styles.heading}>
          {t(words.created)}
        </Subtitle2>
        <Body1 as="p" role="status" style={{ margin: 0 }}>
          {t(words.createdText, { name: created.name, address: values.address })}{' '}
          <a
            className={styles.link}
            href={recordUrl(created.record)}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t(words.open)}
          </a>
        </Body1>
        <div className={styles.row}>
          <Button ref={doneButton} appearance="primary" onClick={close}>
            {t('common.done')}
          </Button>
        </div>
      </section>
    );

  const busy = sending || disabled;
  const fieldError = (field: keyof RecordFormErrors) =>
    errors[field] ? { validationState: 'error' as const, validationMessage: errors[field] } : {};
  return (
    <form
      className={styles.root}
      aria-labelledby="create-record-title"
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
    >
      <Subtitle2 as="h2" id="create-record-title" className={styles.heading}>
        {t(words.title)}
      </Subtitle2>
      <Field label={t('item.firstName')} {...fieldError('firstname')}>
        <Input
          value={values.firstname}
          maxLength={RECORD_FORM_LIMITS.firstname}
          autoComplete="off"
          disabled={busy}
          autoFocus
          onChange={(_, data) => edit('firstname', data.value)}
        />
      </Field>
      <Field label={t('item.lastName')} required {...fieldError('lastname')}>
        <Input
          value={values.lastname}
          maxLength={RECORD_FORM_LIMITS.lastname}
          autoComplete="off"
          disabled={busy}
          onChange={(_, data) => edit('lastname', data.value)}
        />
      </Field>
      <Field label={t('item.email')} {...fieldError('address')}>
        <Input value={values.address} readOnly />
      </Field>
      {type === 'contact' ? (
        <AccountPicker
          value={values.parentAccount}
          onChange={(account) => edit('parentAccount', account)}
          search={searchAccounts}
          disabled={busy}
        />
      ) : (
        <Field label={t('item.company')} hint={t('common.optional')} {...fieldError('companyName')}>
          <Input
            value={values.companyName}
            maxLength={RECORD_FORM_LIMITS.companyName}
            autoComplete="organization"
            disabled={busy}
            onChange={(_, data) => edit('companyName', data.value)}
          />
        </Field>
      )}
      {/* Announced at once: the user pressed Create and is waiting for an answer. */}
      <div role="alert">
        {failure && (
          <MessageBar intent="error">
            <MessageBarBody>{failure}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      <div className={styles.row}>
        <Button type="submit" appearance="primary" disabled={busy}>
          {sending ? t('item.creating') : t(words.create)}
        </Button>
        <Button onClick={close} disabled={sending}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
