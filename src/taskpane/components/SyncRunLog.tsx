/**
 * The log of the last synchronizations: every operation of each run, in the planner's order (what
 * was done, to which item, the fields written, the fields whose conflict was decided), and every
 * failure with its error. Titles are the user's own data from the CRM or Outlook: rendered as text.
 * A run is a native disclosure (keyboard and screen readers for free), the newest one open; a long
 * run shows its first entries and the rest on request, so a first run of 5,000 contacts stays light.
 */
import { useState } from 'react';
import { Body1, Button, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import type { SyncLogEntry, SyncRunRecord } from '../../app/syncStatus';
import {
  entityOneText,
  entryDetails,
  failedOperationText,
  operationText,
  stoppedGroupText,
  stoppedGroups,
  syncRunText,
  timeWithSecondsIn,
} from '../controller/syncWords';
import { usePaneStrings } from '../strings';

/** Entries shown before "Show all" (chosen: a screenful or two in a 320 px pane). */
export const ENTRIES_SHOWN = 50;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { ...typographyStyles.subtitle2, margin: 0 },
  summary: { cursor: 'pointer', fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingInlineStart: tokens.spacingHorizontalL },
  entry: { overflowWrap: 'anywhere', marginBottom: tokens.spacingVerticalXS },
  title: { fontWeight: tokens.fontWeightSemibold },
  detail: { display: 'block', color: tokens.colorNeutralForeground3 },
  failed: { display: 'block', color: tokens.colorPaletteRedForeground1 },
  empty: { margin: 0 },
});

function Entry({ entry }: { readonly entry: SyncLogEntry }) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const failed = entry.outcome === 'failed';
  return (
    <li className={styles.entry} data-testid="sync-entry" data-op={entry.op} data-outcome={entry.outcome}>
      {t('sync.entryLine', {
        op: failed ? failedOperationText(entry.op, t) : operationText(entry.op, t),
        entity: entityOneText(entry.entity, t),
      })}{' '}
      <span className={styles.title}>{entry.title || t('sync.noTitle')}</span>
      {failed && ` ${t('sync.triedAgain')}`}
      {entryDetails(entry, t).map((detail) => (
        <span key={detail} className={styles.detail}>
          {detail}
        </span>
      ))}
      {failed && (
        <span className={styles.failed}>
          {t('sync.whatFailed', { error: entry.error ?? t('sync.noDetail') })}
        </span>
      )}
    </li>
  );
}

function Run({
  run,
  open,
  timeOfDay,
}: {
  readonly run: SyncRunRecord;
  readonly open: boolean;
  readonly timeOfDay: (at: number) => string;
}) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const [all, setAll] = useState(false);
  const shown = all ? run.entries : run.entries.slice(0, ENTRIES_SHOWN);
  const trigger = t(run.trigger === 'manual' ? 'sync.trigger.manual' : 'sync.trigger.scheduled');
  const stopped = stoppedGroups(run);
  return (
    <details open={open} data-testid="sync-run">
      <summary className={styles.summary}>
        {t('sync.runLine', { time: timeOfDay(run.startedAt), trigger, result: syncRunText(run, t) })}
      </summary>
      {stopped.length > 0 && (
        <ul className={styles.list}>
          {stopped.map((group) => (
            <li key={group.entities.join()} className={styles.entry} data-testid="sync-stopped">
              <span className={styles.failed}>{stoppedGroupText(group, t)}</span>
            </li>
          ))}
        </ul>
      )}
      {run.entries.length === 0 ? (
        stopped.length === 0 && (
          <Body1 as="p" block className={styles.empty}>
            {t(run.ran ? 'sync.nothingToChange' : 'sync.nothingDone')}
          </Body1>
        )
      ) : (
        <ul className={styles.list}>
          {shown.map((entry, i) => (
            <Entry key={`${entry.op}:${entry.crmId ?? ''}:${entry.itemId ?? ''}:${i}`} entry={entry} />
          ))}
        </ul>
      )}
      {shown.length < run.entries.length && (
        <Button size="small" onClick={() => setAll(true)}>
          {t('sync.showAll', { count: run.entries.length })}
        </Button>
      )}
    </details>
  );
}

export interface SyncRunLogProps {
  /** Newest first. */
  readonly runs: readonly SyncRunRecord[];
  readonly timeOfDay?: (at: number) => string;
}

// With seconds (chosen: always, not only when two runs share a minute): runs a minute apart read alike.
export function SyncRunLog({ runs, timeOfDay: givenTimeOfDay }: SyncRunLogProps) {
  const styles = useStyles();
  const { t, formats } = usePaneStrings();
  const timeOfDay = givenTimeOfDay ?? timeWithSecondsIn(formats);
  return (
    <section className={styles.root} aria-labelledby="sync-log-heading" data-testid="sync-log">
      <h2 id="sync-log-heading" className={styles.heading}>
        {t('sync.logHeading')}
      </h2>
      {runs.length === 0 ? (
        <Body1 as="p" block className={styles.empty}>
          {t('sync.noRuns')}
        </Body1>
      ) : (
        runs.map((run, i) => (
          <Run key={`${run.startedAt}:${i}`} run={run} open={i === 0} timeOfDay={timeOfDay} />
        ))
      )}
    </section>
  );
}
