/**
 * The session as the use cases take it: the adapter's Session (identity, settings, ports) with the
 * diagnostics log the host chose. Kept apart from session.ts, which opens the session and knows
 * nothing of where failures are written.
 */
import { resolveSettings } from '../rules/settingsInput';
import type { Worded } from './appWords';
import type { DiagnosticsLog } from './ports';
import { mergeSettings, type LocalOptions, type Session, type SessionSnapshot } from './session';

export type { DiagnosticsLog };

/** `t`: the words of the surface that runs the use case (its display language); none is English. */
export type LoggedSession = Session & { readonly log: DiagnosticsLog } & Worded;

/** `t`, when given, is the surface's words; without it the use cases speak English. */
export const withLog = (session: Session, log: DiagnosticsLog, t?: Worded['t']): LoggedSession =>
  t ? { ...session, log, t } : { ...session, log };

/** VerboseErrorsOnPromoteToCRM (§1.2): 1 shows the user the status code, Dataverse code and request id. */
export const verboseErrors = (session: Session): boolean =>
  session.settings.orgDb.VerboseErrorsOnPromoteToCRM === 1;

/**
 * VerboseErrorsOnPromoteToCRM when no session can be opened: from the settings a session of the same
 * CRM left in roaming settings (§1.4); off when there is none. A failure on a fresh page must still be
 * worded as the organization asked.
 */
export const verboseErrorsFromSnapshot = (snapshot: SessionSnapshot | null, local: LocalOptions): boolean =>
  snapshot !== null &&
  resolveSettings(mergeSettings(snapshot.raw, local)).settings.orgDb.VerboseErrorsOnPromoteToCRM === 1;
