/**
 * Which CRM the add-in talks to, and how it signs in. The URL comes from the user's choice (saved in
 * roaming settings from the pane), else from the build (`TIC_CRM_URL`, the local emulator in
 * development). The local emulator takes no token; a real org signs in with MSAL nested app
 * authentication (`TIC_CLIENT_ID`, the app registration).
 */
import { NO_TOKEN, type TokenProvider } from '../crm/auth';
import { CrmAuthError } from '../crm/errors';

declare const process: { env: Record<string, string | undefined> };

/** Set by webpack's DefinePlugin at build time. */
export const DEFAULT_CRM_URL = process.env.TIC_CRM_URL || 'http://localhost:5555';
export const CLIENT_ID = process.env.TIC_CLIENT_ID || '';

export interface Connection {
  readonly crmUrl: string;
  readonly local: boolean;
}

export function connectionFor(savedUrl: string | undefined): Connection {
  const crmUrl = (savedUrl || DEFAULT_CRM_URL).replace(/\/+$/, '');
  const host = /^https?:\/\/([^/:]+)/i.exec(crmUrl)?.[1]?.toLowerCase() ?? '';
  return { crmUrl, local: host === 'localhost' || host === '127.0.0.1' || host === '[::1]' };
}

/** A provider for runtimes that cannot sign in (classic Outlook's event runtime): the pane delivers instead. */
const CANNOT_SIGN_IN: TokenProvider = {
  getToken: async () => {
    throw new CrmAuthError(
      'Sign in from the Track in CRM pane: this part of Outlook cannot sign in by itself.',
      {
        status: null,
        code: null,
        requestId: null,
        request: null,
      },
    );
  },
  refreshToken: async () => null,
};

/** Makes a signed-in token provider; only runtimes that can show a sign-in pass one (see signIn.ts). */
export type SignIn = (connection: Connection, clientId: string) => TokenProvider;

export function tokenProviderFor(connection: Connection, signIn: SignIn | null): TokenProvider {
  if (connection.local) return NO_TOKEN;
  if (!signIn || !CLIENT_ID) return CANNOT_SIGN_IN;
  return signIn(connection, CLIENT_ID);
}

/** Microsoft Graph for a real tenant. */
export const GRAPH_URL = 'https://graph.microsoft.com/v1.0';
/** The local Graph emulator `npm start` runs beside the CRM emulator (TIC_GRAPH_PORT, default 5556). */
export const LOCAL_GRAPH_URL = 'http://localhost:5556/v1.0';

/**
 * Where the mailbox-wide background check reads the mailbox. A host page may name it (the workbench
 * passes its Graph emulator, or `null` when none is running); otherwise a local CRM (the emulator)
 * goes with the local Graph emulator and a real org with Microsoft Graph.
 */
export function graphUrlFor(connection: Connection, hostGraphUrl?: string | null): string | null {
  if (hostGraphUrl === null) return null;
  if (hostGraphUrl) return hostGraphUrl.replace(/\/+$/, '');
  return connection.local ? LOCAL_GRAPH_URL : GRAPH_URL;
}
