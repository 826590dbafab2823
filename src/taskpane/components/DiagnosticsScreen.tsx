/**
 * The diagnostics log (issue 13): what this pane did, newest first, filtered by kind, exported as a
 * JSON Lines file or cleared. Every line is text (paths, ids and messages may hold what a server or an
 * email said).
 */
import { useState, useSyncExternalStore } from 'react';
import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { DIAGNOSTICS_EVENT_KINDS, eventsAsJsonLines } from '../../app/diagnosticsEvents';
import type { DiagnosticsEventKind, DiagnosticsRing, LoggedEvent } from '../controller/diagnosticsAccess';
import { eventsToShow, eventWords } from '../controller/diagnosticsWords';
import { useDiagnosticsPanelStyles } from './diagnosticsPanelStyles';
import { usePaneStrings, type PaneKey } from '../strings';

const useStyles = makeStyles({
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  list: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    display: 'grid',
    gap: tokens.spacingVerticalXS,
    maxHeight: '60vh',
    overflowY: 'auto',
    overflowWrap: 'anywhere',
  },
  entry: { fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200 },
  time: { color: tokens.colorNeutralForeground3, marginInlineEnd: tokens.spacingHorizontalXS },
  select: { fontFamily: tokens.fontFamilyBase, fontSize: tokens.fontSizeBase300 },
});

const KIND_KEYS: Readonly<Record<DiagnosticsEventKind | 'all', PaneKey>> = {
  all: 'diagnostics.logKindAll',
  decision: 'diagnostics.logKindDecision',
  request: 'diagnostics.logKindRequest',
  retry: 'diagnostics.logKindRetry',
  queue: 'diagnostics.logKindQueue',
  run: 'diagnostics.logKindRun',
  message: 'diagnostics.logKindMessage',
};

const NONE: readonly LoggedEvent[] = [];
const noSubscription = () => () => undefined;

/** The export: a JSON Lines file through a Blob URL (no server, nothing leaves the device by itself). */
function download(ring: DiagnosticsRing): void {
  const blob = new Blob([eventsAsJsonLines(ring.events())], { type: 'application/x-ndjson' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `track-in-crm-diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled: revoking at once may cancel the download in some hosts.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface DiagnosticsScreenProps {
  readonly ring: DiagnosticsRing | null;
  readonly onClose: () => void;
}

export function DiagnosticsScreen({ ring, onClose }: DiagnosticsScreenProps) {
  const styles = useStyles();
  const panel = useDiagnosticsPanelStyles();
  const { t, formats } = usePaneStrings();
  const [kind, setKind] = useState<DiagnosticsEventKind | 'all'>('all');
  // The ring's events() is a new array per call: the snapshot is its last sequence number.
  const snapshot = () => (ring ? `${ring.events().length}:${ring.events().at(-1)?.seq ?? 0}` : '');
  const version = useSyncExternalStore(ring ? ring.subscribe : noSubscription, snapshot, snapshot);
  const events = ring && version !== '' ? ring.events() : NONE;
  const shown = eventsToShow(events, kind);
  return (
    <section
      id="diagnostics-log"
      className={panel.root}
      aria-labelledby="log-title"
      data-testid="diagnostics-log"
    >
      <h3 id="log-title" className={panel.title}>
        {t('diagnostics.logTitle')}
      </h3>
      <Caption1 className={panel.muted}>{t('diagnostics.logIntro')}</Caption1>
      <div className={styles.bar}>
        <label>
          {t('diagnostics.logFilter')}{' '}
          <select
            className={styles.select}
            value={kind}
            onChange={(event) => setKind(event.target.value as DiagnosticsEventKind | 'all')}
            data-testid="log-filter"
          >
            {(['all', ...DIAGNOSTICS_EVENT_KINDS] as const).map((value) => (
              <option key={value} value={value}>
                {t(KIND_KEYS[value])}
              </option>
            ))}
          </select>
        </label>
        <Button
          size="small"
          disabled={!ring || events.length === 0}
          data-testid="log-export"
          onClick={() => ring && download(ring)}
        >
          {t('diagnostics.logExport')}
        </Button>
        <Button
          size="small"
          disabled={!ring || events.length === 0}
          onClick={() => ring?.clear()}
          data-testid="log-clear"
        >
          {t('diagnostics.logClear')}
        </Button>
        <Button size="small" onClick={onClose}>
          {t('diagnostics.logBack')}
        </Button>
      </div>
      <Caption1 role="status">
        {events.length === 0
          ? t('diagnostics.logEmpty')
          : t('diagnostics.logCount', { count: events.length, capacity: ring?.capacity ?? 0 })}
      </Caption1>
      {shown.length > 0 && (
        <ol className={styles.list} aria-labelledby="log-title" data-testid="log-entries">
          {shown.map((event) => (
            <li key={event.seq} className={styles.entry} data-kind={event.kind}>
              <span className={styles.time}>{formats.time(event.at, { seconds: true })}</span>
              {eventWords(event, t)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
