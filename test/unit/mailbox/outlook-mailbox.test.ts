/** The Office.js mailbox adapter on the Outlook simulator: facts, tags, marks, notifications, roaming store. */
import {
  OutlookMailbox,
  ItemNotCurrentError,
  MAX_NOTIFICATION_TEXT,
} from '../../../src/mailbox/outlookMailbox';
import { parseHeaderBlock } from '../../../src/mail/headers';
import { TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY } from '../../../src/mailbox/categories';
import {
  decodeDraftMark,
  decodeTag,
  encodeDraftHeader,
  encodeDraftMark,
  encodeTag,
} from '../../../src/mail/marks';
import { RoamingSettingsFullError, RoamingStore } from '../../../src/mailbox/roamingStore';
import { OfficeCallError } from '../../../src/mailbox/officeAsync';
import { createOfficeSimulator, loadDemoMailbox, type OfficeSimulator } from '../../../simulator';
import { RecordingLog } from '../../support/diagnostics';

let sim: OfficeSimulator;
let uninstall: () => void;
let ids: ReturnType<typeof loadDemoMailbox>;
let mailbox: OutlookMailbox;
let log: RecordingLog;

beforeEach(() => {
  log = new RecordingLog();
  sim = createOfficeSimulator({ user: { emailAddress: 'dana@contoso.com', displayName: 'Dana Park' } });
  uninstall = sim.install(globalThis);
  ids = loadDemoMailbox(sim.mailbox);
  mailbox = new OutlookMailbox(sim.Office.context.mailbox as unknown as Office.Mailbox, {
    parseHeaders: parseHeaderBlock,
    log,
  });
});
afterEach(() => uninstall());

describe('OutlookMailbox on the simulator', () => {
  test("reads a received item into the rules' facts, headers winning (In-Reply-To, References)", async () => {
    await sim.mailbox.select(ids.pricingReply2);
    const item = await mailbox.currentItem();
    const source = sim.mailbox.getItem(ids.pricingReply2);
    expect(item).toMatchObject({
      itemId: ids.pricingReply2,
      categories: [],
      tag: null,
      facts: {
        messageId: source.internetMessageId,
        direction: 'incoming',
        folder: 'inbox',
        subject: 'RE: Q3 pricing proposal',
        from: { address: 'ann@fabrikam.com', name: 'Ann Lee' },
      },
    });
    expect(item?.facts.inReplyTo).toMatch(/^<DM6PR11MB0001/);
    expect(item?.facts.references).toHaveLength(2);
    expect(await mailbox.itemBody(ids.pricingReply2)).toBeTruthy();
  });

  test('an item sent by the user is outgoing, in Sent Items', async () => {
    await sim.mailbox.select(ids.renewalSent);
    expect((await mailbox.currentItem())?.facts).toMatchObject({
      direction: 'outgoing',
      folder: 'sentitems',
    });
  });

  test('no item selected: null; a compose item is no read item', async () => {
    await sim.mailbox.select(null);
    expect(await mailbox.currentItem()).toBeNull();
    await sim.mailbox.openCompose('newMail');
    expect(await mailbox.currentItem()).toBeNull();
  });

  test('tags: the category is added to the master list when missing, then to the item, with the custom property', async () => {
    await sim.mailbox.select(ids.onboarding);
    expect(sim.mailbox.masterCategoryList().map((c) => c.displayName)).not.toContain(TRACKED_CATEGORY);
    await mailbox.tagTracked(ids.onboarding, { activityId: 'a1', regarding: { type: 'account', id: 'x1' } });
    expect(sim.mailbox.masterCategoryList().map((c) => c.displayName)).toContain(TRACKED_CATEGORY);
    const item = await mailbox.currentItem();
    expect(item).toMatchObject({
      categories: [TRACKED_CATEGORY],
      tag: { activityId: 'a1', regarding: { type: 'account', id: 'x1' } },
    });
    await mailbox.tagUndeliverable(ids.onboarding);
    expect((await mailbox.currentItem())?.categories).toEqual([TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY]);
    await mailbox.removeTags(ids.onboarding);
    expect(await mailbox.currentItem()).toMatchObject({ categories: [], tag: null });
  });

  test('tags act on the current item only', async () => {
    await sim.mailbox.select(ids.onboarding);
    await expect(
      mailbox.tagTracked(ids.invoice, { activityId: 'a1', regarding: null }),
    ).rejects.toBeInstanceOf(ItemNotCurrentError);
  });

  test('notifications: one key of ours, replaced, text cut to 150 characters', async () => {
    await sim.mailbox.select(ids.onboarding);
    for (let i = 0; i < 7; i += 1)
      await mailbox.notify(ids.onboarding, { kind: 'info', text: `Notice ${i} ${'x'.repeat(200)}` });
    await mailbox.notify(ids.onboarding, { kind: 'failed', text: 'Not tracked: denied' });
    const notices = sim.mailbox.notificationsOf(ids.onboarding);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toBe('Not tracked: denied');
    await mailbox.notify(ids.onboarding, { kind: 'info', text: 'y'.repeat(400) });
    expect(sim.mailbox.notificationsOf(ids.onboarding)[0]?.message).toHaveLength(MAX_NOTIFICATION_TEXT);
  });

  test('drafts: compose type, In-Reply-To, conversation index; a mark as header and custom property; unmark', async () => {
    const draft = await sim.mailbox.openCompose('reply', ids.pricing);
    const snapshot = await mailbox.currentDraft();
    expect(snapshot?.facts).toMatchObject({
      composeType: 'reply',
      direction: 'outgoing',
      inReplyTo: sim.mailbox.getItem(ids.pricing).internetMessageId,
      to: [{ address: 'ann@fabrikam.com' }],
    });
    expect(snapshot?.facts.threadIndex).toBeTruthy();
    expect(snapshot?.mark).toBeNull();
    const mark = { id: 'm1', regarding: { type: 'opportunity', id: 'o1' }, parentActivityId: 'p1' };
    await mailbox.markDraft(mark, 'RE: Q3 pricing proposal CRM:0001002');
    expect((await mailbox.currentDraft())?.mark).toEqual(mark);
    expect(sim.mailbox.getItem(draft.id)).toMatchObject({
      subject: 'RE: Q3 pricing proposal CRM:0001002',
      internetHeaders: { 'X-Track-In-CRM': encodeDraftHeader(mark) },
    });
    await mailbox.unmarkDraft();
    expect((await mailbox.currentDraft())?.mark).toBeNull();
  });

  test("a failed Office call is a typed error with Office's name", async () => {
    await sim.mailbox.select(ids.onboarding);
    const item = sim.Office.context.mailbox.item as unknown as Office.MessageRead;
    const error = await new Promise<unknown>((resolve) =>
      item.categories.addAsync(['No such category'], (r) => resolve(r.error)),
    );
    expect(error).toMatchObject({ name: 'InvalidCategory' });
    const { officeCall } = await import('../../../src/mailbox/officeAsync');
    await expect(
      officeCall('Adding', (cb) => item.categories.addAsync(['No such category'], cb)),
    ).rejects.toBeInstanceOf(OfficeCallError);
  });
});

describe('marks (untrusted text)', () => {
  test('tags and draft marks round-trip; anything malformed is no mark', () => {
    const tag = { activityId: 'a-1', regarding: { type: 'contact', id: 'c-1' } };
    expect(decodeTag(encodeTag(tag))).toEqual(tag);
    expect(decodeTag('{"a":"<script>"}')).toBeNull();
    expect(decodeTag('not json', log)).toBeNull();
    // Treated as untagged, but not silently: the log says what was found.
    expect(log.text()).toMatch(/not valid JSON \(not json\); treated as untagged/);
    const mark = { id: 'abc', regarding: null, parentActivityId: null };
    expect(decodeDraftMark(encodeDraftMark(mark))).toEqual(mark);
    const tokened = { ...mark, token: 'CRM:0001234' };
    expect(decodeDraftMark(encodeDraftMark(tokened))).toEqual(tokened);
    // A token that would break the k=v; form is not kept (Cancel then leaves the subject alone).
    expect(decodeDraftMark(encodeDraftMark({ ...mark, token: 'a;b=c' }))).toEqual(mark);
    expect(decodeDraftMark('v1; id=abc; t=x y')).toEqual(mark);
    expect(decodeDraftMark('v2; id=abc')).toBeNull();
    expect(decodeDraftMark('v1; id=a b c')).toBeNull();
  });
});

describe('RoamingStore (32 KB in all)', () => {
  test('one versioned key; a write that would not fit is refused and the stored state kept', async () => {
    const store = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
    await store.update((s) => ({
      ...s,
      crmUrl: 'https://contoso.crm.dynamics.com',
      user: { recipientReconciliation: 'primary-email-only' },
    }));
    expect(store.read()).toMatchObject({ v: 1, crmUrl: 'https://contoso.crm.dynamics.com' });
    await expect(store.update((s) => ({ ...s, user: { huge: 'é'.repeat(20_000) } }))).rejects.toBeInstanceOf(
      RoamingSettingsFullError,
    );
    expect(store.read().user).toEqual({ recipientReconciliation: 'primary-email-only' });
    expect(JSON.stringify(store.read())).not.toMatch(/token/i);
  });

  test('the token counter counts and wraps after the maximum', async () => {
    const counter = new RoamingStore(
      sim.Office.context.roamingSettings as unknown as Office.RoamingSettings,
    ).tokenCounter();
    expect([
      await counter.next(2),
      await counter.next(2),
      await counter.next(2),
      await counter.next(2),
    ]).toEqual([0, 1, 2, 0]);
  });
});

describe('attachments (item.attachments, getAttachmentContentAsync)', () => {
  test('details without content, then one file as base64; a cloud link is not a file', async () => {
    await sim.mailbox.select(ids.pricing);
    const list = await mailbox.itemAttachments(ids.pricing);
    expect(list.map((a) => [a.name, a.kind, a.isInline])).toEqual([
      ['Q3 pricing.pdf', 'file', false],
      ['price-calculator.js', 'file', false],
      ['Volume discounts.xlsx', 'cloud', false],
    ]);
    const pdf = await mailbox.attachmentContent(ids.pricing, list[0]?.id as string);
    expect(Buffer.from(pdf, 'base64').toString('latin1')).toMatch(/^%PDF-/);
    expect(Buffer.from(pdf, 'base64').length).toBe(list[0]?.size);
    await expect(mailbox.attachmentContent(ids.pricing, list[2]?.id as string)).rejects.toThrow(/not a file/);
    await expect(mailbox.attachmentContent(ids.pricing, 'nope')).rejects.toMatchObject({
      officeName: 'InvalidAttachmentId',
    });
  });

  test('only the current item can be read', async () => {
    await sim.mailbox.select(ids.pricingReply2);
    await expect(mailbox.itemAttachments(ids.pricing)).rejects.toThrow(/no longer selected/);
  });
});
