/**
 * Synchronization's status (synchronization.md §2.1, §2.5): what it is doing and how far ("Contacts
 * 120/340"), the last run (ran, or why not, naming the setting), the next one, what the last run did
 * per type, why a type stopped short, and "Synchronize now". It only asks the runner: the pane stays usable.
 */
import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { LastAndNextRun } from './LastAndNextRun';
import { useStatusPanelStyles } from './statusPanelStyles';
import { useNow } from './useNow';
import { timeOfDayIn } from '../controller/backgroundWords';
import { usePaneStrings } from '../strings';
import type { SyncTabState } from '../controller/syncTabModel';
import {
  entityText,
  phaseAndNextText,
  summaryColumns,
  progressText,
  stoppedGroupText,
  stoppedGroups,
  summaryCounts,
  syncRunText,
} from '../controller/syncWords';

const useOwnStyles = makeStyles({
  scroller: { overflowX: 'auto', maxWidth: '100%' },
  cell: {
    textAlign: 'end',
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

export interface SyncStatusPanelProps {
  readonly state: SyncTabState;
  readonly onSynchronizeNow: () => void;
  /** The time of day as shown (tests pass a fixed one). */
  readonly timeOfDay?: (at: number) => string;
  /** Tests render at a fixed time. */
  readonly now?: number;
}

export function SyncStatusPanel({
  state,
  onSynchronizeNow,
  timeOfDay: givenTimeOfDay,
  now: fixedNow,
}: SyncStatusPanelProps) {
  const styles = { ...useStatusPanelStyles(), ...useOwnStyles() };
  const { t, formats } = usePaneStrings();
  const timeOfDay = givenTimeOfDay ?? timeOfDayIn(formats);
  const { status } = state;
  const now = useNow(fixedNow === undefined && status.nextRunAt !== null);
  const last = status.runs[0] ?? null;
  const running = status.phase === 'running';
  const busy = running || state.asked;
  const stopped = last ? stoppedGroups(last) : [];
  const shown = phaseAndNextText(status, state.savedSwitch, fixedNow ?? now, timeOfDay, t);
  return (
    <section
      className={styles.root}
      aria-labelledby="sync-heading"
      aria-busy={running}
      data-testid="sync-status"
      data-phase={status.phase}
    >
      <h2 id="sync-heading" className={styles.heading}>
        {t('sync.heading')}
      </h2>
      <Body1 as="p" block className={styles.detail} data-testid="sync-phase">
        {shown.phase}
        {running && status.progress && ` ${progressText(status.progress, t)}`}
      </Body1>
      {status.problem && (
        <MessageBar intent="error" layout="multiline" data-testid="sync-problem">
          <MessageBarBody>{status.problem}</MessageBarBody>
        </MessageBar>
      )}
      <LastAndNextRun
        testIdPrefix="sync"
        lastTerm={t('sync.lastSync')}
        lastText={
          last
            ? t('sync.lastSyncLine', { time: timeOfDay(last.finishedAt), result: syncRunText(last, t) })
            : t('sync.noneYet')
        }
        nextTerm={t('sync.nextSync')}
        nextText={shown.next}
      />
      {stopped.length > 0 && (
        <MessageBar intent="error" layout="multiline" data-testid="sync-error">
          <MessageBarBody>
            {stopped.map((group) => (
              <span key={group.entities.join()} style={{ display: 'block' }}>
                {stoppedGroupText(group, t)}
              </span>
            ))}
            {t('sync.nothingLost')}
          </MessageBarBody>
        </MessageBar>
      )}
      {last?.ran && (
        // Scrolls sideways in a narrow pane: a region the keyboard can reach and scroll (axe scrollable-region-focusable).
        <div className={styles.scroller} role="region" aria-label={t('sync.whatLastDid')} tabIndex={0}>
          <table className={styles.table} data-testid="sync-summary">
            <caption className={styles.muted} style={{ textAlign: 'start' }}>
              {t('sync.whatLastDid')}
            </caption>
            {/* Kinds as rows, the three types as columns: it fits a 320 px pane without scrolling. */}
            <thead>
              <tr>
                <td />
                {last.types.map((type) => (
                  <th key={type.entity} scope="col" className={styles.cell}>
                    {entityText(type.entity, t)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summaryColumns(t).map((label, row) => (
                <tr key={label}>
                  <th scope="row" className={styles.label}>
                    {label}
                  </th>
                  {last.types.map((type) => (
                    <td key={type.entity} className={styles.cell}>
                      {type.ran ? formats.number(summaryCounts(type)[row] ?? 0) : '–'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className={styles.row}>
        {/* Focusable while busy (aria-disabled): a keyboard user who pressed Enter stays on the button. */}
        <Button appearance="primary" disabledFocusable={busy} onClick={onSynchronizeNow}>
          {t('sync.synchronizeNow')}
        </Button>
        {busy && <Caption1 className={styles.muted}>{t('sync.synchronizingKeepWorking')}</Caption1>}
      </div>
    </section>
  );
}
