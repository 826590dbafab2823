/**
 * Synchronization's rules (synchronization.md §2.3, §2.4) end to end through the runner, on the
 * in-memory CRM and Outlook: what one run reads, plans, writes on both sides and keeps.
 */
import { crmDown, graphDown, syncHarness, type SyncHarness } from '../../support/syncFakes';

const ANN = { firstname: 'Ann', lastname: 'Lee', emailaddress1: 'ann@fabrikam.com' };

/** Ann in scope, synchronized once: her Outlook contact made and the echo read. */
async function annSynchronized(): Promise<{ h: SyncHarness; crmId: string; itemId: string }> {
  const h = await syncHarness();
  const crmId = h.crm.add('contact', ANN).id;
  await h.run();
  const item = h.outlook.ofType('contact')[0];
  if (!item) throw new Error('the first run made no Outlook contact');
  return { h, crmId, itemId: item.itemId };
}

test('§2.3 step 6 the first run creates an Outlook item for each in-scope record, carrying its id', async () => {
  const h = await syncHarness();
  const ann = h.crm.add('contact', ANN);
  h.crm.add('contact', { firstname: 'Out', lastname: 'Ofscope' }, { inScope: false });
  h.crm.add('contact', { firstname: 'Gone', lastname: 'Away' }, { active: false });
  const meeting = h.crm.add('appointment', { subject: 'Quarterly review', location: 'Room 4' });
  const run = await h.run();
  expect(h.outlook.ofType('contact')).toEqual([
    expect.objectContaining({
      crmId: ann.id,
      fields: { givenName: 'Ann', surname: 'Lee', email1Address: 'ann@fabrikam.com' },
    }),
  ]);
  expect(h.outlook.ofType('appointment')).toEqual([
    expect.objectContaining({
      crmId: meeting.id,
      fields: { subject: 'Quarterly review', location: 'Room 4' },
    }),
  ]);
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'createOutlook', crmId: ann.id, title: 'Ann Lee', outcome: 'done' }),
    expect.objectContaining({
      op: 'createOutlook',
      crmId: meeting.id,
      title: 'Quarterly review',
      outcome: 'done',
    }),
  ]);
});

test('§2.4 an Outlook edit of a bidirectional field flows to the CRM', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  h.outlook.userEdit(itemId, { jobTitle: 'CFO' });
  const run = await h.run();
  expect(h.crm.get(crmId)?.fields.jobtitle).toBe('CFO');
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'updateCrm', crmId, itemId, fields: ['jobtitle'], outcome: 'done' }),
  ]);
});

test('§2.4 a CRM edit flows to Outlook', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  h.crm.edit(crmId, { mobilephone: '+1 555 0100' });
  await h.run();
  expect(h.outlook.item(itemId)?.fields.mobilePhone).toBe('+1 555 0100');
});

test('§2.4 a conflict goes to the side modified later and is listed in the log as a conflict', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  h.crm.edit(crmId, { firstname: 'Annie' });
  h.clock.time += 60_000;
  h.outlook.userEdit(itemId, { givenName: 'Anna' });
  const run = await h.run();
  expect(h.crm.get(crmId)?.fields.firstname).toBe('Anna');
  expect(h.outlook.item(itemId)?.fields.givenName).toBe('Anna');
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'updateCrm', fields: ['firstname'], conflicts: ['firstname'] }),
  ]);
});

test('a failed write is logged failed, keeps its pair baseline and is tried again next run', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  h.crm.edit(crmId, { firstname: 'Annie' });
  h.outlook.failWrites.set(itemId, graphDown());
  const failed = await h.run();
  expect(failed.entries).toEqual([
    expect.objectContaining({
      op: 'updateOutlook',
      outcome: 'failed',
      error: graphDown().shortMessage,
    }),
  ]);
  expect(h.state.contact.pairs).toEqual([
    expect.objectContaining({ crmId, crm: expect.objectContaining(ANN) }),
  ]);
  const retried = await h.run();
  expect(retried.entries).toEqual([expect.objectContaining({ op: 'updateOutlook', outcome: 'done' })]);
  expect(h.outlook.item(itemId)?.fields.givenName).toBe('Annie');
  expect(h.state.contact.pairs[0]?.crm.firstname).toBe('Annie');
});

test('a failed write never stops the others of the run', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  const bo = h.crm.add('contact', { firstname: 'Bo', lastname: 'Chen' });
  h.crm.edit(crmId, { firstname: 'Annie' });
  h.outlook.failWrites.set(itemId, graphDown());
  const run = await h.run();
  expect(run.entries.map((e) => [e.op, e.outcome])).toEqual([
    ['updateOutlook', 'failed'],
    ['createOutlook', 'done'],
  ]);
  expect(h.outlook.ofType('contact').map((i) => i.crmId)).toContain(bo.id);
});

test('a CRM $batch that fails as a whole fails each CRM write; the Outlook writes are still done', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  const bo = h.crm.add('contact', { firstname: 'Bo' });
  h.outlook.userEdit(itemId, { jobTitle: 'CFO' });
  h.crm.fail('applyWrites', crmDown());
  const run = await h.run();
  expect(run.entries.map((e) => [e.op, e.outcome, e.error])).toEqual([
    ['updateCrm', 'failed', crmDown().shortMessage],
    ['createOutlook', 'done', null],
  ]);
  expect(h.outlook.ofType('contact').map((i) => i.crmId)).toContain(bo.id);
  expect(h.state.contact.pairs.find((p) => p.crmId === crmId)?.outlook.jobTitle).toBeUndefined();
  expect(h.logged).toContain('Synchronization: CRM writes failed');
});

test('§2.3 step 1 an Outlook delete unlinks, excludes the record and never deletes it in the CRM', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  h.outlook.userDelete(itemId);
  const run = await h.run();
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'unlink', crmId, itemId, reason: 'OutlookDeleted', title: 'Ann Lee' }),
  ]);
  expect(h.state.contact.excluded).toEqual([crmId]);
  expect(h.crm.get(crmId)?.active).toBe(true);
  await h.run();
  expect(h.outlook.ofType('contact')).toEqual([]);
});

test('§2.3 step 2 a deactivated CRM contact is unlinked and its Outlook contact kept', async () => {
  const { h, crmId, itemId } = await annSynchronized();
  h.crm.deactivate(crmId);
  const run = await h.run();
  expect(run.entries).toEqual([expect.objectContaining({ op: 'unlink', crmId, reason: 'CrmDeleted' })]);
  expect(h.outlook.item(itemId)).toMatchObject({ crmId: null, fields: { givenName: 'Ann' } });
  expect(h.state.contact.pairs).toEqual([]);
});

test('§2.3 step 2 a canceled CRM appointment deletes its Outlook event', async () => {
  const h = await syncHarness();
  const meeting = h.crm.add('appointment', { subject: 'Kick-off' });
  await h.run();
  h.crm.deactivate(meeting.id);
  const run = await h.run();
  expect(run.entries).toEqual([
    expect.objectContaining({
      op: 'deleteOutlook',
      crmId: meeting.id,
      reason: 'CrmDeleted',
      title: 'Kick-off',
    }),
  ]);
  expect(h.outlook.ofType('appointment')).toEqual([]);
});

test('§2.3 step 5 a tracked, unlinked Outlook contact creates the CRM contact and is linked to it', async () => {
  const h = await syncHarness();
  const item = h.outlook.userCreate(
    'contact',
    { givenName: 'Bo', surname: 'Chen', email1Address: 'bo@fabrikam.com' },
    { tracked: true },
  );
  const run = await h.run();
  const created = h.crm.ofType('contact');
  expect(created).toEqual([
    expect.objectContaining({
      fields: { firstname: 'Bo', lastname: 'Chen', emailaddress1: 'bo@fabrikam.com' },
    }),
  ]);
  expect(h.outlook.item(item.itemId)).toMatchObject({ crmId: created[0]?.id, tracked: true });
  expect(run.entries).toEqual([
    expect.objectContaining({ op: 'createCrm', itemId: item.itemId, title: 'Bo Chen' }),
  ]);
  expect((await h.run()).entries).toEqual([]);
});

test('§2.3 step 5 a created CRM contact whose link could not be written is linked next run, not created again', async () => {
  const h = await syncHarness();
  const item = h.outlook.userCreate('contact', { givenName: 'Bo', surname: 'Chen' }, { tracked: true });
  h.outlook.failWrites.set(item.itemId, graphDown());
  const first = await h.run();
  expect(first.entries).toEqual([
    expect.objectContaining({ op: 'createCrm', outcome: 'done' }),
    expect.objectContaining({
      op: 'link',
      itemId: item.itemId,
      outcome: 'failed',
      error: graphDown().shortMessage,
    }),
  ]);
  await h.run();
  const created = h.crm.ofType('contact');
  expect(created).toHaveLength(1);
  expect(h.outlook.item(item.itemId)).toMatchObject({ crmId: created[0]?.id, tracked: true });
  expect(h.state.contact.pendingLinks).toEqual([]);
});

test('§2.3 step 5 a tracked contact whose email an active CRM contact has is linked to it, not created', async () => {
  const h = await syncHarness();
  const bo = h.crm.add('contact', { firstname: 'Bo', emailaddress1: 'bo@fabrikam.com' }, { inScope: false });
  const item = h.outlook.userCreate(
    'contact',
    { givenName: 'Bo', surname: 'Chen', email1Address: ' Bo@Fabrikam.com' },
    { tracked: true },
  );
  const run = await h.run();
  expect(run.entries[0]).toMatchObject({
    op: 'link',
    crmId: bo.id,
    itemId: item.itemId,
    reason: 'DuplicateFound',
  });
  expect(run.entries.map((e) => e.op)).not.toContain('createCrm');
  expect(h.crm.ofType('contact')).toHaveLength(1);
  expect(h.outlook.item(item.itemId)).toMatchObject({ crmId: bo.id, tracked: true });
});

test('a type the CRM cannot read says why in its summary; the next type still runs', async () => {
  const h = await syncHarness();
  h.crm.add('contact', ANN);
  const meeting = h.crm.add('appointment', { subject: 'Kick-off' });
  h.crm.fail('recordsInScope', crmDown());
  const run = await h.run();
  expect(run.types.map((t) => [t.entity, t.ran, t.error])).toEqual([
    ['contact', false, crmDown().shortMessage],
    ['appointment', true, null],
    ['task', true, null],
  ]);
  expect(h.outlook.ofType('appointment').map((i) => i.crmId)).toEqual([meeting.id]);
  expect(h.logged).toContain('Synchronization: the contacts could not be read');
});

test('a type the mailbox cannot read keeps its state and is read again from the same watermark', async () => {
  const { h, itemId } = await annSynchronized();
  const before = h.state.contact.watermark;
  h.outlook.userEdit(itemId, { jobTitle: 'CFO' });
  h.outlook.fail('changes', graphDown());
  const run = await h.run();
  expect(run.types[0]).toMatchObject({ ran: false, error: graphDown().shortMessage });
  expect(h.state.contact.watermark).toBe(before);
  await h.run();
  expect(h.state.contact.pairs[0]?.outlook.jobTitle).toBe('CFO');
});
