/**
 * Sign-in for the runtimes that can show it (the pane, the ribbon command's page): MSAL nested app
 * authentication. Kept apart from connection.ts so the event bundle never includes MSAL.
 */
import { MsalNestedAppTokenProvider } from '../crm/auth';
import type { SignIn } from './connection';

export const msalSignIn: SignIn = (connection, clientId) =>
  new MsalNestedAppTokenProvider({ clientId, orgUrl: connection.crmUrl });
