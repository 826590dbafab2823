import { EMULATOR_TOKEN, graphTokens, isLocalGraph, MAIL_SCOPES } from '../../../src/graph/auth';

const silent: { scopes?: unknown }[] = [];

jest.mock('@azure/msal-browser', () => ({
  BrowserCacheLocation: { MemoryStorage: 'memoryStorage' },
  createNestablePublicClientApplication: async () => ({
    getActiveAccount: () => null,
    getAllAccounts: () => [],
    setActiveAccount: () => undefined,
    acquireTokenSilent: async (request: { scopes?: unknown }) => {
      silent.push(request);
      return { accessToken: 'graph-token' };
    },
    acquireTokenPopup: async () => ({ accessToken: 'popup-token', account: {} }),
  }),
}));

describe('Graph tokens', () => {
  test.each([
    ['http://127.0.0.1:5556/v1.0', true],
    ['http://localhost:5556/v1.0', true],
    ['https://graph.microsoft.com/v1.0', false],
    ['https://localhost.evil.example/v1.0', false],
    ['not a url', false],
  ])('%s is local: %s', (url, local) => {
    expect(isLocalGraph(url)).toBe(local);
  });

  test('the emulator gets a fixed placeholder bearer, no sign-in', async () => {
    const tokens = graphTokens({ baseUrl: 'http://127.0.0.1:5556/v1.0', clientId: 'c' });
    expect(tokens).toBe(EMULATOR_TOKEN);
    await expect(tokens.refreshToken()).resolves.toBe('graph-emulator');
  });

  test('Graph gets nested app authentication asking for the mail scopes only (synchronization asks for its own later)', async () => {
    const tokens = graphTokens({ baseUrl: 'https://graph.microsoft.com/v1.0', clientId: 'c' });
    await expect(tokens.getToken()).resolves.toBe('graph-token');
    expect(silent[0]?.scopes).toEqual([
      'https://graph.microsoft.com/Mail.ReadWrite',
      'https://graph.microsoft.com/MailboxSettings.ReadWrite',
    ]);
    expect(silent[0]?.scopes).toEqual([...MAIL_SCOPES]);
  });
});
