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
    this.scopes = [`${options.orgUrl.replace(/\/+$/, '')}/user_impersonation`];
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
    } catch {
      // Silent failed (no account yet, consent needed, refresh token expired): ask the user.
      const result = await app.acquireTokenPopup({ scopes: this.scopes });
      app.setActiveAccount(result.account);
      return result.accessToken;
    }
  }

  getToken(): Promise<string | null> {
    return this.acquire(false);
  }

  refreshToken(): Promise<string | null> {
    return this.acquire(true);
  }
}
