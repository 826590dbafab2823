/**
 * The add-in's Graph adapter (src/graph) against the local Graph emulator on its demo mailbox: delta
 * rounds and watermarks, facts as Office.js gives them, the tag written as the pane's custom property,
 * categories, folder paths, throttling, and the background check's request budgets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import { decodeTag, CUSTOM_PROPERTY, DRAFT_PROPERTY } from '../../src/mail/marks';
import { EMULATOR_TOKEN } from '../../src/graph/auth';
import { GraphNotFoundError, GraphThrottledError } from '../../src/graph/errors';
import { GraphMailbox } from '../../src/graph/graphAdapter';
import { GraphHttp } from '../../src/graph/graphHttp';
import { customPropertiesId } from '../../src/graph/properties';

const ADDIN_ID = 'c7776a0d-efcc-4504-b497-f889d0bed0d9';
const SINCE = '2026-01-07T09:00:00Z';

let dir: string;
let emu: GraphEmulator;
let http: GraphHttp;
let mailbox: GraphMailbox;
const waits: number[] = [];
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-graph-adapter-'));
  emu = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'graph.sqlite'), seed: 'demo' });
});

beforeEach(() => {
  waits.length = 0;
  logged.length = 0;
  http = new GraphHttp({
    baseUrl: emu.url,
    tokens: EMULATOR_TOKEN,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  mailbox = new GraphMailbox({
    http,
    userAddress: 'me@contoso.com',
    addinId: ADDIN_ID,
    log: (line) => logged.push(line),
  });
});

afterEach(() => emu.faults.clear());

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

let keys = 0;
function deliver(folder: string, subject: string, extra: Record<string, unknown> = {}): string {
  keys += 1;
  return emu.deliver({
    key: `adapter-${keys}`,
    folder,
    subject,
    from: { name: 'Ann Smith', address: 'ann@fabrikam.com' },
    to: [{ name: 'Megan Bowen', address: 'me@contoso.com' }],
    receivedAt: '2026-01-10T08:59:00Z',
    ...extra,
  }).id;
}

test('a first inbox round gives every message since the lookback with the facts Office.js gives; a quiet round costs one request', async () => {
  const first = await mailbox.folderChanges({ wellKnown: 'inbox' }, null, { since: SINCE });
  expect(first.complete).toBe(true);
  expect(first.restarted).toBe(false);
  expect(first.unreadable).toEqual([]);
  expect(first.items.length).toBeGreaterThan(3);
  expect(
    first.items.every((i) => i.facts.receivedAt !== null && i.facts.receivedAt >= '2026-01-07T09:00:00.000Z'),
  ).toBe(true);
  expect(first.items.every((i) => i.facts.folder === 'inbox' && i.changeKey !== '')).toBe(true);

  const reply = first.items.find((i) => i.facts.inReplyTo !== null);
  expect(reply).toBeDefined();
  expect(reply?.facts.references).toContain(reply?.facts.inReplyTo);
  expect(reply?.facts.messageId).toMatch(/^<.+@.+>$/);
  expect(reply?.facts.threadIndex).toMatch(/^[A-Za-z0-9+/]+=*$/);
  expect(reply?.facts.direction).toBe('incoming');
  expect(reply?.facts.from?.name).not.toBeNull();

  const before = http.requestCount;
  const quiet = await mailbox.folderChanges({ wellKnown: 'inbox' }, first.watermark);
  expect(http.requestCount - before).toBe(1);
  expect(quiet.items).toEqual([]);
  expect(quiet.removed).toEqual([]);
});

test('sent items are outgoing, as the pane decides (From is the user)', async () => {
  const sent = await mailbox.folderChanges({ wellKnown: 'sentitems' }, null, { since: SINCE });
  expect(sent.items.length).toBeGreaterThan(0);
  expect(sent.items.every((i) => i.facts.direction === 'outgoing' && i.facts.folder === 'sentitems')).toBe(
    true,
  );
});

test('a folder by path is found level by level, and its items carry the path as their folder', async () => {
  const changes = await mailbox.folderChanges({ path: 'Inbox/Projects/Fabrikam' }, null, { since: SINCE });
  expect(changes.items.every((i) => i.facts.folder === 'Inbox/Projects/Fabrikam')).toBe(true);
  await expect(mailbox.folderChanges({ path: 'Inbox/Nowhere' }, null)).rejects.toBeInstanceOf(
    GraphNotFoundError,
  );
});

test('the tag written through Graph is the custom property the pane reads, next to the draft mark it keeps', async () => {
  const id = deliver('inbox', 'Tag me');
  // The pane's Office.js custom properties on the item, as saveAsync leaves them.
  const tagId = customPropertiesId(ADDIN_ID);
  await http.send('PATCH', `/me/messages/${encodeURIComponent(id)}`, {
    body: {
      singleValueExtendedProperties: [
        { id: tagId, value: JSON.stringify({ [DRAFT_PROPERTY]: 'v1; id=abc; r=; p=' }) },
      ],
    },
    idempotent: false,
  });
  const tag = {
    activityId: '11111111-2222-3333-4444-555555555555',
    regarding: { type: 'account', id: 'a1' },
  };
  const changeKey = await mailbox.writeTag(id, tag);
  expect(changeKey).not.toBe('');
  const categorized = await mailbox.setCategories(id, ['Tracked to CRM'], changeKey);
  expect(categorized).not.toBe(changeKey);

  const [read] = await mailbox.readFacts({ wellKnown: 'inbox' }, [id]);
  expect(read).toMatchObject({
    ok: true,
    item: { tag, categories: ['Tracked to CRM'], changeKey: categorized },
  });
  const props = read?.ok ? read.item.customProperties : {};
  expect(props[DRAFT_PROPERTY]).toBe('v1; id=abc; r=; p=');
  expect(decodeTag(props[CUSTOM_PROPERTY])).toEqual(tag);

  await mailbox.writeTag(id, null);
  const [cleared] = await mailbox.readFacts({ wellKnown: 'inbox' }, [id]);
  expect(cleared).toMatchObject({
    ok: true,
    item: { tag: null, customProperties: { [DRAFT_PROPERTY]: 'v1; id=abc; r=; p=' } },
  });
});

test('a later round gives the new, the changed and the removed; a missing item reads as not found', async () => {
  const start = await mailbox.folderChanges({ wellKnown: 'inbox' }, null, { since: SINCE });
  const fresh = deliver('inbox', 'New one');
  const gone = start.items[0]?.itemId as string;
  await http.send('DELETE', `/me/messages/${encodeURIComponent(gone)}`, { idempotent: false });
  const next = await mailbox.folderChanges({ wellKnown: 'inbox' }, start.watermark);
  expect(next.items.map((i) => i.itemId)).toEqual([fresh]);
  expect(next.removed).toEqual([gone]);

  const [missing] = await mailbox.readFacts({ wellKnown: 'inbox' }, [gone]);
  expect(missing).toMatchObject({ ok: false, error: expect.any(GraphNotFoundError) });
});

test('a watermark Graph does not know starts the folder over; one for another host is never followed', async () => {
  const unknown = await mailbox.folderChanges(
    { wellKnown: 'drafts' },
    `${emu.url}/me/mailFolders/drafts/messages/delta?$deltatoken=forgotten`,
  );
  expect(unknown).toMatchObject({ restarted: true, complete: true });
  const before = http.requestCount;
  const foreign = await mailbox.folderChanges(
    { wellKnown: 'drafts' },
    'https://evil.example/v1.0/me/messages/delta?$deltatoken=x',
  );
  expect(foreign.restarted).toBe(true);
  expect(http.requestCount - before).toBe(1);
  expect(foreign.items.every((i) => i.isDraft)).toBe(true);
});

test('a message only marked read comes back whole: the delta gives {id, isRead, parentFolderId}, the adapter reads it by id in the same call', async () => {
  const start = await mailbox.folderChanges({ wellKnown: 'inbox' }, null, { since: SINCE });
  const read = start.items[0] as (typeof start.items)[number];
  const { body } = await http.send('PATCH', `/me/messages/${encodeURIComponent(read.itemId)}`, {
    body: { isRead: true },
    idempotent: false,
  });
  const before = http.requestCount;
  const next = await mailbox.folderChanges({ wellKnown: 'inbox' }, start.watermark);
  // The delta page and one $batch of the re-read.
  expect(http.requestCount - before).toBe(2);
  expect(next.unreadable).toEqual([]);
  expect(next.items).toEqual([
    {
      ...read,
      changeKey: (body as { changeKey: string }).changeKey,
    },
  ]);
  expect(next.items[0]?.facts.receivedAt).not.toBeNull();
});

describe('a round read a few pages per call (maxPages)', () => {
  const folder = { wellKnown: 'archive' } as const;
  let paged: GraphMailbox;
  let start: string;
  let delivered: string[];

  beforeEach(async () => {
    paged = new GraphMailbox({ http, userAddress: 'me@contoso.com', addinId: ADDIN_ID, pageSize: 2 });
    start = (await paged.folderChanges(folder, null)).watermark;
    delivered = Array.from({ length: 6 }, (_, n) => deliver('archive', `Paged ${n}`));
  });

  test('a round of 3 pages read 1 page per call: nextLinks as watermarks, no item twice, the deltaLink at the end', async () => {
    const calls = [];
    let watermark = start;
    for (let n = 0; n < 3; n += 1) {
      const before = http.requestCount;
      const changes = await paged.folderChanges(folder, watermark, { maxPages: 1 });
      expect(http.requestCount - before).toBe(1);
      calls.push(changes);
      watermark = changes.watermark;
    }
    expect(calls.map((c) => [c.complete, c.restarted, /\$skiptoken=/.test(c.watermark)])).toEqual([
      [false, false, true],
      [false, false, true],
      [true, false, false],
    ]);
    expect(calls[2]?.watermark).toMatch(/\$deltatoken=/);
    expect(calls.flatMap((c) => c.items.map((i) => i.itemId))).toEqual(delivered);
    const quiet = await paged.folderChanges(folder, watermark, { maxPages: 1 });
    expect(quiet).toMatchObject({ items: [], complete: true, restarted: false });
  });

  test('a nextLink Graph no longer knows (410) restarts the folder from the start, and that round ends too', async () => {
    const first = await paged.folderChanges(folder, start, { maxPages: 1 });
    const stale = first.watermark.replace(/\$skiptoken=[^&]+/, '$skiptoken=c3RhbGU');
    const restarted = await paged.folderChanges(folder, stale, { maxPages: 1, since: SINCE });
    expect(restarted).toMatchObject({ restarted: true, complete: false });
    expect(logged.join(' ')).not.toContain('skiptoken');
    const seen = [...restarted.items.map((i) => i.itemId)];
    let watermark = restarted.watermark;
    for (let calls = 0; calls < 10; calls += 1) {
      const more = await paged.folderChanges(folder, watermark, { maxPages: 1 });
      seen.push(...more.items.map((i) => i.itemId));
      watermark = more.watermark;
      if (more.complete) break;
    }
    expect(watermark).toMatch(/\$deltatoken=/);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(delivered));
  });

  test('a token of another folder, or a watermark for another host, starts this folder over', async () => {
    const inbox = await paged.folderChanges({ wellKnown: 'inbox' }, null, { since: SINCE, maxPages: 1 });
    const { body } = await http.send('GET', '/me/mailFolders/archive?$select=id', { idempotent: true });
    const archiveId = encodeURIComponent((body as { id: string }).id);
    // The inbox's token on this folder's delta: a sync state Graph never gave for it (410).
    const crossed = await paged.folderChanges(
      folder,
      inbox.watermark.replace(/\/mailFolders\/[^/]+\//, `/mailFolders/${archiveId}/`),
      { maxPages: 1 },
    );
    expect(crossed.restarted).toBe(true);
    expect(crossed.items.every((i) => i.facts.folder === 'archive')).toBe(true);
    const before = http.requestCount;
    const foreign = await paged.folderChanges(folder, `https://evil.example/v1.0/x?$skiptoken=a`, {
      maxPages: 1,
    });
    expect(foreign.restarted).toBe(true);
    expect(http.requestCount - before).toBe(1);
  });
});

test('100 new messages: one delta round and their tags and categories written within 8 requests', async () => {
  const start = await mailbox.folderChanges({ wellKnown: 'junkemail' }, null, { since: SINCE });
  for (let n = 0; n < 100; n += 1) deliver('junkemail', `Bulk ${n}`);
  const before = http.requestCount;
  const round = await mailbox.folderChanges({ wellKnown: 'junkemail' }, start.watermark);
  expect(round.items).toHaveLength(100);
  const outcomes = await mailbox.updateItems(
    round.items.map((item, n) => ({
      itemId: item.itemId,
      changeKey: item.changeKey,
      categories: [...item.categories, 'Tracked to CRM'],
      tag: { activityId: `activity-${n}`, regarding: null },
      customProperties: item.customProperties,
    })),
  );
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(http.requestCount - before).toBeLessThanOrEqual(8);
  const after = await mailbox.folderChanges({ wellKnown: 'junkemail' }, round.watermark);
  expect(after.items).toHaveLength(100);
  expect(after.items.every((i) => i.tag !== null && i.categories.includes('Tracked to CRM'))).toBe(true);
});

test('throttling: a 429 with Retry-After is waited out, at the top level and inside a $batch', async () => {
  emu.faults.add({
    match: { method: 'GET', pathContains: '/messages/delta' },
    status: 429,
    retryAfter: 2,
    count: 1,
  });
  await mailbox.folderChanges({ wellKnown: 'inbox' }, null, { since: SINCE });
  expect(waits).toEqual([2000]);

  const id = deliver('inbox', 'Throttled in a batch');
  waits.length = 0;
  emu.faults.add({
    match: { method: 'PATCH', pathContains: '/me/messages/' },
    status: 429,
    retryAfter: 3,
    count: 1,
  });
  const [outcome] = await mailbox.updateItems([{ itemId: id, categories: ['Tracked to CRM'] }]);
  expect(outcome?.ok).toBe(true);
  expect(waits).toEqual([3000]);
});

test("a Retry-After beyond what the policy waits is the caller's: a typed error with the wait", async () => {
  emu.faults.add({
    match: { method: 'GET', pathContains: '/messages/delta' },
    status: 429,
    retryAfter: 120,
    count: 1,
  });
  const error = await mailbox.folderChanges({ wellKnown: 'inbox' }, null).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GraphThrottledError);
  expect((error as GraphThrottledError).retryAfterMs).toBe(120_000);
});

test('master categories: ensureCategory adds once, and the list reads back in Graph colours', async () => {
  await mailbox.ensureCategory('Tracked to CRM (adapter)', 'Preset4');
  await mailbox.ensureCategory('tracked to crm (adapter)', 'Preset4');
  const list = await mailbox.masterCategories();
  expect(list.filter((c) => c.displayName.toLowerCase() === 'tracked to crm (adapter)')).toEqual([
    { displayName: 'Tracked to CRM (adapter)', color: 'preset4' },
  ]);
});
