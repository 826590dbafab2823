/** The host's theme, read from Office (src/mailbox/host.ts). */
import { installFakeOffice, removeFakeOffice } from './fakeOffice';
import { luminance, officeThemeKind } from '../../src/mailbox/host';

afterEach(() => removeFakeOffice());

test('theme: isDarkTheme when present, else the body background', () => {
  installFakeOffice({ officeTheme: { isDarkTheme: true, bodyBackgroundColor: '#ffffff' } });
  expect(officeThemeKind()).toBe('dark');
  installFakeOffice({ officeTheme: { bodyBackgroundColor: '#1f1f1f' } });
  expect(officeThemeKind()).toBe('dark');
  installFakeOffice({ officeTheme: { bodyBackgroundColor: '#FFFFFF' } });
  expect(officeThemeKind()).toBe('light');
  installFakeOffice({});
  expect(officeThemeKind()).toBeNull();
  expect(luminance('nonsense')).toBeNull();
});
