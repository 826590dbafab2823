import { MsalNestedAppTokenProvider, NO_TOKEN } from '../../../src/crm/auth';

const calls: { silent: unknown[]; popup: unknown[]; config: unknown[] } = {
  silent: [],
  popup: [],
  config: [],
};
let silentFails = false;
let silentError: unknown = new Error('interaction_required');
let popupError: unknown = null;

jest.mock('@azure/msal-browser', () => ({
  BrowserCacheLocation: { MemoryStorage: 'memoryStorage' },
  createNestablePublicClientApplication: async (config: unknown) => {
    calls.config.push(config);
    let active: unknown = null;
    return {
      getActiveAccount: () => active,
      getAllAccounts: () => [],
      setActiveAccount: (account: unknown) => {
        active = account;
      },
      acquireTokenSilent: async (request: unknown) => {
        calls.silent.push(request);
        if (silentFails) throw silentError;
        return { accessToken: 'silent-token' };
      },
      acquireTokenPopup: async (request: unknown) => {
        calls.popup.push(request);
        if (popupError) throw popupError;
        return { accessToken: 'popup-token', account: { username: 'dana@contoso.com' } };
      },
    };
  },
}));

describe('token providers', () => {
  beforeEach(() => {
    calls.silent.length = 0;
    calls.popup.length = 0;
    calls.config.length = 0;
    silentFails = false;
    silentError = new Error('interaction_required');
    popupError = null;
  });

  test('the emulator needs no token', async () => {
    await expect(NO_TOKEN.getToken()).resolves.toBeNull();
    await expect(NO_TOKEN.refreshToken()).resolves.toBeNull();
  });

  test('nested app authentication: user_impersonation on the org, MSAL cache in memory only, silent first', async () => {
    const provider = new MsalNestedAppTokenProvider({
      clientId: 'client-1',
      orgUrl: 'https://contoso.crm.dynamics.com/',
    });
    await expect(provider.getToken()).resolves.toBe('silent-token');
    expect(calls.config[0]).toMatchObject({
      auth: { clientId: 'client-1' },
      cache: { cacheLocation: 'memoryStorage' },
    });
    expect(calls.silent[0]).toMatchObject({
      scopes: ['https://contoso.crm.dynamics.com/user_impersonation'],
      forceRefresh: false,
    });
    expect(calls.popup).toHaveLength(0);
  });

  test('when silent fails the user is asked once (popup); a refresh skips the cache', async () => {
    const provider = new MsalNestedAppTokenProvider({
      clientId: 'c',
      orgUrl: 'https://contoso.crm.dynamics.com',
    });
    silentFails = true;
    await expect(provider.getToken()).resolves.toBe('popup-token');
    expect(calls.popup).toHaveLength(1);
    silentFails = false;
    await provider.refreshToken();
    expect(calls.silent.at(-1)).toMatchObject({ forceRefresh: true });
    expect(calls.config).toHaveLength(1);
  });

  test('offline while signing in is a retryable CrmNetworkError, and no popup is shown', async () => {
    const { CrmNetworkError, CrmAuthError } = await import('../../../src/crm/errors');
    const provider = new MsalNestedAppTokenProvider({
      clientId: 'c',
      orgUrl: 'https://contoso.crm.dynamics.com',
    });
    silentFails = true;
    silentError = Object.assign(new Error('no connectivity'), { errorCode: 'no_network_connectivity' });
    await expect(provider.getToken()).rejects.toBeInstanceOf(CrmNetworkError);
    expect(calls.popup).toHaveLength(0);
    silentError = new Error('interaction_required');
    popupError = Object.assign(new Error('user cancelled'), { errorCode: 'user_cancelled' });
    await expect(provider.getToken()).rejects.toBeInstanceOf(CrmAuthError);
  });
});
