/**
 * The session as the use cases take it: the adapter's Session (identity, settings, ports) with the
 * diagnostics log the host chose. Kept apart from session.ts, which opens the session and knows
 * nothing of where failures are written.
 */
import type { DiagnosticsLog } from './ports';
import type { Session } from './session';

export type { DiagnosticsLog };

export type LoggedSession = Session & { readonly log: DiagnosticsLog };

export const withLog = (session: Session, log: DiagnosticsLog): LoggedSession => ({ ...session, log });

/** VerboseErrorsOnPromoteToCRM (§1.2): 1 shows the user the status code, Dataverse code and request id. */
export const verboseErrors = (session: Session): boolean =>
  session.settings.orgDb.VerboseErrorsOnPromoteToCRM === 1;
