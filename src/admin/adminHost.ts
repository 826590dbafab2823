/**
 * The admin page's composition root: the CRM admin port for the page's CRM.
 *
 * Sign-in (chosen): the same MSAL nested app authentication as the pane and the Set Regarding dialog
 * (src/host/signIn.ts). Opened from Outlook (a dialog of the add-in) it is given the CRM URL as
 * `?crm=` as the dialog is; opened by an administrator in a browser tab, MSAL's nestable client falls
 * back to its ordinary browser sign-in (a popup, the app registration's SPA redirect), so the same
 * code signs in both ways. Without `?crm=` the build's CRM URL applies.
 *
 * `?as=<systemuserid>` acts as another user through Dataverse's MSCRMCallerID header, for the local
 * emulator only (chosen): against a real organization impersonation needs prvActOnBehalfOfAnotherUser
 * and is no part of administering the add-in, so the page never sends it there.
 */
import { DataverseAdmin } from '../crm/adminAdapter';
import type { CrmAdminPort } from '../crm/adminPort';
import { DataverseHttp } from '../crm/dataverseHttp';
import { connectionFor, tokenProviderFor } from '../host/connection';
import { msalSignIn } from '../host/signIn';

export function adminPortFor(params: URLSearchParams): CrmAdminPort {
  const connection = connectionFor(params.get('crm') ?? undefined);
  const log = (message: string, error?: unknown) => console.warn(`[Track in CRM] ${message}`, error ?? '');
  const actAs = params.get('as');
  return new DataverseAdmin(
    new DataverseHttp({
      orgUrl: connection.crmUrl,
      tokens: tokenProviderFor(connection, msalSignIn),
      log,
      ...(connection.local && actAs ? { headers: { MSCRMCallerID: actAs } } : {}),
    }),
    { log },
  );
}
