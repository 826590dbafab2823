/** The CRM address (editable), the sign-in state, and who the user is in the CRM. */
import { useEffect, useState } from 'react';
import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { PaneActions } from '../actions';
import { connectionStatusText } from '../controller/format';
import type { ConnectionView, SessionView } from '../controller/types';
import { usePaneStrings } from '../strings';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, auto) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    wordBreak: 'break-word',
    overflowWrap: 'anywhere',
  },
  term: { fontWeight: tokens.fontWeightSemibold },
  detail: { margin: 0 },
  userId: { color: tokens.colorNeutralForeground3 },
  heading: { margin: 0 },
});

/**
 * An address with line-break chances after `//` and each later `/`, so a narrow pane breaks it
 * between its parts ("http://" | "localhost:36637") rather than inside the host or the port.
 */
function BreakableUrl({ url }: { readonly url: string }) {
  const parts = url.split(/(?<=\/)(?!\/)/);
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && <wbr />}
          {part}
        </span>
      ))}
    </>
  );
}

/**
 * For those the CRM lets administer the add-in only (asked once per session): the admin page, where
 * the organization's settings for Track in CRM are kept. Nothing is shown while the answer is out.
 */
function AdminPageLink({ userId, actions }: { readonly userId: string; readonly actions: PaneActions }) {
  const { t } = usePaneStrings();
  const [allowed, setAllowed] = useState(false);
  useEffect(() => {
    let current = true;
    void Promise.resolve(actions.adminAccess()).then((answer) => current && setAllowed(answer === true));
    return () => {
      current = false;
    };
  }, [actions, userId]);
  if (!allowed) return null;
  return (
    <Link as="button" onClick={() => void actions.openAdminPage()}>
      {t('options.adminPage')}
    </Link>
  );
}

export interface ConnectionSectionProps {
  readonly connection: ConnectionView;
  readonly session: SessionView;
  readonly actions: PaneActions;
}

export function ConnectionSection({ connection, session, actions }: ConnectionSectionProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const [url, setUrl] = useState(connection.crmUrl);
  const busy = connection.saving || session.phase === 'starting';
  // Connecting is the main action only while there is something to connect: not connected, or a new address typed.
  const connectIsMain = session.phase !== 'ready' || url.trim() !== connection.crmUrl;
  return (
    <div className={styles.root}>
      {session.phase === 'failed' && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>{t('item.notConnected')}</MessageBarTitle>
            {session.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {session.phase === 'starting' && session.slow && (
        <Spinner size="tiny" label={t('item.connectingToCrm')} />
      )}
      <form
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          actions.setCrmUrl(url);
        }}
      >
        <Field
          label={t('item.crmAddress')}
          hint={t('item.crmAddressHint')}
          validationState={connection.error ? 'error' : 'none'}
          validationMessage={connection.error ?? undefined}
        >
          <Input type="url" value={url} onChange={(_, data) => setUrl(data.value)} disabled={busy} />
        </Field>
        <div className={styles.row}>
          <Button type="submit" appearance={connectIsMain ? 'primary' : 'secondary'} disabled={busy}>
            {t('item.connect')}
          </Button>
          {session.phase === 'failed' && (
            <Button onClick={() => actions.reconnect()} disabled={busy}>
              {t('item.connectAgain')}
            </Button>
          )}
          {connection.saving && <Spinner size="tiny" label={t('item.savingAddress')} />}
        </div>
      </form>
      <Subtitle2 as="h2" className={styles.heading}>
        {t('item.you')}
      </Subtitle2>
      <dl className={styles.facts}>
        <dt className={styles.term}>{t('item.connectedTo')}</dt>
        <dd className={styles.detail}>
          <BreakableUrl url={connection.crmUrl} />
        </dd>
        <dt className={styles.term}>{t('item.status')}</dt>
        <dd className={styles.detail}>{connectionStatusText(session, t)}</dd>
        <dt className={styles.term}>{t('item.signIn')}</dt>
        <dd className={styles.detail}>{connection.signIn}</dd>
        <dt className={styles.term}>{t('item.mailbox')}</dt>
        <dd className={styles.detail}>{connection.mailbox || t('common.unknown')}</dd>
        {session.phase === 'ready' && (
          <>
            <dt className={styles.term}>{t('item.crmUser')}</dt>
            <dd className={styles.detail}>
              {session.userName ? (
                <>
                  {session.userName}
                  <Caption1 block className={styles.userId}>
                    {session.userId}
                  </Caption1>
                </>
              ) : (
                session.userId
              )}
            </dd>
            <dt className={styles.term}>{t('item.mailboxApproved')}</dt>
            <dd className={styles.detail}>
              {session.mailboxApproved ? t('common.yes') : t('item.mailboxNotApproved')}
            </dd>
          </>
        )}
      </dl>
      {session.phase !== 'ready' && <Body1>{t('item.whoYouAreLater')}</Body1>}
      {session.phase === 'ready' && <AdminPageLink userId={session.userId} actions={actions} />}
    </div>
  );
}
