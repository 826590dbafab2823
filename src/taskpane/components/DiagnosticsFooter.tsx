/**
 * Under the item card: "Why?", "Copy as a case" and the diagnostics log (issue 13). The buttons are
 * in the pane's first JavaScript; what they open is a chunk of its own ("pane-diagnostics"), loaded on
 * first use, so an item open pays nothing for diagnostics.
 */
import { Suspense, lazy, useState } from 'react';
import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { PaneDiagnostics } from '../controller/diagnosticsAccess';
import type { ItemView } from '../controller/types';
import { usePaneStrings } from '../strings';

const DiagnosticsPanels = lazy(() =>
  import(/* webpackChunkName: "pane-diagnostics" */ './DiagnosticsPanels').then((m) => ({
    default: m.DiagnosticsPanels,
  })),
);

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  hint: { color: tokens.colorNeutralForeground2 },
});

/** The states in which the CRM has not answered about the item: a track waits, or the check failed. */
const UNANSWERED: readonly string[] = ['pending', 'undeliverable', 'failed'];
const HINT_ID = 'diagnostics-no-decision';

export type DiagnosticsPanel = 'why' | 'case' | 'log';

export interface DiagnosticsFooterProps {
  readonly item: ItemView;
  readonly access: PaneDiagnostics;
}

export function DiagnosticsFooter({ item, access }: DiagnosticsFooterProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const [open, setOpen] = useState<DiagnosticsPanel | null>(null);
  const decided = item.kind === 'read' && item.state.decision !== null;
  // Said, not only greyed out: a waiting track is when a user most wants to know why (walk 13b).
  const unanswered =
    item.kind === 'read' && !decided && !item.refreshing && UNANSWERED.includes(item.state.status);
  // A panel about an item closes when another item is shown: it would describe the wrong email.
  const itemId = item.kind === 'read' ? item.itemId : null;
  const [shownFor, setShownFor] = useState(itemId);
  if (shownFor !== itemId) {
    setShownFor(itemId);
    if (open !== 'log') setOpen(null);
  }
  const toggle = (panel: DiagnosticsPanel) => setOpen((current) => (current === panel ? null : panel));
  const button = (panel: DiagnosticsPanel, label: string, enabled: boolean) => (
    <Button
      size="small"
      appearance="subtle"
      aria-expanded={open === panel}
      aria-controls={open === panel ? `diagnostics-${panel}` : undefined}
      disabled={!enabled}
      aria-describedby={!enabled && unanswered ? HINT_ID : undefined}
      data-testid={`diagnostics-${panel}-button`}
      onClick={() => toggle(panel)}
    >
      {label}
    </Button>
  );
  return (
    <>
      <div className={styles.row} role="group" aria-label={t('diagnostics.logOpen')}>
        {button('why', t('diagnostics.whyButton'), decided)}
        {button('case', t('diagnostics.caseButton'), decided && access.session() !== null)}
        {button('log', t('diagnostics.logOpen'), true)}
      </div>
      {unanswered && (
        <Text id={HINT_ID} size={200} className={styles.hint}>
          {t('diagnostics.noDecisionYet')}
        </Text>
      )}
      {open && (
        <Suspense fallback={<Spinner size="tiny" />}>
          <DiagnosticsPanels panel={open} item={item} access={access} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </>
  );
}
