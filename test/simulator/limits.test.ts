/** Outlook's limits: notifications, custom properties, categories and master categories. */
import { OutlookErrors, LIMITS, customPropertiesLength } from '../../simulator';
import { call, simulator, value, withSelectedItem } from './helpers';

const info = (message: string, persistent = false) =>
  ({
    type: 'informationalMessage',
    message,
    icon: 'Icon.16x16',
    persistent,
  }) as Office.NotificationMessageDetails;

describe('notificationMessages (Mailbox 1.3)', () => {
  test('at most 5 per item: the 6th add fails with NumberOfNotificationsExceeded (9025)', async () => {
    const { read } = await withSelectedItem();
    for (let i = 1; i <= 5; i++) {
      expect(
        (await call<void>((cb) => read.notificationMessages.addAsync(`k${i}`, info(`m${i}`), cb))).status,
      ).toBe('succeeded');
    }
    const sixth = await call<void>((cb) => read.notificationMessages.addAsync('k6', info('m6'), cb));
    expect(sixth.status).toBe('failed');
    expect(sixth.error).toEqual(OutlookErrors.NumberOfNotificationsExceeded);
    // replaceAsync of an existing key is not a new notification; of a new key it is.
    expect(
      (await call<void>((cb) => read.notificationMessages.replaceAsync('k1', info('again'), cb))).status,
    ).toBe('succeeded');
    expect(
      (await call<void>((cb) => read.notificationMessages.replaceAsync('k7', info('new'), cb))).error.code,
    ).toBe(9025);
    const all = await value<Office.NotificationMessageDetails[]>((cb) =>
      read.notificationMessages.getAllAsync(cb),
    );
    expect(all).toHaveLength(5);
    expect(all[0]).toMatchObject({ key: 'k1', message: 'again', type: 'informationalMessage' });
  });

  test('keys: 32 characters are fine, 33 throw ArgumentOutOfRange; empty throws ArgumentNull', async () => {
    const { sim, read } = await withSelectedItem();
    const k32 = 'k'.repeat(LIMITS.notificationKeyLength);
    expect((await call<void>((cb) => read.notificationMessages.addAsync(k32, info('ok'), cb))).status).toBe(
      'succeeded',
    );
    const cb = jest.fn();
    expect(() => read.notificationMessages.addAsync(`${k32}x`, info('too long key'), cb)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentOutOfRangeException', paramName: 'key', actualValue: 33 }),
    );
    expect(() => read.notificationMessages.removeAsync('', cb)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentNullException' }),
    );
    await sim.idle(); // every callback the simulator scheduled has run
    expect(cb).not.toHaveBeenCalled();
  });

  test('messages: 150 characters are fine, 151 throw ArgumentOutOfRange', async () => {
    const { read } = await withSelectedItem();
    expect(
      (await call<void>((cb) => read.notificationMessages.addAsync('a', info('m'.repeat(150)), cb))).status,
    ).toBe('succeeded');
    expect(() => read.notificationMessages.addAsync('b', info('m'.repeat(151)), () => undefined)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentOutOfRangeException', paramName: 'message' }),
    );
  });

  test('persistent (and icon) only for informationalMessage; informational needs both', async () => {
    const { read } = await withSelectedItem();
    const n = read.notificationMessages;
    const noop = () => undefined;
    for (const type of ['errorMessage', 'progressIndicator']) {
      expect(() =>
        n.addAsync('x', { type, message: 'm', persistent: false } as Office.NotificationMessageDetails, noop),
      ).toThrow(expect.objectContaining({ name: 'Sys.ArgumentException', paramName: 'persistent' }));
      expect(() =>
        n.addAsync(
          'x',
          { type, message: 'm', icon: 'Icon.16x16' } as Office.NotificationMessageDetails,
          noop,
        ),
      ).toThrow(expect.objectContaining({ paramName: 'icon' }));
      expect(
        (
          await call<void>((cb) =>
            n.addAsync(type, { type, message: 'm' } as Office.NotificationMessageDetails, cb),
          )
        ).status,
      ).toBe('succeeded');
    }
    expect(() =>
      n.addAsync(
        'y',
        {
          type: 'informationalMessage',
          message: 'm',
          icon: 'Icon.16x16',
        } as Office.NotificationMessageDetails,
        noop,
      ),
    ).toThrow(expect.objectContaining({ name: 'Sys.ArgumentNullException', paramName: 'persistent' }));
    expect(() =>
      n.addAsync(
        'y',
        { type: 'informationalMessage', message: 'm', persistent: true } as Office.NotificationMessageDetails,
        noop,
      ),
    ).toThrow(expect.objectContaining({ paramName: 'icon' }));
    expect(() =>
      n.addAsync('y', { type: 'bogus', message: 'm' } as Office.NotificationMessageDetails, noop),
    ).toThrow(expect.objectContaining({ paramName: 'type' }));
    expect((await call<void>((cb) => n.addAsync('p', info('stays', true), cb))).status).toBe('succeeded');
  });

  test('a duplicate key fails with DuplicateNotificationKey; removing a missing key with NotificationKeyNotFound', async () => {
    const { read } = await withSelectedItem();
    await value<void>((cb) => read.notificationMessages.addAsync('k', info('one'), cb));
    expect(
      (await call<void>((cb) => read.notificationMessages.addAsync('k', info('two'), cb))).error.name,
    ).toBe('DuplicateNotificationKey');
    await value<void>((cb) => read.notificationMessages.removeAsync('k', cb));
    expect((await call<void>((cb) => read.notificationMessages.removeAsync('k', cb))).error.code).toBe(9024);
  });

  test('leaving the item removes non-persistent messages and keeps persistent ones', async () => {
    const { sim, read, item } = await withSelectedItem();
    await value<void>((cb) => read.notificationMessages.addAsync('gone', info('transient'), cb));
    await value<void>((cb) => read.notificationMessages.addAsync('kept', info('persistent', true), cb));
    await value<void>((cb) =>
      read.notificationMessages.addAsync(
        'err',
        { type: 'errorMessage', message: 'x' } as Office.NotificationMessageDetails,
        cb,
      ),
    );
    expect(sim.mailbox.notificationsOf(item.id)).toHaveLength(3);
    await sim.mailbox.select(null);
    expect(sim.mailbox.notificationsOf(item.id).map((n) => n.key)).toEqual(['kept']);
  });

  test('a persistent message on an unsaved draft fails with CannotPersistPropertyInUnsavedDraftError', async () => {
    const sim = simulator();
    await sim.mailbox.openCompose('newMail');
    const compose = sim.Office.context.mailbox.item as Office.MessageCompose;
    const r = await call<void>((cb) => compose.notificationMessages.addAsync('p', info('x', true), cb));
    expect(r.error.name).toBe('CannotPersistPropertyInUnsavedDraftError');
    await value<string>((cb) => compose.saveAsync(cb));
    expect(
      (await call<void>((cb) => compose.notificationMessages.addAsync('p', info('x', true), cb))).status,
    ).toBe('succeeded');
  });
});

describe('custom properties (2,500 characters per add-in per item)', () => {
  test('JSON.stringify of all properties may be 2,500 characters; 2,501 throws from saveAsync and stores nothing', async () => {
    const { sim, read, item } = await withSelectedItem();
    const props = await value<Office.CustomProperties>((cb) => read.loadCustomPropertiesAsync(cb));
    // {"a":"…"} is 8 characters of JSON around the value.
    props.set('a', 'x'.repeat(2500 - 8));
    expect(customPropertiesLength({ a: 'x'.repeat(2500 - 8) })).toBe(2500);
    await value<void>((cb) => props.saveAsync(cb));
    expect(sim.mailbox.getItem(item.id).customProperties).toEqual({ a: 'x'.repeat(2492) });

    props.set('b', '1');
    const cb = jest.fn();
    expect(() => props.saveAsync(cb)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentOutOfRangeException', paramName: 'customProperties' }),
    );
    await sim.idle();
    expect(cb).not.toHaveBeenCalled();
    expect(sim.mailbox.getItem(item.id).customProperties).toEqual({ a: 'x'.repeat(2492) });
  });

  test('saved properties come back on the next load and after reselecting; Dates round-trip', async () => {
    const { sim, office, read, item } = await withSelectedItem();
    const props = await value<Office.CustomProperties>((cb) => read.loadCustomPropertiesAsync(cb));
    const when = new Date('2026-11-03T10:00:00Z');
    props.set('activityId', 'a1b2');
    // Outlook stores Dates as "Date(ms)" (the typings say string only).
    props.set('trackedAt', when as unknown as string);
    await value<void>((cb) => props.saveAsync(cb));
    expect(sim.mailbox.getItem(item.id).customProperties).toEqual({
      activityId: 'a1b2',
      trackedAt: `Date(${when.getTime()})`,
    });
    await sim.mailbox.select(null);
    await sim.mailbox.select(item.id);
    const again = await value<Office.CustomProperties>((cb) =>
      (office.context.mailbox.item as Office.MessageRead).loadCustomPropertiesAsync(cb),
    );
    expect(again.get('activityId')).toBe('a1b2');
    expect(again.get('trackedAt')).toEqual(when);
    expect(again.getAll()).toEqual({ activityId: 'a1b2', trackedAt: when });
    again.remove('activityId');
    await value<void>((cb) => again.saveAsync(cb));
    expect(sim.mailbox.getItem(item.id).customProperties).toEqual({ trackedAt: `Date(${when.getTime()})` });
  });
});

describe('categories and master categories (Mailbox 1.8)', () => {
  const tracked = { displayName: 'Tracked to CRM', color: 'Preset4' } as unknown as Office.CategoryDetails;

  test('an item category must be in the master list (InvalidCategory, nothing applied)', async () => {
    const { sim, office, read, item } = await withSelectedItem();
    const r = await call<void>((cb) => read.categories.addAsync(['Tracked to CRM'], cb));
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      name: 'InvalidCategory',
      message: 'Invalid categories were provided.',
      code: 9044,
    });
    expect(sim.mailbox.getItem(item.id).categories).toEqual([]);

    await value<void>((cb) => office.context.mailbox.masterCategories.addAsync([tracked], cb));
    await value<void>((cb) => read.categories.addAsync(['tracked to crm'], cb));
    expect(sim.mailbox.getItem(item.id).categories).toEqual(['Tracked to CRM']);
    expect(await value<Office.CategoryDetails[]>((cb) => read.categories.getAsync(cb))).toEqual([
      { displayName: 'Tracked to CRM', color: 'Preset4' },
    ]);
    await value<void>((cb) => read.categories.removeAsync(['Tracked to CRM'], cb));
    expect(await value<Office.CategoryDetails[] | null>((cb) => read.categories.getAsync(cb))).toBeNull();
  });

  test('no categories: null by default (some Outlook versions), [] when configured', async () => {
    const { read } = await withSelectedItem({ emptyCategories: 'empty' });
    expect(await value<Office.CategoryDetails[]>((cb) => read.categories.getAsync(cb))).toEqual([]);
  });

  test('adding a master category that exists (any case) fails with DuplicateCategory and adds nothing', async () => {
    const sim = simulator({ masterCategories: [tracked] });
    const master = sim.Office.context.mailbox.masterCategories;
    const other = { displayName: 'Other', color: 'Preset1' } as unknown as Office.CategoryDetails;
    const r = await call<void>((cb) =>
      master.addAsync(
        [other, { displayName: 'TRACKED TO CRM', color: 'Preset2' } as unknown as Office.CategoryDetails],
        cb,
      ),
    );
    expect(r.error).toEqual({
      name: 'DuplicateCategory',
      message: 'One of the categories provided is already in the master category list.',
      code: 9045,
    });
    expect(await value<Office.CategoryDetails[]>((cb) => master.getAsync(cb))).toEqual([tracked]);
  });

  test('master category arguments are validated like Outlook (colour preset, name length, non-empty)', () => {
    const master = simulator().Office.context.mailbox.masterCategories;
    const noop = () => undefined;
    expect(() =>
      master.addAsync([{ displayName: 'X', color: 'red' } as unknown as Office.CategoryDetails], noop),
    ).toThrow(expect.objectContaining({ paramName: 'categoryDetails.color' }));
    expect(() => master.addAsync([], noop)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentException' }),
    );
    expect(() =>
      master.addAsync(
        [{ displayName: 'n'.repeat(256), color: 'Preset0' } as unknown as Office.CategoryDetails],
        noop,
      ),
    ).toThrow(expect.objectContaining({ name: 'Sys.ArgumentOutOfRangeException' }));
  });

  test('masterCategories needs ReadWriteMailbox; item categories need ReadWriteItem to write', async () => {
    const { office, read } = await withSelectedItem({ permission: 'ReadWriteItem' });
    expect(() => office.context.mailbox.masterCategories.getAsync(() => undefined)).toThrow(
      /Elevated permission/,
    );
    const ro = await withSelectedItem({ permission: 'ReadItem' });
    expect(() => ro.read.categories.addAsync(['x'], () => undefined)).toThrow(/Elevated permission/);
    expect((await call<Office.CategoryDetails[]>((cb) => read.categories.getAsync(cb))).status).toBe(
      'succeeded',
    );
  });
});
