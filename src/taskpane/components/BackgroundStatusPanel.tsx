/**
 * The background check's status (background-check.md §1.6): what it is doing, the last check (ran, or
 * why not, naming the setting), the next one, the counts of the last check and of the session, why
 * the last check could not finish, and Check now. Check now only asks the runner: the pane stays usable.
 */
import { useEffect, useState } from 'react';
import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import type { BackgroundStatus } from '../../app/backgroundStatus';
import type { BackgroundTabActions } from '../actions';
import { PHASE_TEXT, countRows, localTimeOfDay, nextRunText, runText } from '../controller/backgroundWords';
import { parenthesized } from '../controller/format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { ...typographyStyles.subtitle2, margin: 0 },
  facts: { margin: 0, display: 'grid', gap: tokens.spacingVerticalXS, overflowWrap: 'anywhere' },
  term: { fontWeight: tokens.fontWeightSemibold },
  detail: { margin: 0 },
  table: { borderCollapse: 'collapse', fontFamily: tokens.fontFamilyBase, fontSize: tokens.fontSizeBase200 },
  cell: {
    textAlign: 'end',
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  label: {
    textAlign: 'start',
    fontWeight: tokens.fontWeightRegular,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The time now, again every `everyMs` while `ticking`: "in about 40 s" counts down on screen. */
function useNow(ticking: boolean, everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [ticking, everyMs]);
  return now;
}

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
  const styles = useStyles();
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
      <dl className={styles.facts}>
        <div>
          <dt className={styles.term}>Last check</dt>
          <dd className={styles.detail} data-testid="background-last">
            {last
              ? `${timeOfDay(last.finishedAt)} · ${runText(last.ran, last.reason, status.lastError !== null)}`
              : 'None yet in this session'}
          </dd>
        </div>
        <div>
          <dt className={styles.term}>Next check</dt>
          <dd className={styles.detail} data-testid="background-next">
            {running ? 'Once this one is over' : nextRunText(status.nextRunAt, fixedNow ?? now, timeOfDay)}
          </dd>
        </div>
      </dl>
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
