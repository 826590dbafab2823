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
  ENTITY_ONE_TEXT,
  FAILED_OPERATION_TEXT,
  OPERATION_TEXT,
  entryDetails,
  localTimeWithSeconds,
  stoppedGroupText,
  stoppedGroups,
  syncRunText,
} from '../controller/syncWords';

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
  const failed = entry.outcome === 'failed';
  return (
    <li className={styles.entry} data-testid="sync-entry" data-op={entry.op} data-outcome={entry.outcome}>
      {failed ? FAILED_OPERATION_TEXT[entry.op] : OPERATION_TEXT[entry.op]}:{' '}
      {ENTITY_ONE_TEXT[entry.entity].toLowerCase()}{' '}
      <span className={styles.title}>{entry.title || '(no title)'}</span>
      {failed && ' (tried again next time)'}
      {entryDetails(entry).map((detail) => (
        <span key={detail} className={styles.detail}>
          {detail}
        </span>
      ))}
      {failed && <span className={styles.failed}>What failed: {entry.error ?? 'no detail'}</span>}
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
  const [all, setAll] = useState(false);
  const shown = all ? run.entries : run.entries.slice(0, ENTRIES_SHOWN);
  const trigger = run.trigger === 'manual' ? 'Synchronize now' : 'Scheduled';
  const stopped = stoppedGroups(run);
  return (
    <details open={open} data-testid="sync-run">
      <summary className={styles.summary}>
        {timeOfDay(run.startedAt)} · {trigger} · {syncRunText(run)}
      </summary>
      {stopped.length > 0 && (
        <ul className={styles.list}>
          {stopped.map((group) => (
            <li key={group.entities.join()} className={styles.entry} data-testid="sync-stopped">
              <span className={styles.failed}>{stoppedGroupText(group)}</span>
            </li>
          ))}
        </ul>
      )}
      {run.entries.length === 0 ? (
        stopped.length === 0 && (
          <Body1 as="p" block className={styles.empty}>
            {run.ran ? 'Nothing to change.' : 'Nothing was done.'}
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
          Show all {run.entries.length} changes
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
export function SyncRunLog({ runs, timeOfDay = localTimeWithSeconds }: SyncRunLogProps) {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-labelledby="sync-log-heading" data-testid="sync-log">
      <h2 id="sync-log-heading" className={styles.heading}>
        Log of the last synchronizations
      </h2>
      {runs.length === 0 ? (
        <Body1 as="p" block className={styles.empty}>
          No synchronization has run on this device yet.
        </Body1>
      ) : (
        runs.map((run, i) => (
          <Run key={`${run.startedAt}:${i}`} run={run} open={i === 0} timeOfDay={timeOfDay} />
        ))
      )}
    </section>
  );
}
