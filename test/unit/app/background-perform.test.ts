/**
 * What a background cycle does with its plan (background-check.md §1.3, §1.4, §1.6), with fakes: one
 * lookup and one trackEmails per cycle, `pending:<itemId>` replaced by the real activity id, failed
 * tracks to the pending queue (the item still seen), failed tag writes retried next cycle, Graph and
 * CRM outages that lose nothing.
 */
import { loadNameUuid, plannedIds } from '../../../src/crm/trackIds';
import { CrmRequestError, CrmUnavailableError } from '../../../src/crm/errors';
import type { EmailToTrack, TrackOptions } from '../../../src/crm/port';
import { GraphConflictError, GraphRequestError, GraphThrottledError } from '../../../src/graph/errors';
import { TRACKED_CATEGORY } from '../../../src/rules/backgroundCycle';
import { contactAnn, harness, USER_ID, userDana } from '../../support/fakes';
import { runner } from './background-fakes';

const throttled = () =>
  new GraphThrottledError('Microsoft Graph asked to slow down.', {
    status: 429,
    code: 'ApplicationThrottled',
    requestId: null,
    request: 'POST /$batch',
  });
const unavailable = () =>
  new CrmUnavailableError('The CRM is busy.', {
    status: 503,
    code: null,
    requestId: null,
    request: 'POST $batch',
  });

const refused = () =>
  new CrmRequestError('The CRM refused the request.', {
    status: 400,
    code: '0x80040203',
    requestId: null,
    request: 'POST $batch',
  });
const graphRefused = (status: number) =>
  new GraphRequestError('Graph refused the request.', {
    status,
    code: 'ErrorInvalidProperty',
    requestId: null,
    request: 'POST /$batch',
  });

async function setup(user: Record<string, unknown> = { incomingemailfilteringmethod: 2 }) {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = { organization: {}, user };
  const session = await h.session();
  const r = runner(session, h.clock);
  r.check.start();
  return { h, r };
}

const trackCalls = (h: ReturnType<typeof harness>) =>
  h.crm.calls
    .filter((c) => c.method === 'trackEmails')
    .map((c) => c.args as [string, EmailToTrack[], TrackOptions]);

test('§1.6 all items in ONE lookup and ONE trackEmails, the body read with the delta, the tags in one write', async () => {
  const { h, r } = await setup();
  const items = [1, 2, 3].map(() => r.graph.deliver());
  await r.tick();
  expect(h.crm.count('lookupItems')).toBe(1);
  expect(h.crm.count('lookupItem')).toBe(0);
  const [[userId, emails, options]] = trackCalls(h) as [[string, EmailToTrack[], TrackOptions]];
  expect(userId).toBe(USER_ID);
  expect(emails.map((e) => e.body)).toEqual(items.map((i) => i.body));
  // The cycle's own lookup found none of them: no second check before the create.
  expect(options.checkedAbsent).toEqual(items.map((i) => i.facts.messageId));
  expect(r.graph.count('updateItems')).toBe(1);
  expect(r.graph.count('ensureCategory')).toBe(1);
  for (const i of items) {
    const written = r.graph.item(i.itemId);
    expect(written.categories).toEqual([TRACKED_CATEGORY]);
    expect(h.crm.tracked.map((t) => t.activityId)).toContain(written.tag?.activityId);
  }
  expect(r.check.status().actions.map((a) => a.itemId)).toEqual(items.map((i) => i.itemId).reverse());
});

test('§1.4 an item tagged with pending:<itemId> gets the real activity id of the track made in the same cycle', async () => {
  const { h, r } = await setup();
  const first = r.graph.deliver({ messageId: '<same@fabrikam.com>', receivedAt: '2026-03-01T08:00:00Z' });
  const second = r.graph.deliver(
    { messageId: '<same@fabrikam.com>', receivedAt: '2026-03-01T08:01:00Z' },
    'inbox',
  );
  await r.tick();
  expect(trackCalls(h)[0]?.[1]).toHaveLength(1);
  const activityId = h.crm.tracked[0]?.activityId as string;
  expect(r.graph.item(first.itemId).tag?.activityId).toBe(activityId);
  expect(r.graph.item(second.itemId).tag?.activityId).toBe(activityId);
  const record = r.check.status().actions.find((a) => a.itemId === second.itemId);
  expect(record).toMatchObject({ do: 'tag', reason: 'Duplicate', activityId, outcome: 'done' });
  expect(r.check.status().lastCycle?.counts).toMatchObject({ tracked: 1, tagged: 1, failed: 0 });
});

test('§1.6 a track the CRM refuses goes to the pending queue under its Outlook id, as an incoming track; the item is seen', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  h.crm.failNext('trackEmails', refused());
  await r.tick();
  expect(h.pending.list).toHaveLength(1);
  expect(h.pending.list[0]).toMatchObject({
    itemId: `ews-${item.itemId}`,
    messageId: item.facts.messageId,
    action: 'incoming',
  });
  const record = r.check.status().actions[0];
  expect(record).toMatchObject({ do: 'track', outcome: 'queued', activityId: null });
  expect(record?.error).toMatch(/./);
  expect(r.check.status().lastCycle?.counts).toMatchObject({ tracked: 0, failed: 1 });
  expect(r.graph.item(item.itemId).categories).toEqual([]);

  await r.tick();
  expect(r.check.status().lastCycle?.counts.lookedAt).toBe(0);
  expect(trackCalls(h)).toHaveLength(1);
});

test('a tag not written because the item changed meanwhile (412) is looked at again, not counted as failed', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  r.graph.failWrites.set(
    item.itemId,
    new GraphConflictError('The change key passed in the request does not match the current change key.', {
      status: 412,
      code: 'ErrorIrresolvableConflict',
      requestId: null,
      request: 'PATCH /me/messages',
    }),
  );
  await r.tick();
  expect(r.check.status().actions[0]).toMatchObject({ do: 'track', outcome: 'retry', error: null });
  expect(r.check.status().lastCycle?.counts.failed).toBe(0);
  expect(r.check.status().lastError).toBeNull();
  await r.tick();
  expect(trackCalls(h)).toHaveLength(1);
  expect(r.graph.item(item.itemId).tag?.activityId).toBe(h.crm.tracked[0]?.activityId);
});

test('a tag that cannot be written is retried next cycle, without a second track', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  r.graph.failWrites.set(item.itemId, throttled());
  await r.tick();
  expect(h.crm.tracked).toHaveLength(1);
  expect(r.check.status().actions[0]).toMatchObject({ do: 'track', outcome: 'retry' });
  expect(r.state.retry).toEqual([{ itemId: item.itemId, folder: { wellKnown: 'inbox' } }]);
  expect(r.state.seen.map((s) => s.itemId)).not.toContain(item.itemId);

  await r.tick();
  expect(trackCalls(h)).toHaveLength(1);
  expect(r.check.status().actions[0]).toMatchObject({ do: 'tag', reason: 'Duplicate', outcome: 'done' });
  expect(r.graph.item(item.itemId).tag?.activityId).toBe(h.crm.tracked[0]?.activityId);
  expect(r.state.retry).toEqual([]);
  // Seen at the version our write left: the next delta's echo is quiet.
  expect(r.state.seen).toContainEqual(
    expect.objectContaining({ itemId: item.itemId, changeKey: r.graph.item(item.itemId).changeKey }),
  );
  await r.tick();
  expect(r.check.status().lastCycle?.counts.lookedAt).toBe(0);
});

test('items carried over a restart of the pane are read again by id', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  r.graph.failWrites.set(item.itemId, throttled());
  await r.tick();
  r.check.stop();

  const again = runner(r.session, h.clock, r.graph, r.state);
  again.check.start();
  await again.tick();
  expect(r.graph.calls.filter((c) => c.method === 'readFacts').map((c) => c.args)).toEqual([
    [{ wellKnown: 'inbox' }, [item.itemId]],
  ]);
  expect(r.graph.item(item.itemId).tag?.activityId).toBe(h.crm.tracked[0]?.activityId);
});

test('a folder Graph cannot read keeps its watermark and says why; the next cycle reads it', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  r.graph.failures.set('folderChanges', [throttled()]);
  await r.tick();
  expect(r.check.status().lastError).toMatch(/./);
  expect(r.state.watermarks).toEqual({});
  await r.tick();
  expect(r.check.status().lastError).toBeNull();
  expect(r.graph.item(item.itemId).tag?.activityId).toBe(h.crm.tracked[0]?.activityId);
});

test('two folders throttled by Graph are said once, not once per folder', async () => {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = { organization: { isfolderbasedtrackingenabled: true }, user: {} };
  const r = runner(await h.session(), h.clock);
  r.mappings = [
    {
      id: 'map-1',
      folderId: 'folder-77',
      folderPath: 'Inbox/Projects/Fabrikam',
      regarding: { type: 'account', id: 'acc-fabrikam' },
      regardingName: 'Fabrikam',
    },
  ];
  r.check.start();
  r.graph.failures.set('folderChanges', [throttled(), throttled()]);
  await r.tick();
  const said = r.check.status().lastError ?? '';
  expect(said).not.toBe('');
  expect(said.split(said.slice(0, 20)).length - 1).toBe(1);
});

test('a CRM lookup that fails keeps no state: the same changes are read again', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  h.crm.failNext('lookupItems', unavailable());
  await r.tick();
  expect(r.check.status().lastError).toMatch(/./);
  expect(r.state.watermarks).toEqual({});
  expect(r.state.seen).toEqual([]);
  await r.tick();
  expect(r.graph.item(item.itemId).tag?.activityId).toBe(h.crm.tracked[0]?.activityId);
});

test('a quiet cycle asks the CRM nothing', async () => {
  const { h, r } = await setup();
  await r.tick();
  await r.tick();
  expect(h.crm.calls.filter((c) => c.method !== 'openSession')).toEqual([]);
});

test('§1.4 a record created from a sender is named by the key its track creates it under in a later track of the cycle', async () => {
  const { h, r } = await setup({ incomingemailfilteringmethod: 0, autocreatecontactonpromote: 1 });
  const stranger = { address: 'new.person@example.org', name: 'New Person' };
  r.graph.deliver({ from: stranger, receivedAt: '2026-03-01T08:00:00Z' });
  r.graph.deliver({ from: stranger, receivedAt: '2026-03-01T08:01:00Z' });
  await r.tick();
  const [[, emails]] = trackCalls(h) as [[string, EmailToTrack[], TrackOptions]];
  expect(emails[0]?.create).toHaveLength(1);
  expect(emails[1]?.create).toEqual([]);
  const key = plannedIds(await loadNameUuid(), USER_ID, emails[0] as EmailToTrack).records[0];
  expect(emails[1]?.parties.find((p) => p.role === 'from')?.records).toEqual([{ type: 'contact', id: key }]);
});

test('the master category is ensured once per runner', async () => {
  const { r } = await setup();
  r.graph.deliver();
  await r.tick();
  r.graph.deliver();
  await r.tick();
  expect(r.graph.count('ensureCategory')).toBe(1);
  expect(r.graph.count('updateItems')).toBe(2);
});

test('the pane keeps the newest 500 actions; the session counts keep them all', async () => {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = {
    organization: { tic_backgroundMaxItems: 1000 },
    user: { incomingemailfilteringmethod: 2 },
  };
  const r = runner(await h.session(), h.clock);
  r.check.start();
  const items = Array.from({ length: 520 }, (_, i) =>
    r.graph.deliver({ receivedAt: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 1000).toISOString() }),
  );
  await r.tick();
  const { actions, sessionCounts } = r.check.status();
  expect(sessionCounts).toMatchObject({ lookedAt: 520, tracked: 520 });
  expect(actions).toHaveLength(500);
  expect(actions[0]?.itemId).toBe(items[519]?.itemId);
  expect(actions[499]?.itemId).toBe(items[20]?.itemId);
});

test('§1.2 step 1 a mapped folder is read by its Graph id, and its mail is tracked regarding the mapped record', async () => {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = { organization: { isfolderbasedtrackingenabled: true }, user: {} };
  const r = runner(await h.session(), h.clock);
  const regarding = { type: 'account', id: 'acc-fabrikam' };
  r.mappings = [
    {
      id: 'map-1',
      folderId: 'folder-77',
      folderPath: 'Inbox/Projects/Fabrikam',
      regarding,
      regardingName: 'Fabrikam',
    },
  ];
  r.check.start();
  const item = r.graph.deliver({}, 'Inbox/Projects/Fabrikam');
  await r.tick();
  expect(r.graph.calls.filter((c) => c.method === 'folderChanges').map((c) => c.args[0])).toEqual([
    { wellKnown: 'inbox' },
    { path: 'Inbox/Projects/Fabrikam', id: 'folder-77' },
  ]);
  expect(r.check.status().actions[0]).toMatchObject({
    itemId: item.itemId,
    do: 'track',
    folder: 'Inbox/Projects/Fabrikam',
  });
  expect(h.crm.tracked[0]?.regarding).toEqual(regarding);
  expect(r.graph.item(item.itemId).tag).toEqual({ activityId: h.crm.tracked[0]?.activityId, regarding });
});

test('§1.6 an item whose queued track the pane delivered is tagged by a later cycle, without a second track', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  h.crm.failNext('trackEmails', refused());
  await r.tick();
  expect(r.state.queued).toEqual([
    { itemId: item.itemId, folder: { wellKnown: 'inbox' }, key: `ews-${item.itemId}` },
  ]);
  await r.tick();
  expect(r.check.status().lastCycle?.counts.lookedAt).toBe(0);

  // The pane's queue delivers it (a track of its own) and leaves the item untagged, not on screen.
  await h.crm.trackEmails(USER_ID, [(trackCalls(h)[0]?.[1] as EmailToTrack[])[0] as EmailToTrack]);
  h.pending.list = [];
  await r.tick();
  expect(r.check.status().actions[0]).toMatchObject({
    itemId: item.itemId,
    do: 'tag',
    reason: 'Duplicate',
    outcome: 'done',
  });
  expect(r.graph.item(item.itemId).tag?.activityId).toBe(h.crm.tracked[0]?.activityId);
  expect(h.crm.tracked).toHaveLength(1);
  expect(r.state.queued).toEqual([]);
});

test('an item whose queued track the user discarded is not tracked again', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  h.crm.failNext('trackEmails', refused());
  await r.tick();
  h.pending.list = [];
  await r.tick();
  expect(r.check.status().actions[0]).toMatchObject({
    itemId: item.itemId,
    do: 'track',
    activityId: null,
    outcome: 'done',
  });
  expect(trackCalls(h)).toHaveLength(1);
  expect(h.crm.tracked).toEqual([]);
  expect(r.state.queued).toEqual([]);
  await r.tick();
  expect(r.check.status().lastCycle?.counts.lookedAt).toBe(0);
});

/** No id the CRM has not given (a record or track of this cycle) reaches the adapter: only GUIDs. */
function idsSent(h: ReturnType<typeof harness>): string[] {
  return trackCalls(h).flatMap(([, emails]) =>
    emails.flatMap((e) => [
      ...(e.correlatedActivityId ? [e.correlatedActivityId] : []),
      ...(e.regarding ? [e.regarding.id] : []),
      ...e.parties.flatMap((p) => p.records.map((rec) => rec.id)),
    ]),
  );
}

test("§1.4 a reply tracked in the cycle of the email it answers is correlated to that track's planned activity id", async () => {
  const { h, r } = await setup();
  const first = r.graph.deliver({ receivedAt: '2026-03-01T08:00:00Z' });
  r.graph.deliver({
    subject: `RE: ${first.facts.subject}`,
    inReplyTo: first.facts.messageId,
    references: [first.facts.messageId as string],
    receivedAt: '2026-03-01T08:05:00Z',
  });
  await r.tick();
  const [emails] = trackCalls(h).map(([, e]) => e);
  expect(emails).toHaveLength(2);
  const nameUuid = await loadNameUuid();
  const firstId = plannedIds(nameUuid, USER_ID, (emails as EmailToTrack[])[0] as EmailToTrack).activity;
  expect((emails as EmailToTrack[])[1]?.correlatedActivityId).toBe(firstId);
  for (const id of idsSent(h)) expect(id).not.toMatch(/^(pending|new):/);
});

test("§1.6 one email the CRM refuses in a cycle's trackEmails: the others are tracked one by one, only it is queued", async () => {
  const { h, r } = await setup();
  const items = [1, 2, 3].map(() => r.graph.deliver());
  // The call of three fails; alone, the first and third go through and the second is refused.
  h.crm.failNext('trackEmails', refused(), undefined, refused());
  await r.tick();
  expect(trackCalls(h).map(([, e]) => e.length)).toEqual([3, 1, 1, 1]);
  expect(h.pending.list.map((p) => p.key)).toEqual([`ews-${items[1]?.itemId}`]);
  expect(h.pending.list[0]?.undeliverable).toBe(true);
  expect(r.check.status().lastCycle?.counts).toMatchObject({ tracked: 2, failed: 1 });
  expect(r.graph.item(items[0]?.itemId as string).tag).not.toBeNull();
  expect(r.graph.item(items[2]?.itemId as string).tag).not.toBeNull();
});

test('§1.6 a CRM that is away queues nothing: the tracks are tried again next cycle, as after a failed lookup', async () => {
  const { h, r } = await setup();
  const items = [1, 2].map(() => r.graph.deliver());
  h.crm.failNext('trackEmails', unavailable());
  await r.tick();
  expect(h.pending.list).toEqual([]);
  expect(r.state.seen.map((s) => s.itemId)).toEqual([]);
  expect(r.check.status().lastError).toMatch(/./);
  await r.tick();
  expect(h.crm.tracked).toHaveLength(2);
  for (const i of items) expect(r.graph.item(i.itemId).tag).not.toBeNull();
});

test('a tag Graph refuses for good (400) is not written again: the item is seen and the error shown once', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  r.graph.failWrites.set(item.itemId, graphRefused(400));
  await r.tick();
  expect(r.check.status().actions[0]).toMatchObject({ do: 'track', outcome: 'done' });
  expect(r.check.status().actions[0]?.error).toMatch(/./);
  expect(r.check.status().lastError).toMatch(/./);
  expect(r.check.status().lastCycle?.counts.failed).toBe(1);
  expect(r.state.retry).toEqual([]);
  expect(r.state.seen.map((s) => s.itemId)).toContain(item.itemId);
  await r.tick();
  expect(r.graph.count('updateItems')).toBe(1);
  expect(h.crm.tracked).toHaveLength(1);
});

test('a tag write whose changeKey went stale (412) is retried next cycle', async () => {
  const { r } = await setup();
  const item = r.graph.deliver();
  r.graph.failWrites.set(
    item.itemId,
    new GraphConflictError('changed', { status: 412, code: null, requestId: null, request: 'PATCH' }),
  );
  await r.tick();
  expect(r.state.retry.map((c) => c.itemId)).toEqual([item.itemId]);
});
