/**
 * The whole pane for one PaneState: the title, the navigation (Email, Background check,
 * Synchronization, Options, Connection) and the chosen screen. Pure apart from which tab is shown, so it renders the same in tests.
 */
import { Suspense, useState } from 'react';
import { Caption1, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { reasonMessage } from '../app/itemState';
import type { PaneActions } from './actions';
import { parenthesized } from './controller/format';
import { EMPTY_SEARCH, type PaneState } from './controller/types';
import { ItemCard } from './components/ItemCard';
import { DiagnosticsFooter } from './components/DiagnosticsFooter';
import { diagnosticsAccessOf } from './controller/diagnosticsAccess';
import { PartyList } from './components/PartyList';
import { RegardingLine } from './components/RegardingLine';
import { Notice } from './components/Notice';
import { TabBar, panelId, tabId } from './components/TabBar';
import type { OptionsTab } from './components/OptionsScreen';
import { syncAccessOf, type PaneSyncAccess } from './controller/syncAccess';
import { LazyBackgroundScreen, LazyConnectionSection, LazyOptionsScreen, LazySyncScreen } from './lazyParts';
import { StatusAnnouncer } from './components/StatusAnnouncer';
import { useVisuallyHidden } from './components/visuallyHidden';
import { usePaneStrings, type PaneKey, type PaneStrings } from './strings';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalM,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    minWidth: 0,
    maxWidth: '100%',
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
});

export type PaneTab = 'email' | 'background' | 'sync' | 'options' | 'connection';

export interface PaneViewProps {
  readonly state: PaneState;
  readonly actions: PaneActions;
  readonly initialTab?: PaneTab;
  readonly initialOptionsTab?: OptionsTab;
  /** Synchronization (tests); by default the one the controller carries (syncAccess.ts). */
  readonly sync?: PaneSyncAccess | null;
}

const TABS: readonly [PaneTab, PaneKey][] = [
  ['email', 'common.tabEmail'],
  ['background', 'common.tabBackground'],
  ['sync', 'common.tabSync'],
  ['options', 'common.tabOptions'],
  ['connection', 'common.tabConnection'],
];

/** What the Background check tab shows a decision with: the item card's own parts. */
const DECISION_PARTS = { PartyList, RegardingLine };

/** A saved time in the reader's own words; the raw value when it is not a date. */
function formatSavedAt(iso: string, { t, formats }: PaneStrings): string {
  return Number.isNaN(Date.parse(iso)) ? iso : t('item.savedOn', { date: formats.dateTime(iso) });
}

/**
 * When the CRM is tried again, in the words the controller computed from its real timers: the
 * queue's next try when tracks wait, else the session's next try.
 */
function offlineNextTry(state: PaneState): string | undefined {
  return state.queue.waiting > 0 && state.queue.nextTry
    ? state.queue.nextTry
    : state.session.phase === 'ready'
      ? state.session.offline?.nextTry
      : undefined;
}

/** The Email tab's line about waiting and failed tracks (empty when there are none). */
function queueWords(queue: PaneState['queue'], t: PaneStrings['t']): string {
  const waiting =
    queue.waiting > 0
      ? queue.nextTry
        ? t('item.queueWaitingNext', { count: queue.waiting, nextTry: queue.nextTry })
        : t('item.queueWaiting', { count: queue.waiting })
      : '';
  const failed = queue.undeliverable > 0 ? t('item.queueUndeliverable', { count: queue.undeliverable }) : '';
  return [waiting, failed].filter(Boolean).join(' ');
}

export function PaneView({
  state,
  actions,
  initialTab = 'email',
  initialOptionsTab,
  sync = syncAccessOf(actions),
}: PaneViewProps) {
  const styles = useStyles();
  const hidden = useVisuallyHidden();
  const strings = usePaneStrings();
  const { t } = strings;
  const nextTry = offlineNextTry(state);
  const [tab, setTab] = useState<PaneTab>(initialTab);
  const { queue } = state;
  return (
    <main className={styles.root} data-testid="pane" aria-labelledby="pane-title">
      {/* Outlook already shows the add-in's name above the pane: the heading is for screen readers only. */}
      <h1 id="pane-title" className={hidden.hidden}>
        {t('common.appName')}
      </h1>
      <TabBar
        tabs={TABS.map(([value, key]) => [value, t(key)] as const)}
        selected={tab}
        onSelect={setTab}
        label={t('common.tabsLabel')}
        idPrefix="pane"
      />
      {state.notice && <Notice intent="warning">{state.notice}</Notice>}
      {state.session.phase === 'ready' && state.session.offline && (
        <Notice intent="warning" testId="offline-notice">
          {t(nextTry ? 'item.offlineNoticeNextTry' : 'item.offlineNotice', {
            reason: parenthesized(state.session.offline.reason),
            savedAt: formatSavedAt(state.session.offline.settingsSavedAt, strings),
            ...(nextTry ? { nextTry } : {}),
          })}
        </Notice>
      )}
      <div className={styles.panel} role="tabpanel" id={panelId('pane')} aria-labelledby={tabId('pane', tab)}>
        {tab === 'email' && (
          <>
            <ItemCard
              item={state.item}
              crmUrl={state.connection.crmUrl}
              busy={state.busy}
              // The folder-tracking form's search is the Background check tab's, not the item's.
              search={state.search.purpose ? EMPTY_SEARCH : state.search}
              actions={actions}
              onOpenConnection={() => setTab('connection')}
            />
            <DiagnosticsFooter item={state.item} access={diagnosticsAccessOf(actions)} />
            {queue.problem && <Notice intent="error">{queue.problem}</Notice>}
            {(queue.waiting > 0 || queue.undeliverable > 0) && (
              <Caption1 className={styles.muted}>{queueWords(queue, t)}</Caption1>
            )}
          </>
        )}
        {tab === 'background' && (
          <Suspense fallback={<Spinner size="tiny" label={t('common.openingBackground')} />}>
            <LazyBackgroundScreen
              background={state.background}
              session={state.session}
              search={state.search}
              crmUrl={state.connection.crmUrl}
              actions={actions}
              reasonWords={reasonMessage}
              decisionParts={DECISION_PARTS}
            />
          </Suspense>
        )}
        {tab === 'sync' && (
          <Suspense fallback={<Spinner size="tiny" label={t('common.openingSync')} />}>
            <LazySyncScreen access={sync} />
          </Suspense>
        )}
        {tab === 'options' && (
          <Suspense fallback={<Spinner size="tiny" label={t('common.openingOptions')} />}>
            <LazyOptionsScreen options={state.options} actions={actions} initialTab={initialOptionsTab} />
          </Suspense>
        )}
        {tab === 'connection' && (
          <Suspense fallback={<Spinner size="tiny" label={t('common.openingConnection')} />}>
            <LazyConnectionSection
              key={state.connection.crmUrl}
              connection={state.connection}
              session={state.session}
              actions={actions}
            />
          </Suspense>
        )}
      </div>
      <StatusAnnouncer text={state.announcement.text} />
    </main>
  );
}
