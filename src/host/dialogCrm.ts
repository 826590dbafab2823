/**
 * The Set Regarding dialog's CRM: the dialog is its own page (Office opens it in a new window), so it
 * cannot share the opener's session; it is given the CRM URL in its query string and signs in the
 * same way the pane does (a token from MSAL's cache, in memory only). Part of the composition root,
 * so the dialog builds no adapter itself.
 */
import { DataverseAdapter } from '../crm/dataverseAdapter';
import { DataverseHttp } from '../crm/dataverseHttp';
import type { CrmPort } from '../crm/port';
import type { DiagnosticsLog } from '../app/ports';
import { connectionFor, tokenProviderFor } from './connection';
import { msalSignIn } from './signIn';

export function dialogCrm(crmUrl: string | null, log: DiagnosticsLog): CrmPort {
  const connection = connectionFor(crmUrl ?? undefined);
  const report = (message: string, error?: unknown) => log.log(message, error);
  return new DataverseAdapter(
    new DataverseHttp({
      orgUrl: connection.crmUrl,
      tokens: tokenProviderFor(connection, msalSignIn),
      log: report,
    }),
    { log: report },
  );
}
