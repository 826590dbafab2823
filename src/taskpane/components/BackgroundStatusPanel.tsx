/**
 * The background check's status (background-check.md §1.6): what it is doing, the last check (ran, or
 * why not, naming the setting), the next one, the counts of the last check and of the session, why
 * the last check could not finish, and Check now. Check now only asks the runner: the pane stays usable.
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
import type { BackgroundStatus } from '../../app/backgroundStatus';
import type { BackgroundTabActions } from '../actions';
import { PHASE_TEXT, countRows, localTimeOfDay, nextRunText, runText } from '../controller/backgroundWords';
import { parenthesized } from '../controller/format';

const useOwnStyles = makeStyles({
  cell: {
    textAlign: 'end',
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

export interface BackgroundStatusPanelProps {
  /** Null: no background check in this Outlook (`unavailable` says why). */
  readonly status: BackgroundStatus | null;
  readonly unavailable: string | null;
  readonly tab: Pick<BackgroundTabActions, 'checkNow'>;
  /** The time of day as shown (tests pass a fixed one). */
  readonly timeOfDay?: (at: number) => string;
  /** Tests render at a fixed time. */
  readonly now?: number;
}

export function BackgroundStatusPanel({
  status,
  unavailable,
  tab,
  timeOfDay = localTimeOfDay,
  now: fixedNow,
}: BackgroundStatusPanelProps) {
  const styles = { ...useStatusPanelStyles(), ...useOwnStyles() };
  const ticking = fixedNow === undefined && status?.nextRunAt != null;
  const now = useNow(ticking);
  if (!status)
    return (
      <section className={styles.root} aria-labelledby="background-heading" data-testid="background-status">
        <h2 id="background-heading" className={styles.heading}>
          Background check
        </h2>
        <Body1 as="p" block className={styles.detail} data-testid="background-unavailable">
          The background check is not available in this Outlook: {unavailable}
        </Body1>
      </section>
    );
  const last = status.lastCycle;
  const running = status.phase === 'running';
  return (
    <section
      className={styles.root}
      aria-labelledby="background-heading"
      aria-busy={running}
      data-testid="background-status"
      data-phase={status.phase}
    >
      <h2 id="background-heading" className={styles.heading}>
        Background check
      </h2>
      <Body1 as="p" block className={styles.detail} data-testid="background-phase">
        {PHASE_TEXT[status.phase]}
      </Body1>
      <LastAndNextRun
        testIdPrefix="background"
        lastTerm="Last check"
        lastText={
          last
            ? `${timeOfDay(last.finishedAt)} · ${runText(last.ran, last.reason, status.lastError !== null)}`
            : 'None yet in this session'
        }
        nextTerm="Next check"
        nextText={
          running ? 'Once this one is over' : nextRunText(status.nextRunAt, fixedNow ?? now, timeOfDay)
        }
      />
      {status.lastError && (
        <MessageBar intent="error" layout="multiline" data-testid="background-error">
          <MessageBarBody>
            The last check could not finish {parenthesized(status.lastError)}. Nothing is lost: the next check
            starts where it stopped.
          </MessageBarBody>
        </MessageBar>
      )}
      <table className={styles.table} data-testid="background-counts">
        <caption className={styles.muted} style={{ textAlign: 'start' }}>
          Emails
        </caption>
        <thead>
          <tr>
            <td />
            <th scope="col" className={styles.cell}>
              Last check
            </th>
            <th scope="col" className={styles.cell}>
              This session
            </th>
          </tr>
        </thead>
        <tbody>
          {countRows(status.sessionCounts).map(([label, session], i) => (
            <tr key={label}>
              <th scope="row" className={styles.label}>
                {label}
              </th>
              <td className={styles.cell}>{last ? countRows(last.counts)[i]?.[1] : '–'}</td>
              <td className={styles.cell}>{session}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={running || status.phase === 'stopped'}
          onClick={() => tab.checkNow()}
        >
          Check now
        </Button>
        {running && <Caption1 className={styles.muted}>Checking… you can keep working meanwhile.</Caption1>}
      </div>
    </section>
  );
}
