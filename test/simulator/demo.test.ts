/** The demo mailbox of the workbench. */
import { DEMO_PEOPLE, DEMO_TRACKING_TOKEN, loadDemoMailbox, THREAD_INDEX_CHILD_BYTES } from '../../simulator';
import { simulator, value } from './helpers';

const len = (b64: string | null) => Buffer.from(b64 ?? '', 'base64').length;

describe('demo mailbox', () => {
  test('Dana Park, 12 Inbox items and 4 sent items from the demo CRM people', () => {
    const sim = simulator();
    loadDemoMailbox(sim.mailbox);
    expect(sim.Office.context.mailbox.userProfile.emailAddress).toBe(DEMO_PEOPLE.dana.address);
    const inbox = sim.mailbox.listFolder('inbox');
    expect(inbox).toHaveLength(12);
    expect(sim.mailbox.listFolder('sentitems')).toHaveLength(4);
    const senders = new Set(inbox.map((i) => i.from?.emailAddress));
    for (const key of ['ann', 'bob', 'carla', 'evan', 'sam', 'shared', 'stranger'] as const) {
      expect(senders).toContain(DEMO_PEOPLE[key].address);
    }
    expect(DEMO_PEOPLE.shared.crm).toEqual(['contact', 'lead']);
  });

  test('is deterministic', () => {
    const a = simulator();
    const b = simulator();
    loadDemoMailbox(a.mailbox);
    loadDemoMailbox(b.mailbox);
    expect(a.mailbox.allItems()).toEqual(b.mailbox.allItems());
  });

  test('a reply thread with In-Reply-To, References and a growing Thread-Index, in one conversation', () => {
    const sim = simulator();
    const ids = loadDemoMailbox(sim.mailbox);
    const root = sim.mailbox.getItem(ids.pricing);
    const mine = sim.mailbox.getItem(ids.pricingReplySent);
    const last = sim.mailbox.getItem(ids.pricingReply2);
    expect(mine.inReplyTo).toBe(root.internetMessageId);
    expect(last.references).toEqual([root.internetMessageId, mine.internetMessageId]);
    expect(len(mine.threadIndex)).toBe(len(root.threadIndex) + THREAD_INDEX_CHILD_BYTES);
    expect(len(last.threadIndex)).toBe(len(root.threadIndex) + 2 * THREAD_INDEX_CHILD_BYTES);
    expect(new Set([root.conversationId, mine.conversationId, last.conversationId]).size).toBe(1);
  });

  test('a tracking token in a subject, a forward, and sent items without transport headers', async () => {
    const sim = simulator();
    const ids = loadDemoMailbox(sim.mailbox);
    expect(sim.mailbox.getItem(ids.renewalReply).subject).toContain(DEMO_TRACKING_TOKEN);
    const fw = sim.mailbox.getItem(ids.demoForward);
    expect(fw.subject).toMatch(/^FW: /);
    expect(fw.conversationId).toBe(sim.mailbox.getItem(ids.demoRequest).conversationId);
    await sim.mailbox.select(ids.renewalSent);
    const sent = sim.Office.context.mailbox.item as Office.MessageRead;
    expect(await value<string>((cb) => sent.getAllInternetHeadersAsync(cb))).toBe('');
    await sim.mailbox.select(ids.renewalReply);
    const reply = sim.Office.context.mailbox.item as Office.MessageRead;
    expect(await value<string>((cb) => reply.getAllInternetHeadersAsync(cb))).toContain(
      `Subject: RE: Contract renewal ${DEMO_TRACKING_TOKEN}`,
    );
  });

  test('replying to a demo item works end to end', async () => {
    const sim = simulator();
    const ids = loadDemoMailbox(sim.mailbox);
    await sim.mailbox.select(ids.demoRequest);
    const draft = await sim.mailbox.openCompose('reply', ids.demoRequest);
    const sent = await sim.mailbox.send(draft.id);
    expect(sent.to.map((a) => a.emailAddress)).toEqual([DEMO_PEOPLE.evan.address]);
    expect(sent.inReplyTo).toBe('<demo-request.5@wingtiptoys.com>');
  });
});
