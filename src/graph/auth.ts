/**
 * Tokens for Microsoft Graph: the CRM's MSAL nested app authentication (src/crm/auth.ts) asking for
 * the mailbox scopes, or a placeholder against the local emulator, which needs a bearer but no
 * sign-in. Scopes are asked for incrementally: the background check needs mail and the master
 * category list only, so that is all the user consents to now; synchronization will ask for
 * Contacts/Calendars/Tasks.ReadWrite when the user turns it on (SYNC_SCOPES), not before.
 */
import { MsalNestedAppTokenProvider, type TokenProvider } from '../crm/auth';

/** Read and write messages (categories, the tag) and the master category list (MailboxSettings). */
export const MAIL_SCOPES: readonly string[] = [
  'https://graph.microsoft.com/Mail.ReadWrite',
  'https://graph.microsoft.com/MailboxSettings.ReadWrite',
];

/** What synchronization (issue "synchronization") will add to MAIL_SCOPES when it is turned on. */
export const SYNC_SCOPES: readonly string[] = [
  'https://graph.microsoft.com/Contacts.ReadWrite',
  'https://graph.microsoft.com/Calendars.ReadWrite',
  'https://graph.microsoft.com/Tasks.ReadWrite',
];

/** The emulator accepts any bearer and answers 401 to none, as Graph does: a fixed, non-secret one. */
export const EMULATOR_TOKEN: TokenProvider = {
  getToken: async () => 'graph-emulator',
  refreshToken: async () => 'graph-emulator',
};

export interface GraphTokenOptions {
  /** Graph's base URL, or the emulator's (`http://127.0.0.1:P/v1.0`). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly authority?: string;
  readonly scopes?: readonly string[];
  readonly log?: (message: string, error?: unknown) => void;
}

/** True for a Graph served from this machine: the emulator, never a real tenant. */
export function isLocalGraph(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

export function graphTokens(options: GraphTokenOptions): TokenProvider {
  if (isLocalGraph(options.baseUrl)) return EMULATOR_TOKEN;
  return new MsalNestedAppTokenProvider({
    clientId: options.clientId,
    orgUrl: 'https://graph.microsoft.com',
    authority: options.authority,
    scopes: options.scopes ?? MAIL_SCOPES,
    log: options.log,
  });
}
