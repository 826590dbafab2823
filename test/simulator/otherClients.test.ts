/**
 * The simulator's control API for another client of the same mailbox (the workbench's Graph mirror):
 * custom properties and categories set from outside keep the item's id and reach Office.js the way
 * Outlook shows another client's writes; ids convert as convertToRestId does; "Deliver new mail".
 */
import {
  deliverNewMail,
  ewsIdOf,
  loadDemoMailbox,
  NEW_MAIL_RULE_FOLDER,
  restIdOf,
  seededRandom,
  THREAD_INDEX_CHILD_BYTES,
  type SimChange,
} from '../../simulator';
import { call, incoming, simulator, SUCCEEDED, value, withSelectedItem } from './helpers';

test('custom properties set by another client are what the next loadCustomPropertiesAsync reads; a loaded copy keeps its own', async () => {
  const { sim, item, read } = await withSelectedItem();
  const loaded = await value<Office.CustomProperties>((cb) => read.loadCustomPropertiesAsync(cb));
  sim.mailbox.setCustomProperties(item.id, { tic: '{"a":"1"}' });
  expect(loaded.get('tic')).toBeUndefined();
  const fresh = await value<Office.CustomProperties>((cb) => read.loadCustomPropertiesAsync(cb));
  expect(fresh.get('tic')).toBe('{"a":"1"}');
  expect(sim.mailbox.getItem(item.id).id).toBe(item.id);
});

test('setting the same custom properties or categories again reports no change', async () => {
  const sim = simulator();
  const item = sim.mailbox.deliver(incoming());
  const changes: SimChange[] = [];
  sim.mailbox.onChange((c) => changes.push(c));
  sim.mailbox.setCustomProperties(item.id, { tic: 'x' });
  sim.mailbox.setCustomProperties(item.id, { tic: 'x' });
  sim.mailbox.setItemCategories(item.id, ['Important']);
  sim.mailbox.setItemCategories(item.id, ['Important']);
  expect(changes).toEqual([
    { kind: 'item', itemId: item.id, what: 'customProperties' },
    { kind: 'item', itemId: item.id, what: 'categories' },
  ]);
});

test('an unsaved compose form has nothing in Exchange for another client to set', async () => {
  const sim = simulator();
  const draft = await sim.mailbox.openCompose('newMail', undefined, { select: false });
  expect(() => sim.mailbox.setCustomProperties(draft.id, { tic: 'x' })).toThrow(/unsaved compose form/);
});

test("restIdOf / ewsIdOf are convertToRestId / convertToEwsId, and an item's header block is what Office.js reads", async () => {
  const { sim, item, read } = await withSelectedItem();
  const mailbox = sim.Office.context.mailbox;
  const rest = mailbox.convertToRestId(item.id, 'v2.0' as Office.MailboxEnums.RestVersion);
  expect(restIdOf(item.id)).toBe(rest);
  expect(rest).not.toMatch(/[+/]/);
  expect(ewsIdOf(rest)).toBe(item.id);
  const headers = await call<string>((cb) => read.getAllInternetHeadersAsync(cb));
  expect(headers.status).toBe(SUCCEEDED);
  expect(sim.mailbox.transportHeaders(item.id)).toBe(headers.value);
});

describe('deliverNewMail', () => {
  test('replies to the tracked threads, an unknown sender, a known contact, and one Message-ID in two folders', () => {
    const sim = simulator();
    loadDemoMailbox(sim.mailbox);
    const delivered = deliverNewMail(sim.mailbox, new Date('2026-11-20T10:00:00Z'), seededRandom(1));
    expect(delivered.map((d) => d.kind)).toEqual([
      'reply',
      'reply',
      'reply',
      'unknownSender',
      'knownContact',
      'duplicate',
      'duplicate',
    ]);
    const [pricing, renewal, welcome] = delivered.map((d) => d.item);
    const parent = sim.mailbox.findByInternetMessageId('<q3-pricing.0002@fabrikam.com>')[0];
    expect(pricing).toMatchObject({
      subject: 'RE: Q3 pricing proposal',
      inReplyTo: '<q3-pricing.0002@fabrikam.com>',
      references: [...(parent?.references ?? []), '<q3-pricing.0002@fabrikam.com>'],
      conversationId: parent?.conversationId,
    });
    // A child Thread-Index: the parent's bytes and one more block.
    const bytes = (b64: string | null | undefined) => Buffer.from(b64 ?? '', 'base64');
    expect(bytes(pricing?.threadIndex).length).toBe(
      bytes(parent?.threadIndex).length + THREAD_INDEX_CHILD_BYTES,
    );
    expect(renewal?.subject).toBe('RE: Contract renewal CRM:0001001');
    expect(welcome?.from?.emailAddress).toBe('carla@adventure-works.com');
    expect(delivered[3]?.item.from?.emailAddress).toBe('jordan.miles@northwind.example');
    const [inbox, copy] = delivered.slice(5).map((d) => d.item);
    expect([inbox?.folder, copy?.folder]).toEqual(['inbox', NEW_MAIL_RULE_FOLDER]);
    expect(copy?.internetMessageId).toBe(inbox?.internetMessageId);
    expect(copy?.id).not.toBe(inbox?.id);
    expect(sim.mailbox.folders().map((f) => f.id)).toContain(NEW_MAIL_RULE_FOLDER);
  });

  test('every round has new Message-IDs; a mailbox without the demo threads gets no replies', () => {
    const demo = simulator();
    loadDemoMailbox(demo.mailbox);
    const random = seededRandom(2);
    const first = deliverNewMail(demo.mailbox, new Date('2026-11-20T10:00:00Z'), random);
    const second = deliverNewMail(demo.mailbox, new Date('2026-11-20T10:00:00Z'), random);
    const firstIds = new Set(first.map((d) => d.item.internetMessageId));
    expect(second.some((d) => firstIds.has(d.item.internetMessageId))).toBe(false);

    const empty = simulator();
    const delivered = deliverNewMail(empty.mailbox, new Date('2026-11-20T10:00:00Z'), seededRandom(3));
    expect(delivered.map((d) => d.kind)).toEqual(['unknownSender', 'knownContact', 'duplicate', 'duplicate']);
  });
});
