/**
 * The selected item: tracked or not, regarding what, who the sender and recipients are in the CRM,
 * and why. Untrusted text (subjects, names, reasons) is rendered as React text only.
 */
import { Suspense, useEffect, useRef, type FocusEvent } from 'react';
import { Body1, Caption1, Spinner, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { refKey } from '../../app/itemState';
import type { PaneActions } from '../actions';
import type { BusyView, CardStatus, ItemView, SearchView } from '../controller/types';
import { cardStatusOf } from '../controller/types';
import { ItemActions, SearchPart } from './ItemActions';
import { StatusBadge, type BadgeTone } from './StatusBadge';
import { PartyList } from './PartyList';
import { RegardingLine } from './RegardingLine';
import { LazyAppointmentDetails } from '../lazyParts';
import { usePaneStrings, type PaneKey, type PaneStrings } from '../strings';

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    wordBreak: 'break-word',
    overflowWrap: 'anywhere',
    minWidth: 0,
  },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  heading: {
    ...typographyStyles.subtitle2,
    margin: 0,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  reason: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
});

const HEADINGS: Record<CardStatus, PaneKey> = {
  tracked: 'item.headingTracked',
  'not-tracked': 'item.headingNotTracked',
  'needs-regarding': 'item.headingNeedsRegarding',
  pending: 'item.headingPending',
  undeliverable: 'item.headingUndeliverable',
  failed: 'item.headingFailed',
  unreachable: 'item.headingUnreachable',
  loading: 'item.headingLoading',
  empty: 'item.headingEmpty',
  'compose-marked': 'item.headingComposeMarked',
  'compose-not-marked': 'item.headingComposeNotMarked',
};

const TONES: Record<CardStatus, BadgeTone> = {
  tracked: 'success',
  'not-tracked': 'subtle',
  'needs-regarding': 'warning',
  pending: 'warning',
  undeliverable: 'danger',
  failed: 'danger',
  unreachable: 'warning',
  loading: 'informative',
  empty: 'subtle',
  'compose-marked': 'brand',
  'compose-not-marked': 'subtle',
};

export interface ItemCardProps {
  readonly item: ItemView;
  readonly crmUrl: string;
  readonly busy: BusyView | null;
  readonly search: SearchView;
  readonly actions: PaneActions;
  /** Shows the Connection tab (to change the CRM address when it cannot be reached). */
  readonly onOpenConnection: () => void;
}

function reasonOf(item: ItemView, t: PaneStrings['t']): string {
  switch (item.kind) {
    case 'empty':
      return t('item.reasonEmpty');
    case 'loading':
      return t('item.reasonLoading');
    case 'read':
    case 'compose':
      return item.state.message;
    case 'unavailable':
      return item.message;
  }
}

export function ItemCard({ item, crmUrl, busy, search, actions, onOpenConnection }: ItemCardProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const status = cardStatusOf(item);
  // A meeting (issue 12): when, where and its attendees instead of the email's sender and parties.
  const meeting = item.kind === 'read' ? (item.state.appointment ?? null) : null;
  const itemId = item.kind === 'empty' ? undefined : item.itemId || undefined;
  const working = item.kind === 'loading' || (item.kind === 'read' && item.refreshing);
  // Keyboard focus never falls out of the card: after an action the button pressed may be gone
  // (Track → Untrack), and closing the record search removes the field that had focus. Focus goes back
  // to the control used last outside the search when it is still there and enabled, else the heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const lastControl = useRef<HTMLElement | null>(null);
  const was = useRef({ busy: false, searching: false });
  const isBusy = busy !== null;
  const searching = item.kind === 'read' && search.open;
  useEffect(() => {
    const ended = (was.current.busy && !isBusy) || (was.current.searching && !searching);
    was.current = { busy: isBusy, searching };
    if (!ended || typeof document === 'undefined') return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const control = lastControl.current;
    const usable = control?.isConnected && !control.matches(':disabled');
    (usable ? control : heading.current)?.focus();
  }, [isBusy, searching]);
  const onFocus = (event: FocusEvent<HTMLElement>) => {
    const target = event.target;
    // The search field and the untrack confirmation go away when they close: not a control to return to.
    if (target !== heading.current && !target.closest('#regarding-search, dialog'))
      lastControl.current = target;
  };
  return (
    <section
      className={styles.card}
      data-testid="item-status"
      data-status={status}
      data-item-id={itemId}
      aria-labelledby="item-heading"
      onFocus={onFocus}
      aria-busy={working || busy !== null}
    >
      <div className={styles.head}>
        <h2 id="item-heading" className={styles.heading} ref={heading} tabIndex={-1}>
          <StatusBadge tone={TONES[status]}>{t(HEADINGS[status])}</StatusBadge>
        </h2>
        {item.kind === 'read' && item.refreshing && (
          <Caption1 className={styles.muted}>{t('item.updating')}</Caption1>
        )}
      </div>
      {item.kind === 'loading' && item.slow && <Spinner size="tiny" label={t('item.lookingUp')} />}
      {item.kind === 'read' && (
        <div>
          <Body1 as="p" block className={styles.reason}>
            <strong>{item.subject.trim() === '' ? t('common.noSubject') : item.subject}</strong>
          </Body1>
          {item.from && !meeting && (
            <Caption1 as="p" block className={styles.reason}>
              {t('item.from', {
                sender: item.from.name ? `${item.from.name} <${item.from.address}>` : item.from.address,
              })}
            </Caption1>
          )}
        </div>
      )}
      <Body1 as="p" block className={styles.reason} data-testid="item-reason">
        {reasonOf(item, t)}
      </Body1>
      {item.kind === 'read' && (
        <>
          <RegardingLine regarding={item.state.regarding} names={item.state.names} crmUrl={crmUrl} />
          {meeting && (
            // A chunk with the meeting code (lazyParts.ts), loaded by the time a meeting has a state.
            <Suspense fallback={null}>
              <LazyAppointmentDetails details={meeting} />
            </Suspense>
          )}
          {item.state.decision && !meeting && (
            <PartyList
              decision={item.state.decision}
              names={item.state.names}
              senderAddress={item.from?.address ?? null}
            />
          )}
        </>
      )}
      {item.kind === 'compose' && item.state.marked && item.state.mark?.regarding && (
        <RegardingLine
          regarding={item.state.mark.regarding}
          names={item.regardingName ? { [refKey(item.state.mark.regarding)]: item.regardingName } : {}}
          crmUrl={crmUrl}
        />
      )}
      <ItemActions
        item={item}
        busy={busy}
        search={search}
        actions={actions}
        onOpenConnection={onOpenConnection}
        crmUrl={crmUrl}
      />
      {item.kind === 'read' && search.open && (
        <SearchPart search={search} actions={actions} busy={busy !== null} />
      )}
    </section>
  );
}
