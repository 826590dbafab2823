/** The ribbon function command: shows the honest "not connected" notice and always completes. */
import { fakeEvent, installFakeOffice, removeFakeOffice } from './fakeOffice';

type Commands = typeof import('../../src/commands/commands');

function load(): Commands {
  let mod: Commands | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<Commands>('../../src/commands/commands');
  });
  return mod as Commands;
}

afterEach(() => {
  removeFakeOffice();
  jest.restoreAllMocks();
});

test('registers trackInCrm with Office.actions.associate', () => {
  const fake = installFakeOffice();
  const { trackInCrm } = load();
  expect(fake.associated.get('trackInCrm')).toBe(trackInCrm);
});

test('shows an informational notice that no CRM connection is configured, then completes', async () => {
  const fake = installFakeOffice();
  const { trackInCrm, NOT_CONNECTED_MESSAGE } = load();
  const event = fakeEvent();
  await trackInCrm(event as unknown as Office.AddinCommands.Event);
  expect(fake.notifications).toEqual([
    {
      key: 'trackInCrmStatus',
      details: {
        type: 'informationalMessage',
        message: NOT_CONNECTED_MESSAGE,
        icon: 'Icon.16x16',
        persistent: false,
      },
    },
  ]);
  expect(NOT_CONNECTED_MESSAGE.length).toBeLessThanOrEqual(150);
  expect(NOT_CONNECTED_MESSAGE).toMatch(/no CRM connection/);
  expect(event.calls).toEqual([[]]);
});

test('completes the event when the notification fails, and logs why', async () => {
  installFakeOffice({
    replaceAsync: { ok: false, error: { name: 'GenericResponseError', message: 'boom', code: 9020 } },
  });
  const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const { trackInCrm } = load();
  const event = fakeEvent();
  await trackInCrm(event as unknown as Office.AddinCommands.Event);
  expect(event.calls).toEqual([[]]);
  expect(String(log.mock.calls[0]?.[1])).toContain('boom');
});

test('completes the event when there is no current item', async () => {
  installFakeOffice({ item: null });
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const { trackInCrm } = load();
  const event = fakeEvent();
  await trackInCrm(event as unknown as Office.AddinCommands.Event);
  expect(event.calls).toEqual([[]]);
});
