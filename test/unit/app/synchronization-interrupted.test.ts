/**
 * A run cut short (the pane reloaded or closed while it wrote) and a run that writes one item twice:
 * what the next run finds is enough to make nothing twice, the log says the run was interrupted, and
 * the run's own writes never make its next write look changed meanwhile.
 */
import { syncHarness } from '../../support/syncFakes';

const NO_DUPLICATE_CHECK = { organization: {}, user: { isduplicatedetectionenabledwhengoingonline: false } };
const MINUTE = 60_000;

test('the CRM ids chosen for creates are stored before the creates are sent', async () => {
  const h = await syncHarness(NO_DUPLICATE_CHECK);
  const item = h.outlook.userCreate('contact', { givenName: 'No', surname: 'Mail' }, { tracked: true });
  let storedWhenSent: unknown;
  const original = h.crm.applyWrites.bind(h.crm);
  h.crm.applyWrites = async (entity, writes, onProgress) => {
    storedWhenSent = h.state.contact.pendingCreates;
    return original(entity, writes, onProgress);
  };
  await h.run();
  const created = h.crm.ofType('contact').find((r) => r.fields.lastname === 'Mail');
  expect(storedWhenSent).toEqual([{ itemId: item.itemId, crmId: created?.id }]);
});

test('a reload while Dataverse creates (duplicate check off): the next run links the item to the record made, nothing made twice', async () => {
  const h = await syncHarness(NO_DUPLICATE_CHECK);
  const item = h.outlook.userCreate('contact', { givenName: 'No', surname: 'Mail' }, { tracked: true });
  const created = h.cutShortAfter('crm', 'applyWrites');
  void h.run();
  await created;
  h.reload();
  h.clock.time += MINUTE;
  await h.run();
  const records = h.crm.ofType('contact').filter((r) => r.fields.lastname === 'Mail');
  expect(records).toHaveLength(1);
  expect(h.outlook.ofType('contact')).toEqual([
    expect.objectContaining({ itemId: item.itemId, crmId: records[0]?.id }),
  ]);
});

test('a reload after Outlook created the items: the next run pairs them by the link they carry instead of creating others', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann', lastname: 'Lee', emailaddress1: 'ann@x.com' });
  const created = h.cutShortAfter('outlook', 'applyWrites', 'contact');
  void h.run();
  await created;
  expect(h.state.contact.pairs).toEqual([]);
  h.reload();
  h.clock.time += MINUTE;
  const run = await h.run();
  expect(h.outlook.ofType('contact')).toEqual([expect.objectContaining({ crmId: ann.id })]);
  expect(h.crm.ofType('contact')).toHaveLength(1);
  expect(run.entries).toEqual([]);
  expect(h.state.contact.pairs).toEqual([expect.objectContaining({ crmId: ann.id })]);
});

test('a run cut short is logged as interrupted by the next run, with the types it finished', async () => {
  const h = await syncHarness();
  h.crm.add('contact', { firstname: 'Ann', lastname: 'Lee' });
  const stopped = h.cutShortAfter('outlook', 'changes', 'appointment');
  void h.run();
  await stopped;
  const startedAt = h.clock.time;
  h.reload();
  h.clock.time += MINUTE;
  await h.run();
  expect(h.state.runs[1]).toMatchObject({
    startedAt,
    interrupted: true,
    types: [expect.objectContaining({ entity: 'contact', done: { createOutlook: 1 } })],
    entries: [expect.objectContaining({ op: 'createOutlook', outcome: 'done' })],
  });
  expect(h.sync.status().runs[1]).toMatchObject({ interrupted: true });
});

test('a run that finishes leaves no run marked under way and is not logged as interrupted', async () => {
  const h = await syncHarness();
  h.crm.add('contact', { firstname: 'Ann', lastname: 'Lee' });
  await h.run();
  h.clock.time += MINUTE;
  await h.run();
  expect(h.state.running).toBeUndefined();
  expect(h.state.runs.map((r) => r.interrupted ?? false)).toEqual([false, false]);
});

test('first run: a contact linked as a duplicate and updated in the same run is updated, not refused as changed by its own link', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann', emailaddress1: 'ann@x.com', jobtitle: 'Buyer' });
  const item = h.outlook.userCreate(
    'contact',
    { givenName: 'Ann', email1Address: 'ann@x.com' },
    { tracked: true },
  );
  const run = await h.run();
  expect(run.entries.map((e) => [e.op, e.outcome])).toEqual([
    ['link', 'done'],
    ['updateOutlook', 'done'],
  ]);
  expect(h.outlook.item(item.itemId)).toMatchObject({ crmId: ann.id, fields: { jobTitle: 'Buyer' } });
});

test('a second write to an item in one run is sent after the first, If-Match the changeKey the first answered', async () => {
  const h = await syncHarness();
  h.crm.add('contact', { firstname: 'Ann', emailaddress1: 'ann@x.com', jobtitle: 'Buyer' });
  const item = h.outlook.userCreate(
    'contact',
    { givenName: 'Ann', email1Address: 'ann@x.com' },
    { tracked: true },
  );
  let afterLink: string | null = null;
  const original = h.outlook.applyWrites.bind(h.outlook);
  h.outlook.applyWrites = async (entity, writes, onProgress) => {
    const answers = await original(entity, writes, onProgress);
    if (writes.some((w) => w.kind === 'link')) afterLink = h.outlook.item(item.itemId)?.changeKey ?? null;
    return answers;
  };
  await h.run();
  const batches = h.outlook.calls
    .filter((c) => c.method === 'applyWrites' && c.args[0] === 'contact')
    .map((c) => c.args[1]);
  expect(batches).toEqual([
    [expect.objectContaining({ kind: 'link', itemId: item.itemId })],
    [{ kind: 'update', itemId: item.itemId, fields: { jobTitle: 'Buyer' }, changeKey: afterLink }],
  ]);
});

test('an Outlook edit made between the two writes of an item is not overwritten: its update is refused and planned again', async () => {
  const h = await syncHarness();
  h.crm.add('contact', { firstname: 'Ann', emailaddress1: 'ann@x.com', jobtitle: 'Buyer' });
  const item = h.outlook.userCreate(
    'contact',
    { givenName: 'Ann', email1Address: 'ann@x.com' },
    { tracked: true },
  );
  const original = h.outlook.applyWrites.bind(h.outlook);
  h.outlook.applyWrites = async (entity, writes, onProgress) => {
    const answers = await original(entity, writes, onProgress);
    if (writes.some((w) => w.kind === 'link')) h.outlook.userEdit(item.itemId, { jobTitle: 'CFO' });
    return answers;
  };
  const run = await h.run();
  expect(run.entries).toContainEqual(expect.objectContaining({ op: 'updateOutlook', outcome: 'failed' }));
  expect(h.outlook.item(item.itemId)?.fields.jobTitle).toBe('CFO');
});
