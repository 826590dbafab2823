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
import { countRows, nextRunText, phaseText, runText, timeOfDayIn } from '../controller/backgroundWords';
import { parenthesized } from '../controller/format';
import { usePaneStrings } from '../strings';

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
  /** The time of day as shown (tests pass a fixed one); else the user's locale's. */
  readonly timeOfDay?: (at: number) => string;
  /** Tests render at a fixed time. */
  readonly now?: number;
}

export function BackgroundStatusPanel({
  status,
  unavailable,
  tab,
  timeOfDay: givenTimeOfDay,
  now: fixedNow,
}: BackgroundStatusPanelProps) {
  const styles = { ...useStatusPanelStyles(), ...useOwnStyles() };
  const { t, formats } = usePaneStrings();
  const timeOfDay = givenTimeOfDay ?? timeOfDayIn(formats);
  const ticking = fixedNow === undefined && status?.nextRunAt != null;
  const now = useNow(ticking);
  if (!status)
    return (
      <section className={styles.root} aria-labelledby="background-heading" data-testid="background-status">
        <h2 id="background-heading" className={styles.heading}>
          {t('background.heading')}
        </h2>
        <Body1 as="p" block className={styles.detail} data-testid="background-unavailable">
          {t('background.unavailable', { reason: unavailable ?? '' })}
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
        {t('background.heading')}
      </h2>
      <Body1 as="p" block className={styles.detail} data-testid="background-phase">
        {phaseText(status.phase, t)}
      </Body1>
      <LastAndNextRun
        testIdPrefix="background"
        lastTerm={t('background.lastCheck')}
        lastText={
          last
            ? t('background.lastCheckLine', {
                time: timeOfDay(last.finishedAt),
                result: runText(last.ran, last.reason, status.lastError !== null, t),
              })
            : t('background.noneYet')
        }
        nextTerm={t('background.nextCheck')}
        nextText={
          running
            ? t('background.next.afterThisOne')
            : nextRunText(status.nextRunAt, fixedNow ?? now, timeOfDay, t)
        }
      />
      {status.lastError && (
        <MessageBar intent="error" layout="multiline" data-testid="background-error">
          <MessageBarBody>
            {t('background.lastError', { error: parenthesized(status.lastError) })}
          </MessageBarBody>
        </MessageBar>
      )}
      <table className={styles.table} data-testid="background-counts">
        <caption className={styles.muted} style={{ textAlign: 'start' }}>
          {t('background.emails')}
        </caption>
        <thead>
          <tr>
            <td />
            <th scope="col" className={styles.cell}>
              {t('background.lastCheck')}
            </th>
            <th scope="col" className={styles.cell}>
              {t('background.thisSession')}
            </th>
          </tr>
        </thead>
        <tbody>
          {countRows(status.sessionCounts, t).map(([label, session], i) => (
            <tr key={label}>
              <th scope="row" className={styles.label}>
                {label}
              </th>
              <td className={styles.cell}>
                {last ? formats.number(countRows(last.counts, t)[i]?.[1] ?? 0) : '–'}
              </td>
              <td className={styles.cell}>{formats.number(session)}</td>
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
          {t('background.checkNow')}
        </Button>
        {running && <Caption1 className={styles.muted}>{t('background.checkingKeepWorking')}</Caption1>}
      </div>
    </section>
  );
}
