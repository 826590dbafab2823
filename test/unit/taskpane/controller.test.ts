/** The pane controller on the Outlook simulator against the CRM emulator: selection, cache, actions, errors. */
import { WORKBENCH } from '../../../emulator/seed';
import { queueItemTrack, trackItem } from '../../../src/app/itemUseCases';
import { NOT_OFFERED, initialRecordForm, recordFormOffer, recordFromForm } from '../../../src/app/recordForm';
import { CrmNetworkError } from '../../../src/crm/errors';
import { openOutlookSession } from '../../../src/host/outlookSession';
import { parseHeaderBlock } from '../../../src/mail/headers';
import { TRACKED_CATEGORY } from '../../../src/mailbox/categories';
import { OutlookMailbox } from '../../../src/mailbox/outlookMailbox';
import { REASON_TEXT } from '../../../src/rules/reasons';
import type { ReadItemView } from '../../../src/taskpane/controller/types';
import { recordItems, settledOn, useRig, until, waitFor, type Rig } from './harness';

jest.setTimeout(60_000);

const holder = useRig();
let rig: Rig;
beforeEach(() => {
  rig = holder.current;
});

const read = (item: unknown): ReadItemView => {
  expect(item).toMatchObject({ kind: 'read' });
  return item as ReadItemView;
};
const emailsWith = (messageId: string) =>
  rig.emu.db.prepare('select * from email where messageid = ?').all(messageId) as Record<string, unknown>[];

describe('following the selection', () => {
  test('shows the selected item, then the next; the same item again comes from the cache at once', async () => {
    await rig.sim.mailbox.select(rig.ids.pricing);
    const pane = rig.make();
    await pane.start();
    const pricing = read((await until(pane, settledOn(rig.ids.pricing))).item);
    expect(pricing.state.status).toBe('tracked');
    expect(pricing.state.activityId).toBe(WORKBENCH.tracked.pricing.activityId);
    expect(pricing.subject).toBe('Q3 pricing proposal');
    expect(pane.getState().session).toMatchObject({ phase: 'ready' });
    expect(pane.getState().connection.signIn).toBe('No sign-in needed (local CRM)');

    await rig.sim.mailbox.select(rig.ids.partnership);
    const partnership = read((await until(pane, settledOn(rig.ids.partnership))).item);
    expect(partnership.state.status).toBe('not-tracked');
    // filter 1 (the demo's): only responses to tracked email, and this one answers nothing
    expect(partnership.state.message).toBe(REASON_TEXT.NoCorrelationMatch);
    expect(recordFormOffer(pane.recordFormInput(partnership)!)).toEqual({
      offered: true,
      defaultType: 'contact',
    });

    const seen = recordItems(pane);
    await rig.sim.mailbox.select(rig.ids.pricing);
    // The cached state is on screen before any CRM request is answered: no loading state, no flicker.
    const first = read(pane.getState().item);
    expect(first).toMatchObject({ itemId: rig.ids.pricing, refreshing: true, state: { status: 'tracked' } });
    await until(pane, settledOn(rig.ids.pricing));
    expect(seen.some((item) => item.kind === 'loading')).toBe(false);
    expect(seen.every((item) => item.kind === 'read' && item.itemId === rig.ids.pricing)).toBe(true);

    await rig.sim.mailbox.select(null);
    expect(pane.getState().item).toEqual({ kind: 'empty' });
  });

  test('a newer selection wins over a slower lookup of an older one', async () => {
    await rig.sim.mailbox.select(null);
    const pane = rig.make();
    await pane.start();
    const seen = recordItems(pane);
    rig.emu.faults.add({ match: { pathContains: '$batch' }, delayMs: 700, count: 1 });
    await rig.sim.mailbox.select(rig.ids.demoRequest);
    // the older item's lookup has reached the CRM, which holds it (the delay fault is taken)
    await waitFor(
      () => rig.emu.faults.active().length === 0,
      'the lookup of the older item to reach the CRM',
    );
    await rig.sim.mailbox.select(rig.ids.lunch);
    const lunch = read((await until(pane, settledOn(rig.ids.lunch))).item);
    expect(lunch.itemId).toBe(rig.ids.lunch);
    // the slow answer arrives and is handled: it must not replace what is shown
    await rig.traffic.idle();
    expect(pane.getState().item).toMatchObject({ kind: 'read', itemId: rig.ids.lunch });
    const lunchShown = seen.findIndex((item) => item.kind === 'read' && item.itemId === rig.ids.lunch);
    expect(seen.slice(lunchShown).every((item) => 'itemId' in item && item.itemId === rig.ids.lunch)).toBe(
      true,
    );
    // ...but its answer was kept: opening it again is instant.
    await rig.sim.mailbox.select(rig.ids.demoRequest);
    expect(pane.getState().item).toMatchObject({
      kind: 'read',
      itemId: rig.ids.demoRequest,
      refreshing: true,
    });
  });

  test('a CRM refusal becomes a failed state with the reason, logged; Retry checks again', async () => {
    await rig.sim.mailbox.select(null);
    const pane = rig.make();
    await pane.start();
    rig.log.mockClear();
    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 400, count: 1 });
    await rig.sim.mailbox.select(rig.ids.wingtipPricing);
    const failed = read((await until(pane, settledOn(rig.ids.wingtipPricing))).item);
    expect(failed.state.status).toBe('failed');
    expect(failed.state.message).toMatch(/^Could not check this email: /);
    expect(rig.log).toHaveBeenCalled();
    expect(pane.getState().announcement.text).toMatch(/Something went wrong/);

    await pane.retry();
    const again = read(
      (await until(pane, (s) => s.item.kind === 'read' && s.item.state.status !== 'failed')).item,
    );
    expect(again.itemId).toBe(rig.ids.wingtipPricing);
  });

  test('no session (the CRM refuses WhoAmI): a clear failed state, then Retry connects', async () => {
    await rig.sim.mailbox.select(rig.ids.lunch);
    // WhoAmI travels in the session's one $batch (the first request the pane makes), so the refusal
    // is on that $batch: a fault on a 'WhoAmI' path would never match and the session would open.
    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 403, count: 1 });
    const pane = rig.make();
    await pane.start();
    const state = pane.getState();
    expect(state.session).toMatchObject({ phase: 'failed' });
    expect(state.item).toMatchObject({ kind: 'unavailable', itemId: rig.ids.lunch });
    expect((state.item as { message: string }).message).toMatch(/^Could not connect to the CRM at http/);
    expect(state.options.draft).toBeNull();
    await pane.retry();
    expect(pane.getState().session).toMatchObject({ phase: 'ready' });
    await until(pane, settledOn(rig.ids.lunch));
    expect(pane.getState().item).toMatchObject({ kind: 'read' });
  });
});

describe('actions', () => {
  test('Track, then Untrack (after confirmation in the pane) on an email from a contact', async () => {
    await rig.sim.mailbox.select(rig.ids.lunch);
    const pane = rig.make();
    await pane.start();
    await until(pane, settledOn(rig.ids.lunch));
    const messageId = rig.sim.mailbox.getItem(rig.ids.lunch).internetMessageId as string;
    await pane.track();
    expect(read(pane.getState().item).state.status).toBe('tracked');
    expect(emailsWith(messageId)).toHaveLength(1);
    expect(rig.sim.mailbox.getItem(rig.ids.lunch).categories).toContain(TRACKED_CATEGORY);
    expect(pane.getState().busy).toBeNull();

    await pane.untrack();
    expect(read(pane.getState().item).state.status).toBe('not-tracked');
    expect(emailsWith(messageId)).toHaveLength(0);
  });

  test('regarding search: debounced, the latest query wins, and choosing a hit tracks regarding it', async () => {
    await rig.sim.mailbox.select(rig.ids.onboarding);
    const pane = rig.make();
    await pane.start();
    await until(pane, settledOn(rig.ids.onboarding));
    pane.openSearch();
    expect(pane.getState().search.open).toBe(true);
    pane.search('zzzz-nothing');
    pane.search('Fabrik');
    const found = await until(pane, (s) => s.search.status === 'done');
    expect(found.search.query).toBe('Fabrik');
    const hit = found.search.hits.find((h) => h.type === 'account' && h.name === 'Fabrikam');
    expect(hit).toBeDefined();
    await pane.chooseRegarding(hit!);
    const item = read(pane.getState().item);
    expect(item.state).toMatchObject({ status: 'tracked', regarding: { type: 'account', id: hit!.id } });
    expect(item.state.names[`account:${hit!.id}`]).toBe('Fabrikam');
    expect(pane.getState().search.open).toBe(false);
  });

  test('create a contact from an unknown sender through the review form: the reviewed names are made, the item checked again, the sender resolves', async () => {
    await rig.sim.mailbox.select(rig.ids.partnership);
    const pane = rig.make();
    await pane.start();
    const before = read((await until(pane, settledOn(rig.ids.partnership))).item);
    const input = pane.recordFormInput(before)!;
    expect(recordFormOffer(input)).toEqual({ offered: true, defaultType: 'contact' });
    // The form starts from §2.5's split of "Alex Stranger"; the user corrects the first name.
    const proposed = initialRecordForm('contact', input.sender!);
    expect(proposed).toMatchObject({ firstname: 'Alex', lastname: 'Stranger' });
    const form = recordFromForm({ ...proposed, firstname: 'Alexander' });
    if (!form.ok) throw new Error(`the reviewed form was refused: ${JSON.stringify(form.errors)}`);
    const outcome = await pane.createFromForm(form.record);
    if (!outcome.ok) throw new Error(`not created: ${outcome.message}`);
    expect(outcome.record).toMatchObject({ type: 'contact', name: 'Alexander Stranger' });
    const rows = rig.emu.db
      .prepare("select * from contact where emailaddress1 = 'stranger@example.org'")
      .all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ firstname: 'Alexander', lastname: 'Stranger' });
    // Checked again: the new lookup finds the record, so the sender resolves to it and no form is offered.
    const item = read(pane.getState().item);
    expect(item.state.decision?.sender).toEqual({ type: 'contact', id: outcome.record.id });
    expect(item.state.senderMatchCount).toBe(1);
    expect(recordFormOffer(pane.recordFormInput(item)!)).toEqual({
      offered: false,
      reason: NOT_OFFERED.resolved,
    });
  });

  test('CRM down: Track is queued (pending, with Retry); Retry delivers it and tags the item', async () => {
    await rig.sim.mailbox.select(rig.ids.kickoffNotes);
    const pane = rig.make();
    await pane.start();
    await until(pane, settledOn(rig.ids.kickoffNotes));
    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    await pane.track();
    const pending = read(pane.getState().item);
    expect(pending.state.status).toBe('pending');
    // Queued: the one waiting entry is this item's, and the pane's count says so at once.
    expect(rig.roaming.read().pending.map((p) => p.itemId)).toEqual([rig.ids.kickoffNotes]);
    expect(pane.getState().queue).toMatchObject({ waiting: 1, undeliverable: 0 });
    rig.emu.faults.clear();
    await pane.retry();
    expect(read(pane.getState().item).state.status).toBe('tracked');
    expect(rig.sim.mailbox.getItem(rig.ids.kickoffNotes).categories).toContain(TRACKED_CATEGORY);
    expect(rig.roaming.read().pending.find((p) => p.itemId === rig.ids.kickoffNotes)).toBeUndefined();
  });

  test('compose: a reply to tracked email is marked; Cancel tracking unmarks it', async () => {
    const pane = rig.make();
    await rig.sim.mailbox.select(null);
    await pane.start();
    const draft = await rig.sim.mailbox.openCompose('reply', rig.ids.pricing);
    // A new draft has no item id in Outlook (none until saved): the card shows it without one.
    const marked = await until(pane, (s) => s.item.kind === 'compose');
    expect(marked.item).toMatchObject({ kind: 'compose', itemId: '', state: { marked: true } });
    await pane.cancelDraftTracking();
    expect(pane.getState().item).toMatchObject({
      kind: 'compose',
      state: { marked: false, message: 'This email will not be tracked when it is sent.' },
    });
    expect(rig.sim.mailbox.getItem(draft.id).internetHeaders['X-Track-In-CRM']).toBeUndefined();
  });
});

describe('background', () => {
  test('the latest search wins over a slower earlier one', async () => {
    await rig.sim.mailbox.select(rig.ids.onboarding);
    const pane = rig.make();
    await pane.start();
    await until(pane, settledOn(rig.ids.onboarding));
    rig.emu.faults.add({ match: { pathContains: '$batch' }, delayMs: 600, count: 1 });
    pane.search('Fabrikam');
    // the first search has reached the CRM, which holds it (the delay fault is taken)
    await waitFor(() => rig.emu.faults.active().length === 0, 'the first search to reach the CRM');
    pane.search('Adventure');
    await until(pane, (s) => s.search.status === 'done');
    // the slower first answer arrives and is handled after the second: the latest query still wins
    await rig.traffic.idle();
    const { search } = pane.getState();
    expect(search.query).toBe('Adventure');
    expect(search.hits.length).toBeGreaterThan(0);
    expect(search.hits.every((h) => /adventure/i.test(`${h.name} ${h.email ?? ''}`))).toBe(true);
  });

  test('a waiting track that the background retry delivers tags the selected item', async () => {
    await rig.sim.mailbox.select(rig.ids.wingtipPricing);
    const pane = rig.make();
    await pane.start();
    await until(pane, settledOn(rig.ids.wingtipPricing));
    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    await pane.track();
    expect(read(pane.getState().item).state.status).toBe('pending');
    rig.emu.faults.clear();
    // Make the entry due now (the first retry waits 30 s).
    await rig.roaming.update((s) => ({ ...s, pending: s.pending.map((p) => ({ ...p, nextAttemptAt: 0 })) }));
    await pane.drain();
    await until(
      pane,
      (s) => s.item.kind === 'read' && s.item.state.status === 'tracked' && !s.item.refreshing,
    );
    expect(rig.sim.mailbox.getItem(rig.ids.wingtipPricing).categories).toContain(TRACKED_CATEGORY);
    expect(pane.getState().queue).toMatchObject({ waiting: 0, problem: null });
  });
});

describe('§1.4 offline start', () => {
  test('the CRM down at start: the pane opens on the saved settings, says so, queues a Track; the background retry reconnects', async () => {
    await rig.sim.mailbox.select(rig.ids.kickoffNotes);
    const first = rig.make();
    await first.start(); // a session opened online leaves its settings snapshot in roaming settings
    await until(first, settledOn(rig.ids.kickoffNotes));
    await waitFor(() => rig.roaming.read().snapshot !== undefined, 'the settings snapshot to be saved');
    first.dispose();

    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    const pane = rig.make({ drainEveryMs: 100 });
    await pane.start();
    const session = pane.getState().session;
    expect(session).toMatchObject({ phase: 'ready', offline: { reason: expect.any(String) } });
    expect(session.phase === 'ready' && session.offline?.settingsSavedAt).toBe(
      rig.roaming.read().snapshot?.savedAt,
    );
    await pane.track();
    expect(read(pane.getState().item).state.status).toBe('pending');
    expect(pane.getState().queue.waiting).toBe(1);

    rig.emu.faults.clear();
    const online = await until(
      pane,
      (state) =>
        state.session.phase === 'ready' && state.session.offline === null && state.queue.waiting === 0,
    );
    expect(online.session).toMatchObject({ phase: 'ready', offline: null });
    const messageId = rig.sim.mailbox.getItem(rig.ids.kickoffNotes).internetMessageId as string;
    expect(emailsWith(messageId)).toHaveLength(1);
  });
});

describe('issue 10: one truth for the item on screen', () => {
  /** What another runtime (the ribbon command, the dialog, the send handler) does to the item. */
  const otherRuntime = () =>
    openOutlookSession(rig.office, { signIn: null, parseHeaders: parseHeaderBlock, log: { log: jest.fn() } });

  test('pane open, the ribbon tracks the selected email: the pane shows Tracked within a second, no re-selection', async () => {
    await rig.sim.mailbox.select(rig.ids.wingtipPricing);
    const pane = rig.make({ watchEveryMs: 50 });
    await pane.start();
    await until(pane, settledOn(rig.ids.wingtipPricing));
    expect(read(pane.getState().item).state.status).toBe('not-tracked');

    const ribbon = await otherRuntime();
    const snapshot = await ribbon.session.mailbox.currentItem();
    await trackItem(ribbon.session, snapshot as NonNullable<typeof snapshot>, null);
    const started = Date.now();
    await until(
      pane,
      (s) => s.item.kind === 'read' && s.item.state.status === 'tracked' && !s.item.refreshing,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(pane.getState().announcement?.text).toMatch(/^Tracked in the CRM\./);
  });

  test('first run with the CRM down (no snapshot): the pane says tracks wait, opens the session by itself and the queue drains', async () => {
    await rig.sim.mailbox.select(rig.ids.kickoffNotes);
    expect(rig.roaming.read().snapshot).toBeUndefined();
    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    const pane = rig.make({ drainEveryMs: 100, watchEveryMs: 50 });
    await pane.start();
    const failed = pane.getState().session;
    expect(failed).toMatchObject({ phase: 'failed' });
    expect(failed.phase === 'failed' && failed.message).toMatch(
      /Trying again by itself in about 1 seconds?; emails you track wait here/,
    );

    // The ribbon, with no session either, queues the track (as trackInCrm does when none opens).
    const ribbon = new OutlookMailbox(rig.office.context.mailbox, {
      parseHeaders: parseHeaderBlock,
      log: { log: jest.fn() },
    });
    const snapshot = (await ribbon.currentItem()) as NonNullable<
      Awaited<ReturnType<typeof ribbon.currentItem>>
    >;
    await queueItemTrack(
      {
        pending: rig.roaming.pendingStore(),
        clock: { now: () => Date.now() },
        verboseErrors: false,
        log: { log: jest.fn() },
        mailbox: ribbon,
      },
      snapshot,
      new CrmNetworkError('offline', { status: null, code: null, requestId: null, request: null }),
      null,
    );
    await until(pane, (s) => s.queue.waiting === 1);

    rig.emu.faults.clear();
    await until(
      pane,
      (s) =>
        s.session.phase === 'ready' &&
        s.queue.waiting === 0 &&
        s.item.kind === 'read' &&
        s.item.state.status === 'tracked' &&
        !s.item.refreshing,
    );
    expect(emailsWith(snapshot.facts.messageId as string)).toHaveLength(1);
  });
});

describe('issue 10: honest states while the CRM cannot be reached', () => {
  test('an item selected on an offline session says the CRM cannot be reached and offers Track, which queues', async () => {
    await rig.sim.mailbox.select(rig.ids.kickoffNotes);
    const first = rig.make();
    await first.start();
    await until(first, settledOn(rig.ids.kickoffNotes));
    await waitFor(() => rig.roaming.read().snapshot !== undefined, 'the settings snapshot to be saved');
    first.dispose();

    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    const pane = rig.make();
    await pane.start();
    await rig.sim.mailbox.select(rig.ids.lunch);
    const shown = await until(
      pane,
      (s) => s.item.kind === 'read' && s.item.itemId === rig.ids.lunch && !s.item.refreshing,
    );
    const item = read(shown.item);
    expect(item.state.status).toBe('not-tracked');
    expect(item.state.message).toMatch(/^The CRM cannot be reached/);
    expect(item.state.decision).toBeNull(); // no party shown as "not in the CRM"
    expect(JSON.stringify(pane.getState())).not.toMatch(/Failed to fetch|TypeError/);
    await pane.track();
    expect(read(pane.getState().item).state.status).toBe('pending');
  });
});
