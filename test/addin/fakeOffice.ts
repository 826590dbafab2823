/**
 * A minimal stand-in for the `Office` global: just what src/mailbox, src/commands and src/events use.
 * Each test installs a fresh one before loading the module under test.
 */
export interface FakeResult {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { name: string; message: string; code: number };
}

export interface FakeOffice {
  readonly associated: Map<string, (event: never) => unknown>;
  readonly notifications: { key: string; details: Record<string, unknown> }[];
  readonly itemChangedHandlers: (() => void)[];
  office: unknown;
}

export function asyncResult(result: FakeResult) {
  return result.ok
    ? { status: 'succeeded', value: result.value }
    : { status: 'failed', value: undefined, error: result.error };
}

/** Install a fake `Office` with `item` as the current item (null for none). */
export function installFakeOffice(
  options: {
    item?: unknown;
    replaceAsync?: FakeResult;
    addHandlerAsync?: FakeResult;
    officeTheme?: unknown;
  } = {},
): FakeOffice {
  const fake: FakeOffice = {
    associated: new Map(),
    notifications: [],
    itemChangedHandlers: [],
    office: undefined,
  };
  const item =
    options.item === null
      ? null
      : {
          notificationMessages: {
            replaceAsync: (key: string, details: Record<string, unknown>, cb: (r: unknown) => void) => {
              fake.notifications.push({ key, details });
              cb(asyncResult(options.replaceAsync ?? { ok: true }));
            },
          },
          ...(options.item as object | undefined),
        };
  fake.office = {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { ItemChanged: 'olkItemSelectedChanged' },
    MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: 'informationalMessage' } },
    onReady: (cb?: () => void) => {
      cb?.();
      return Promise.resolve({ host: 'Outlook', platform: 'PC' });
    },
    actions: {
      associate: (name: string, fn: (event: never) => unknown) => fake.associated.set(name, fn),
    },
    context: {
      officeTheme: options.officeTheme,
      mailbox: {
        item,
        addHandlerAsync: (_type: string, handler: () => void, cb: (r: unknown) => void) => {
          fake.itemChangedHandlers.push(handler);
          cb(asyncResult(options.addHandlerAsync ?? { ok: true }));
        },
      },
    },
  };
  (globalThis as unknown as { Office: unknown }).Office = fake.office;
  return fake;
}

export function removeFakeOffice(): void {
  delete (globalThis as unknown as { Office?: unknown }).Office;
}

/** An event object that records how it was completed. */
export function fakeEvent() {
  const calls: unknown[][] = [];
  return { calls, completed: (...args: unknown[]) => void calls.push(args) };
}
