/**
 * The background check end to end (background-check.md §1.6, issue 11's budgets): the runner, the
 * Dataverse adapter on the Dataverse emulator and the Graph adapter on the Graph emulator, every
 * HTTP request counted by a fetch wrapper. The demo organization has folder-level tracking on, its
 * rules read through the host's cache. A quiet cycle costs one Graph request per folder and no
 * Dataverse request; 100 new messages at most 2 Dataverse and 8 Graph requests; mail delivered is
 * tracked (the activity exists) and tagged (category and cecp tag read back through Graph); a second
 * client makes no second activity; a Graph 429 storm loses nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_FOLDERS } from '../../emulator/graph/seed';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import type { Emulator } from '../../emulator/server';
import { DEMO } from '../../emulator/seed';
import { createBackgroundCheck, type BackgroundCheck } from '../../src/app/backgroundCheck';
import { EMPTY_BACKGROUND_STATE, type BackgroundState } from '../../src/app/backgroundState';
import type { MailboxPort } from '../../src/app/ports';
import { openSession, type Session } from '../../src/app/session';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseAdapter } from '../../src/crm/dataverseAdapter';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { DataverseFolderMappings } from '../../src/crm/folderMappings';
import { EMULATOR_TOKEN } from '../../src/graph/auth';
import { GraphMailbox } from '../../src/graph/graphAdapter';
import { GraphHttp } from '../../src/graph/graphHttp';
import { CachedFolderMappings } from '../../src/host/folderRulesCache';
import { TRACKED_CATEGORY } from '../../src/rules/backgroundCycle';
import { startDemoEmulator } from '../support/demoEmulator';
import { MemoryPendingStore, MemoryTokenCounter } from '../support/fakes';

const ADDIN_ID = 'c7776a0d-efcc-4504-b497-f889d0bed0d9';
const ME = { name: 'Dana Park', address: DEMO.meEmail };
const ANN = { name: 'Ann Lee', address: 'ann@fabrikam.com' };
const STRANGER = { name: 'Alex Stranger', address: 'stranger@example.org' };

let dir: string;
let crmEmu: Emulator;
let graphEmu: GraphEmulator;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-background-'));
  crmEmu = await startDemoEmulator('background');
  graphEmu = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'graph.sqlite'), seed: 'empty' });
  // The demo organization tracks Inbox/Projects/Fabrikam (folder-level tracking on): the folder the
  // demo mailbox has, so every cycle also reads a mapped folder.
  graphEmu.db.insertFolder({
    id: DEMO_FOLDERS.projects,
    well_known: null,
    display_name: 'Projects',
    parent_id: DEMO_FOLDERS.inbox,
    is_hidden: 0,
  });
  graphEmu.db.insertFolder({
    id: DEMO_FOLDERS.fabrikam,
    well_known: null,
    display_name: 'Fabrikam',
    parent_id: DEMO_FOLDERS.projects,
    is_hidden: 0,
  });
  // Filtering method 2: email from a contact, account or lead is tracked (Ann is a contact; the
  // stranger is no one, so skipped).
  const setup = new DataverseAdapter(dataverseHttp(fetch));
  await setup.openSession();
  await setup.savePersonalOptions(DEMO.me, { incomingemailfilteringmethod: 2 });
});

afterEach(() => {
  graphEmu.faults.clear();
});

afterAll(async () => {
  await graphEmu?.close();
  await crmEmu?.close();
  rmSync(dir, { recursive: true, force: true });
});

function dataverseHttp(fetchImpl: typeof fetch): DataverseHttp {
  return new DataverseHttp({
    orgUrl: crmEmu.url.replace(/\/api\/data\/v9\.2\/?$/, ''),
    tokens: NO_TOKEN,
    fetch: fetchImpl,
    sleep: async () => {},
  });
}

/** Requests as they leave for the wire, retries included. */
function counter(): { fetch: typeof fetch; count: () => number } {
  let n = 0;
  return {
    fetch: (input, init) => {
      n += 1;
      return fetch(input, init);
    },
    count: () => n,
  };
}

const mailboxPort: MailboxPort = new Proxy({ userAddress: () => ME.address } as MailboxPort, {
  get: (target, name) =>
    name in target
      ? target[name as keyof MailboxPort]
      : () => {
          throw new Error(`the background check does not use MailboxPort.${String(name)}`);
        },
});

interface Client {
  readonly check: BackgroundCheck;
  readonly crmRequests: () => number;
  readonly graphRequests: () => number;
  readonly pending: MemoryPendingStore;
  readonly state: () => BackgroundState;
  readonly logged: string[];
  /** One cycle now; resolves when it is over. */
  cycle(): Promise<void>;
}

/** One Outlook client of the user: its own session, HTTP, state and runner. */
async function client(): Promise<Client> {
  const crmCount = counter();
  const graphCount = counter();
  const crmHttp = dataverseHttp(crmCount.fetch);
  const crm = new DataverseAdapter(crmHttp, { sleep: async () => {} });
  const rules = new CachedFolderMappings(() => new DataverseFolderMappings(crmHttp));
  const pending = new MemoryPendingStore();
  const session: Session = await openSession({
    crm,
    mailbox: mailboxPort,
    pending,
    tokens: new MemoryTokenCounter(),
    clock: { now: () => Date.now() },
    localOptions: { load: async () => ({ client: {}, user: {} }), save: async () => {} },
  });
  const graph = new GraphMailbox({
    http: new GraphHttp({
      baseUrl: graphEmu.url,
      tokens: EMULATOR_TOKEN,
      fetch: graphCount.fetch,
      sleep: async () => {},
    }),
    userAddress: ME.address,
    addinId: ADDIN_ID,
  });
  let state: BackgroundState = EMPTY_BACKGROUND_STATE;
  const logged: string[] = [];
  const check = createBackgroundCheck({
    session: () => session,
    graph,
    store: {
      load: async () => state,
      save: async (next) => {
        state = next;
      },
    },
    folderMappings: () => rules.cached(session.user.id),
    outlookItemId: (id) => `ews:${id}`,
    clock: { now: () => Date.now() },
    // Cycles run only when the test says (checkNow): the schedule is the unit tests' subject.
    timer: { setTimeout: () => 0, clearTimeout: () => {} },
    log: { log: (message) => logged.push(message) },
  });
  check.start();
  return {
    check,
    crmRequests: crmCount.count,
    graphRequests: graphCount.count,
    pending,
    state: () => state,
    logged,
    cycle: async () => {
      check.checkNow();
      await check.settled();
    },
  };
}

let serial = 0;
function deliver(
  from: { name: string; address: string },
  subject: string,
  replyTo?: { messageId: string },
): { id: string; messageId: string } {
  serial += 1;
  const messageId = `<bg-${serial}-${Date.now()}@${from.address.split('@')[1]}>`;
  const { id } = graphEmu.deliver({
    key: `bg-${serial}`,
    folder: 'inbox',
    subject,
    from,
    to: [ME],
    receivedAt: new Date(Date.now() - (replyTo ? 30_000 : 60_000)).toISOString(),
    messageId,
    ...(replyTo ? { replyTo } : {}),
  });
  return { id, messageId };
}

/** Activities of this Message-ID in the Dataverse emulator. */
const activities = (messageId: string): string[] =>
  (
    crmEmu.db.prepare('select activityid from email where messageid = ?').all(messageId) as {
      activityid: string;
    }[]
  ).map((r) => String(r.activityid).toLowerCase());

/** The item as Graph gives it now (an uncounted reader). */
async function readBack(itemId: string) {
  const reader = new GraphMailbox({
    http: new GraphHttp({ baseUrl: graphEmu.url, tokens: EMULATOR_TOKEN }),
    userAddress: ME.address,
    addinId: ADDIN_ID,
  });
  const [outcome] = await reader.readFacts({ wellKnown: 'inbox' }, [itemId]);
  if (!outcome?.ok) throw new Error(`item ${itemId} cannot be read back`);
  return outcome.item;
}

test('delivered mail is tracked and tagged without being opened; the stranger is skipped with its reason; a quiet cycle costs one Graph request per folder and no Dataverse request, folder tracking on', async () => {
  const c = await client();
  await c.cycle(); // the mailbox as it is: the starting watermark
  const ann = deliver(ANN, 'Spring order');
  const stranger = deliver(STRANGER, 'Cheap watches');
  await c.cycle();

  const [activity] = activities(ann.messageId);
  expect(activities(ann.messageId)).toHaveLength(1);
  const item = await readBack(ann.id);
  expect(item.categories).toContain(TRACKED_CATEGORY);
  expect(item.tag?.activityId.toLowerCase()).toBe(activity);
  expect(activities(stranger.messageId)).toEqual([]);
  expect((await readBack(stranger.id)).categories).not.toContain(TRACKED_CATEGORY);

  const status = c.check.status();
  expect(status.lastError).toBeNull();
  expect(status.lastCycle?.counts).toMatchObject({ lookedAt: 2, tracked: 1, skipped: 1, failed: 0 });
  const byItem = new Map(status.actions.map((a) => [a.itemId, a]));
  expect(byItem.get(ann.id)).toMatchObject({ do: 'track', outcome: 'done', outlookItemId: `ews:${ann.id}` });
  expect(byItem.get(ann.id)?.activityId?.toLowerCase()).toBe(activity);
  expect(byItem.get(stranger.id)).toMatchObject({ do: 'skip', reason: 'SenderNotMatched', outcome: 'done' });

  // The next delta brings back our own tag write: seen at the changeKey the write gave, so quiet.
  const crmBefore = c.crmRequests();
  const graphBefore = c.graphRequests();
  await c.cycle();
  // One per folder read (the inbox and the organization's mapped folder), the folder rules not read.
  expect({ graph: c.graphRequests() - graphBefore, crm: c.crmRequests() - crmBefore }).toEqual({
    graph: 2,
    crm: 0,
  });
  expect(c.check.status().lastCycle?.counts.lookedAt).toBe(0);
});

test('100 new messages: at most 2 Dataverse and 8 Graph requests, every one tracked and tagged', async () => {
  const c = await client();
  await c.cycle();
  // The first tag of a runner adds the master category once (a read, and a write when missing).
  deliver(ANN, 'Warm-up');
  await c.cycle();

  const delivered = Array.from({ length: 100 }, (_, i) => deliver(ANN, `Order ${i} for the spring range`));
  const crmBefore = c.crmRequests();
  const graphBefore = c.graphRequests();
  await c.cycle();
  const used = { crm: c.crmRequests() - crmBefore, graph: c.graphRequests() - graphBefore };
  console.log(`100 new messages: ${used.crm} Dataverse and ${used.graph} Graph requests`);
  expect(used.crm).toBeLessThanOrEqual(2);
  expect(used.graph).toBeLessThanOrEqual(8);

  expect(c.check.status().lastCycle?.counts).toMatchObject({ lookedAt: 100, tracked: 100, failed: 0 });
  for (const d of delivered) expect(activities(d.messageId)).toHaveLength(1);
  for (const d of delivered.filter((_, i) => i % 10 === 0)) {
    const item = await readBack(d.id);
    expect(item.categories).toContain(TRACKED_CATEGORY);
    expect(item.tag?.activityId.toLowerCase()).toBe(activities(d.messageId)[0]);
  }
});

test('a second client on the same mailbox, cycling at the same time, makes no second activity', async () => {
  const one = await client();
  const two = await client();
  await Promise.all([one.cycle(), two.cycle()]);
  const mail = Array.from({ length: 5 }, (_, i) => deliver(ANN, `Both clients see ${i}`));
  one.check.checkNow();
  two.check.checkNow();
  await Promise.all([one.check.settled(), two.check.settled()]);

  for (const d of mail) {
    expect(activities(d.messageId)).toHaveLength(1);
    const item = await readBack(d.id);
    expect(item.categories.filter((c) => c === TRACKED_CATEGORY)).toHaveLength(1);
    expect(item.tag?.activityId.toLowerCase()).toBe(activities(d.messageId)[0]);
  }
  expect(one.pending.list).toEqual([]);
  expect(two.pending.list).toEqual([]);
});

test('a Graph 429 storm loses nothing: reads keep their watermark, tags are written once it clears', async () => {
  const c = await client();
  await c.cycle();
  const first = Array.from({ length: 3 }, (_, i) => deliver(ANN, `Storm read ${i}`));

  // Every Graph request throttled: the delta cannot be read; the watermark stays where it was.
  const watermark = c.state().watermarks.inbox;
  graphEmu.faults.add({ status: 429, retryAfter: 1, count: 1000 });
  await c.cycle();
  expect(c.check.status().lastError).toMatch(/./);
  expect(c.state().watermarks.inbox).toBe(watermark);
  graphEmu.faults.clear();

  // Reads pass, every write batch is throttled: tracked, but the tags wait (the items are not seen).
  graphEmu.faults.add({
    match: { method: 'POST', pathContains: '$batch' },
    status: 429,
    retryAfter: 1,
    count: 1000,
  });
  const crmBefore = c.crmRequests();
  await c.cycle();
  for (const d of first) expect(activities(d.messageId)).toHaveLength(1);
  expect(c.check.status().lastCycle?.counts).toMatchObject({ tracked: 3, failed: 3 });
  expect(
    c
      .state()
      .retry.map((r) => r.itemId)
      .sort(),
  ).toEqual(first.map((d) => d.id).sort());
  expect(c.crmRequests() - crmBefore).toBeLessThanOrEqual(2);
  graphEmu.faults.clear();

  // Cleared: the carried items are decided again (already tracked: tagged), nothing made twice.
  const late = deliver(ANN, 'After the storm');
  await c.cycle();
  expect(c.check.status().lastError).toBeNull();
  expect(c.state().retry).toEqual([]);
  for (const d of [...first, late]) {
    expect(activities(d.messageId)).toHaveLength(1);
    const item = await readBack(d.id);
    expect(item.categories).toContain(TRACKED_CATEGORY);
    expect(item.tag?.activityId.toLowerCase()).toBe(activities(d.messageId)[0]);
  }
  expect(c.pending.list).toEqual([]);
});

test('§1.4 an email and its reply delivered together: two activities, the reply correlated to the first', async () => {
  const c = await client();
  await c.cycle();
  const first = deliver(ANN, 'Delivery dates');
  const reply = deliver(ANN, 'RE: Delivery dates', { messageId: first.messageId });
  await c.cycle();
  expect(c.check.status().lastError).toBeNull();
  const [firstId] = activities(first.messageId);
  expect(firstId).toBeDefined();
  const rows = crmEmu.db
    .prepare('select _correlatedactivityid_value as correlated from email where messageid = ?')
    .all(reply.messageId) as { correlated: string | null }[];
  expect(rows).toHaveLength(1);
  expect(String(rows[0]?.correlated).toLowerCase()).toBe(firstId);
  expect(c.pending.list).toEqual([]);
});

test('lookupItems asks for many items in ONE request and finds what lookupItem finds for each', async () => {
  const count = counter();
  const crm = new DataverseAdapter(dataverseHttp(count.fetch));
  await crm.openSession();
  const queries = ['ann@fabrikam.com', 'bob@fabrikam.com', STRANGER.address].map((address, i) => ({
    messageId: `<lookup-${i}@x.example>`,
    addresses: [address, ME.address],
    threadMessageIds: [`<parent-${i}@x.example>`],
    trackingTokens: [],
    threadIndexes: [],
    subjectWords: [`word${i}`],
  }));
  const before = count.count();
  const merged = await crm.lookupItems(queries);
  expect(count.count() - before).toBe(1);
  const one = await Promise.all(queries.map((q) => crm.lookupItem(q)));
  const key = (r: { type: string; id: string }) => `${r.type}:${r.id}`;
  expect(merged.records.map(key).sort()).toEqual([...new Set(one.flatMap((r) => r.records.map(key)))].sort());
});
