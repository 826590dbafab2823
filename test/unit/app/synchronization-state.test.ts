/**
 * What the synchronization runner keeps between runs (synchronization.md §2.2, §2.3): the stored
 * Outlook items a delta is merged into, a deleted linked item kept until its unlink, a full read when
 * Graph no longer knows the watermark, and the records read by id once the filters stop returning them.
 */
import { syncHarness } from '../../support/syncFakes';

test('§2.3 step 3 a record the filters no longer return is read by id and unlinked as out of scope', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann' });
  await h.run();
  const record = h.crm.get(ann.id);
  if (record) record.inScope = false;
  const run = await h.run();
  expect(h.crm.calls.filter((c) => c.method === 'recordsById').map((c) => c.args[1])).toEqual([[ann.id]]);
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'unlink', crmId: ann.id, reason: 'OutOfScope' }),
  ]);
  expect(h.outlook.ofType('contact')).toEqual([expect.objectContaining({ crmId: null })]);
});

test('§2.2 a record linked to an item the user tracked stays synchronized outside the filters', async () => {
  const h = await syncHarness();
  const item = h.outlook.userCreate(
    'contact',
    { givenName: 'Bo', email1Address: 'bo@fabrikam.com' },
    { tracked: true },
  );
  await h.run();
  const crmId = h.outlook.item(item.itemId)?.crmId as string;
  const record = h.crm.get(crmId);
  if (record) record.inScope = false;
  h.crm.edit(crmId, { jobtitle: 'Buyer' });
  const run = await h.run();
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'updateOutlook', crmId, fields: ['jobTitle'] }),
  ]);
  expect(h.outlook.item(item.itemId)?.fields.jobTitle).toBe('Buyer');
});

test('a linked item deleted in Outlook leaves nothing behind in the state once its unlink is done', async () => {
  const h = await syncHarness();
  h.crm.add('contact', { firstname: 'Ann' });
  await h.run();
  const [item] = h.outlook.ofType('contact');
  h.outlook.userDelete(item?.itemId as string);
  await h.run();
  expect(h.state.contact.items).toEqual([]);
  expect(h.state.contact.deleted).toEqual([]);
  expect(h.state.contact.pairs).toEqual([]);
});

test('a watermark Graph no longer knows: the type is read whole again, a linked item gone meanwhile taken as deleted', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', { firstname: 'Ann' });
  const bo = h.crm.add('contact', { firstname: 'Bo' });
  await h.run();
  const annItem = h.outlook.ofType('contact').find((i) => i.crmId === ann.id);
  h.outlook.userDelete(annItem?.itemId as string);
  h.outlook.expired.add(h.state.contact.watermark as string);
  const run = await h.run();
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'unlink', crmId: ann.id, reason: 'OutlookDeleted' }),
  ]);
  expect(h.state.contact.excluded).toEqual([ann.id]);
  expect(h.state.contact.items.map((i) => i.crmId)).toEqual([bo.id]);
});

test('the events are read in a calendar window a month back and a year ahead, the same window through the round', async () => {
  const h = await syncHarness();
  await h.run();
  const events = h.outlook.calls
    .map((c, i) => ({ args: c.args, options: h.outlook.options[i] }))
    .filter((c) => c.args[0] === 'appointment');
  expect(events[0]?.options?.window).toEqual({
    start: new Date(h.clock.time - 30 * 86_400_000).toISOString(),
    end: new Date(h.clock.time + 365 * 86_400_000).toISOString(),
  });
  h.clock.time += 86_400_000;
  await h.run();
  const later = h.outlook.calls
    .map((c, i) => ({ args: c.args, options: h.outlook.options[i] }))
    .filter((c) => c.args[0] === 'appointment' && c.args[1] !== null);
  expect(later.map((c) => c.options?.window)).toEqual([events[0]?.options?.window]);
});
