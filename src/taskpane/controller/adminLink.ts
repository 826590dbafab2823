/**
 * The link to the admin page for those the CRM lets administer the add-in (walk 13, item 4). Shown
 * only when the CRM says the user may write the organization (prvWriteOrganization, the privilege
 * the page's save needs first): asked once per session through the admin port, whose code is a chunk
 * of its own (the pane's first JavaScript stays within its budget, and most users never need it).
 */
import type { DataverseHttp } from '../../crm/dataverseHttp';

/** Whether the CRM lets this session's user save the organization's settings. */
export async function mayAdminister(http: DataverseHttp, userId: string): Promise<boolean> {
  const { DataverseAdmin } = await import(
    /* webpackChunkName: "pane-admin-access" */ '../../crm/adminAdapter'
  );
  // The session already asked WhoAmI: one request, the privilege function, not two.
  const access = await new DataverseAdmin(http, { userId }).readAccess();
  return access.canWriteOrganization;
}

/** admin.html beside the pane's page, for the CRM the pane is connected to (adminHost.ts reads `crm`). */
export function adminPageUrl(paneUrl: string, crmUrl: string): string {
  const url = new URL('admin.html', paneUrl);
  url.search = '';
  url.hash = '';
  url.searchParams.set('crm', crmUrl);
  return url.toString();
}
