/** ItemChanged (pinned pane, Mailbox 1.5): selection, null item, handler removal. */
import { call, incoming, simulator } from './helpers';

describe('selection and ItemChanged', () => {
  test('select changes mailbox.item at once; the handler runs later and sees the new item', async () => {
    const sim = simulator();
    const a = sim.mailbox.deliver(incoming({ subject: 'A' }));
    const b = sim.mailbox.deliver(incoming({ subject: 'B' }));
    const mailbox = sim.Office.context.mailbox;
    expect(mailbox.item).toBeNull();
    const seen: (string | null)[] = [];
    const events: unknown[] = [];
    const registered = await call<void>((cb) =>
      mailbox.addHandlerAsync(
        sim.Office.EventType.ItemChanged,
        (event: unknown) => {
          events.push(event);
          seen.push((mailbox.item as Office.MessageRead | null)?.subject ?? null);
        },
        cb,
      ),
    );
    expect(registered.status).toBe('succeeded');

    const selecting = sim.mailbox.select(a.id);
    expect((mailbox.item as Office.MessageRead).subject).toBe('A');
    expect(seen).toEqual([]);
    await selecting;
    expect(seen).toEqual(['A']);
    expect(events[0]).toEqual({ type: 'olkItemSelectedChanged' });

    await sim.mailbox.select(b.id);
    await sim.mailbox.select(null);
    expect(seen).toEqual(['A', 'B', null]);
    expect(mailbox.item).toBeNull();
  });

  test('removeHandlerAsync stops the events; other event types fail to register', async () => {
    const sim = simulator();
    const a = sim.mailbox.deliver(incoming());
    const mailbox = sim.Office.context.mailbox;
    const handler = jest.fn();
    await call<void>((cb) => mailbox.addHandlerAsync(sim.Office.EventType.ItemChanged, handler, cb));
    await call<void>((cb) => mailbox.removeHandlerAsync(sim.Office.EventType.ItemChanged, cb));
    await sim.mailbox.select(a.id);
    expect(handler).not.toHaveBeenCalled();
    const bad = await call<void>((cb) =>
      mailbox.addHandlerAsync('bogusEvent' as unknown as Office.EventType, handler, cb),
    );
    expect(bad.status).toBe('failed');
    expect(bad.error.code).toBe(5003);
  });

  test('the read item carries the Office.MessageRead fields', async () => {
    const sim = simulator();
    const a = sim.mailbox.deliver(
      incoming({
        subject: 'RE: Quarterly review',
        cc: [{ emailAddress: 'sam@contoso.com', displayName: 'Sam Lee' }],
        internetMessageId: '<abc@fabrikam.com>',
      }),
    );
    await sim.mailbox.select(a.id);
    const item = sim.Office.context.mailbox.item as Office.MessageRead;
    expect(item).toMatchObject({
      itemType: 'message',
      itemId: a.id,
      internetMessageId: '<abc@fabrikam.com>',
      subject: 'RE: Quarterly review',
      normalizedSubject: 'Quarterly review',
      from: { emailAddress: 'ann@fabrikam.com', displayName: 'Ann Lee', recipientType: 'externalUser' },
      to: [{ emailAddress: 'dana@contoso.com', displayName: 'Dana Park', recipientType: 'user' }],
      cc: [{ emailAddress: 'sam@contoso.com', displayName: 'Sam Lee', recipientType: 'user' }],
    });
    expect(item.conversationId).toBe(a.conversationId);
    expect(item.dateTimeCreated).toEqual(new Date('2026-11-02T09:00:00Z'));
    const headers = await call<string>((cb) => item.getAllInternetHeadersAsync(cb));
    expect(headers.value).toMatch(/^Received: /);
    expect(headers.value).toContain('Message-ID: <abc@fabrikam.com>\r\n');
    expect(() => {
      (item as unknown as { subject: string }).subject = 'x';
    }).toThrow(TypeError);
  });

  test('folders are visible to the control API only (folderOf), never on the Office item', async () => {
    const sim = simulator();
    const a = sim.mailbox.deliver(incoming(), 'Projects');
    await sim.mailbox.select(a.id);
    expect(sim.mailbox.folderOf(a.id)).toBe('Projects');
    expect(JSON.stringify(Object.keys(sim.Office.context.mailbox.item as object))).not.toMatch(/folder/i);
    expect(sim.mailbox.folders().map((f) => f.id)).toEqual([
      'inbox',
      'sentitems',
      'drafts',
      'deleteditems',
      'junkemail',
      'Projects',
    ]);
    const moved = await sim.mailbox.move(a.id, 'inbox');
    expect(moved.id).not.toBe(a.id);
    expect(sim.mailbox.folderOf(moved.id)).toBe('inbox');
    expect(sim.Office.context.mailbox.item).toBeNull();
  });
});
