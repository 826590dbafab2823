/** src/mailbox: the current item as plain facts, item-change registration, theme. */
import { asyncResult, installFakeOffice, removeFakeOffice } from './fakeOffice';
import { NotInOutlookError, onItemChanged, readCurrentItem } from '../../src/mailbox/currentItem';
import { luminance, officeThemeKind } from '../../src/mailbox/host';
import { showInformation } from '../../src/mailbox/notifications';

afterEach(removeFakeOffice);

const getAsync = (value: unknown) => ({
  getAsync: (cb: (r: unknown) => void) => cb(asyncResult({ ok: true, value })),
});

test('read mode: subject and From', async () => {
  installFakeOffice({
    item: { subject: 'Quarterly review', from: { displayName: 'Ann Lee', emailAddress: 'ann@contoso.com' } },
  });
  await expect(readCurrentItem()).resolves.toEqual({
    mode: 'read',
    subject: 'Quarterly review',
    sender: { name: 'Ann Lee', address: 'ann@contoso.com' },
  });
});

test('compose mode: subject and From through getAsync', async () => {
  installFakeOffice({
    item: {
      subject: getAsync('Re: offer'),
      from: getAsync({ displayName: '', emailAddress: 'me@fabrikam.com' }),
    },
  });
  await expect(readCurrentItem()).resolves.toEqual({
    mode: 'compose',
    subject: 'Re: offer',
    sender: { name: null, address: 'me@fabrikam.com' },
  });
});

test('compose mode: a failed getAsync rejects with Office’s message', async () => {
  installFakeOffice({
    item: {
      subject: {
        getAsync: (cb: (r: unknown) => void) =>
          cb(asyncResult({ ok: false, error: { name: 'X', message: 'denied', code: 1 } })),
      },
      from: getAsync(null),
    },
  });
  await expect(readCurrentItem()).rejects.toThrow('Reading the subject failed: denied');
});

test('no selected item gives null; no Outlook gives NotInOutlookError', async () => {
  installFakeOffice({ item: null });
  await expect(readCurrentItem()).resolves.toBeNull();
  removeFakeOffice();
  await expect(readCurrentItem()).rejects.toBeInstanceOf(NotInOutlookError);
});

test('item changes reach the listener', async () => {
  const fake = installFakeOffice();
  const listener = jest.fn();
  await onItemChanged(listener);
  fake.itemChangedHandlers.forEach((h) => h());
  expect(listener).toHaveBeenCalledTimes(1);
});

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

test('notifications enforce Outlook’s limits before calling it', async () => {
  installFakeOffice();
  await expect(showInformation('k', 'x'.repeat(151))).rejects.toThrow(/150/);
  await expect(showInformation('k'.repeat(33), 'hello')).rejects.toThrow(/32/);
});
