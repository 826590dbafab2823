/**
 * One mailbox, two views: the Outlook simulator (Office.js, what the pane reads and writes) and the
 * Graph emulator (Graph, what the background check reads and writes through src/graph), kept in step
 * by the workbench's mirror. The add-in's tag written through one reader is read through the other,
 * categories go both ways, mail delivered in the simulator is in the adapter's next folder round, and a
 * change pulled from Graph is not sent back to Graph.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import {
  createOfficeSimulator,
  deliverNewMail,
  loadDemoMailbox,
  NEW_MAIL_RULE_FOLDER,
  seededRandom,
  type DemoItemKey,
  type OfficeSimulator,
} from '../../simulator';
import type { TrackTag } from '../../src/app/ports';
import { EMULATOR_TOKEN } from '../../src/graph/auth';
import { GraphMailbox } from '../../src/graph/graphAdapter';
import { GraphHttp } from '../../src/graph/graphHttp';
import { ADDIN_ID } from '../../src/host/addinId';
import { CUSTOM_PROPERTY, decodeTag, encodeTag } from '../../src/mail/marks';
import { GraphMirror } from '../../workbench/graphMirror';

const TAG: TrackTag = {
  activityId: '6f1d2c3b-0000-4000-8000-000000000001',
  regarding: { type: 'account', id: '6f1d2c3b-0000-4000-8000-0000000000aa' },
};

let dir: string;
let emu: GraphEmulator;
let sim: OfficeSimulator;
let ids: Record<DemoItemKey, string>;
let mirror: GraphMirror;
let graph: GraphMailbox;

const SUCCEEDED = 'succeeded';

function value<T>(invoke: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    invoke((result) =>
      String(result.status) === SUCCEEDED ? resolve(result.value) : reject(new Error(result.error.message)),
    ),
  );
}

/** The selected item as the add-in sees it. */
async function open(itemId: string): Promise<Office.MessageRead> {
  await sim.mailbox.select(itemId);
  return sim.Office.context.mailbox.item as Office.MessageRead;
}

/** The Graph id the add-in uses for a simulator item: Office's convertToRestId, v2.0. */
const restId = (itemId: string): string =>
  sim.Office.context.mailbox.convertToRestId(itemId, Office.MailboxEnums.RestVersion.v2_0);

beforeAll(() => {
  // convertToRestId's enum is read from the global, as in Outlook.
  (globalThis as unknown as { Office: unknown }).Office = createOfficeSimulator().Office;
});

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-one-tag-'));
  emu = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'graph.sqlite'), seed: 'empty' });
  sim = createOfficeSimulator({ seed: 11, latencyMs: 0 });
  ids = loadDemoMailbox(sim.mailbox);
  mirror = new GraphMirror({ mailbox: sim.mailbox, graphUrl: emu.url, addinId: ADDIN_ID });
  await mirror.sync();
  expect(mirror.current.status).toBe('connected');
  graph = new GraphMailbox({
    http: new GraphHttp({ baseUrl: emu.url, tokens: EMULATOR_TOKEN, sleep: async () => undefined }),
    userAddress: 'dana@contoso.com',
    addinId: ADDIN_ID,
  });
});

afterEach(async () => {
  mirror.stop();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every simulator item is in Graph under the id convertToRestId gives, with the facts Office.js gives', async () => {
  const reply = sim.mailbox.getItem(ids.pricingReply2);
  const [read] = await graph.readFacts({ wellKnown: 'inbox' }, [restId(reply.id)]);
  if (!read?.ok) throw new Error(`not read: ${JSON.stringify(read)}`);
  expect(read.item.facts).toMatchObject({
    messageId: reply.internetMessageId,
    subject: reply.subject,
    direction: 'incoming',
    inReplyTo: reply.inReplyTo,
    references: reply.references,
    threadIndex: reply.threadIndex,
    receivedAt: reply.date,
    from: { address: 'ann@fabrikam.com', name: 'Ann Lee' },
  });
  // The header block Office.js reads is Graph's internetMessageHeaders, field by field.
  const item = await open(reply.id);
  const block = await value<string>((cb) => item.getAllInternetHeadersAsync(cb));
  const res = await fetch(`${emu.url}/me/messages/${restId(reply.id)}?$select=internetMessageHeaders`, {
    headers: { Authorization: 'Bearer local' },
  });
  const { internetMessageHeaders } = (await res.json()) as {
    internetMessageHeaders: { name: string; value: string }[];
  };
  expect(internetMessageHeaders.map((h) => `${h.name}: ${h.value}`)).toEqual(
    block
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')
      .filter(Boolean),
  );

  const sent = await graph.folderChanges({ wellKnown: 'sentitems' }, null);
  expect(sent.items.map((i) => i.itemId).sort()).toEqual(
    sim.mailbox
      .listFolder('sentitems')
      .map((i) => restId(i.id))
      .sort(),
  );
  expect(sent.items.every((i) => i.facts.direction === 'outgoing')).toBe(true);
});

test('a tag saved through Office.js custom properties is the tag the Graph adapter reads', async () => {
  const item = await open(ids.onboarding);
  const props = await value<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
  props.set(CUSTOM_PROPERTY, encodeTag(TAG));
  await value<void>((cb) => props.saveAsync(cb));
  await mirror.sync();

  const [read] = await graph.readFacts({ wellKnown: 'inbox' }, [restId(ids.onboarding)]);
  expect(read?.ok && read.item.tag).toEqual(TAG);
});

test('a tag written through the Graph adapter is the tag Office.js reads, and pulling it sends nothing back', async () => {
  const before = await graph.folderChanges({ wellKnown: 'inbox' }, null);
  await graph.writeTag(restId(ids.invoice), TAG);
  const written = await graph.folderChanges({ wellKnown: 'inbox' }, before.watermark);
  expect(written.items.map((i) => i.itemId)).toEqual([restId(ids.invoice)]);

  const seq = emu.db.currentSeq();
  await mirror.sync();
  const item = await open(ids.invoice);
  const props = await value<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
  expect(decodeTag(props.get(CUSTOM_PROPERTY))).toEqual(TAG);

  // The simulator reported the change and the mirror pushed: Graph saw nothing new.
  await mirror.sync();
  expect(emu.db.currentSeq()).toBe(seq);
  const after = await graph.folderChanges({ wellKnown: 'inbox' }, written.watermark);
  expect(after.items).toEqual([]);
  expect(after.removed).toEqual([]);
});

test('categories go both ways: set in Outlook, seen by Graph; set through Graph, seen by Office.js', async () => {
  sim.mailbox.setItemCategories(ids.lunch, ['Follow up']);
  await mirror.sync();
  const [read] = await graph.readFacts({ wellKnown: 'inbox' }, [restId(ids.lunch)]);
  expect(read?.ok && read.item.categories).toEqual(['Follow up']);

  await graph.ensureCategory('Tracked to CRM', 'Preset4');
  await graph.setCategories(restId(ids.partnership), ['Tracked to CRM']);
  await mirror.sync();
  const item = await open(ids.partnership);
  expect(await value<Office.CategoryDetails[]>((cb) => item.categories.getAsync(cb))).toEqual([
    { displayName: 'Tracked to CRM', color: 'Preset4' },
  ]);
  // The category Graph added to the master list is in Outlook's list too.
  expect(sim.mailbox.masterCategoryList().map((c) => c.displayName)).toContain('Tracked to CRM');
});

test("mail delivered in the simulator is in the Graph adapter's next folder round, the duplicate in both folders", async () => {
  const inbox = await graph.folderChanges({ wellKnown: 'inbox' }, null);
  const delivered = deliverNewMail(sim.mailbox, new Date('2026-11-20T10:00:00Z'), seededRandom(5));
  await mirror.sync();

  const next = await graph.folderChanges({ wellKnown: 'inbox' }, inbox.watermark);
  const inInbox = delivered.filter((d) => d.item.folder === 'inbox');
  expect(next.items.map((i) => i.itemId).sort()).toEqual(inInbox.map((d) => restId(d.item.id)).sort());
  const renewalReply = next.items.find((i) => i.facts.subject.includes('Contract renewal'));
  expect(renewalReply?.facts.inReplyTo).toBe(
    '<DM6PR11MB0002B27F3E2D1C0B9A8@DM6PR11MB0002.namprd11.prod.outlook.com>',
  );

  const rule = await graph.folderChanges({ path: NEW_MAIL_RULE_FOLDER }, null);
  const duplicate = delivered.filter((d) => d.kind === 'duplicate');
  expect(rule.items.map((i) => i.facts.messageId)).toEqual([duplicate[0]?.item.internetMessageId]);
  expect(next.items.filter((i) => i.facts.messageId === duplicate[0]?.item.internetMessageId)).toHaveLength(
    1,
  );
});

test('a folder made in Outlook is a Graph folder of that path, empty or not', async () => {
  sim.mailbox.createFolder('Customers');
  await mirror.sync();
  const changes = await graph.folderChanges({ path: 'Customers' }, null);
  expect(changes.items).toEqual([]);
  const moved = await sim.mailbox.move(ids.onboarding, 'Customers');
  await mirror.sync();
  const next = await graph.folderChanges({ path: 'Customers' }, changes.watermark);
  expect(next.items.map((i) => [i.itemId, i.facts.folder])).toEqual([[restId(moved.id), 'Customers']]);
});

test('an item moved in Outlook leaves its folder in Graph and arrives in the other under its new id', async () => {
  const inbox = await graph.folderChanges({ wellKnown: 'inbox' }, null);
  const moved = await sim.mailbox.move(ids.lunch, 'junkemail');
  await mirror.sync();
  const next = await graph.folderChanges({ wellKnown: 'inbox' }, inbox.watermark);
  expect(next.removed).toEqual([restId(ids.lunch)]);
  const junk = await graph.folderChanges({ wellKnown: 'junkemail' }, null);
  expect(junk.items.map((i) => i.itemId)).toEqual([restId(moved.id)]);
});

test('the mirror says plainly when the Graph emulator is not running, and catches up once it is', async () => {
  const port = emu.port;
  await emu.close();
  sim.mailbox.setItemCategories(ids.kickoffNotes, ['Important']);
  await mirror.sync();
  expect(mirror.current).toMatchObject({ status: 'unreachable' });
  expect(mirror.current.status === 'unreachable' && mirror.current.reason).toMatch(
    /Graph emulator is not running/,
  );

  emu = await startGraphEmulator({ port, dbFile: path.join(dir, 'graph.sqlite'), seed: 'empty' });
  await mirror.sync();
  expect(mirror.current.status).toBe('connected');
  const [read] = await graph.readFacts({ wellKnown: 'inbox' }, [restId(ids.kickoffNotes)]);
  expect(read?.ok && read.item.categories).toEqual(['Important']);
});
