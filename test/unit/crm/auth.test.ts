import { MsalNestedAppTokenProvider, NO_TOKEN } from '../../../src/crm/auth';

const calls: { silent: unknown[]; popup: unknown[]; config: unknown[] } = {
  silent: [],
  popup: [],
  config: [],
};
let silentFails = false;

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
        if (silentFails) throw new Error('interaction_required');
        return { accessToken: 'silent-token' };
      },
      acquireTokenPopup: async (request: unknown) => {
        calls.popup.push(request);
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
});
