/** The callback contract of Office.js: AsyncResult shape, asynchronous delivery, argument parsing. */
import { call, simulator, withSelectedItem } from './helpers';

describe('AsyncResult callbacks', () => {
  test('a callback is never called inside the call, and gets status, value, error and asyncContext', async () => {
    const { read } = await withSelectedItem();
    let inCall = true;
    let calledDuringCall: boolean | null = null;
    const done = call<Office.CustomProperties>((cb) => {
      read.loadCustomPropertiesAsync(
        (r) => {
          calledDuringCall = inCall;
          cb(r);
        },
        { tag: 1 },
      );
    });
    inCall = false;
    const result = await done;
    expect(calledDuringCall).toBe(false);
    expect(result.status).toBe('succeeded');
    expect(result.error).toBeUndefined();
    expect(result.asyncContext).toEqual({ tag: 1 });
    expect(typeof result.value.get).toBe('function');
  });

  test('options.asyncContext comes back on success and on failure', async () => {
    const { read } = await withSelectedItem();
    const okResult = await call<void>((cb) =>
      read.notificationMessages.replaceAsync(
        'k',
        {
          type: 'informationalMessage',
          message: 'm',
          icon: 'Icon.16x16',
          persistent: false,
        } as Office.NotificationMessageDetails,
        { asyncContext: 'ctx-ok' },
        cb,
      ),
    );
    expect(okResult).toMatchObject({ status: 'succeeded', asyncContext: 'ctx-ok' });
    const failed = await call<void>((cb) =>
      read.notificationMessages.removeAsync('missing', { asyncContext: 'ctx-fail' }, cb),
    );
    expect(failed.status).toBe('failed');
    expect(failed.value).toBeUndefined();
    expect(failed.asyncContext).toBe('ctx-fail');
    expect(failed.error).toEqual({
      name: 'NotificationKeyNotFound',
      message: 'There are no notifications with the provided key.',
      code: 9024,
    });
  });

  test('the status values are the strings office.js uses', () => {
    const sim = simulator();
    expect(sim.Office.AsyncResultStatus.Succeeded).toBe('succeeded');
    expect(sim.Office.AsyncResultStatus.Failed).toBe('failed');
    expect(sim.Office.EventType.ItemChanged).toBe('olkItemSelectedChanged');
    expect(sim.Office.CoercionType.Text).toBe('text');
    expect(sim.Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage).toBe(
      'informationalMessage',
    );
    expect(sim.Office.MailboxEnums.CategoryColor.Preset0).toBe('Preset0');
    expect(sim.Office.MailboxEnums.ComposeType.Reply).toBe('reply');
    expect(sim.Office.MailboxEnums.RestVersion.v2_0).toBe('v2.0');
  });

  test('bad arguments throw synchronously, as Outlook validates before calling the host', async () => {
    const { read } = await withSelectedItem();
    const body = read.body as unknown as { getAsync: (...args: unknown[]) => void };
    expect(() => body.getAsync('text', 'not-an-object', () => undefined)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentException', paramName: 'options' }),
    );
    expect(() => body.getAsync('rtf', () => undefined)).toThrow(
      expect.objectContaining({ paramName: 'coercionType' }),
    );
    expect(() => body.getAsync('text')).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentNullException', paramName: 'callback' }),
    );
    expect(() => body.getAsync('text', {}, () => undefined, 'extra')).toThrow(
      expect.objectContaining({ name: 'Sys.ParameterCountException' }),
    );
  });

  test('calls on an item object the user has left fail with APICallFailedDueToItemChange (9030)', async () => {
    const { sim, read } = await withSelectedItem();
    const other = sim.mailbox.deliver({
      subject: 'Other',
      from: { emailAddress: 'x@y.com', displayName: 'X' },
    });
    await sim.mailbox.select(other.id);
    const result = await call<string>((cb) => read.body.getAsync('text', cb));
    expect(result.status).toBe('failed');
    expect(result.error.code).toBe(9030);
    expect(result.error.name).toBe('APICallFailedDueToItemChange');
  });

  test('mailbox.item is the same object until the selection changes', async () => {
    const { sim, office } = await withSelectedItem();
    expect(office.context.mailbox.item).toBe(office.context.mailbox.item);
    const before = office.context.mailbox.item;
    const other = sim.mailbox.deliver({
      subject: 'Other',
      from: { emailAddress: 'x@y.com', displayName: 'X' },
    });
    await sim.mailbox.select(other.id);
    expect(office.context.mailbox.item).not.toBe(before);
  });

  test('body.getAsync gives text and HTML', async () => {
    const { read } = await withSelectedItem({}, { bodyText: 'a < b' });
    expect((await call<string>((cb) => read.body.getAsync('text', cb))).value).toBe('a < b');
    expect((await call<string>((cb) => read.body.getAsync('html', cb))).value).toContain('a &lt; b');
  });

  test('Office.onReady resolves (and calls back) asynchronously with host Outlook', async () => {
    const sim = simulator({ platform: 'PC' });
    let called = false;
    const ready = sim.Office.onReady(() => {
      called = true;
    });
    expect(called).toBe(false);
    await expect(ready).resolves.toEqual({ host: 'Outlook', platform: 'PC' });
    expect(called).toBe(true);
  });

  test('install sets globalThis.Office and restores it', () => {
    const sim = simulator();
    const g = globalThis as { Office?: unknown };
    const previous = g.Office;
    const uninstall = sim.install();
    expect(g.Office).toBe(sim.Office);
    uninstall();
    expect(g.Office).toBe(previous);
  });

  test('idle() also waits for calls made from promise continuations of earlier callbacks', async () => {
    const { sim, read } = await withSelectedItem({ latencyMs: 2 });
    const seen: string[] = [];
    void call<string>((cb) => read.body.getAsync('text', cb))
      .then(() => call<string>((cb) => read.body.getAsync('html', cb)))
      .then(() => seen.push('second done'));
    await sim.idle();
    expect(seen).toEqual(['second done']);
  });

  test('idle() waits for every pending callback', async () => {
    const { sim, read } = await withSelectedItem();
    const seen: string[] = [];
    read.body.getAsync('text', () => seen.push('a'));
    read.body.getAsync('text', () => seen.push('b'));
    await sim.idle();
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('requirement sets', () => {
  test('isSetSupported follows the configured Mailbox version, comparing numerically', () => {
    const sim = simulator({ maxMailboxVersion: '1.10' });
    const req = sim.Office.context.requirements;
    expect(req.isSetSupported('Mailbox', '1.9')).toBe(true);
    expect(req.isSetSupported('Mailbox', '1.10')).toBe(true);
    expect(req.isSetSupported('Mailbox', '1.12')).toBe(false);
    expect(req.isSetSupported('mailbox')).toBe(true);
    expect(req.isSetSupported('NestedAppAuth', '1.1')).toBe(false);
    expect(
      simulator({ requirementSets: { NestedAppAuth: '1.1' } }).Office.context.requirements.isSetSupported(
        'NestedAppAuth',
        '1.1',
      ),
    ).toBe(true);
  });

  test('members of sets above the client version are absent, as on an older client', async () => {
    const { sim, read } = await withSelectedItem({ maxMailboxVersion: '1.7' });
    expect((read as unknown as Record<string, unknown>).categories).toBeUndefined();
    expect((read as unknown as Record<string, unknown>).getAllInternetHeadersAsync).toBeUndefined();
    expect(
      (sim.Office.context.mailbox as unknown as Record<string, unknown>).masterCategories,
    ).toBeUndefined();
    const compose = await sim.mailbox.openCompose('reply', sim.mailbox.listFolder('inbox')[0]!.id);
    const item = sim.Office.context.mailbox.item as unknown as Record<string, unknown>;
    expect(compose.mode).toBe('compose');
    expect(item.inReplyTo).toBeUndefined();
    expect(item.getComposeTypeAsync).toBeUndefined();
  });

  test('convertToRestId turns an EWS id into the REST form (/ → -, + → _)', async () => {
    const { office, read } = await withSelectedItem();
    expect(read.itemId).toMatch(/[+/]/);
    const rest = office.context.mailbox.convertToRestId(
      read.itemId,
      'v2.0' as Office.MailboxEnums.RestVersion,
    );
    expect(rest).not.toMatch(/[+/]/);
    expect(rest).toBe(read.itemId.replace(/\//g, '-').replace(/\+/g, '_'));
  });

  test('userProfile, theme and diagnostics', () => {
    const sim = simulator({ theme: 'dark' });
    expect(sim.Office.context.mailbox.userProfile).toMatchObject({
      emailAddress: 'dana@contoso.com',
      displayName: 'Dana Park',
      timeZone: 'Pacific Standard Time',
    });
    expect(sim.Office.context.officeTheme.bodyBackgroundColor).toBe('#292929');
    expect(sim.Office.context.mailbox.diagnostics.hostName).toBe('OutlookWebApp');
  });
});
