/**
 * The Graph emulator's contacts, calendar events and To Do tasks held to Graph v1.0's documented
 * behaviour (contact, event, todoTask and linkedResource resource types; contact/event/todoTask delta;
 * calendarView), driven through Microsoft's own JavaScript client, @microsoft/microsoft-graph-client,
 * and plain fetch where the client hides what is checked (raw error bodies, headers).
 *
 * As in graph-emulator.test.ts, the client is pointed at https://graph.microsoft.com and its last
 * middleware forwards to the emulator with X-Forwarded-Host/-Proto, so links name Graph's host and
 * the client's own paging, retrying and batching run as they do against Graph.
 */
import { BatchRequestContent, BatchResponseContent, Client } from '@microsoft/microsoft-graph-client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CRM_LINK_PROPERTY, DEMO_ITEM_IDS } from '../../emulator/graph/seedItems';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import { OutlookItemsClient, OutlookItemsError } from '../../workbench/outlookItems';
import {
  GRAPH,
  graphError,
  rawGraphRequest,
  startGraphClientOnEmulator,
  type ForwardToEmulator,
  type GraphClientOnEmulator,
} from '../support/graphClientOnEmulator';

interface Item {
  id: string;
  changeKey?: string;
  '@odata.etag'?: string;
  '@removed'?: { reason: string };
  singleValueExtendedProperties?: { id: string; value: string }[];
  [name: string]: unknown;
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

let emu: GraphEmulator;
let client: Client;
let transport: ForwardToEmulator;
let graph: GraphClientOnEmulator | undefined;
const origin = (): string => emu.url.replace(/\/v1\.0$/, '');

beforeAll(async () => {
  graph = await startGraphClientOnEmulator('graph-sync', 1);
  ({ emu, client, transport } = graph);
});

afterAll(async () => {
  await graph?.close();
});

afterEach(() => emu.faults.clear());

interface RawBody {
  error?: { code: string; message: string };
  responses?: { id: string; status: number; headers: Record<string, string>; body?: Item }[];
  [name: string]: unknown;
}

/** Plain fetch, as the add-in's pane would send it. */
function raw(
  method: string,
  pathAndQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: RawBody }> {
  return rawGraphRequest<RawBody>(emu.url, method, pathAndQuery, body, headers);
}

/** One delta round from `start` (a path or a link) to its deltaLink. */
async function deltaRound(
  start: string,
  pageSize?: number,
): Promise<{ items: Item[]; deltaLink: string; pages: number }> {
  const items: Item[] = [];
  let link: string | undefined = start;
  let pages = 0;
  for (;;) {
    const request = client.api(link);
    if (pageSize) request.header('Prefer', `odata.maxpagesize=${pageSize}`);
    const page = (await request.get()) as Page<Item>;
    pages += 1;
    items.push(...page.value);
    if (page['@odata.deltaLink']) return { items, deltaLink: page['@odata.deltaLink'], pages };
    link = page['@odata.nextLink'];
    if (!link) throw new Error('a delta page without nextLink or deltaLink');
  }
}

const enc = encodeURIComponent;
const expandLink = `singleValueExtendedProperties($filter=id eq '${CRM_LINK_PROPERTY}')`;
const removedIds = (items: readonly Item[]): string[] => items.filter((i) => i['@removed']).map((i) => i.id);
const presentIds = (items: readonly Item[]): string[] => items.filter((i) => !i['@removed']).map((i) => i.id);

async function newContact(body: Record<string, unknown>): Promise<Item> {
  return (await client.api('/me/contacts').post(body)) as Item;
}

async function newEvent(body: Record<string, unknown>): Promise<Item> {
  return (await client.api('/me/events').post(body)) as Item;
}

const utc = (dateTime: string): DateTimeTimeZone => ({ dateTime, timeZone: 'UTC' });

async function taskListId(): Promise<string> {
  const lists = (await client.api('/me/todo/lists').get()) as Page<Item>;
  return (lists.value[0] as Item).id;
}

describe('contacts (contact resource type)', () => {
  test('the demo seed has three contacts; only Nora Quinn carries the tic-crm-link property, tracked', async () => {
    const page = (await client.api('/me/contacts').expand(expandLink).get()) as Page<Item>;
    expect(page.value.map((c) => c.id).sort()).toEqual(
      [DEMO_ITEM_IDS.nora, DEMO_ITEM_IDS.ann, DEMO_ITEM_IDS.lena].sort(),
    );
    const linked = page.value.filter((c) => c.singleValueExtendedProperties);
    expect(linked.map((c) => c.displayName)).toEqual(['Nora Quinn']);
    expect(JSON.parse(linked[0]?.singleValueExtendedProperties?.[0]?.value ?? 'null')).toEqual({
      crmId: null,
      tracked: true,
    });
  });

  test('POST answers 201 with the contact, its changeKey and etag; displayName is generated when not given', async () => {
    const created = await newContact({
      givenName: 'Pavel',
      middleName: 'J.',
      surname: 'Bansky',
      generation: 'Jr.',
      emailAddresses: [{ address: 'pavel@contoso.example' }],
      businessPhones: ['+1 732 555 0102'],
    });
    expect(created.displayName).toBe('Pavel J. Bansky Jr.');
    expect(created['@odata.etag']).toBe(`W/"${created.changeKey}"`);
    expect(created.emailAddresses).toEqual([
      { name: 'pavel@contoso.example', address: 'pavel@contoso.example' },
    ]);
    expect(created.parentFolderId).toEqual(expect.any(String));
  });

  test('a given displayName is kept; a PATCH of a name part without displayName generates it again', async () => {
    const created = await newContact({
      givenName: 'Ada',
      surname: 'Byron',
      displayName: 'Countess Lovelace',
    });
    expect(created.displayName).toBe('Countess Lovelace');
    const renamed = (await client.api(`/me/contacts/${enc(created.id)}`).patch({ surname: 'King' })) as Item;
    expect(renamed.displayName).toBe('Ada King');
    const retitled = (await client
      .api(`/me/contacts/${enc(created.id)}`)
      .patch({ givenName: 'Augusta', displayName: 'Ada' })) as Item;
    expect(retitled.displayName).toBe('Ada');
  });

  test('PATCH answers 200 with the contact and a new changeKey; every synchronized field round-trips', async () => {
    const created = await newContact({ givenName: 'Rui', surname: 'Costa' });
    const fields = {
      title: 'Dr.',
      nickName: 'Ruizinho',
      jobTitle: 'CFO',
      department: 'Finance',
      companyName: 'Northwind',
      mobilePhone: '+351 21 555 0100',
      homePhones: ['+351 21 555 0199'],
      businessAddress: {
        street: 'Rua Augusta 1',
        city: 'Lisboa',
        state: 'Lisboa',
        postalCode: '1100-048',
        countryOrRegion: 'Portugal',
      },
      businessHomePage: 'https://northwind.example',
      birthday: '1980-05-17T00:00:00Z',
      spouseName: 'Ana',
      assistantName: 'Joana',
      personalNotes: 'Met at the Lisbon fair.',
      categories: ['Blue category'],
    };
    const patched = (await client.api(`/me/contacts/${enc(created.id)}`).patch(fields)) as Item;
    expect(patched.changeKey).not.toBe(created.changeKey);
    expect(patched).toMatchObject(fields);
    expect((await client.api(`/me/contacts/${enc(created.id)}`).get()) as Item).toMatchObject(fields);
  });

  test('a read-only or unknown property is 400 and changes nothing', async () => {
    const created = await newContact({ givenName: 'Kim' });
    const readOnly = await raw('PATCH', `/me/contacts/${enc(created.id)}`, {
      changeKey: 'x',
      givenName: 'Kit',
    });
    expect([readOnly.status, readOnly.json.error?.code]).toEqual([400, 'ErrorInvalidPropertyRequest']);
    const unknown = await raw('PATCH', `/me/contacts/${enc(created.id)}`, { shoeSize: 9 });
    expect([unknown.status, unknown.json.error?.code]).toEqual([400, 'RequestBodyRead']);
    expect(((await client.api(`/me/contacts/${enc(created.id)}`).get()) as Item).changeKey).toBe(
      created.changeKey,
    );
  });

  test('If-Match with the current etag writes; an older one is 412 ErrorIrresolvableConflict and changes nothing', async () => {
    const created = await newContact({ givenName: 'Lee' });
    const first = (await client
      .api(`/me/contacts/${enc(created.id)}`)
      .header('If-Match', created['@odata.etag'] as string)
      .patch({ jobTitle: 'Buyer' })) as Item;
    const stale = await graphError(
      client
        .api(`/me/contacts/${enc(created.id)}`)
        .header('If-Match', created['@odata.etag'] as string)
        .patch({ jobTitle: 'Seller' }),
    );
    expect([stale.statusCode, stale.code]).toEqual([412, 'ErrorIrresolvableConflict']);
    expect(((await client.api(`/me/contacts/${enc(created.id)}`).get()) as Item).jobTitle).toBe(
      first.jobTitle,
    );
  });

  test('DELETE answers 204; the contact is then 404 ErrorItemNotFound', async () => {
    const created = await newContact({ givenName: 'Temp' });
    const res = await raw('DELETE', `/me/contacts/${enc(created.id)}`);
    expect(res.status).toBe(204);
    const gone = await graphError(client.api(`/me/contacts/${enc(created.id)}`).get());
    expect([gone.statusCode, gone.code]).toEqual([404, 'ErrorItemNotFound']);
  });

  test('an extended property written by POST or PATCH is read back by $expand and found by $filter', async () => {
    const created = await newContact({ givenName: 'Omar' });
    const value = JSON.stringify({ crmId: 'b1a2c3d4-0000-0000-0000-000000000001', tracked: false });
    // The id in another spelling (GUID upper case) names the same property.
    await client.api(`/me/contacts/${enc(created.id)}`).patch({
      singleValueExtendedProperties: [{ id: CRM_LINK_PROPERTY.replace('c000', 'C000'), value }],
    });
    const read = (await client
      .api(`/me/contacts/${enc(created.id)}`)
      .expand(expandLink)
      .get()) as Item;
    expect(read.singleValueExtendedProperties).toEqual([
      { id: 'String {00020329-0000-0000-c000-000000000046} Name tic-crm-link', value },
    ]);
    const found = (await client
      .api('/me/contacts')
      .filter(
        `singleValueExtendedProperties/any(ep:ep/id eq '${CRM_LINK_PROPERTY}' and ep/value eq '${value}')`,
      )
      .get()) as Page<Item>;
    expect(found.value.map((c) => c.id)).toEqual([created.id]);
  });

  test('$select returns the named properties plus id and etag; an unknown one is 400', async () => {
    const page = (await client.api('/me/contacts').select('givenName,surname').top(1).get()) as Page<Item>;
    expect(Object.keys(page.value[0] as Item).sort()).toEqual(['@odata.etag', 'givenName', 'id', 'surname']);
    const bad = await graphError(client.api('/me/contacts').select('shoeSize').get());
    expect(bad.statusCode).toBe(400);
  });

  test('/me/contactFolders lists the child folders of Contacts; the default folder answers by id and as contacts', async () => {
    const children = (await client.api('/me/contactFolders').get()) as Page<Item>;
    expect(children.value).toEqual([]);
    const nora = (await client.api(`/me/contacts/${enc(DEMO_ITEM_IDS.nora)}`).get()) as Item;
    const folder = (await client
      .api(`/me/contactFolders/${enc(nora.parentFolderId as string)}`)
      .get()) as Item;
    const byName = (await client.api('/me/contactFolders/contacts').get()) as Item;
    expect([folder.displayName, byName.id]).toEqual(['Contacts', folder.id]);
    const inFolder = (await client
      .api(`/me/contactFolders/${enc(folder.id)}/contacts`)
      .top(1000)
      .get()) as Page<Item>;
    const all = (await client.api('/me/contacts').top(1000).get()) as Page<Item>;
    expect(inFolder.value.map((c) => c.id)).toEqual(all.value.map((c) => c.id));
  });
});

describe('contact delta (contact: delta)', () => {
  test('a first round pages every contact once; the next has the created, the changed and the removed; then none', async () => {
    const folder = ((await client.api('/me/contactFolders/contacts').get()) as Item).id;
    const start = `/me/contactFolders/${enc(folder)}/contacts/delta`;
    const first = await deltaRound(start, 2);
    const all = (await client.api('/me/contacts').top(1000).get()) as Page<Item>;
    expect(first.items.map((c) => c.id).sort()).toEqual(all.value.map((c) => c.id).sort());
    expect(first.pages).toBe(Math.ceil(all.value.length / 2));

    const created = await newContact({ givenName: 'Delta', surname: 'New' });
    const changed = await newContact({ givenName: 'Delta', surname: 'Changed' });
    const removed = await newContact({ givenName: 'Delta', surname: 'Removed' });
    const between = await deltaRound(first.deltaLink);
    expect(presentIds(between.items).sort()).toEqual([created.id, changed.id, removed.id].sort());

    await client.api(`/me/contacts/${enc(changed.id)}`).patch({ jobTitle: 'Tester' });
    await client.api(`/me/contacts/${enc(removed.id)}`).delete();
    const second = await deltaRound(between.deltaLink);
    expect(presentIds(second.items)).toEqual([changed.id]);
    expect(second.items.find((c) => c.id === changed.id)?.jobTitle).toBe('Tester');
    expect(removedIds(second.items)).toEqual([removed.id]);
    expect(second.items.find((c) => c.id === removed.id)?.['@removed']).toEqual({ reason: 'deleted' });

    const third = await deltaRound(second.deltaLink);
    expect(third.items).toEqual([]);
  });

  test("/me/contacts/delta is the default folder's delta, and carries $select and $expand into later rounds", async () => {
    const first = await deltaRound(`/me/contacts/delta?$select=displayName&$expand=${enc(expandLink)}`);
    expect(first.items.find((c) => c.id === DEMO_ITEM_IDS.nora)?.singleValueExtendedProperties).toHaveLength(
      1,
    );
    await client.api(`/me/contacts/${enc(DEMO_ITEM_IDS.ann)}`).patch({ department: 'Sales' });
    const next = await deltaRound(first.deltaLink);
    const ann = next.items.find((c) => c.id === DEMO_ITEM_IDS.ann) as Item;
    expect(Object.keys(ann).sort()).toEqual(['@odata.etag', '@odata.type', 'displayName', 'id']);
  });

  test('Prefer: odata.maxpagesize is answered with Preference-Applied', async () => {
    const res = await raw('GET', '/me/contacts/delta', undefined, { Prefer: 'odata.maxpagesize=1' });
    expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=1');
    expect(res.json.value).toHaveLength(1);
    expect(res.json['@odata.nextLink']).toEqual(expect.stringContaining('$skiptoken='));
  });

  test('a token the emulator never issued, or one of another collection, is 410 SyncStateNotFound', async () => {
    const bogus = await raw('GET', '/me/contacts/delta?$deltatoken=nonsense');
    expect([bogus.status, bogus.json.error?.code]).toEqual([410, 'SyncStateNotFound']);
    const tasksRound = await deltaRound(`/me/todo/lists/${enc(await taskListId())}/tasks/delta`);
    const token = new URL(tasksRound.deltaLink).searchParams.get('$deltatoken') as string;
    const crossed = await raw('GET', `/me/contacts/delta?$deltatoken=${enc(token)}`);
    expect(crossed.status).toBe(410);
  });
});

describe('events (event resource type)', () => {
  test('POST answers 201; times come back in UTC, and in the zone of Prefer: outlook.timezone', async () => {
    const created = await newEvent({
      subject: 'Pacific review',
      start: { dateTime: '2027-01-20T09:00:00', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2027-01-20T10:00:00', timeZone: 'Pacific Standard Time' },
    });
    expect([created.start, created.end]).toEqual([
      { dateTime: '2027-01-20T17:00:00.0000000', timeZone: 'UTC' },
      { dateTime: '2027-01-20T18:00:00.0000000', timeZone: 'UTC' },
    ]);
    expect(created.originalStartTimeZone).toBe('Pacific Standard Time');
    const res = await raw('GET', `/me/events/${enc(created.id)}`, undefined, {
      Prefer: 'outlook.timezone="W. Europe Standard Time"',
    });
    expect(res.json.start).toEqual({
      dateTime: '2027-01-20T18:00:00.0000000',
      timeZone: 'W. Europe Standard Time',
    });
    expect(res.headers.get('preference-applied')).toBe('outlook.timezone="W. Europe Standard Time"');
  });

  test('Windows and IANA names are both read, summer time included; an unknown zone is 400', async () => {
    const eastern = await newEvent({
      subject: 'Eastern',
      start: { dateTime: '2027-07-01T09:00:00', timeZone: 'Eastern Standard Time' },
      end: { dateTime: '2027-07-01T09:30:00', timeZone: 'America/New_York' },
    });
    expect([
      (eastern.start as DateTimeTimeZone).dateTime,
      (eastern.end as DateTimeTimeZone).dateTime,
    ]).toEqual(['2027-07-01T13:00:00.0000000', '2027-07-01T13:30:00.0000000']);
    const bad = await raw('POST', '/me/events', {
      subject: 'Nowhere',
      start: { dateTime: '2027-07-01T09:00:00', timeZone: 'Atlantis Standard Time' },
      end: { dateTime: '2027-07-01T10:00:00', timeZone: 'UTC' },
    });
    expect(bad.status).toBe(400);
  });

  test('an all-day event must start and end at midnight in its zone: otherwise 400 ErrorPropertyValidationFailure', async () => {
    const allDay = await newEvent({
      subject: 'Offsite',
      isAllDay: true,
      start: { dateTime: '2027-02-01T00:00:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2027-02-02T00:00:00', timeZone: 'W. Europe Standard Time' },
    });
    expect(allDay.isAllDay).toBe(true);
    const notMidnight = await raw('POST', '/me/events', {
      subject: 'Offsite',
      isAllDay: true,
      start: utc('2027-02-01T08:00:00'),
      end: utc('2027-02-02T00:00:00'),
    });
    expect([notMidnight.status, notMidnight.json.error?.code]).toEqual([
      400,
      'ErrorPropertyValidationFailure',
    ]);
    const patched = await raw('PATCH', `/me/events/${enc(allDay.id)}`, {
      start: { dateTime: '2027-02-01T09:00:00', timeZone: 'W. Europe Standard Time' },
    });
    expect(patched.status).toBe(400);
  });

  test('an end before the start is 400 ErrorPropertyValidationFailure', async () => {
    const res = await raw('POST', '/me/events', {
      subject: 'Backwards',
      start: utc('2027-03-01T10:00:00'),
      end: utc('2027-03-01T09:00:00'),
    });
    expect([res.status, res.json.error?.code]).toEqual([400, 'ErrorPropertyValidationFailure']);
  });

  test('PATCH changes the event (new changeKey); attendees, location, showAs, importance round-trip', async () => {
    const created = await newEvent({
      subject: 'Plan',
      start: utc('2027-04-01T10:00:00'),
      end: utc('2027-04-01T11:00:00'),
    });
    const fields = {
      subject: 'Plan (moved)',
      location: { displayName: 'Room 4' },
      importance: 'high',
      showAs: 'tentative',
      categories: ['Green category'],
      body: { contentType: 'text', content: 'Agenda' },
    };
    const patched = (await client.api(`/me/events/${enc(created.id)}`).patch({
      ...fields,
      attendees: [
        { type: 'required', emailAddress: { name: 'Ann Smith', address: 'ann@fabrikam.com' } },
        { type: 'optional', emailAddress: { address: 'raj.patel@fabrikam.com' } },
      ],
    })) as Item;
    expect(patched.changeKey).not.toBe(created.changeKey);
    expect(patched).toMatchObject({ ...fields, location: expect.objectContaining(fields.location) });
    expect(patched.attendees).toEqual([
      {
        type: 'required',
        emailAddress: { name: 'Ann Smith', address: 'ann@fabrikam.com' },
        status: expect.objectContaining({ response: 'none' }),
      },
      {
        type: 'optional',
        emailAddress: { name: 'raj.patel@fabrikam.com', address: 'raj.patel@fabrikam.com' },
        status: expect.objectContaining({ response: 'none' }),
      },
    ]);
    expect(patched.organizer).toEqual({ emailAddress: { name: 'Megan Bowen', address: 'me@contoso.com' } });
  });

  test('If-Match on an event: a stale etag is 412 and changes nothing; extended properties are written and expanded', async () => {
    const created = await newEvent({
      subject: 'Linked',
      start: utc('2027-04-02T10:00:00'),
      end: utc('2027-04-02T11:00:00'),
    });
    const value = JSON.stringify({ crmId: 'a0000000-0000-0000-0000-000000000002', tracked: true });
    await client
      .api(`/me/events/${enc(created.id)}`)
      .header('If-Match', created['@odata.etag'] as string)
      .patch({ singleValueExtendedProperties: [{ id: CRM_LINK_PROPERTY, value }] });
    const stale = await raw(
      'PATCH',
      `/me/events/${enc(created.id)}`,
      { subject: 'Lost' },
      {
        'If-Match': created['@odata.etag'] as string,
      },
    );
    expect([stale.status, stale.json.error?.code]).toEqual([412, 'ErrorIrresolvableConflict']);
    const read = (await client
      .api(`/me/events/${enc(created.id)}`)
      .expand(expandLink)
      .get()) as Item;
    expect([read.subject, read.singleValueExtendedProperties?.[0]?.value]).toEqual(['Linked', value]);
  });

  test('DELETE answers 204; the event is then 404', async () => {
    const created = await newEvent({
      subject: 'Gone',
      start: utc('2027-04-03T10:00:00'),
      end: utc('2027-04-03T11:00:00'),
    });
    expect((await raw('DELETE', `/me/events/${enc(created.id)}`)).status).toBe(204);
    expect((await raw('GET', `/me/events/${enc(created.id)}`)).status).toBe(404);
  });

  test('a recurrence is refused: the emulator keeps single events only', async () => {
    const res = await raw('POST', '/me/events', {
      subject: 'Weekly',
      start: utc('2027-04-05T10:00:00'),
      end: utc('2027-04-05T11:00:00'),
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] } },
    });
    expect(res.status).toBe(400);
  });
});

describe('lists and ids', () => {
  test('GET /me/events lists every event of the calendar, whatever its date', async () => {
    const far = await newEvent({
      subject: 'Far',
      start: utc('2031-01-01T10:00:00'),
      end: utc('2031-01-01T11:00:00'),
    });
    const all = (await client.api('/me/events').top(1000).get()) as Page<Item>;
    expect(all.value.map((e) => e.id)).toEqual(expect.arrayContaining([far.id, DEMO_ITEM_IDS.meeting]));
  });

  test('an id that cannot be an Exchange id is 400 ErrorInvalidIdMalformed; one that is not there is 404', async () => {
    const malformed = await raw('GET', '/me/contacts/nope');
    expect([malformed.status, malformed.json.error?.code]).toEqual([400, 'ErrorInvalidIdMalformed']);
    const missing = await raw('GET', `/me/events/AAMkAD${'n'.repeat(40)}AAA=`);
    expect([missing.status, missing.json.error?.code]).toEqual([404, 'ErrorItemNotFound']);
  });

  test('$orderby is refused on these lists (400), not silently ignored', async () => {
    expect((await raw('GET', '/me/contacts?$orderby=displayName')).status).toBe(400);
  });
});

describe('calendarView', () => {
  test('lists the events that overlap the window, by start; the demo meeting is in the week after the seed', async () => {
    const inside = await newEvent({
      subject: 'Inside',
      start: utc('2028-05-02T10:00:00'),
      end: utc('2028-05-02T11:00:00'),
    });
    const overlapping = await newEvent({
      subject: 'Overlap',
      start: utc('2028-05-01T23:00:00'),
      end: utc('2028-05-02T01:00:00'),
    });
    await newEvent({ subject: 'After', start: utc('2028-05-03T00:00:00'), end: utc('2028-05-03T01:00:00') });
    const view = (await client
      .api('/me/calendarView?startDateTime=2028-05-02T00:00:00Z&endDateTime=2028-05-03T00:00:00Z')
      .get()) as Page<Item>;
    expect(view.value.map((e) => e.id)).toEqual([overlapping.id, inside.id]);

    const now = Date.now();
    const week = (await client
      .api(
        `/me/calendarView?startDateTime=${new Date(now).toISOString()}&endDateTime=${new Date(now + 15 * 86_400_000).toISOString()}`,
      )
      .get()) as Page<Item>;
    expect(week.value.map((e) => e.id)).toContain(DEMO_ITEM_IDS.meeting);
  });

  test('without startDateTime and endDateTime it is 400', async () => {
    const res = await raw('GET', '/me/calendarView');
    expect([res.status, res.json.error?.code]).toEqual([400, 'ErrorInvalidParameter']);
  });
});

describe('calendarView delta (event: delta)', () => {
  const window = 'startDateTime=2029-01-01T00:00:00Z&endDateTime=2029-02-01T00:00:00Z';

  test('rounds: created, changed, moved out of the window and deleted (both @removed), created outside (absent), moved in', async () => {
    const staying = await newEvent({
      subject: 'Stays',
      start: utc('2029-01-10T10:00:00'),
      end: utc('2029-01-10T11:00:00'),
    });
    const leaving = await newEvent({
      subject: 'Leaves',
      start: utc('2029-01-11T10:00:00'),
      end: utc('2029-01-11T11:00:00'),
    });
    const deleted = await newEvent({
      subject: 'Deleted',
      start: utc('2029-01-12T10:00:00'),
      end: utc('2029-01-12T11:00:00'),
    });
    const entering = await newEvent({
      subject: 'Enters',
      start: utc('2029-03-01T10:00:00'),
      end: utc('2029-03-01T11:00:00'),
    });
    const first = await deltaRound(`/me/calendarView/delta?${window}`, 2);
    expect(presentIds(first.items).sort()).toEqual([staying.id, leaving.id, deleted.id].sort());

    const created = await newEvent({
      subject: 'New',
      start: utc('2029-01-20T10:00:00'),
      end: utc('2029-01-20T11:00:00'),
    });
    await newEvent({
      subject: 'Elsewhere',
      start: utc('2029-06-01T10:00:00'),
      end: utc('2029-06-01T11:00:00'),
    });
    await client.api(`/me/events/${enc(staying.id)}`).patch({ subject: 'Stays (renamed)' });
    await client
      .api(`/me/events/${enc(leaving.id)}`)
      .patch({ start: utc('2029-04-01T10:00:00'), end: utc('2029-04-01T11:00:00') });
    await client.api(`/me/events/${enc(deleted.id)}`).delete();
    await client
      .api(`/me/events/${enc(entering.id)}`)
      .patch({ start: utc('2029-01-25T10:00:00'), end: utc('2029-01-25T11:00:00') });

    const second = await deltaRound(first.deltaLink);
    expect(presentIds(second.items).sort()).toEqual([created.id, staying.id, entering.id].sort());
    expect(second.items.find((e) => e.id === staying.id)?.subject).toBe('Stays (renamed)');
    expect(removedIds(second.items).sort()).toEqual([leaving.id, deleted.id].sort());

    const third = await deltaRound(second.deltaLink);
    expect(third.items).toEqual([]);
  });

  test('the window is kept in the token: a deltaLink needs no startDateTime; a first request without one is 400', async () => {
    const first = await deltaRound(`/me/calendarView/delta?${window}`);
    expect(new URL(first.deltaLink).searchParams.has('startDateTime')).toBe(false);
    const res = await raw('GET', '/me/calendarView/delta');
    expect(res.status).toBe(400);
  });

  test('Prefer: outlook.timezone applies to the events of a delta page', async () => {
    await newEvent({ subject: 'Zoned', start: utc('2029-01-15T12:00:00'), end: utc('2029-01-15T13:00:00') });
    const res = await raw('GET', `/me/calendarView/delta?${window}`, undefined, {
      Prefer: 'outlook.timezone="Eastern Standard Time"',
    });
    const zoned = (res.json.value as Item[]).find((e) => e.subject === 'Zoned') as Item;
    expect(zoned.start).toEqual({
      dateTime: '2029-01-15T07:00:00.0000000',
      timeZone: 'Eastern Standard Time',
    });
  });
});

describe('Prefer: outlook.body-content-type and calendarView delta options', () => {
  test('an HTML body is answered as text when text is preferred, and the preference is echoed', async () => {
    const created = await newEvent({
      subject: 'Styled',
      body: { contentType: 'html', content: '<p>Bring the <b>contract</b> &amp; notes</p>' },
      start: utc('2027-05-01T10:00:00'),
      end: utc('2027-05-01T11:00:00'),
    });
    const res = await raw('GET', `/me/events/${enc(created.id)}`, undefined, {
      Prefer: 'outlook.timezone="UTC", outlook.body-content-type="text"',
    });
    expect(res.json.body).toEqual({ contentType: 'text', content: 'Bring the contract & notes' });
    expect(res.headers.get('preference-applied')).toBe(
      'outlook.timezone="UTC", outlook.body-content-type="text"',
    );
  });

  test('a calendarView delta takes no $select and no $expand: 400', async () => {
    const window = 'startDateTime=2029-01-01T00:00:00Z&endDateTime=2029-02-01T00:00:00Z';
    expect((await raw('GET', `/me/calendarView/delta?${window}&$select=subject`)).status).toBe(400);
    expect((await raw('GET', `/me/calendarView/delta?${window}&$expand=${enc(expandLink)}`)).status).toBe(
      400,
    );
  });
});

describe('To Do (todoTaskList, todoTask, linkedResource)', () => {
  test('one list: the default one, "Tasks"', async () => {
    const lists = (await client.api('/me/todo/lists').get()) as Page<Item>;
    expect(lists.value).toHaveLength(1);
    expect(lists.value[0]).toMatchObject({
      displayName: 'Tasks',
      wellknownListName: 'defaultList',
      isOwner: true,
    });
  });

  test('a task is created (201) with inline linkedResources, read back whole; it has an etag and no changeKey', async () => {
    const list = await taskListId();
    const res = await raw('POST', `/me/todo/lists/${enc(list)}/tasks`, {
      title: 'Call Nora',
      importance: 'high',
      dueDateTime: { dateTime: '2027-06-04T00:00:00', timeZone: 'UTC' },
      linkedResources: [
        {
          applicationName: 'Track in CRM',
          displayName: 'CRM task',
          externalId: 'crm-42',
          webUrl: 'https://crm.example/42',
        },
      ],
    });
    expect(res.status).toBe(201);
    const task = res.json as unknown as Item;
    expect(task).toMatchObject({ title: 'Call Nora', importance: 'high', status: 'notStarted' });
    expect(task.dueDateTime).toEqual({ dateTime: '2027-06-04T00:00:00.0000000', timeZone: 'UTC' });
    expect(task.changeKey).toBeUndefined();
    expect(task['@odata.etag']).toEqual(expect.stringMatching(/^W\/"/));
    expect(task.linkedResources).toEqual([
      expect.objectContaining({
        applicationName: 'Track in CRM',
        externalId: 'crm-42',
        id: expect.any(String),
      }),
    ]);
    const read = (await client
      .api(`/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}`)
      .expand('linkedResources')
      .get()) as Item;
    expect(read.linkedResources).toEqual(task.linkedResources);
  });

  test('status completed stamps completedDateTime; another status clears it; an unknown status is 400', async () => {
    const list = await taskListId();
    const task = (await client.api(`/me/todo/lists/${enc(list)}/tasks`).post({ title: 'Finish' })) as Item;
    const done = (await client
      .api(`/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}`)
      .patch({ status: 'completed' })) as Item;
    expect(done.completedDateTime).toEqual({ dateTime: expect.any(String), timeZone: 'UTC' });
    const reopened = (await client
      .api(`/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}`)
      .patch({ status: 'waitingOnOthers' })) as Item;
    expect([reopened.status, reopened.completedDateTime]).toEqual(['waitingOnOthers', undefined]);
    const bad = await raw('PATCH', `/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}`, { status: 'done' });
    expect(bad.status).toBe(400);
  });

  test('linkedResources: POST 201, GET one and all, DELETE 204, then 404', async () => {
    const list = await taskListId();
    const task = (await client.api(`/me/todo/lists/${enc(list)}/tasks`).post({ title: 'Linked' })) as Item;
    const base = `/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}/linkedResources`;
    const created = await raw('POST', base, {
      applicationName: 'Track in CRM',
      displayName: 'CRM',
      externalId: 'crm-7',
    });
    expect(created.status).toBe(201);
    const id = (created.json as unknown as Item).id;
    expect(((await client.api(`${base}/${enc(id)}`).get()) as Item).externalId).toBe('crm-7');
    expect(((await client.api(base).get()) as Page<Item>).value.map((l) => l.id)).toEqual([id]);
    expect((await raw('DELETE', `${base}/${enc(id)}`)).status).toBe(204);
    expect((await raw('GET', `${base}/${enc(id)}`)).status).toBe(404);
  });

  test('DELETE of a task answers 204; it is then 404', async () => {
    const list = await taskListId();
    const task = (await client.api(`/me/todo/lists/${enc(list)}/tasks`).post({ title: 'Drop' })) as Item;
    expect((await raw('DELETE', `/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}`)).status).toBe(204);
    expect((await raw('GET', `/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}`)).status).toBe(404);
  });

  test('task delta: created, changed (a linked resource added counts), removed; then none', async () => {
    const list = await taskListId();
    const base = `/me/todo/lists/${enc(list)}/tasks`;
    const first = await deltaRound(`${base}/delta`);
    const all = (await client.api(base).top(1000).get()) as Page<Item>;
    expect(first.items.map((t) => t.id).sort()).toEqual(all.value.map((t) => t.id).sort());

    const created = (await client.api(base).post({ title: 'Delta new' })) as Item;
    const linked = (await client.api(base).post({ title: 'Delta linked' })) as Item;
    const removed = (await client.api(base).post({ title: 'Delta removed' })) as Item;
    const between = await deltaRound(first.deltaLink);
    expect(presentIds(between.items).sort()).toEqual([created.id, linked.id, removed.id].sort());

    await client
      .api(`${base}/${enc(linked.id)}/linkedResources`)
      .post({ applicationName: 'Track in CRM', externalId: 'x' });
    await client.api(`${base}/${enc(removed.id)}`).delete();
    const second = await deltaRound(between.deltaLink);
    expect([presentIds(second.items), removedIds(second.items)]).toEqual([[linked.id], [removed.id]]);
    expect((await deltaRound(second.deltaLink)).items).toEqual([]);
  });
});

describe('JSON batching, faults and the mail mirror', () => {
  test('contacts, events and tasks answer inside $batch, each request with its own status', async () => {
    const list = await taskListId();
    const batch = new BatchRequestContent([
      {
        id: '1',
        request: new Request(`${GRAPH}/v1.0/me/contacts`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ givenName: 'Batched' }),
        }),
      },
      {
        id: '2',
        request: new Request(`${GRAPH}/v1.0/me/events/${enc(DEMO_ITEM_IDS.meeting)}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json', 'If-Match': 'W/"stale"' },
          body: JSON.stringify({ subject: 'Never' }),
        }),
      },
      { id: '3', request: new Request(`${GRAPH}/v1.0/me/todo/lists/${enc(list)}/tasks`, { method: 'GET' }) },
    ]);
    const answer = new BatchResponseContent(await client.api('/$batch').post(await batch.getContent()));
    expect([
      answer.getResponseById('1').status,
      answer.getResponseById('2').status,
      answer.getResponseById('3').status,
    ]).toEqual([201, 412, 200]);
    expect(((await answer.getResponseById('1').json()) as Item).displayName).toBe('Batched');
  });

  test("a fault on contacts is a 429 with Retry-After; inside a batch it is that request's own 429", async () => {
    emu.faults.add({ match: { pathContains: '/me/contacts' }, status: 429, retryAfter: 9, count: 2 });
    const alone = await raw('GET', '/me/contacts');
    expect([alone.status, alone.headers.get('retry-after'), alone.json.error?.code]).toEqual([
      429,
      '9',
      'ApplicationThrottled',
    ]);
    const batch = await raw('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/me/contacts' },
        { id: '2', method: 'GET', url: '/me/todo/lists' },
      ],
    });
    const byId = new Map((batch.json.responses ?? []).map((r) => [r.id, r.status]));
    expect([byId.get('1'), byId.get('2')]).toEqual([429, 200]);
  });

  test("the client's RetryHandler waits out a 429 on calendarView and gets the events", async () => {
    emu.faults.add({
      match: { method: 'GET', pathContains: '/me/calendarView' },
      status: 429,
      retryAfter: 1,
      count: 1,
    });
    const sentBefore = transport.requests;
    const view = (await client
      .api('/me/calendarView?startDateTime=2000-01-01T00:00:00Z&endDateTime=2100-01-01T00:00:00Z')
      .get()) as Page<Item>;
    expect(view.value.length).toBeGreaterThan(0);
    expect(transport.requests - sentBefore).toBe(2);
  });

  test('the mail mirror (PUT /_emulator/mailbox) leaves contacts, events and tasks alone', async () => {
    const before = await Promise.all([
      raw('GET', '/me/contacts?$top=1000'),
      raw(
        'GET',
        '/me/calendarView?startDateTime=2000-01-01T00:00:00Z&endDateTime=2100-01-01T00:00:00Z&$top=1000',
      ),
      raw('GET', `/me/todo/lists/${enc(await taskListId())}/tasks?$top=1000`),
    ]);
    const put = await fetch(`${origin()}/_emulator/mailbox`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [] }),
    });
    expect(put.status).toBe(200);
    const after = await Promise.all([
      raw('GET', '/me/contacts?$top=1000'),
      raw(
        'GET',
        '/me/calendarView?startDateTime=2000-01-01T00:00:00Z&endDateTime=2100-01-01T00:00:00Z&$top=1000',
      ),
      raw('GET', `/me/todo/lists/${enc(await taskListId())}/tasks?$top=1000`),
    ]);
    expect(after.map((r) => r.json.value)).toEqual(before.map((r) => r.json.value));
  });
});

describe('seeds', () => {
  test('an empty seed has no contacts, events or tasks; the demo ids are the same on every machine', async () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'tic-graph-empty-'));
    const empty = await startGraphEmulator({
      port: 0,
      dbFile: path.join(emptyDir, 'g.sqlite'),
      seed: 'empty',
    });
    const other = await startGraphEmulator({ port: 0, dbFile: ':memory:', seed: 'demo' });
    try {
      const get = async (url: string, at: string): Promise<RawBody> =>
        (await (await fetch(`${url}${at}`, { headers: { Authorization: 'Bearer t' } })).json()) as RawBody;
      expect((await get(empty.url, '/me/contacts')).value).toEqual([]);
      expect(((await get(other.url, '/me/contacts')).value as Item[]).map((c) => c.id).sort()).toEqual(
        [DEMO_ITEM_IDS.nora, DEMO_ITEM_IDS.ann, DEMO_ITEM_IDS.lena].sort(),
      );
    } finally {
      await empty.close();
      await other.close();
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});

describe("the workbench's Outlook items (workbench/outlookItems.ts) over the emulator", () => {
  const items = (): OutlookItemsClient => new OutlookItemsClient(emu.url);

  test('lists contacts with their CRM link, the near calendar and the tasks with their linked CRM id', async () => {
    const all = await items().all();
    expect(all.contacts.find((c) => c.id === DEMO_ITEM_IDS.nora)?.link).toEqual({
      crmId: null,
      tracked: true,
    });
    expect(all.contacts.find((c) => c.id === DEMO_ITEM_IDS.lena)?.link).toBeNull();
    expect(all.events.map((e) => e.id)).toContain(DEMO_ITEM_IDS.meeting);
    const list = await taskListId();
    const task = (await client.api(`/me/todo/lists/${enc(list)}/tasks`).post({
      title: 'Workbench linked',
      linkedResources: [{ applicationName: 'Track in CRM', externalId: 'crm-99' }],
    })) as Item;
    expect((await items().tasks()).find((t) => t.id === task.id)?.crmId).toBe('crm-99');
  });

  test("a contact's first name, job title and business phone are PATCHed; Track in CRM sets tracked true", async () => {
    const contact = await newContact({ givenName: 'Wanda', surname: 'Bench' });
    await items().updateContact(contact.id, {
      givenName: 'Wendy',
      jobTitle: 'Buyer',
      businessPhone: '+1 555 0101',
    });
    await items().trackContact(contact.id, null);
    const read = (await client
      .api(`/me/contacts/${enc(contact.id)}`)
      .expand(expandLink)
      .get()) as Item;
    expect([read.givenName, read.jobTitle, read.businessPhones]).toEqual(['Wendy', 'Buyer', ['+1 555 0101']]);
    expect(JSON.parse(read.singleValueExtendedProperties?.[0]?.value ?? 'null')).toEqual({
      crmId: null,
      tracked: true,
    });
  });

  test("an event's subject and location and a task's title and status are PATCHed; a contact is added and deleted", async () => {
    const event = await newEvent({
      subject: 'Bench',
      start: utc('2027-08-01T10:00:00'),
      end: utc('2027-08-01T11:00:00'),
    });
    await items().updateEvent(event.id, { subject: 'Bench (moved)', location: 'Lab' });
    const readEvent = (await client.api(`/me/events/${enc(event.id)}`).get()) as Item;
    expect([readEvent.subject, (readEvent.location as { displayName: string }).displayName]).toEqual([
      'Bench (moved)',
      'Lab',
    ]);

    const list = await taskListId();
    const task = (await client
      .api(`/me/todo/lists/${enc(list)}/tasks`)
      .post({ title: 'Bench task' })) as Item;
    await items().updateTask(task.id, { title: 'Bench task (renamed)', status: 'inProgress' });
    const readTask = (await client.api(`/me/todo/lists/${enc(list)}/tasks/${enc(task.id)}`).get()) as Item;
    expect([readTask.title, readTask.status]).toEqual(['Bench task (renamed)', 'inProgress']);

    await items().addContact({ givenName: 'Newt', surname: 'Bench', email: 'newt@bench.example' });
    const added = (await items().contacts()).find((c) => c.email === 'newt@bench.example');
    expect(added?.displayName).toBe('Newt Bench');
    await items().remove('contact', added?.id as string);
    expect((await items().contacts()).some((c) => c.email === 'newt@bench.example')).toBe(false);
  });

  test("Graph's refusal is an OutlookItemsError with its status and code", async () => {
    const error = await items()
      .remove('event', `AAMkAD${'q'.repeat(40)}AAA=`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutlookItemsError);
    expect([(error as OutlookItemsError).status, (error as OutlookItemsError).code]).toEqual([
      404,
      'ErrorItemNotFound',
    ]);
  });
});
