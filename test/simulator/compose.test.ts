/** Compose items: reply/replyAll/forward/new, threading headers, send, internet headers, session data. */
import {
  THREAD_INDEX_CHILD_BYTES,
  THREAD_INDEX_HEADER_BYTES,
  newThreadIndex,
  seededRandom,
} from '../../simulator';
import { ANN, BOB, DANA, FAILED, call, incoming, simulator, value } from './helpers';

const b64len = (s: string) => Buffer.from(s, 'base64').length;

async function replyScenario(kind: 'reply' | 'replyAll' | 'forward' = 'reply', options = {}) {
  const sim = simulator(options);
  const parentIndex = newThreadIndex(new Date('2026-11-01T10:00:00Z'), seededRandom(3));
  const parent = sim.mailbox.deliver(
    incoming({
      subject: 'Q3 pricing',
      cc: [BOB, { emailAddress: 'sam@contoso.com', displayName: 'Sam Lee' }],
      internetMessageId: '<p2@fabrikam.com>',
      inReplyTo: '<p1@contoso.com>',
      references: ['<p0@fabrikam.com>', '<p1@contoso.com>'],
      threadIndex: parentIndex,
    }),
  );
  await sim.mailbox.select(parent.id);
  const draft = await sim.mailbox.openCompose(kind, parent.id);
  const item = sim.Office.context.mailbox.item as Office.MessageCompose;
  return { sim, parent, parentIndex, draft, item };
}

describe('opening a reply or forward', () => {
  test('reply: subject, recipients, inReplyTo, compose type, conversation, Thread-Index = parent + one 5-byte block', async () => {
    const { sim, parent, parentIndex, draft, item } = await replyScenario('reply');
    expect(sim.mailbox.selectedItemId).toBe(draft.id);
    expect(await value<string>((cb) => item.subject.getAsync(cb))).toBe('RE: Q3 pricing');
    expect(
      (await value<Office.EmailAddressDetails[]>((cb) => item.to.getAsync(cb))).map((a) => a.emailAddress),
    ).toEqual(['ann@fabrikam.com']);
    expect(
      await value<{ composeType: string; coercionType: string }>((cb) => item.getComposeTypeAsync(cb)),
    ).toEqual({
      composeType: 'reply',
      coercionType: 'text',
    });
    expect(item.inReplyTo).toBe('<p2@fabrikam.com>');
    expect(item.conversationId).toBe(parent.conversationId);
    const index = await value<string>((cb) => item.getConversationIndexAsync(cb));
    expect(b64len(index)).toBe(b64len(parentIndex) + THREAD_INDEX_CHILD_BYTES);
    expect(Buffer.from(index, 'base64').subarray(0, THREAD_INDEX_HEADER_BYTES)).toEqual(
      Buffer.from(parentIndex, 'base64'),
    );
    expect((await value<Office.EmailAddressDetails>((cb) => item.from.getAsync(cb))).emailAddress).toBe(
      DANA.emailAddress,
    );
  });

  test('reply all: everyone but me; forward: FW:, no recipients, composeType forward', async () => {
    const all = await replyScenario('replyAll');
    expect(
      (await value<Office.EmailAddressDetails[]>((cb) => all.item.to.getAsync(cb))).map(
        (a) => a.emailAddress,
      ),
    ).toEqual(['ann@fabrikam.com']);
    expect(
      (await value<Office.EmailAddressDetails[]>((cb) => all.item.cc.getAsync(cb))).map(
        (a) => a.emailAddress,
      ),
    ).toEqual(['bob@fabrikam.com', 'sam@contoso.com']);
    const fw = await replyScenario('forward');
    expect(await value<string>((cb) => fw.item.subject.getAsync(cb))).toBe('FW: Q3 pricing');
    expect(await value<Office.EmailAddressDetails[]>((cb) => fw.item.to.getAsync(cb))).toEqual([]);
    expect((await value<{ composeType: string }>((cb) => fw.item.getComposeTypeAsync(cb))).composeType).toBe(
      'forward',
    );
    expect(fw.item.inReplyTo).toBe('<p2@fabrikam.com>');
  });

  test('a new message: composeType newMail, inReplyTo null, a fresh 22-byte conversation index', async () => {
    const sim = simulator();
    await sim.mailbox.openCompose('newMail');
    const item = sim.Office.context.mailbox.item as Office.MessageCompose;
    expect((await value<{ composeType: string }>((cb) => item.getComposeTypeAsync(cb))).composeType).toBe(
      'newMail',
    );
    expect(item.inReplyTo).toBeNull();
    expect(b64len(await value<string>((cb) => item.getConversationIndexAsync(cb)))).toBe(
      THREAD_INDEX_HEADER_BYTES,
    );
  });

  test('getItemIdAsync fails with ItemNotSaved until saveAsync gives the draft an id', async () => {
    const { sim, item, draft } = await replyScenario();
    expect((await call<string>((cb) => item.getItemIdAsync(cb))).error.name).toBe('ItemNotSaved');
    const id = await value<string>((cb) => item.saveAsync(cb));
    expect(await value<string>((cb) => item.getItemIdAsync(cb))).toBe(id);
    expect(sim.mailbox.folderOf(draft.id)).toBe('drafts');
  });
});

describe('sending', () => {
  test('the sent item: Sent Items, new item id and Message-ID, In-Reply-To, References, Thread-Index, custom properties kept', async () => {
    const { sim, parent, draft, item } = await replyScenario('reply', { sentItemHeaders: 'full' });
    const draftIndex = await value<string>((cb) => item.getConversationIndexAsync(cb));
    await value<void>((cb) => item.internetHeaders.setAsync({ 'X-CRM-Regarding': 'account:1234' }, cb));
    const props = await value<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
    props.set('track', 'on-send');
    await value<void>((cb) => props.saveAsync(cb));

    const sent = await sim.mailbox.send(draft.id);
    expect(sent.folder).toBe('sentitems');
    expect(sent.mode).toBe('read');
    expect(sent.id).not.toBe(draft.id);
    expect(sent.internetMessageId).toMatch(
      /^<[0-9A-F]{32}@[0-9A-F]{4}PR11MB[0-9A-F]{4}\.namprd11\.prod\.outlook\.com>$/,
    );
    expect(sent.inReplyTo).toBe(parent.internetMessageId);
    expect(sent.references).toEqual(['<p0@fabrikam.com>', '<p1@contoso.com>', '<p2@fabrikam.com>']);
    expect(sent.threadIndex).toBe(draftIndex);
    expect(sent.conversationId).toBe(parent.conversationId);
    expect(sent.customProperties).toEqual({ track: 'on-send' });
    expect(() => sim.mailbox.getItem(draft.id)).toThrow(/No item/);
    // The draft was selected: selection goes back to the item it was opened from.
    expect(sim.mailbox.selectedItemId).toBe(parent.id);

    await sim.mailbox.select(sent.id);
    const read = sim.Office.context.mailbox.item as Office.MessageRead;
    const headers = await value<string>((cb) => read.getAllInternetHeadersAsync(cb));
    expect(headers).toContain(`In-Reply-To: ${parent.internetMessageId}\r\n`);
    expect(headers).toContain('References: <p0@fabrikam.com> <p1@contoso.com> <p2@fabrikam.com>\r\n');
    expect(headers).toContain(`Thread-Index: ${draftIndex}\r\n`);
    expect(headers).toContain('X-CRM-Regarding: account:1234\r\n');
    expect(headers).toContain('Thread-Topic: Q3 pricing\r\n');
  });

  test('by default a sent item returns "" from getAllInternetHeadersAsync, as Outlook does', async () => {
    const { sim, draft } = await replyScenario('reply');
    const sent = await sim.mailbox.send(draft.id);
    await sim.mailbox.select(sent.id);
    const r = await call<string>((cb) =>
      (sim.Office.context.mailbox.item as Office.MessageRead).getAllInternetHeadersAsync(cb),
    );
    expect(r).toMatchObject({ status: 'succeeded', value: '' });
  });

  test('a message to myself arrives in the Inbox with the full headers, custom X- headers included', async () => {
    const sim = simulator();
    const draft = await sim.mailbox.openCompose('newMail');
    const item = sim.Office.context.mailbox.item as Office.MessageCompose;
    await value<void>((cb) => item.to.setAsync([DANA.emailAddress], cb));
    await value<void>((cb) => item.subject.setAsync('Note to self', cb));
    await value<void>((cb) => item.internetHeaders.setAsync({ 'X-Test': 'yes' }, cb));
    const sent = await sim.mailbox.send(draft.id);
    const inbox = sim.mailbox
      .findByInternetMessageId(sent.internetMessageId ?? '')
      .find((s) => s.folder === 'inbox');
    expect(inbox).toMatchObject({ folder: 'inbox', subject: 'Note to self' });
    expect(inbox?.conversationId).toBe(sent.conversationId);
    expect(inbox?.id).not.toBe(sent.id);
    await sim.mailbox.select(inbox?.id ?? null);
    const headers = await value<string>((cb) =>
      (sim.Office.context.mailbox.item as Office.MessageRead).getAllInternetHeadersAsync(cb),
    );
    expect(headers).toContain('X-Test: yes\r\n');
  });

  test('no recipients: Outlook does not send', async () => {
    const sim = simulator();
    const draft = await sim.mailbox.openCompose('newMail');
    await expect(sim.mailbox.send(draft.id)).rejects.toThrow(/without recipients/);
  });
});

describe('compose APIs and their limits', () => {
  test('internetHeaders get/set/remove; name + value over 998 characters throws', async () => {
    const { item } = await replyScenario();
    await value<void>((cb) => item.internetHeaders.setAsync({ 'X-A': '1', 'X-B': '2' }, cb));
    expect(
      await value<Record<string, string>>((cb) => item.internetHeaders.getAsync(['x-a', 'X-B', 'X-C'], cb)),
    ).toEqual({
      'x-a': '1',
      'X-B': '2',
    });
    await value<void>((cb) => item.internetHeaders.removeAsync(['X-A'], cb));
    expect(await value<Record<string, string>>((cb) => item.internetHeaders.getAsync(['X-A'], cb))).toEqual(
      {},
    );
    expect(() => item.internetHeaders.setAsync({ 'X-Long': 'v'.repeat(995) }, () => undefined)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentOutOfRangeException' }),
    );
    expect(() => item.internetHeaders.getAsync([], () => undefined)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentException' }),
    );
  });

  test('internet headers are limited to 256 KB in all', async () => {
    const { item } = await replyScenario();
    for (let i = 0; i < 300; i++) {
      const r = await call<void>((cb) => item.internetHeaders.setAsync({ [`X-H${i}`]: 'v'.repeat(990) }, cb));
      if (r.status === FAILED) {
        expect(r.error.code).toBe(9057);
        expect(i).toBeGreaterThan(255);
        return;
      }
    }
    throw new Error('256 KB limit not enforced');
  });

  test('sessionData: 50,000 characters per add-in per item', async () => {
    const { item } = await replyScenario();
    await value<void>((cb) => item.sessionData.setAsync('a', 'x'.repeat(49000), cb));
    expect(await value<string>((cb) => item.sessionData.getAsync('a', cb))).toHaveLength(49000);
    const over = await call<void>((cb) => item.sessionData.setAsync('b', 'y'.repeat(2000), cb));
    expect(over.error.code).toBe(9057);
    expect(await value<object>((cb) => item.sessionData.getAllAsync(cb))).toEqual({ a: 'x'.repeat(49000) });
    await value<void>((cb) => item.sessionData.clearAsync(cb));
    expect((await call<string>((cb) => item.sessionData.getAsync('a', cb))).status).toBe('failed');
  });

  test('recipients setAsync/addAsync accept strings and EmailUser objects; subject max 255', async () => {
    const { item } = await replyScenario('forward');
    await value<void>((cb) => item.to.setAsync([ANN.emailAddress], cb));
    await value<void>((cb) =>
      item.to.addAsync([{ displayName: 'Bob Kim', emailAddress: BOB.emailAddress }], cb),
    );
    expect(await value<Office.EmailAddressDetails[]>((cb) => item.to.getAsync(cb))).toEqual([
      { emailAddress: 'ann@fabrikam.com', displayName: 'ann@fabrikam.com', recipientType: 'externalUser' },
      { emailAddress: 'bob@fabrikam.com', displayName: 'Bob Kim', recipientType: 'externalUser' },
    ]);
    expect(() => item.to.setAsync(Array(101).fill('a@b.c'), () => undefined)).toThrow(
      expect.objectContaining({ name: 'Sys.ArgumentOutOfRangeException' }),
    );
    expect(() => item.subject.setAsync('s'.repeat(256), () => undefined)).toThrow(
      expect.objectContaining({ paramName: 'subject' }),
    );
  });

  test('body get/set in text and HTML', async () => {
    const { item } = await replyScenario();
    await value<void>((cb) =>
      item.body.setAsync('<p>Hello <b>Ann</b></p>', { coercionType: 'html' as Office.CoercionType }, cb),
    );
    expect(await value<string>((cb) => item.body.getAsync('html', cb))).toBe('<p>Hello <b>Ann</b></p>');
    expect(await value<string>((cb) => item.body.getAsync('text', cb))).toBe('Hello Ann');
    expect((await value<{ coercionType: string }>((cb) => item.getComposeTypeAsync(cb))).coercionType).toBe(
      'html',
    );
  });
});

describe('a new message carries what Track in CRM uses on a draft (issue 10 §1)', () => {
  test('subject get/set, custom properties, internet headers set, a notification, the launch events, a dialog; the sent item keeps the properties and has no In-Reply-To', async () => {
    const sim = simulator();
    const draft = await sim.mailbox.openCompose('newMail');
    const item = sim.Office.context.mailbox.item as Office.MessageCompose;
    const ran: string[] = [];
    sim.Office.actions.associate('onNewMessageComposeHandler', (event: Office.MailboxEvent) => {
      ran.push('compose');
      event.completed();
    });
    sim.Office.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) => {
      ran.push('send');
      event.completed({ allowEvent: true });
    });
    expect((await sim.fireLaunchEvent('OnNewMessageCompose', draft.id)).status).toBe('completed');

    expect(await value<string>((cb) => item.subject.getAsync(cb))).toBe('');
    await value<void>((cb) => item.subject.setAsync('Renewal CRM:0001001', cb));
    expect(await value<string>((cb) => item.subject.getAsync(cb))).toBe('Renewal CRM:0001001');
    await value<void>((cb) => item.to.setAsync([ANN.emailAddress], cb));
    await value<void>((cb) => item.internetHeaders.setAsync({ 'X-Track-In-CRM': 'v1; id=abc' }, cb));
    const props = await value<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
    props.set('ticd', 'v1; id=abc; r=; p=');
    await value<void>((cb) => props.saveAsync(cb));
    await value<void>((cb) =>
      item.notificationMessages.replaceAsync(
        'tic',
        {
          type: sim.Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
          message: 'Will be tracked in the CRM when sent.',
          icon: 'Icon.16x16',
          persistent: false,
        },
        cb,
      ),
    );
    expect(sim.mailbox.notificationsOf(draft.id).map((n) => n.message)).toEqual([
      'Will be tracked in the CRM when sent.',
    ]);
    const opened = await new Promise<Office.AsyncResult<Office.Dialog>>((resolve) =>
      sim.Office.context.ui.displayDialogAsync('https://localhost:3000/regarding.html', {}, resolve),
    );
    expect(opened.status).toBe(sim.Office.AsyncResultStatus.Succeeded);
    sim.dialogs.current?.closeByUser();

    const { event, sent } = await sim.trySend(draft.id);
    expect(event).toMatchObject({ status: 'completed', allowEvent: true });
    expect(ran).toEqual(['compose', 'send']);
    expect(sent).toMatchObject({ subject: 'Renewal CRM:0001001', inReplyTo: null });
    expect(sim.mailbox.getItem(sent!.id).customProperties.ticd).toBe('v1; id=abc; r=; p=');
  });
});
