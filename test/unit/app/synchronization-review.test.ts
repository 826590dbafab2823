/**
 * The runner's answers to the synchronization review (issue 12): baselines never taken from a
 * read-back, one synchronizing pane per device, a create never made twice, Dataverse's mappings held
 * to the catalog, a calendar window that moves, the configuration's cost, a failed filter that
 * unlinks nothing, and optimistic concurrency on both sides.
 */
import { mappingsWithinCatalog } from '../../../src/app/syncConfig';
import type { SynchronizationDeps } from '../../../src/app/syncDeps';
import { EMPTY_SYNC_STATE, type SyncState } from '../../../src/app/syncStatus';
import { createSynchronization } from '../../../src/app/synchronization';
import { FakeClock } from '../../support/fakes';
import { crmDown, FakeCrmSync, FakeOutlookSync, syncHarness, syncSession } from '../../support/syncFakes';
import { ManualTimer } from './background-fakes';

const DAY = 86_400_000;

test('an Outlook edit made while a run writes is not reverted: the next run copies it to the CRM', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann', lastname: 'Lee', emailaddress1: 'ann@x.com' });
  const bob = h.crm.add('contact', { firstname: 'Bob', emailaddress1: 'bob@x.com', jobtitle: 'Clerk' });
  await h.run();
  const bobItem = h.outlook.ofType('contact').find((i) => i.crmId === bob.id);
  h.crm.edit(ann.id, { mobilephone: '+1 555 0100' });
  const original = h.outlook.applyWrites.bind(h.outlook);
  h.outlook.applyWrites = async (entity, writes, onProgress) => {
    h.outlook.applyWrites = original;
    h.clock.time += 1000;
    h.outlook.userEdit(bobItem?.itemId as string, { jobTitle: 'CFO' });
    return original(entity, writes, onProgress);
  };
  await h.run();
  h.clock.time += 60_000;
  await h.run();
  expect(h.outlook.item(bobItem?.itemId as string)?.fields.jobTitle).toBe('CFO');
  expect(h.crm.get(bob.id)?.fields.jobtitle).toBe('CFO');
});

test('two pane instances of one device: the one without the lock skips its run, says so, and nothing is copied twice', async () => {
  const clock = new FakeClock();
  const crm = new FakeCrmSync(clock);
  const outlook = new FakeOutlookSync(clock);
  crm.add('contact', { firstname: 'Ann', emailaddress1: 'ann@x.com' });
  let state: SyncState = EMPTY_SYNC_STATE;
  const session = await syncSession();
  let held = false;
  // navigator.locks.request(name, { ifAvailable: true }, …) as the host does it.
  const exclusive: SynchronizationDeps['exclusive'] = async (work) => {
    if (held) return null;
    held = true;
    try {
      return await work();
    } finally {
      held = false;
    }
  };
  let ids = 0;
  const pane = () =>
    createSynchronization({
      session: () => session,
      crm,
      outlook,
      store: { load: async () => state, save: async (s) => void (state = s) },
      isSyncClient: () => true,
      newId: () => `10000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
      clock,
      timer: new ManualTimer(),
      log: { log: () => undefined },
      exclusive,
    });
  const a = pane();
  const b = pane();
  a.start();
  b.start();
  await Promise.all([a.synchronizeNow(), b.synchronizeNow()]);
  expect(outlook.ofType('contact')).toHaveLength(1);
  expect(b.status().runs[0]).toMatchObject({ ran: false, skipped: 'OtherWindow', types: [] });
  expect(state.runs.map((r) => r.ran)).toEqual([true]);
});

test('a CRM create whose answer was lost is not made twice: the next run links the item to the record made', async () => {
  const h = await syncHarness();
  const item = h.outlook.userCreate('contact', { givenName: 'No', surname: 'Mail' }, { tracked: true });
  const original = h.crm.applyWrites.bind(h.crm);
  h.crm.applyWrites = async (entity, writes, onProgress) => {
    h.crm.applyWrites = original;
    await original(entity, writes, onProgress);
    throw crmDown(); // committed, the answer lost
  };
  await h.run();
  expect(h.state.contact.pendingCreates).toHaveLength(1);
  h.clock.time += 60_000;
  await h.run();
  const copies = h.crm.ofType('contact').filter((r) => r.fields.lastname === 'Mail');
  expect(copies).toHaveLength(1);
  expect(h.outlook.item(item.itemId)?.crmId).toBe(copies[0]?.id);
  expect(h.outlook.ofType('contact')).toHaveLength(1);
  expect(h.state.contact.pendingCreates).toEqual([]);
});

test("a CRM create answered with Dataverse's duplicate key (0x80040237) counts as done and the item is linked", async () => {
  const h = await syncHarness();
  const item = h.outlook.userCreate('contact', { givenName: 'No', surname: 'Mail' }, { tracked: true });
  h.crm.fail('applyWrites', crmDown());
  await h.run();
  const chosen = h.state.contact.pendingCreates?.[0]?.crmId as string;
  // Made meanwhile with that id, and not seen by the reads (a replica behind).
  await h.crm.applyWrites('contact', [{ kind: 'create', id: chosen, fields: { lastname: 'Mail' } }]);
  const made = h.crm.get(chosen);
  if (made) made.inScope = false;
  h.crm.recordsById = async () => [];
  h.clock.time += 60_000;
  const run = await h.run();
  expect(run.entries).toContainEqual(
    expect.objectContaining({ op: 'createCrm', crmId: null, outcome: 'done' }),
  );
  expect(h.crm.ofType('contact').filter((r) => r.fields.lastname === 'Mail')).toHaveLength(1);
  expect(h.outlook.item(item.itemId)?.crmId).toBe(chosen);
});

test('a Dataverse mapping is narrowed to a direction the catalog allows', () => {
  const logged: string[] = [];
  const mappings = mappingsWithinCatalog(
    'appointment',
    [
      { crm: 'organizer', outlook: 'organizer', direction: 'both' },
      { crm: 'subject', outlook: 'subject', direction: 'toOutlook' },
    ],
    { log: (message) => logged.push(message) },
  );
  expect(mappings).toEqual([
    { crm: 'organizer', outlook: 'organizer', direction: 'toCrm' },
    { crm: 'subject', outlook: 'subject', direction: 'toOutlook' },
  ]);
  expect(logged).toEqual([expect.stringContaining('organizer both → toCrm')]);
});

test('a Dataverse mapping of a field the catalog does not know is dropped, and the drop logged', async () => {
  const h = await syncHarness();
  h.crm.mappings.set('contact', [
    { crm: 'firstname', outlook: 'givenName', direction: 'both' },
    { crm: 'new_shoesize', outlook: 'shoeSize', direction: 'both' },
  ]);
  h.crm.add('contact', { firstname: 'Ann', new_shoesize: '42' });
  await h.run();
  expect(h.outlook.ofType('contact').map((i) => i.fields)).toEqual([{ givenName: 'Ann' }]);
  expect(h.logged).toContainEqual(expect.stringContaining('new_shoesize ↔ shoeSize'));
});

test('a calendar window whose start is over 7 days old starts a new round with a window from today', async () => {
  const h = await syncHarness();
  await h.run();
  const first = h.state.appointment.window;
  h.clock.time += 8 * DAY;
  await h.run();
  const events = h.outlook.calls
    .map((c, i) => ({ args: c.args, options: h.outlook.options[i] }))
    .filter((c) => c.args[0] === 'appointment');
  const last = events[events.length - 1];
  expect(last?.args[1]).toBeNull();
  expect(last?.options?.window?.start).toBe(new Date(h.clock.time - 30 * DAY).toISOString());
  expect(h.state.appointment.window).not.toEqual(first);
});

test('a new round: a linked event now before the window stays linked; one inside it that is gone is deleted', async () => {
  const h = await syncHarness();
  const at = (days: number): string =>
    new Date(h.clock.time + days * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const old = h.crm.add('appointment', { subject: 'Old', scheduledstart: at(-20), scheduledend: at(-20) });
  const gone = h.crm.add('appointment', { subject: 'Gone', scheduledstart: at(20), scheduledend: at(20) });
  await h.run();
  const oldItem = h.outlook.ofType('appointment').find((i) => i.crmId === old.id);
  const goneItem = h.outlook.ofType('appointment').find((i) => i.crmId === gone.id);
  h.outlook.userDelete(goneItem?.itemId as string);
  h.clock.time += 15 * DAY;
  const run = await h.run();
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'unlink', crmId: gone.id, reason: 'OutlookDeleted' }),
  ]);
  expect(h.outlook.item(oldItem?.itemId as string)?.crmId).toBe(old.id);
  expect(h.state.appointment.items.map((i) => i.crmId)).toEqual([old.id]);
});

test('appointments read before are handed to the scope read with their modifiedOn and attendees, so a quiet run reads no parties', async () => {
  const h = await syncHarness();
  const meeting = h.crm.add('appointment', { subject: 'Kick-off', requiredattendees: ['ann@x.com'] });
  h.sync.start();
  await h.tick();
  await h.tick();
  const calls = h.crm.calls.filter((c) => c.method === 'recordsInScope' && c.args[0] === 'appointment');
  expect(calls[1]?.args[3]).toEqual(
    new Map([[meeting.id, { modifiedOn: meeting.modifiedOn, fields: { requiredattendees: ['ann@x.com'] } }]]),
  );
});

test('a filter that could not be run unlinks nothing: its linked records are read by id, kept in scope, the failure said', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann' });
  await h.run();
  h.crm.failFilters.set('filter-contact', crmDown());
  h.crm.edit(ann.id, { jobtitle: 'Buyer' });
  const run = await h.run();
  expect(run.entries).toEqual([expect.objectContaining({ op: 'updateOutlook', crmId: ann.id })]);
  expect(run.types[0]?.error).toContain('"My contacts"');
  expect(h.outlook.ofType('contact')).toEqual([expect.objectContaining({ crmId: ann.id })]);
});

test('a CRM update carries the etag read: a record changed since fails (412), keeps its baseline and is tried next run', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann' });
  await h.run();
  const [item] = h.outlook.ofType('contact');
  h.outlook.userEdit(item?.itemId as string, { jobTitle: 'CFO' });
  const original = h.crm.applyWrites.bind(h.crm);
  h.crm.applyWrites = async (entity, writes, onProgress) => {
    h.crm.applyWrites = original;
    h.crm.edit(ann.id, { mobilephone: '+1 555' }); // someone else, after the read
    return original(entity, writes, onProgress);
  };
  const pairs = h.state.contact.pairs;
  const run = await h.run();
  expect(run.entries).toEqual([expect.objectContaining({ op: 'updateCrm', outcome: 'failed' })]);
  expect(h.state.contact.pairs).toEqual(pairs);
  await h.run();
  expect(h.crm.get(ann.id)?.fields).toMatchObject({ jobtitle: 'CFO', mobilephone: '+1 555' });
});

test('an Outlook update carries the changeKey read: an item changed since fails (412) and is tried next run', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann' });
  await h.run();
  const [item] = h.outlook.ofType('contact');
  h.crm.edit(ann.id, { jobtitle: 'Buyer' });
  const original = h.outlook.applyWrites.bind(h.outlook);
  h.outlook.applyWrites = async (entity, writes, onProgress) => {
    h.outlook.applyWrites = original;
    h.outlook.userEdit(item?.itemId as string, { mobilePhone: '+1 555' });
    return original(entity, writes, onProgress);
  };
  const run = await h.run();
  expect(run.entries).toEqual([expect.objectContaining({ op: 'updateOutlook', outcome: 'failed' })]);
  await h.run();
  expect(h.outlook.item(item?.itemId as string)?.fields).toMatchObject({
    jobTitle: 'Buyer',
    mobilePhone: '+1 555',
  });
});
