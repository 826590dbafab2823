/** The diagnostics chunk: whichever panel the footer opened. */
import type { PaneDiagnostics } from '../controller/diagnosticsAccess';
import type { ItemView } from '../controller/types';
import { CaseCopy } from './CaseCopy';
import type { DiagnosticsPanel } from './DiagnosticsFooter';
import { DiagnosticsScreen } from './DiagnosticsScreen';
import { WhyView } from './WhyView';

export interface DiagnosticsPanelsProps {
  readonly panel: DiagnosticsPanel;
  readonly item: ItemView;
  readonly access: PaneDiagnostics;
  readonly onClose: () => void;
}

export function DiagnosticsPanels({ panel, item, access, onClose }: DiagnosticsPanelsProps) {
  if (panel === 'log') return <DiagnosticsScreen ring={access.ring} onClose={onClose} />;
  const state = item.kind === 'read' ? item.state : null;
  if (panel === 'why')
    return <WhyView decision={state?.decision ?? null} names={state?.names} onClose={onClose} />;
  return state?.decision ? (
    <CaseCopy state={{ decision: state.decision, activityId: state.activityId }} session={access.session} />
  ) : null;
}
