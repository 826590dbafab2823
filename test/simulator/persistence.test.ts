/**
 * SimMailbox.serialize / restore (simulator/mailboxState.ts): what the workbench keeps across a page
 * reload. Plain JSON in, the same mailbox out, in Node, with no browser.
 */
import { loadDemoMailbox, memoryStorage, MAILBOX_STATE_VERSION, SimulatorError } from '../../simulator';
import { ANN, DANA, incoming, simulator, value } from './helpers';

/** A mailbox with a categorized item carrying custom properties, a sent reply and a custom folder. */
async function usedMailbox() {
  const storage = memoryStorage();
  const sim = simulator({ storage });
  const ids = loadDemoMailbox(sim.mailbox);
  sim.mailbox.setMasterCategories([
    ...sim.mailbox.masterCategoryList(),
    { displayName: 'Tracked to CRM', color: 'Preset4' },
  ]);
  await sim.mailbox.select(ids.pricing);
  const read = sim.Office.context.mailbox.item as Office.MessageRead;
  await value<void>((cb) => read.categories.addAsync(['Tracked to CRM'], cb));
  const props = await value<Office.CustomProperties>((cb) => read.loadCustomPropertiesAsync(cb));
  props.set('tic', 'a1|5');
  await value<void>((cb) => props.saveAsync(cb));
  sim.Office.context.roamingSettings.set('crmUrl', 'http://localhost:1');
  await value<void>((cb) => sim.Office.context.roamingSettings.saveAsync(cb));
  const draft = await sim.mailbox.openCompose('reply', ids.pricing);
  sim.mailbox.updateCompose(draft.id, { bodyText: 'Thanks, Ann' });
  const sent = await sim.mailbox.send(draft.id);
  const moved = await sim.mailbox.move(sim.mailbox.deliver(incoming({ subject: 'Filed' })).id, 'Projects');
  return { sim, storage, ids, sent, moved };
}

test('a restored mailbox has the same folders, items, categories, custom properties and sent items', async () => {
  const { sim, storage, ids, sent, moved } = await usedMailbox();
  const text = JSON.stringify(sim.mailbox.serialize());

  const again = simulator({ storage });
  again.mailbox.restore(JSON.parse(text));
  expect(again.mailbox.folders()).toEqual(sim.mailbox.folders());
  expect(again.mailbox.allItems()).toEqual(sim.mailbox.allItems());
  expect(again.mailbox.masterCategoryList()).toEqual(sim.mailbox.masterCategoryList());
  expect(again.mailbox.getItem(ids.pricing).categories).toEqual(['Tracked to CRM']);
  expect(again.mailbox.getItem(sent.id)).toMatchObject({
    folder: 'sentitems',
    bodyText: expect.stringMatching(/^Thanks, Ann/),
  });
  expect(again.mailbox.folderOf(moved.id)).toBe('Projects');
  expect(again.mailbox.selectedItemId).toBeNull();

  // The add-in sees them through Office.js as before: custom properties, categories, roaming settings.
  await again.mailbox.select(ids.pricing);
  const read = again.Office.context.mailbox.item as Office.MessageRead;
  const props = await value<Office.CustomProperties>((cb) => read.loadCustomPropertiesAsync(cb));
  expect(props.get('tic')).toBe('a1|5');
  expect(await value<Office.CategoryDetails[]>((cb) => read.categories.getAsync(cb))).toEqual([
    { displayName: 'Tracked to CRM', color: 'Preset4' },
  ]);
  expect(read.internetMessageId).toBe(sim.mailbox.getItem(ids.pricing).internetMessageId);
  expect(again.Office.context.roamingSettings.get('crmUrl')).toBe('http://localhost:1');
});

test('after a restore, new items get new ids and replies stay in their conversation', async () => {
  const { sim, ids } = await usedMailbox();
  const again = simulator();
  again.mailbox.restore(sim.mailbox.serialize());
  const before = new Set(again.mailbox.allItems().map((i) => i.id));
  const delivered = again.mailbox.deliver(incoming());
  expect(before.has(delivered.id)).toBe(false);
  const reply = await again.mailbox.openCompose('reply', ids.pricing);
  expect(reply.conversationId).toBe(again.mailbox.getItem(ids.pricing).conversationId);
  const sent = await again.mailbox.send(reply.id);
  expect(before.has(sent.id)).toBe(false);
});

test('forms being composed are not kept; the state is plain JSON with a version', async () => {
  const sim = simulator();
  sim.mailbox.deliver(incoming({ from: ANN, to: [DANA] }));
  await sim.mailbox.openCompose('newMail');
  const state = sim.mailbox.serialize();
  expect(state.version).toBe(MAILBOX_STATE_VERSION);
  expect(state.items).toHaveLength(1);
  expect(JSON.parse(JSON.stringify(state))).toEqual(state);
});

test('a state of another version, or not a state, is refused and changes nothing', async () => {
  const { sim } = await usedMailbox();
  const good = sim.mailbox.serialize();
  const target = simulator();
  const ids = loadDemoMailbox(target.mailbox);
  const before = target.mailbox.allItems();
  const bad: unknown[] = [
    null,
    'text',
    { ...good, version: MAILBOX_STATE_VERSION + 1 },
    { ...good, items: 'x' },
    { ...good, items: [{ ...good.items[0], created: 'yesterday' }] },
    { ...good, items: [good.items[0], good.items[0]] },
    { ...good, items: [{ ...good.items[0], mode: 'compose' }] },
    { ...good, items: [{ ...good.items[0], to: [{ emailAddress: 1 }] }] },
  ];
  for (const state of bad) expect(() => target.mailbox.restore(state)).toThrow(SimulatorError);
  expect(target.mailbox.allItems()).toEqual(before);
  expect(target.mailbox.getItem(ids.pricing).subject).toBe('Q3 pricing proposal');
});
