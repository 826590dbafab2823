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
  ENTITY_TEXT,
  SUMMARY_COLUMNS,
  phaseAndNextText,
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
  const { formats } = usePaneStrings();
  const timeOfDay = givenTimeOfDay ?? timeOfDayIn(formats);
  const { status } = state;
  const now = useNow(fixedNow === undefined && status.nextRunAt !== null);
  const last = status.runs[0] ?? null;
  const running = status.phase === 'running';
  const busy = running || state.asked;
  const stopped = last ? stoppedGroups(last) : [];
  const shown = phaseAndNextText(status, state.savedSwitch, fixedNow ?? now, timeOfDay);
  return (
    <section
      className={styles.root}
      aria-labelledby="sync-heading"
      aria-busy={running}
      data-testid="sync-status"
      data-phase={status.phase}
    >
      <h2 id="sync-heading" className={styles.heading}>
        Synchronization
      </h2>
      <Body1 as="p" block className={styles.detail} data-testid="sync-phase">
        {shown.phase}
        {running && status.progress && ` ${progressText(status.progress)}`}
      </Body1>
      {status.problem && (
        <MessageBar intent="error" layout="multiline" data-testid="sync-problem">
          <MessageBarBody>{status.problem}</MessageBarBody>
        </MessageBar>
      )}
      <LastAndNextRun
        testIdPrefix="sync"
        lastTerm="Last synchronization"
        lastText={last ? `${timeOfDay(last.finishedAt)} · ${syncRunText(last)}` : 'None yet'}
        nextTerm="Next synchronization"
        nextText={shown.next}
      />
      {stopped.length > 0 && (
        <MessageBar intent="error" layout="multiline" data-testid="sync-error">
          <MessageBarBody>
            {stopped.map((group) => (
              <span key={group.entities.join()} style={{ display: 'block' }}>
                {stoppedGroupText(group)}
              </span>
            ))}
            Nothing is lost: the next synchronization starts where this one stopped.
          </MessageBarBody>
        </MessageBar>
      )}
      {last?.ran && (
        // Scrolls sideways in a narrow pane: a region the keyboard can reach and scroll (axe scrollable-region-focusable).
        <div
          className={styles.scroller}
          role="region"
          aria-label="What the last synchronization did"
          tabIndex={0}
        >
          <table className={styles.table} data-testid="sync-summary">
            <caption className={styles.muted} style={{ textAlign: 'start' }}>
              What the last synchronization did
            </caption>
            {/* Kinds as rows, the three types as columns: it fits a 320 px pane without scrolling. */}
            <thead>
              <tr>
                <td />
                {last.types.map((type) => (
                  <th key={type.entity} scope="col" className={styles.cell}>
                    {ENTITY_TEXT[type.entity]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {SUMMARY_COLUMNS.map((label, row) => (
                <tr key={label}>
                  <th scope="row" className={styles.label}>
                    {label}
                  </th>
                  {last.types.map((type) => (
                    <td key={type.entity} className={styles.cell}>
                      {type.ran ? summaryCounts(type)[row] : '–'}
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
          Synchronize now
        </Button>
        {busy && <Caption1 className={styles.muted}>Synchronizing… you can keep working meanwhile.</Caption1>}
      </div>
    </section>
  );
}
