/**
 * The pane's own flows (issue 10 §1) on the Outlook simulator against the CRM emulator: the compose
 * card's Track in CRM / Cancel tracking / Track again, and Track with no session at all.
 */
import { settledOn, until, useRig, type Rig } from '../unit/taskpane/harness';

jest.setTimeout(60_000);

const holder = useRig();
let rig: Rig;
beforeEach(() => {
  rig = holder.current;
});

const notices = (itemId: string) => rig.sim.mailbox.notificationsOf(itemId).map((n) => n.message);
const header = (itemId: string) => rig.sim.mailbox.getItem(itemId).internetHeaders['X-Track-In-CRM'];

describe('compose card', () => {
  test('Track in CRM marks a new email as the ribbon does; Cancel tracking unmarks it and says so; Track again marks it again', async () => {
    const pane = rig.make();
    await rig.sim.mailbox.select(null);
    await pane.start();
    const draft = await rig.sim.mailbox.openCompose('newMail');
    const shown = await until(pane, (s) => s.item.kind === 'compose');
    expect(shown.item).toMatchObject({ state: { marked: false } });

    await pane.trackDraft();
    expect(pane.getState().item).toMatchObject({
      kind: 'compose',
      state: { marked: true, message: 'Will be tracked in the CRM when sent.' },
    });
    expect(header(draft.id)).toBeDefined();
    expect(notices(draft.id).at(-1)).toBe('Will be tracked in the CRM when sent.');

    await pane.cancelDraftTracking();
    expect(pane.getState().item).toMatchObject({
      kind: 'compose',
      state: { marked: false, optedOut: true, message: 'This email will not be tracked when it is sent.' },
    });
    expect(header(draft.id)).toBeUndefined();
    // The draft's notification no longer promises a track the pane has withdrawn.
    expect(notices(draft.id).at(-1)).toBe('This email will not be tracked when it is sent.');

    await pane.trackDraft();
    expect(pane.getState().item).toMatchObject({ kind: 'compose', state: { marked: true } });
    expect(header(draft.id)).toBeDefined();
    expect(notices(draft.id).at(-1)).toBe('Will be tracked in the CRM when sent.');
  });

  test('a required regarding record: the search opens first, and the record chosen there marks the draft and is named', async () => {
    rig.emu.db
      .prepare('update organization set orgdborgsettings = ?')
      .run('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
    const pane = rig.make();
    await rig.sim.mailbox.select(null);
    await pane.start();
    const draft = await rig.sim.mailbox.openCompose('newMail');
    await until(pane, (s) => s.item.kind === 'compose');

    await pane.trackDraft();
    const asked = pane.getState();
    expect(asked.item).toMatchObject({ kind: 'compose', state: { marked: false } });
    expect(asked.search).toMatchObject({
      open: true,
      message: expect.stringMatching(/requires a regarding/),
    });
    expect(header(draft.id)).toBeUndefined();

    pane.search('Fabrikam');
    const found = await until(pane, (s) => s.search.status === 'done' && s.search.hits.length > 0);
    const hit = found.search.hits.find((h) => h.type === 'account') ?? found.search.hits[0]!;
    await pane.chooseRegarding(hit);
    expect(pane.getState().search.open).toBe(false);
    expect(pane.getState().item).toMatchObject({
      kind: 'compose',
      state: { marked: true, mark: { regarding: { type: hit.type, id: hit.id } } },
    });
    const card = pane.getState().item;
    expect(card.kind === 'compose' && card.state.message).toBe(
      `Will be tracked in the CRM when sent, regarding ${hit.name}.`,
    );
    expect(header(draft.id)).toBeDefined();

    // Selected again after another email: the card still names the record it will be tracked regarding.
    await rig.sim.mailbox.select(rig.ids.pricing);
    await until(pane, settledOn(rig.ids.pricing));
    await rig.sim.mailbox.select(draft.id);
    const again = await until(pane, (s) => s.item.kind === 'compose');
    expect(again.item.kind === 'compose' && again.item.state.message).toBe(
      `Will be tracked in the CRM when sent, regarding ${hit.name}.`,
    );
  });
});

describe('Track with no session at all', () => {
  test('the CRM unreachable at start, no snapshot: Track queues the email, and it is delivered when the CRM answers', async () => {
    await rig.sim.mailbox.select(rig.ids.kickoffNotes);
    expect(rig.roaming.read().snapshot).toBeUndefined();
    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    const pane = rig.make({ drainEveryMs: 100 });
    await pane.start();
    const down = await until(pane, settledOn(rig.ids.kickoffNotes));
    expect(down.item).toMatchObject({ kind: 'unavailable', unreachable: true, canTrack: true });

    await pane.track();
    const queued = pane.getState();
    expect(queued.item).toMatchObject({ kind: 'unavailable', queued: true });
    expect(queued.item.kind === 'unavailable' && queued.item.message).toMatch(/^This email is queued\. /);
    expect(queued.queue.waiting).toBe(1);
    const [entry] = rig.roaming.read().pending;
    expect(entry).toMatchObject({ itemId: rig.ids.kickoffNotes, undeliverable: false });
    expect(notices(rig.ids.kickoffNotes).at(-1)).toMatch(/^Not tracked yet: the CRM could not be reached/);

    // The background retry (every 100 ms here, with back-off) opens the session, then sends what waits.
    rig.emu.faults.clear();
    await until(
      pane,
      (s) =>
        s.queue.waiting === 0 &&
        s.item.kind === 'read' &&
        s.item.state.status === 'tracked' &&
        !s.item.refreshing,
    );
    expect(rig.roaming.read().pending).toEqual([]);
    const rows = rig.emu.db.prepare('select * from email where messageid = ?').all(entry!.messageId);
    expect(rows).toHaveLength(1);
  });
});
