import { CrmAuthError, CrmNetworkError, type CrmError } from './errors';

/**
 * Where the CRM's access token comes from. Tokens live in memory only: never in roaming settings,
 * custom properties or web storage (MSAL's cache is set to memory for the same reason).
 */

export interface TokenProvider {
  /** A bearer token for the CRM, or null when the CRM needs none (the local emulator). */
  getToken(): Promise<string | null>;
  /** After a 401: a new token (skipping any cache), or null when none can be had. */
  refreshToken(): Promise<string | null>;
}

/** The local emulator takes no token. */
export const NO_TOKEN: TokenProvider = {
  getToken: async () => null,
  refreshToken: async () => null,
};

export interface MsalNestedAppOptions {
  /** The app registration's client id (a SPA with redirect URI `brk-multihub://<add-in origin>`). */
  readonly clientId: string;
  /** The Dataverse org URL, e.g. `https://contoso.crm.dynamics.com`. */
  readonly orgUrl: string;
  readonly authority?: string;
  /**
   * Scopes asked for instead of the org's `user_impersonation`: Microsoft Graph's for the mailbox
   * (src/graph/auth.ts). Same app registration, same nested app authentication.
   */
  readonly scopes?: readonly string[];
  /** Where a silent sign-in failure that the popup then handles is written: the DiagnosticsLog shape. */
  readonly log?: (message: string, error?: unknown) => void;
}

type MsalApp = Awaited<
  ReturnType<(typeof import('@azure/msal-browser'))['createNestablePublicClientApplication']>
>;

/**
 * MSAL nested app authentication (Outlook's recommended sign-in): silent first, a popup when the
 * user must consent or sign in. MSAL is loaded on first use, so the pane's initial bundle does not
 * carry it and the emulator set-up never loads it.
 */
export class MsalNestedAppTokenProvider implements TokenProvider {
  private app: Promise<MsalApp> | null = null;
  private readonly scopes: string[];

  constructor(private readonly options: MsalNestedAppOptions) {
    this.scopes = options.scopes
      ? [...options.scopes]
      : [`${options.orgUrl.replace(/\/+$/, '')}/user_impersonation`];
  }

  private client(): Promise<MsalApp> {
    this.app ??= import('@azure/msal-browser').then((msal) =>
      msal.createNestablePublicClientApplication({
        auth: {
          clientId: this.options.clientId,
          authority: this.options.authority ?? 'https://login.microsoftonline.com/common',
        },
        cache: { cacheLocation: msal.BrowserCacheLocation.MemoryStorage },
      }),
    );
    return this.app;
  }

  private async acquire(forceRefresh: boolean): Promise<string> {
    const app = await this.client();
    const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
    try {
      const result = await app.acquireTokenSilent({ scopes: this.scopes, account, forceRefresh });
      return result.accessToken;
    } catch (error) {
      // Offline is not a reason to ask the user to sign in: it is a failure time can fix.
      if (isNetworkFailure(error)) throw signInError(error, true);
      this.options.log?.('Silent sign-in to the CRM failed; asking the user', error);
    }
    // Silent failed for a reason the user can fix (no account yet, consent, expired session): ask.
    try {
      const result = await app.acquireTokenPopup({ scopes: this.scopes });
      app.setActiveAccount(result.account);
      return result.accessToken;
    } catch (error) {
      throw signInError(error, isNetworkFailure(error));
    }
  }

  getToken(): Promise<string | null> {
    return this.acquire(false);
  }

  refreshToken(): Promise<string | null> {
    return this.acquire(true);
  }
}

function isNetworkFailure(error: unknown): boolean {
  const code = String((error as { errorCode?: unknown } | null)?.errorCode ?? '');
  return /network|no_network_connectivity|timed_out|endpoints_resolution/i.test(code);
}

/** MSAL's failures as the CRM's typed errors, so the use cases queue or show them like any other. */
function signInError(error: unknown, network: boolean): CrmError {
  const message = `Signing in to the CRM failed: ${error instanceof Error ? error.message : String(error)}`;
  const detail = {
    status: null,
    code: String((error as { errorCode?: unknown } | null)?.errorCode ?? '') || null,
    requestId: null,
    request: 'sign-in',
  };
  return network ? new CrmNetworkError(message, detail) : new CrmAuthError(message, detail);
}
