/**
 * The Outlook side of synchronization (src/graph/syncAdapter.ts) against the local Graph emulator:
 * contacts, calendar events and To Do tasks read by delta rounds with their link to the CRM, written
 * in `$batch`es of 20 answering the item after the write, and the request budgets of issue 12.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_ITEM_IDS } from '../../emulator/graph/seedItems';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import { EMULATOR_TOKEN } from '../../src/graph/auth';
import { GraphConflictError, GraphNotFoundError, GraphUnavailableError } from '../../src/graph/errors';
import { GraphHttp, type GraphBatchRequest, type GraphBatchResponse } from '../../src/graph/graphHttp';
import { customPropertiesId } from '../../src/graph/properties';
import { GraphSync, SYNC_PAGE_SIZE } from '../../src/graph/syncAdapter';
import type { OutlookSyncItem, OutlookSyncOutcome, OutlookSyncWrite } from '../../src/graph/syncPort';
import { LINK_APPLICATION } from '../../src/graph/syncShapes';
import type { SyncEntity, SyncFields } from '../../src/rules/syncTypes';

const ADDIN_ID = 'c7776a0d-efcc-4504-b497-f889d0bed0d9';

let dir: string;
let emu: GraphEmulator;
let http: GraphHttp;
let sync: GraphSync;
const logged: string[] = [];
const waits: number[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-graph-sync-'));
  emu = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'graph.sqlite'), seed: 'empty' });
});

beforeEach(() => {
  logged.length = 0;
  waits.length = 0;
  http = new GraphHttp({
    baseUrl: emu.url,
    tokens: EMULATOR_TOKEN,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  sync = new GraphSync({ http, addinId: ADDIN_ID, log: (line) => logged.push(line) });
});

afterEach(() => emu.faults.clear());

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads a type's round to its end; returns the items by id, the removed ids and the watermark. */
async function readAll(entity: SyncEntity, watermark: string | null, adapter: GraphSync = sync) {
  const items = new Map<string, OutlookSyncItem>();
  const removed = new Set<string>();
  let mark = watermark;
  let restarted = false;
  for (;;) {
    const changes = await adapter.changes(entity, mark);
    restarted ||= changes.restarted;
    for (const item of changes.items) items.set(item.itemId, item);
    for (const id of changes.removed) removed.add(id);
    mark = changes.watermark;
    if (changes.complete) return { items, removed, watermark: mark, restarted };
  }
}

function ok(outcome: OutlookSyncOutcome | undefined): OutlookSyncItem {
  if (!outcome || !outcome.ok || !outcome.item) throw new Error(`write failed: ${JSON.stringify(outcome)}`);
  return outcome.item;
}

let refs = 0;
/** One item created with its link (ref = CRM id), as the runner creates it. */
async function createLinked(entity: SyncEntity, crmId: string, fields: SyncFields): Promise<OutlookSyncItem> {
  const [outcome] = await sync.applyWrites(entity, [{ kind: 'create', ref: crmId, crmId, fields }]);
  return ok(outcome);
}

const ref = (): string => `crm-${(refs += 1)}`;

async function createContacts(
  count: number,
  extra: Record<string, unknown> = {},
): Promise<OutlookSyncItem[]> {
  const writes: OutlookSyncWrite[] = Array.from({ length: count }, () => {
    const crmId = ref();
    return {
      kind: 'create',
      ref: crmId,
      crmId,
      fields: {
        givenName: 'Ann',
        surname: `Smith ${crmId}`,
        email1Address: `${crmId}@fabrikam.com`,
        ...extra,
      },
    };
  });
  return (await sync.applyWrites('contact', writes)).map(ok);
}

describe('contacts', () => {
  test('a quiet round costs one delta request', async () => {
    const { watermark } = await readAll('contact', null);
    const before = http.requestCount;
    const again = await sync.changes('contact', watermark);
    expect([http.requestCount - before, again.items.length, again.removed.length, again.complete]).toEqual([
      1,
      0,
      0,
      true,
    ]);
  });

  test('creates go in $batches of 20 and answer each new contact with its fields and link', async () => {
    const before = http.requestCount;
    const created = await createContacts(45, {
      jobTitle: 'Buyer',
      businessCity: 'Redmond',
      birthday: '1980-07-22',
    });
    expect(http.requestCount - before).toBe(3);
    expect(created).toHaveLength(45);
    expect(created[0]).toMatchObject({
      tracked: false,
      fields: { givenName: 'Ann', jobTitle: 'Buyer', businessCity: 'Redmond', birthday: '1980-07-22' },
    });
    expect(
      created.every((item) => item.crmId !== null && item.emails[0] === `${item.crmId}@fabrikam.com`),
    ).toBe(true);
  });

  test("a create's outcome repeats its ref", async () => {
    const crmId = ref();
    const [outcome] = await sync.applyWrites('contact', [
      { kind: 'create', ref: crmId, crmId, fields: { surname: 'Ref' } },
    ]);
    expect(outcome).toMatchObject({ ok: true, ref: crmId });
  });

  test('the next round gives the created contacts with their link', async () => {
    const { watermark } = await readAll('contact', null);
    const [created] = await createContacts(1);
    const round = await readAll('contact', watermark);
    expect(round.items.get((created as OutlookSyncItem).itemId)).toMatchObject({
      crmId: created?.crmId,
      tracked: false,
      title: expect.stringContaining('Ann'),
    });
  });

  test('an update changes the given fields, keeps the others and the link, and answers the item', async () => {
    const [created] = await createContacts(1, {
      email2Address: 'two@fabrikam.com',
      businessStreet: '1 Main St',
    });
    const item = created as OutlookSyncItem;
    const [outcome] = await sync.applyWrites('contact', [
      {
        kind: 'update',
        itemId: item.itemId,
        fields: { email2Address: 'new@fabrikam.com', businessCity: 'Paris', jobTitle: null },
      },
    ]);
    expect(ok(outcome)).toMatchObject({
      itemId: item.itemId,
      crmId: item.crmId,
      fields: {
        email1Address: item.fields.email1Address,
        email2Address: 'new@fabrikam.com',
        businessStreet: '1 Main St',
        businessCity: 'Paris',
        jobTitle: null,
      },
    });
  });

  test('a cleared business phone reads back cleared while the second business phone is kept', async () => {
    const [created] = await createContacts(1, { businessPhone: '+1 555 0100' });
    const itemId = (created as OutlookSyncItem).itemId;
    await http.send('PATCH', `/me/contacts/${encodeURIComponent(itemId)}`, {
      idempotent: false,
      body: { businessPhones: ['+1 555 0100', '+1 555 0199'] },
    });
    const [outcome] = await sync.applyWrites('contact', [
      { kind: 'update', itemId, fields: { businessPhone: null } },
    ]);
    const { body } = await http.send('GET', `/me/contacts/${encodeURIComponent(itemId)}`, {
      idempotent: true,
    });
    expect([
      ok(outcome).fields.businessPhone,
      (body as { businessPhones: string[] }).businessPhones[1],
    ]).toEqual([null, '+1 555 0199']);
  });

  test('link, track and unlink are read back by the next round', async () => {
    const { watermark } = await readAll('contact', null);
    const [created] = await createContacts(1);
    const itemId = (created as OutlookSyncItem).itemId;
    const linked = ok(
      (await sync.applyWrites('contact', [{ kind: 'link', itemId, crmId: 'crm-linked', tracked: false }]))[0],
    );
    const tracked = ok((await sync.applyWrites('contact', [{ kind: 'track', itemId }]))[0]);
    const afterTrack = (await readAll('contact', watermark)).items.get(itemId);
    const unlinked = ok((await sync.applyWrites('contact', [{ kind: 'unlink', itemId }]))[0]);
    const afterUnlink = (await readAll('contact', watermark)).items.get(itemId);
    expect([linked.crmId, tracked.crmId, tracked.tracked, afterTrack?.crmId, afterTrack?.tracked]).toEqual([
      'crm-linked',
      'crm-linked',
      true,
      'crm-linked',
      true,
    ]);
    expect([unlinked.crmId, afterUnlink?.crmId, afterUnlink?.tracked]).toEqual([null, null, false]);
  });

  test('a deleted contact is removed in the next round', async () => {
    const [created] = await createContacts(1);
    const itemId = (created as OutlookSyncItem).itemId;
    const { watermark } = await readAll('contact', null);
    const [outcome] = await sync.applyWrites('contact', [{ kind: 'delete', itemId }]);
    const round = await readAll('contact', watermark);
    expect([outcome, round.removed.has(itemId)]).toEqual([{ itemId, ok: true, item: null }, true]);
  });

  test('progress is told once per $batch with the writes answered so far, the last time all of them', async () => {
    const count = 45;
    const told: number[] = [];
    const before = http.requestCount;
    const writes: OutlookSyncWrite[] = Array.from({ length: count }, () => {
      const crmId = ref();
      return { kind: 'create', ref: crmId, crmId, fields: { givenName: 'Pro', surname: crmId } };
    });
    await sync.applyWrites('contact', writes, (done) => told.push(done));
    expect(told).toHaveLength(http.requestCount - before);
    expect(told.length).toBeGreaterThan(1);
    expect(told).toEqual([...told].sort((a, b) => a - b));
    expect(told[told.length - 1]).toBe(count);
  });

  test("one write's failure is its own outcome; the others are made", async () => {
    const [created] = await createContacts(1);
    const outcomes = await sync.applyWrites('contact', [
      { kind: 'update', itemId: 'AAMkNoSuchContact', fields: { surname: 'Gone' } },
      { kind: 'update', itemId: (created as OutlookSyncItem).itemId, fields: { surname: 'Kept' } },
    ]);
    expect(outcomes[0]).toMatchObject({ ok: false, itemId: 'AAMkNoSuchContact' });
    expect(!outcomes[0]?.ok && outcomes[0]?.error).toBeInstanceOf(GraphNotFoundError);
    expect(ok(outcomes[1]).fields.surname).toBe('Kept');
  });

  test('a watermark Graph no longer knows restarts the round from scratch', async () => {
    const everything = await readAll('contact', null);
    const round = await readAll('contact', `${emu.url}/me/contacts/delta?$deltatoken=expired-token`);
    expect(round.restarted).toBe(true);
    expect([...round.items.keys()].sort()).toEqual([...everything.items.keys()].sort());
  });

  test('a watermark that is not a link of this Graph is never followed: the round restarts', async () => {
    const round = await sync.changes(
      'contact',
      'https://elsewhere.example/v1.0/me/contacts/delta?$deltatoken=x',
    );
    expect(round.restarted).toBe(true);
  });

  test('1,000 new contacts cost one delta request, 50 $batches of creates and the echo round of at most two pages', async () => {
    const { watermark } = await readAll('contact', null);
    const before = http.requestCount;
    await sync.changes('contact', watermark);
    await createContacts(1000);
    const echo = await readAll('contact', watermark);
    expect(echo.items.size).toBe(1000);
    expect(http.requestCount - before).toBeLessThanOrEqual(1 + 50 + 2);
  });

  test('a round read one page per call ends with the deltaLink and gives no contact twice', async () => {
    const everything = await readAll('contact', null);
    expect(everything.items.size).toBeGreaterThan(SYNC_PAGE_SIZE);
    const seen: string[] = [];
    let mark: string | null = null;
    let calls = 0;
    for (;;) {
      const changes = await sync.changes('contact', mark, { maxPages: 1 });
      calls += 1;
      seen.push(...changes.items.map((i) => i.itemId));
      mark = changes.watermark;
      if (changes.complete) break;
    }
    expect(calls).toBeGreaterThan(1);
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.length).toBe(everything.items.size);
  });
});

describe('calendar events', () => {
  const window = { start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z' };

  async function readEvents(watermark: string | null) {
    const items = new Map<string, OutlookSyncItem>();
    const removed = new Set<string>();
    let mark = watermark;
    for (;;) {
      const changes = await sync.changes('appointment', mark, mark === null ? { window } : {});
      for (const item of changes.items) items.set(item.itemId, item);
      for (const id of changes.removed) removed.add(id);
      mark = changes.watermark;
      if (changes.complete) return { items, removed, watermark: mark };
    }
  }

  test('a created event answers its UTC times, all-day days and link, and the next round reads them', async () => {
    const { watermark } = await readEvents(null);
    const outcomes = await sync.applyWrites('appointment', [
      {
        kind: 'create',
        ref: 'crm-appt-1',
        crmId: 'crm-appt-1',
        fields: {
          subject: 'Review',
          start: '2026-03-10T09:00:00Z',
          end: '2026-03-10T10:30:00Z',
          isAllDay: false,
          location: 'Room 4',
          body: 'Agenda',
          importance: 'high',
          showAs: 'tentative',
          requiredAttendees: ['ann@fabrikam.com'],
        },
      },
      {
        kind: 'create',
        ref: 'crm-appt-2',
        crmId: 'crm-appt-2',
        fields: {
          subject: 'Fair',
          start: '2026-03-12T00:00:00Z',
          end: '2026-03-14T00:00:00Z',
          isAllDay: true,
        },
      },
    ]);
    const [timed, allDay] = outcomes.map(ok);
    const round = await readEvents(watermark);
    expect(timed?.fields).toMatchObject({
      subject: 'Review',
      start: '2026-03-10T09:00:00Z',
      end: '2026-03-10T10:30:00Z',
      location: 'Room 4',
      importance: 'high',
      showAs: 'tentative',
      requiredAttendees: ['ann@fabrikam.com'],
    });
    expect(allDay?.fields).toMatchObject({
      start: '2026-03-12T00:00:00Z',
      end: '2026-03-14T00:00:00Z',
      isAllDay: true,
    });
    expect(round.items.get(timed?.itemId as string)).toMatchObject({ crmId: 'crm-appt-1', title: 'Review' });
    expect(round.items.get(allDay?.itemId as string)?.fields.isAllDay).toBe(true);
  });

  test('an appointment tracked from the ribbon is linked to its activity and tracked', async () => {
    const { watermark } = await readEvents(null);
    const tag = JSON.stringify({ tic: JSON.stringify({ a: 'activity-42', r: '' }) });
    const { body } = await http.send('POST', '/me/events', {
      idempotent: false,
      body: {
        subject: 'Tracked from the ribbon',
        start: { dateTime: '2026-04-01T09:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-04-01T10:00:00', timeZone: 'UTC' },
        singleValueExtendedProperties: [{ id: customPropertiesId(ADDIN_ID), value: tag }],
      },
    });
    const round = await readEvents(watermark);
    expect(round.items.get((body as { id: string }).id)).toMatchObject({
      crmId: 'activity-42',
      tracked: true,
    });
  });

  test('an update of the times alone keeps the event timed and moves it', async () => {
    const created = await createLinked('appointment', 'crm-appt-3', {
      subject: 'Move me',
      start: '2026-05-01T09:00:00Z',
      end: '2026-05-01T10:00:00Z',
      isAllDay: false,
    });
    const [moved] = await sync.applyWrites('appointment', [
      {
        kind: 'update',
        itemId: created.itemId as string,
        fields: { start: '2026-05-02T09:00:00Z', end: '2026-05-02T10:00:00Z' },
      },
    ]);
    expect(ok(moved)).toMatchObject({
      crmId: 'crm-appt-3',
      fields: {
        start: '2026-05-02T09:00:00Z',
        end: '2026-05-02T10:00:00Z',
        isAllDay: false,
        subject: 'Move me',
      },
    });
  });

  test('a quiet calendar round costs one delta request', async () => {
    const { watermark } = await readEvents(null);
    const before = http.requestCount;
    const again = await sync.changes('appointment', watermark);
    expect([http.requestCount - before, again.items.length]).toEqual([1, 0]);
  });

  test('a deleted event is removed in the next round', async () => {
    const created = await createLinked('appointment', 'crm-appt-4', {
      subject: 'Cancel me',
      start: '2026-06-01T09:00:00Z',
      end: '2026-06-01T10:00:00Z',
      isAllDay: false,
    });
    const { watermark } = await readEvents(null);
    await sync.applyWrites('appointment', [{ kind: 'delete', itemId: created.itemId as string }]);
    expect((await readEvents(watermark)).removed.has(created.itemId as string)).toBe(true);
  });
});

describe('To Do tasks', () => {
  test('a created task carries its link as a linkedResource and is read back with it', async () => {
    const { watermark } = await readAll('task', null);
    const [outcome] = await sync.applyWrites('task', [
      {
        kind: 'create',
        ref: 'crm-task-1',
        crmId: 'crm-task-1',
        fields: {
          title: 'Call back',
          body: 'About the quote',
          dueDate: '2026-02-03',
          importance: 'high',
          status: 'inProgress',
        },
      },
    ]);
    const created = ok(outcome);
    const { body } = await http.send('GET', `${emu.url}/me/todo/lists`, { idempotent: true });
    const listId = (
      (body as { value: { id: string; wellknownListName: string }[] }).value.find(
        (l) => l.wellknownListName === 'defaultList',
      ) as { id: string }
    ).id;
    const links = await http.all(
      `/me/todo/lists/${encodeURIComponent(listId)}/tasks/${encodeURIComponent(created.itemId)}/linkedResources`,
    );
    const round = await readAll('task', watermark);
    expect(created).toMatchObject({
      crmId: 'crm-task-1',
      fields: {
        title: 'Call back',
        body: 'About the quote',
        dueDate: '2026-02-03',
        importance: 'high',
        status: 'inProgress',
      },
    });
    expect(links).toEqual([
      expect.objectContaining({ applicationName: LINK_APPLICATION, externalId: 'crm-task-1' }),
    ]);
    expect(round.items.get(created.itemId)?.crmId).toBe('crm-task-1');
  });

  test('unlink deletes the linkedResource and link adds it again', async () => {
    const created = await createLinked('task', 'crm-task-2', { title: 'Relink me' });
    const itemId = created.itemId as string;
    const unlinked = ok((await sync.applyWrites('task', [{ kind: 'unlink', itemId }]))[0]);
    const relinked = ok(
      (await sync.applyWrites('task', [{ kind: 'link', itemId, crmId: 'crm-task-9', tracked: false }]))[0],
    );
    expect([unlinked.crmId, relinked.crmId]).toEqual([null, 'crm-task-9']);
  });

  test('an update of status and due date answers the task with its link', async () => {
    const created = await createLinked('task', 'crm-task-3', { title: 'Finish' });
    const [updated] = await sync.applyWrites('task', [
      {
        kind: 'update',
        itemId: created.itemId as string,
        fields: { status: 'completed', dueDate: '2026-03-01' },
      },
    ]);
    expect(ok(updated)).toMatchObject({
      crmId: 'crm-task-3',
      fields: { title: 'Finish', status: 'completed', dueDate: '2026-03-01' },
    });
  });

  test('a quiet To Do round costs one delta request', async () => {
    const { watermark } = await readAll('task', null);
    const before = http.requestCount;
    await sync.changes('task', watermark);
    expect(http.requestCount - before).toBe(1);
  });
});

describe('faults', () => {
  test('a create throttled inside its $batch is waited out and made once', async () => {
    const { watermark } = await readAll('contact', null);
    emu.faults.add({
      match: { method: 'POST', pathContains: '/me/contacts' },
      status: 429,
      retryAfter: 2,
      count: 1,
    });
    const [created] = await createContacts(1);
    const round = await readAll('contact', watermark);
    expect(waits).toEqual([2000]);
    expect([...round.items.values()].filter((i) => i.crmId === created?.crmId)).toHaveLength(1);
  });

  test('an update answered 503 is not repeated and is its typed error', async () => {
    const [created] = await createContacts(1);
    emu.faults.add({ match: { method: 'PATCH', pathContains: '/me/contacts/' }, status: 503, count: 1 });
    const [outcome] = await sync.applyWrites('contact', [
      { kind: 'update', itemId: (created as OutlookSyncItem).itemId, fields: { surname: 'Later' } },
    ]);
    expect(!outcome?.ok && outcome?.error).toBeInstanceOf(GraphUnavailableError);
  });
});

describe('optimistic concurrency (changeKey as If-Match)', () => {
  test('a contact update carrying the changeKey it was read with is made', async () => {
    const [created] = await createContacts(1);
    const item = created as OutlookSyncItem;
    const [outcome] = await sync.applyWrites('contact', [
      {
        kind: 'update',
        itemId: item.itemId,
        fields: { jobTitle: 'Buyer' },
        changeKey: item.changeKey as string,
      },
    ]);
    expect(ok(outcome).fields.jobTitle).toBe('Buyer');
  });

  test('a contact update carrying an older changeKey is a GraphConflictError outcome and changes nothing', async () => {
    const [created] = await createContacts(1, { jobTitle: 'Buyer' });
    const item = created as OutlookSyncItem;
    await sync.applyWrites('contact', [
      { kind: 'update', itemId: item.itemId, fields: { jobTitle: 'Owner' } },
    ]);
    const [outcome] = await sync.applyWrites('contact', [
      {
        kind: 'update',
        itemId: item.itemId,
        fields: { jobTitle: 'Stale' },
        changeKey: item.changeKey as string,
      },
    ]);
    const round = await readAll('contact', null);
    expect(!outcome?.ok && outcome?.error).toBeInstanceOf(GraphConflictError);
    expect(round.items.get(item.itemId)?.fields.jobTitle).toBe('Owner');
  });

  test('an event update carrying an older changeKey is a GraphConflictError outcome', async () => {
    const created = await createLinked('appointment', 'crm-appt-cc', {
      subject: 'Twice',
      start: '2026-07-01T09:00:00Z',
      end: '2026-07-01T10:00:00Z',
      isAllDay: false,
    });
    const item = created as OutlookSyncItem;
    await sync.applyWrites('appointment', [
      { kind: 'update', itemId: item.itemId, fields: { subject: 'Moved' } },
    ]);
    const [outcome] = await sync.applyWrites('appointment', [
      {
        kind: 'update',
        itemId: item.itemId,
        fields: { subject: 'Stale' },
        changeKey: item.changeKey as string,
      },
    ]);
    expect(!outcome?.ok && outcome?.error).toBeInstanceOf(GraphConflictError);
  });

  test('a To Do task update sends no If-Match, whatever changeKey it carries (To Do has none)', async () => {
    const created = await createLinked('task', 'crm-task-cc', { title: 'No key' });
    const sent: GraphBatchRequest[] = [];
    const batch = http.batch.bind(http);
    jest.spyOn(http, 'batch').mockImplementation(async (requests) => {
      sent.push(...requests);
      return batch(requests);
    });
    const [outcome] = await sync.applyWrites('task', [
      {
        kind: 'update',
        itemId: (created as OutlookSyncItem).itemId,
        fields: { title: 'Made' },
        changeKey: 'old',
      },
    ]);
    const patch = sent.find((r) => r.method === 'PATCH');
    expect([ok(outcome).fields.title, Object.keys(patch?.headers ?? {})]).toEqual(['Made', []]);
  });
});

describe('CRM ids in links are lower-cased', () => {
  test('a task created for an upper-case CRM id carries it lower-cased in its linkedResource', async () => {
    const [outcome] = await sync.applyWrites('task', [
      { kind: 'create', ref: 'CRM-TASK-UP', crmId: 'CRM-TASK-UP', fields: { title: 'Upper' } },
    ]);
    const created = ok(outcome);
    const round = await readAll('task', null);
    expect([created.crmId, round.items.get(created.itemId)?.crmId]).toEqual(['crm-task-up', 'crm-task-up']);
  });

  test('a contact linked to an upper-case CRM id reads back linked to it lower-cased', async () => {
    const [created] = await createContacts(1);
    const itemId = (created as OutlookSyncItem).itemId;
    await sync.applyWrites('contact', [{ kind: 'link', itemId, crmId: 'ABC-DEF', tracked: false }]);
    const round = await readAll('contact', null);
    expect(round.items.get(itemId)?.crmId).toBe('abc-def');
  });
});

describe("the user's time zone", () => {
  const window = { start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z' };
  let berlin: GraphSync;
  beforeEach(() => {
    berlin = new GraphSync({
      http,
      addinId: ADDIN_ID,
      timeZone: 'Europe/Berlin',
      log: (l) => logged.push(l),
    });
  });

  test("an all-day event is written at midnight of its days in the user's zone", async () => {
    const [outcome] = await berlin.applyWrites('appointment', [
      {
        kind: 'create',
        ref: 'crm-allday-b',
        crmId: 'crm-allday-b',
        fields: {
          subject: 'Fair',
          start: '2026-01-10T00:00:00Z',
          end: '2026-01-11T00:00:00Z',
          isAllDay: true,
        },
      },
    ]);
    const { body } = await http.send('GET', `/me/events/${encodeURIComponent(ok(outcome).itemId)}`, {
      idempotent: true,
    });
    expect((body as { start: unknown }).start).toEqual({
      dateTime: '2026-01-09T23:00:00.0000000',
      timeZone: 'UTC',
    });
  });

  test('an all-day event answered in UTC reads back as the days it was written on', async () => {
    const { watermark } = await berlin.changes('appointment', null, { window });
    const [outcome] = await berlin.applyWrites('appointment', [
      {
        kind: 'create',
        ref: 'crm-allday-c',
        crmId: 'crm-allday-c',
        fields: {
          subject: 'Fair',
          start: '2026-01-12T00:00:00Z',
          end: '2026-01-14T00:00:00Z',
          isAllDay: true,
        },
      },
    ]);
    const created = ok(outcome);
    const round = await berlin.changes('appointment', watermark);
    const read = round.items.find((i) => i.itemId === created.itemId);
    expect([read?.fields.start, read?.fields.end]).toEqual(['2026-01-12T00:00:00Z', '2026-01-14T00:00:00Z']);
  });

  test("a task's due date is written at midnight in the user's zone and read back as that date", async () => {
    const [outcome] = await berlin.applyWrites('task', [
      {
        kind: 'create',
        ref: 'crm-due-b',
        crmId: 'crm-due-b',
        fields: { title: 'Due', dueDate: '2026-02-03' },
      },
    ]);
    const round = await readAll('task', null, berlin);
    expect([ok(outcome).fields.dueDate, round.items.get(ok(outcome).itemId)?.fields.dueDate]).toEqual([
      '2026-02-03',
      '2026-02-03',
    ]);
  });
});

describe('events read again one by one', () => {
  const window = { start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z' };
  const create = async (crmId: string, subject: string): Promise<OutlookSyncItem> =>
    ok(
      (
        await sync.applyWrites('appointment', [
          {
            kind: 'create',
            ref: crmId,
            crmId,
            fields: { subject, start: '2026-08-01T09:00:00Z', end: '2026-08-01T10:00:00Z', isAllDay: false },
          },
        ])
      )[0],
    );

  test("one event's failed read leaves it out of the round and is logged; the others are given", async () => {
    const { watermark } = await sync.changes('appointment', null, { window });
    const failing = await create('crm-fail-1', 'Unreadable');
    const fine = await create('crm-fail-2', 'Readable');
    emu.faults.add({
      match: { method: 'GET', pathContains: `/me/events/${failing.itemId}` },
      status: 403,
      count: 1,
    });
    const round = await sync.changes('appointment', watermark);
    const ids = round.items.map((i) => i.itemId);
    expect([ids.includes(fine.itemId), ids.includes(failing.itemId)]).toEqual([true, false]);
    expect(logged.some((l) => l.includes(failing.itemId))).toBe(true);
  });

  test('occurrences, exceptions and series masters are left out of the items', async () => {
    const { watermark } = await sync.changes('appointment', null, { window });
    const single = await create('crm-single', 'Single');
    const masters = await Promise.all([
      create('crm-occ', 'Occurrence'),
      create('crm-exc', 'Exception'),
      create('crm-master', 'Series'),
    ]);
    const types = new Map(masters.map((m, i) => [m.itemId, ['occurrence', 'exception', 'seriesMaster'][i]]));
    // Graph's answers as they would be for a series (the emulator keeps single events only).
    const retype = (json: unknown): unknown => {
      const e = json as { id?: string } | null;
      return e?.id && types.has(e.id) ? { ...e, type: types.get(e.id) } : json;
    };
    const page = http.page.bind(http);
    jest.spyOn(http, 'page').mockImplementation(async (...args) => {
      const answer = await page(...args);
      return { ...answer, value: answer.value.map(retype) };
    });
    const batch = http.batch.bind(http);
    jest
      .spyOn(http, 'batch')
      .mockImplementation(async (requests) =>
        (await batch(requests)).map((r: GraphBatchResponse) => ({ ...r, body: retype(r.body) })),
      );
    const round = await sync.changes('appointment', watermark);
    expect(round.items.map((i) => i.itemId)).toEqual([single.itemId]);
  });
});

describe('the demo mailbox', () => {
  let demo: GraphEmulator;
  let demoSync: GraphSync;

  beforeAll(async () => {
    demo = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'demo.sqlite'), seed: 'demo' });
  });

  beforeEach(() => {
    demoSync = new GraphSync({
      http: new GraphHttp({ baseUrl: demo.url, tokens: EMULATOR_TOKEN }),
      addinId: ADDIN_ID,
    });
  });

  afterAll(async () => {
    await demo?.close();
  });

  test('the contact the user tracked reads as tracked and not linked, with its fields', async () => {
    const { items } = await readAll('contact', null, demoSync);
    expect(items.get(DEMO_ITEM_IDS.nora)).toMatchObject({
      crmId: null,
      tracked: true,
      emails: ['nora.quinn@fabrikam.com'],
      fields: { givenName: 'Nora', surname: 'Quinn', companyName: 'Fabrikam', businessCity: 'Redmond' },
    });
    expect(items.get(DEMO_ITEM_IDS.ann)).toMatchObject({ crmId: null, tracked: false });
  });

  test('the demo meeting is in the default window and the demo task in the default list', async () => {
    const events = await readAll('appointment', null, demoSync);
    const tasks = await readAll('task', null, demoSync);
    expect([events.items.has(DEMO_ITEM_IDS.meeting), tasks.items.has(DEMO_ITEM_IDS.task)]).toEqual([
      true,
      true,
    ]);
  });
});
