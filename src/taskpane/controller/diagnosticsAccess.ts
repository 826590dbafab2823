/**
 * How the pane's views reach diagnostics (issue 13), as they reach synchronization (syncAccess.ts):
 * boot.ts hands the pane a controller that also carries the pane's diagnostics log (`diagnostics`);
 * the session the controller holds is read for "Copy as a case". The pane state does not carry the
 * log: it changes with every request, and the pane re-renders only while the log is on screen.
 */
import type { Session } from '../../app/session';
import { maskAddressesInText } from '../../crm/retryPolicy';
import type { DiagnosticsRing } from '../../host/diagnosticsRing';
import type { PaneState } from './types';

// The pane's components import no host code: they take these types from here.
export type { DiagnosticsRing } from '../../host/diagnosticsRing';
export type { DiagnosticsEventKind, LoggedEvent } from '../../app/diagnosticsEvents';

export interface PaneDiagnostics {
  /** The pane's log, or null when this pane was composed without one (tests, an older boot). */
  readonly ring: DiagnosticsRing | null;
  /** The session in use, or null while none is open. */
  session(): Session | null;
}

/** What the controller carries when the pane keeps a diagnostics log. */
export interface DiagnosticsCarrier {
  readonly diagnostics: DiagnosticsRing;
}

export function diagnosticsAccessOf(actions: object): PaneDiagnostics {
  const carrier = actions as Partial<DiagnosticsCarrier> & { readonly session?: Session | null };
  return {
    ring: typeof carrier.diagnostics === 'object' ? carrier.diagnostics : null,
    session: () => (typeof carrier.session === 'object' ? carrier.session : null),
  };
}

/** `***@domain` for a sender's address; empty for none or for text the mask does not cover whole. */
function senderLabel(address: string | undefined): string {
  const masked = maskAddressesInText((address ?? '').trim());
  return /^\*{3}@\S+$/.test(masked) ? masked : '';
}

/**
 * Logs each decision the pane shows, once: its action, track or not and reason, and as the item a
 * label a person can place without the subject: the sender's address masked (`***@fabrikam.com`),
 * empty when the email has none. Not the Exchange item id (chosen): a long opaque id tells the user
 * nothing, and support cannot open a mailbox item by it. Called by boot.ts over the controller's
 * store; returns the unsubscribe.
 */
export function recordPaneDecisions(
  store: { getState(): PaneState; subscribe(listener: () => void): () => void },
  ring: Pick<DiagnosticsRing, 'event'>,
): () => void {
  let last: unknown = null;
  return store.subscribe(() => {
    const { item } = store.getState();
    if (item.kind !== 'read' || !item.state.decision || item.state.decision === last) return;
    const { decision } = item.state;
    last = decision;
    ring.event({
      kind: 'decision',
      action:
        decision.reason === 'ManualTrack' || decision.reason === 'RegardingRequired' ? 'track' : 'incoming',
      track: decision.track,
      reason: decision.reason,
      item: senderLabel(item.from?.address),
    });
  });
}
