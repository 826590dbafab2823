/** Event handlers: registered by name, and event.completed() on every path. */
import { fakeEvent, installFakeOffice, removeFakeOffice } from './fakeOffice';

type Events = typeof import('../../src/events/events');

function load(): Events {
  let mod: Events | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<Events>('../../src/events/events');
  });
  return mod as Events;
}

afterEach(() => {
  removeFakeOffice();
  jest.restoreAllMocks();
});

test('registers both handlers under the manifest names', () => {
  const fake = installFakeOffice();
  const { onNewMessageComposeHandler, onMessageSendHandler } = load();
  expect(fake.associated.get('onNewMessageComposeHandler')).toBe(onNewMessageComposeHandler);
  expect(fake.associated.get('onMessageSendHandler')).toBe(onMessageSendHandler);
});

test('OnNewMessageCompose completes', async () => {
  installFakeOffice();
  const event = fakeEvent();
  await load().onNewMessageComposeHandler(event as unknown as Office.MailboxEvent);
  expect(event.calls).toEqual([[undefined]]);
});

test('OnMessageSend completes and lets the message go', async () => {
  installFakeOffice();
  const event = fakeEvent();
  await load().onMessageSendHandler(event as unknown as Office.MailboxEvent);
  expect(event.calls).toEqual([[{ allowEvent: true }]]);
});

test('the events file uses no DOM and no dynamic import', () => {
  const source: string = jest
    .requireActual<typeof import('node:fs')>('node:fs')
    .readFileSync(require.resolve('../../src/events/events.ts'), 'utf8');
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  expect(code).not.toMatch(/\b(document|window|localStorage|sessionStorage)\b/);
  expect(code).not.toMatch(/\bimport\s*\(|^\s*import\s/m);
});
