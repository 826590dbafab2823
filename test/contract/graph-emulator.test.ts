/**
 * The Graph emulator held to Graph's documented behaviour (docs/graph-facts.md), driven through
 * Microsoft's own JavaScript client, @microsoft/microsoft-graph-client, and plain fetch where the client
 * hides what is checked (raw error bodies, headers, a batch over the client's own limit).
 *
 * The client adds a token only to https Graph hosts and follows only https links, so it is pointed at
 * https://graph.microsoft.com and its last middleware forwards each request to the emulator with
 * X-Forwarded-Host/-Proto: the emulator then writes its links for that host, and every other part of
 * the client (authentication, RetryHandler, PageIterator, batching) runs as it does against Graph.
 */
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  PageIterator,
} from '@microsoft/microsoft-graph-client';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseGraphEmulatorArgs } from '../../emulator/graph/cli';
import { customPropertiesId } from '../../emulator/graph/extendedProperties';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import {
  GRAPH,
  graphError,
  rawGraphRequest,
  startGraphClientOnEmulator,
  type ForwardToEmulator,
  type GraphClientOnEmulator,
} from '../support/graphClientOnEmulator';

interface Message {
  id: string;
  changeKey?: string;
  '@odata.etag'?: string;
  subject?: string;
  receivedDateTime?: string;
  internetMessageId?: string | null;
  conversationIndex?: string | null;
  parentFolderId?: string;
  categories?: string[];
  isDraft?: boolean;
  singleValueExtendedProperties?: { id: string; value: string }[];
  '@removed'?: { reason: string };
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

let emu: GraphEmulator;
let dir: string;
let client: Client;
let transport: ForwardToEmulator;
let graph: GraphClientOnEmulator | undefined;

beforeAll(async () => {
  graph = await startGraphClientOnEmulator('graph', 3);
  ({ emu, dir, client, transport } = graph);
});

afterAll(async () => {
  await graph?.close();
});

afterEach(() => emu.faults.clear());

/** What a raw answer may hold: an error, or a batch's responses. */
interface RawBody {
  error?: { code: string; message: string; innerError: Record<string, string> };
  responses?: { id: string; status: number; headers: Record<string, string> }[];
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

/** Every message of a folder, following nextLinks with the client's PageIterator. */
async function allMessages(folder: string, query = ''): Promise<Message[]> {
  const seen: Message[] = [];
  const first = (await client.api(`/me/mailFolders/${folder}/messages${query}`).get()) as Page<Message>;
  const iterator = new PageIterator(client, first, (m: Message) => {
    seen.push(m);
    return true;
  });
  await iterator.iterate();
  return seen;
}

/** One delta round from `start` (a path or a link) to its deltaLink. */
async function deltaRound(
  start: string,
  pageSize?: number,
): Promise<{ items: Message[]; deltaLink: string; pages: number }> {
  const items: Message[] = [];
  let link: string | undefined = start;
  let pages = 0;
  for (;;) {
    const request = client.api(link);
    if (pageSize) request.header('Prefer', `odata.maxpagesize=${pageSize}`);
    const page = (await request.get()) as Page<Message>;
    pages += 1;
    items.push(...page.value);
    if (page['@odata.deltaLink']) return { items, deltaLink: page['@odata.deltaLink'], pages };
    link = page['@odata.nextLink'];
    if (!link) throw new Error('a delta page without nextLink or deltaLink');
  }
}

describe('mail folders (mailFolder resource: well-known names)', () => {
  test('a well-known name names the same folder as its id, whatever its case', async () => {
    const inbox = await client.api('/me/mailFolders/inbox').get();
    expect(inbox).toMatchObject({ displayName: 'Inbox', isHidden: false, childFolderCount: 1 });
    const byId = await client.api(`/me/mailFolders/${encodeURIComponent(inbox.id)}`).get();
    expect(byId.id).toBe(inbox.id);
    for (const [name, displayName] of [
      ['SentItems', 'Sent Items'],
      ['drafts', 'Drafts'],
      ['deleteditems', 'Deleted Items'],
      ['junkemail', 'Junk Email'],
    ]) {
      expect((await client.api(`/me/mailFolders/${name}`).get()).displayName).toBe(displayName);
    }
    // /users/{address} is the same mailbox as /me.
    expect((await client.api('/users/me@contoso.com/mailFolders/inbox').get()).id).toBe(inbox.id);
  });

  test('a path from the root is walked one childFolders level at a time', async () => {
    let parent = 'inbox';
    for (const name of ['Projects', 'Fabrikam']) {
      const children = (await client.api(`/me/mailFolders/${parent}/childFolders`).get()) as Page<{
        id: string;
        displayName: string;
        parentFolderId: string;
      }>;
      const child = children.value.find((f) => f.displayName === name);
      expect(child).toBeDefined();
      parent = encodeURIComponent(child?.id as string);
    }
    const fabrikam = await client.api(`/me/mailFolders/${parent}`).get();
    expect(fabrikam).toMatchObject({ displayName: 'Fabrikam', childFolderCount: 0 });
    expect(fabrikam.totalItemCount).toBeGreaterThan(0);
    const top = (await client.api('/me/mailFolders').get()) as Page<{ displayName: string }>;
    expect(top.value.map((f) => f.displayName)).toEqual(
      expect.arrayContaining(['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Junk Email']),
    );
  });

  test('an unknown well-known name is a malformed id (400); an id that is not there is 404', async () => {
    const malformed = await graphError(client.api('/me/mailFolders/notafolder').get());
    expect([malformed.statusCode, malformed.code]).toEqual([400, 'ErrorInvalidIdMalformed']);
    const missing = await graphError(client.api(`/me/mailFolders/AAMkAD${'x'.repeat(40)}AAA=`).get());
    expect([missing.statusCode, missing.code]).toEqual([404, 'ErrorItemNotFound']);
  });
});

describe('messages: $select, $top and nextLink, $filter, $orderby', () => {
  test('the client pages a folder with $top through every message once, newest first', async () => {
    const inbox = await client.api('/me/mailFolders/inbox').get();
    const first = (await client.api('/me/mailFolders/inbox/messages').top(5).get()) as Page<Message>;
    expect(first.value).toHaveLength(5);
    expect(first['@odata.nextLink']).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\//);
    const all = await allMessages('inbox', '?$top=5&$select=subject,receivedDateTime');
    expect(all).toHaveLength(inbox.totalItemCount);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    const times = all.map((m) => m.receivedDateTime as string);
    expect([...times].sort().reverse()).toEqual(times);
  });

  test('the default page is 10 messages', async () => {
    const page = (await client.api('/me/mailFolders/inbox/messages').get()) as Page<Message>;
    expect(page.value).toHaveLength(10);
    expect(page['@odata.nextLink']).toBeDefined();
  });

  test('$select returns the named properties, plus id and @odata.etag', async () => {
    const page = (await client
      .api('/me/mailFolders/inbox/messages')
      .select(['subject'])
      .top(1)
      .get()) as Page<Record<string, unknown>>;
    expect(Object.keys(page.value[0] as object).sort()).toEqual(['@odata.etag', 'id', 'subject']);
    const bad = await graphError(client.api('/me/messages').select(['nosuchproperty']).get());
    expect(bad.statusCode).toBe(400);
  });

  test('$filter on receivedDateTime keeps exactly the messages received at or after the instant', async () => {
    const since = '2026-01-09T12:00:00Z';
    const all = await allMessages('inbox', '?$top=50&$select=receivedDateTime');
    const expected = all.filter((m) => (m.receivedDateTime as string) >= since).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const filtered = await allMessages(
      'inbox',
      `?$top=4&$select=receivedDateTime&$filter=receivedDateTime ge ${since}&$orderby=receivedDateTime desc`,
    );
    expect(filtered.map((m) => m.id).sort()).toEqual([...expected].sort());
  });

  test('$orderby on a property the $filter does not name first is InefficientFilter', async () => {
    const error = await graphError(
      client.api('/me/messages').filter('receivedDateTime ge 2026-01-01T00:00:00Z').orderby('subject').get(),
    );
    expect([error.statusCode, error.code]).toEqual([400, 'InefficientFilter']);
  });

  test('one Message-ID can be in two folders (a rule copy): two items with their own ids', async () => {
    const kickoff = (
      (await client
        .api('/me/messages')
        .filter("subject eq 'Project Phoenix kickoff notes'")
        .get()) as Page<Message>
    ).value;
    expect(kickoff).toHaveLength(2);
    const [a, b] = kickoff as [Message, Message];
    expect(a.internetMessageId).toBe(b.internetMessageId);
    expect(a.id).not.toBe(b.id);
    expect(a.parentFolderId).not.toBe(b.parentFolderId);
    const byMessageId = (await client
      .api('/me/messages')
      .filter(`internetMessageId eq '${(a.internetMessageId as string).replace(/'/g, "''")}'`)
      .get()) as Page<Message>;
    expect(byMessageId.value).toHaveLength(2);
  });

  test('drafts are isDraft and have no internetMessageHeaders; received mail has them', async () => {
    const drafts = await allMessages('drafts', '?$select=isDraft,internetMessageHeaders');
    expect(drafts.length).toBeGreaterThan(0);
    for (const d of drafts) {
      expect(d.isDraft).toBe(true);
      expect(d).not.toHaveProperty('internetMessageHeaders');
    }
    const [received] = (
      (await client
        .api('/me/mailFolders/inbox/messages')
        .select(['internetMessageHeaders'])
        .top(1)
        .get()) as Page<{
        internetMessageHeaders: { name: string; value: string }[];
      }>
    ).value;
    expect(received?.internetMessageHeaders.map((h) => h.name)).toEqual(
      expect.arrayContaining(['Message-ID', 'From', 'To', 'Date', 'Thread-Index']),
    );
  });
});

describe('PATCH /me/messages/{id}', () => {
  test('changing categories answers 200 with the message and a new changeKey and etag', async () => {
    const [before] = ((await client.api('/me/mailFolders/inbox/messages').top(1).get()) as Page<Message>)
      .value as [Message];
    const after = (await client
      .api(`/me/messages/${encodeURIComponent(before.id)}`)
      .patch({ categories: ['Green category', 'Tracked to Dynamics 365'] })) as Message;
    expect(after.categories).toEqual(['Green category', 'Tracked to Dynamics 365']);
    expect(after.changeKey).not.toBe(before.changeKey);
    expect(after['@odata.etag']).toBe(`W/"${after.changeKey}"`);
    const again = (await client.api(`/me/messages/${encodeURIComponent(before.id)}`).get()) as Message;
    expect(again.changeKey).toBe(after.changeKey);
  });

  test('a read-only property, or subject on a received message, is refused and changes nothing', async () => {
    const [m] = ((await client.api('/me/mailFolders/inbox/messages').top(1).get()) as Page<Message>)
      .value as [Message];
    const readOnly = await graphError(
      client.api(`/me/messages/${encodeURIComponent(m.id)}`).patch({ changeKey: 'x' }),
    );
    expect(readOnly.statusCode).toBe(400);
    const sent = await graphError(
      client.api(`/me/messages/${encodeURIComponent(m.id)}`).patch({ subject: 'x' }),
    );
    expect([sent.statusCode, sent.code]).toEqual([400, 'ErrorInvalidPropertyUpdateSentMessage']);
    expect(((await client.api(`/me/messages/${encodeURIComponent(m.id)}`).get()) as Message).changeKey).toBe(
      m.changeKey,
    );
  });
  test('If-Match with the current etag (weak or strong) or * writes; an older one is 412 ErrorIrresolvableConflict and changes nothing', async () => {
    const [m] = ((await client.api('/me/mailFolders/inbox/messages').top(1).get()) as Page<Message>)
      .value as [Message];
    const url = `/me/messages/${encodeURIComponent(m.id)}`;
    const weak = (await client
      .api(url)
      .header('If-Match', m['@odata.etag'] as string)
      .patch({ categories: ['Blue category'] })) as Message;
    expect(weak.categories).toEqual(['Blue category']);

    const stale = await graphError(
      client
        .api(url)
        .header('If-Match', m['@odata.etag'] as string)
        .patch({ categories: ['Red category'] }),
    );
    expect([stale.statusCode, stale.code]).toEqual([412, 'ErrorIrresolvableConflict']);
    expect(stale.message).toMatch(/change key passed in the request does not match the current change key/);
    const unchanged = (await client.api(url).get()) as Message;
    expect([unchanged.categories, unchanged.changeKey]).toEqual([['Blue category'], weak.changeKey]);

    const strong = (await client
      .api(url)
      .header('If-Match', `"${weak.changeKey}"`)
      .patch({ categories: ['Green category'] })) as Message;
    const any = (await client.api(url).header('If-Match', '*').patch({ categories: [] })) as Message;
    expect([strong.categories, any.categories]).toEqual([['Green category'], []]);
  });

  test("inside $batch a stale If-Match is that request's own 412", async () => {
    const [m] = ((await client.api('/me/mailFolders/inbox/messages').top(1).get()) as Page<Message>)
      .value as [Message];
    await client.api(`/me/messages/${encodeURIComponent(m.id)}`).patch({ isRead: true });
    const batch = await raw('POST', '/$batch', {
      requests: [
        {
          id: '1',
          method: 'PATCH',
          url: `/me/messages/${encodeURIComponent(m.id)}`,
          headers: { 'Content-Type': 'application/json', 'If-Match': m['@odata.etag'] },
          body: { categories: ['Red category'] },
        },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.json.responses?.map((r) => r.status)).toEqual([412]);
  });
});

describe('single-value extended properties', () => {
  const addinId = '{9A3E1B2C-4D5E-4F60-8A7B-1C2D3E4F5A6B}';
  const tagId = customPropertiesId(addinId);

  test("the add-in's Office.js custom properties are String {00020329-…} Name cecp-<id, lower case, no braces>", () => {
    expect(tagId).toBe(
      'String {00020329-0000-0000-c000-000000000046} Name cecp-9a3e1b2c-4d5e-4f60-8a7b-1c2d3e4f5a6b',
    );
  });

  test('written by PATCH, read back by $expand with $filter on id (normalised), and found by $filter', async () => {
    const [m] = ((await client.api('/me/mailFolders/inbox/messages').skip(2).top(1).get()) as Page<Message>)
      .value as [Message];
    const tag = JSON.stringify({ activityId: 'a1', regarding: null });
    // Type and GUID in another case name the same property; Graph answers with its own spelling.
    const asWritten = `string {00020329-0000-0000-C000-000000000046} Name cecp-${addinId.slice(1, -1).toLowerCase()}`;
    const written = (await client.api(`/me/messages/${encodeURIComponent(m.id)}`).patch({
      singleValueExtendedProperties: [{ id: asWritten, value: tag }],
    })) as Message;
    expect(written.changeKey).not.toBe(m.changeKey);
    const read = (await client
      .api(`/me/messages/${encodeURIComponent(m.id)}`)
      .select(['subject'])
      .expand(`singleValueExtendedProperties($filter=id eq '${asWritten}')`)
      .get()) as Message;
    expect(read.singleValueExtendedProperties).toEqual([{ id: tagId, value: tag }]);

    // The name is matched case-sensitively: another case is another property.
    const otherCase = (await client
      .api(`/me/messages/${encodeURIComponent(m.id)}`)
      .expand(`singleValueExtendedProperties($filter=id eq '${tagId.replace('cecp-', 'CECP-')}')`)
      .get()) as Message;
    expect(otherCase).not.toHaveProperty('singleValueExtendedProperties');

    const found = (await client
      .api('/me/messages')
      .filter(
        `singleValueExtendedProperties/any(ep: ep/id eq '${tagId}' and ep/value eq '${tag.replace(/'/g, "''")}')`,
      )
      .select(['id'])
      .get()) as Page<Message>;
    expect(found.value.map((x) => x.id)).toEqual([m.id]);
  });

  test('Message-ID, In-Reply-To, References and Thread-Index are the MAPI properties of the message', async () => {
    const replies = (await client
      .api('/me/messages')
      .filter("subject eq 'RE: Fabrikam renewal: draft contract'")
      .get()) as Page<Message>;
    const inbox = await client.api('/me/mailFolders/inbox').get();
    const received = replies.value.find((r) => r.parentFolderId === inbox.id) as Message;
    const withProps = (await client
      .api(`/me/messages/${encodeURIComponent(received.id)}`)
      .expand(
        "singleValueExtendedProperties($filter=id eq 'String 0x1035' or id eq 'String 0x1042' or id eq 'String 0x1039' or id eq 'Binary 0x0071')",
      )
      .get()) as Message;
    const props = new Map(withProps.singleValueExtendedProperties?.map((p) => [p.id, p.value]));
    expect(props.get('String 0x1035')).toBe(withProps.internetMessageId);
    expect(props.get('Binary 0x71')).toBe(withProps.conversationIndex);
    const inReplyTo = props.get('String 0x1042') as string;
    expect(inReplyTo).toMatch(/^<.+@.+>$/);
    expect((props.get('String 0x1039') as string).split(' ')).toContain(inReplyTo);
    // The parent is in the mailbox under that Message-ID.
    const parent = (await client
      .api('/me/messages')
      .filter(`internetMessageId eq '${inReplyTo}'`)
      .get()) as Page<Message>;
    expect(parent.value.length).toBeGreaterThan(0);
    // A thread reply's Thread-Index starts with its parent's (22 bytes + 5 per reply).
    const parentIndex = Buffer.from(parent.value[0]?.conversationIndex as string, 'base64');
    const ownIndex = Buffer.from(withProps.conversationIndex as string, 'base64');
    expect(ownIndex.length).toBe(parentIndex.length + 5);
    expect(ownIndex.subarray(0, parentIndex.length)).toEqual(parentIndex);
  });

  test('a message without the property has no singleValueExtendedProperties; a bad id is 400', async () => {
    const [draft] = ((await client.api('/me/mailFolders/drafts/messages').top(1).get()) as Page<Message>)
      .value as [Message];
    const read = (await client
      .api(`/me/messages/${encodeURIComponent(draft.id)}`)
      .expand(`singleValueExtendedProperties($filter=id eq '${tagId}')`)
      .get()) as Message;
    expect(read).not.toHaveProperty('singleValueExtendedProperties');
    const bad = await graphError(
      client
        .api(`/me/messages/${encodeURIComponent(draft.id)}`)
        .expand("singleValueExtendedProperties($filter=id eq 'Strang 0x1035')")
        .get(),
    );
    expect(bad.statusCode).toBe(400);
  });
});

describe('delta queries (message: delta)', () => {
  test('a first round pages the whole folder; the next shows changes, new mail and removals; then none', async () => {
    const folder = await client.api('/me/mailFolders/inbox').get();
    const first = await deltaRound(
      '/me/mailFolders/inbox/messages/delta?$select=subject,categories,changeKey',
      4,
    );
    expect(first.pages).toBeGreaterThan(2);
    expect(first.items).toHaveLength(folder.totalItemCount);
    expect(first.items.every((m) => m['@removed'] === undefined)).toBe(true);
    expect(first.deltaLink).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/.*\$deltatoken=/);

    const [changed, removed] = first.items as [Message, Message];
    const patched = (await client
      .api(`/me/messages/${encodeURIComponent(changed.id)}`)
      .patch({ categories: ['Orange category'] })) as Message;
    await client.api(`/me/messages/${encodeURIComponent(removed.id)}`).delete();
    const arrived = emu.deliver({
      key: 'delta-test-arrival',
      folder: 'inbox',
      subject: 'New after the first round',
      from: { name: 'Ann Smith', address: 'ann@fabrikam.com' },
      to: [{ name: 'Megan Bowen', address: 'me@contoso.com' }],
      receivedAt: '2026-01-10T08:59:00Z',
    });

    const second = await deltaRound(first.deltaLink);
    const byId = new Map(second.items.map((m) => [m.id, m]));
    expect(second.items).toHaveLength(3);
    expect(byId.get(changed.id)).toMatchObject({
      categories: ['Orange category'],
      changeKey: patched.changeKey,
    });
    expect(byId.get(removed.id)).toMatchObject({ '@removed': { reason: 'deleted' } });
    expect(byId.get(arrived.id)).toMatchObject({ subject: 'New after the first round' });

    const third = await deltaRound(second.deltaLink);
    expect(third.items).toEqual([]);
    // The deleted message went on in Deleted Items under a new id.
    const deleted = await allMessages('deleteditems', '?$select=subject');
    expect(deleted.map((m) => m.subject)).toContain(removed.subject);
    expect(deleted.map((m) => m.id)).not.toContain(removed.id);
  });

  test('the client may use the qualified name microsoft.graph.delta() and $filter on receivedDateTime', async () => {
    const since = '2026-01-09T18:00:00Z';
    const round = await deltaRound(
      `/me/mailFolders/inbox/messages/microsoft.graph.delta()?$select=receivedDateTime&$filter=receivedDateTime ge ${since}`,
    );
    expect(round.items.length).toBeGreaterThan(0);
    expect(round.items.every((m) => (m.receivedDateTime as string) >= since)).toBe(true);
    const unsupported = await graphError(
      client.api('/me/mailFolders/inbox/messages/delta').filter("subject eq 'x'").get(),
    );
    expect(unsupported.statusCode).toBe(400);
  });

  test('a change made while a client pages is not lost: it comes in the next round', async () => {
    const start = (await client
      .api('/me/mailFolders/junkemail/messages/delta?$select=subject')
      .header('Prefer', 'odata.maxpagesize=1')
      .get()) as Page<Message>;
    expect(start['@odata.nextLink']).toBeDefined();
    const [firstItem] = start.value as [Message];
    await client.api(`/me/messages/${encodeURIComponent(firstItem.id)}`).patch({ isRead: true });
    const rest = await deltaRound(start['@odata.nextLink'] as string);
    const next = await deltaRound(rest.deltaLink);
    expect(next.items.map((m) => m.id)).toContain(firstItem.id);
  });

  test('a change of read state alone comes as {id, isRead, parentFolderId}, whatever was selected; any other change as the message', async () => {
    const first = await deltaRound('/me/mailFolders/sentitems/messages/delta?$select=subject,changeKey');
    const [read, categorized] = first.items as [Message, Message];
    await client.api(`/me/messages/${encodeURIComponent(read.id)}`).patch({ isRead: false });
    await client.api(`/me/messages/${encodeURIComponent(read.id)}`).patch({ isRead: true });
    await client.api(`/me/messages/${encodeURIComponent(categorized.id)}`).patch({ isRead: false });
    await client
      .api(`/me/messages/${encodeURIComponent(categorized.id)}`)
      .patch({ categories: ['Blue category'] });
    const folder = (await client.api('/me/mailFolders/sentitems').get()) as { id: string };
    const second = await deltaRound(first.deltaLink);
    expect(second.items).toEqual([
      { '@odata.type': '#microsoft.graph.message', id: read.id, isRead: true, parentFolderId: folder.id },
      expect.objectContaining({ id: categorized.id, subject: categorized.subject }),
    ]);
    expect((await deltaRound(second.deltaLink)).items).toEqual([]);
  });

  test('a token the emulator never issued is 410 SyncStateNotFound', async () => {
    const error = await graphError(
      client.api('/me/mailFolders/inbox/messages/delta?$deltatoken=bm90LWEtdG9rZW4').get(),
    );
    expect([error.statusCode, error.code]).toEqual([410, 'SyncStateNotFound']);
  });
});

describe('master categories', () => {
  test('list, create (201), and a duplicate name is refused', async () => {
    const list = (await client.api('/me/outlook/masterCategories').get()) as Page<{
      displayName: string;
      color: string;
    }>;
    expect(list.value).toContainEqual(
      expect.objectContaining({ displayName: 'Blue category', color: 'preset7' }),
    );
    const created = await client
      .api('/me/outlook/masterCategories')
      .post({ displayName: 'Tracked to Dynamics 365', color: 'preset9' });
    expect(created).toMatchObject({ displayName: 'Tracked to Dynamics 365', color: 'preset9' });
    expect(typeof created.id).toBe('string');
    const again = await graphError(
      client
        .api('/me/outlook/masterCategories')
        .post({ displayName: 'tracked to dynamics 365', color: 'preset1' }),
    );
    expect(again.statusCode).toBe(409);
    const badColor = await graphError(
      client.api('/me/outlook/masterCategories').post({ displayName: 'Other', color: 'fuchsia' }),
    );
    expect(badColor.statusCode).toBe(400);
  });
});

describe('JSON batching', () => {
  test("the client's batch: each request has its own status; dependsOn runs after, and 424 when it failed", async () => {
    const [m] = ((await client.api('/me/mailFolders/sentitems/messages').top(1).get()) as Page<Message>)
      .value as [Message];
    const batch = new BatchRequestContent([
      { id: '1', request: new Request(`${GRAPH}/v1.0/me/mailFolders/inbox`, { method: 'GET' }) },
      {
        id: '2',
        request: new Request(`${GRAPH}/v1.0/me/messages/${encodeURIComponent(m.id)}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ categories: ['Red category'] }),
        }),
        dependsOn: ['1'],
      },
      {
        id: '3',
        request: new Request(`${GRAPH}/v1.0/me/mailFolders/nosuchfolder`, { method: 'GET' }),
        dependsOn: ['1'],
      },
    ]);
    const content = await batch.getContent();
    const answer = new BatchResponseContent(await client.api('/$batch').post(content));
    expect(answer.getResponseById('1').status).toBe(200);
    expect(answer.getResponseById('2').status).toBe(200);
    expect(((await answer.getResponseById('2').json()) as Message).categories).toEqual(['Red category']);
    expect(answer.getResponseById('3').status).toBe(400);

    const failing = new BatchRequestContent([
      {
        id: 'a',
        request: new Request(`${GRAPH}/v1.0/me/messages/AAMkAD${'y'.repeat(40)}AAA=`, { method: 'GET' }),
      },
      {
        id: 'b',
        request: new Request(`${GRAPH}/v1.0/me/messages/${encodeURIComponent(m.id)}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ categories: [] }),
        }),
        dependsOn: ['a'],
      },
    ]);
    const failed = new BatchResponseContent(await client.api('/$batch').post(await failing.getContent()));
    expect(failed.getResponseById('a').status).toBe(404);
    expect(failed.getResponseById('b').status).toBe(424);
    // The dependent PATCH did not run.
    expect(
      ((await client.api(`/me/messages/${encodeURIComponent(m.id)}`).get()) as Message).categories,
    ).toEqual(['Red category']);
  });

  test('20 requests is the limit: 21 is a 400 for the whole batch; so are duplicate ids', async () => {
    const requests = (n: number): unknown[] =>
      Array.from({ length: n }, (_, i) => ({
        id: String(i + 1),
        method: 'GET',
        url: '/me/mailFolders/inbox',
      }));
    const twenty = await raw('POST', '/$batch', { requests: requests(20) });
    expect(twenty.status).toBe(200);
    expect(twenty.json.responses).toHaveLength(20);
    const over = await raw('POST', '/$batch', { requests: requests(21) });
    expect([over.status, over.json.error?.code]).toEqual([400, 'BadRequest']);
    const duplicate = await raw('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/me' },
        { id: '1', method: 'GET', url: '/me' },
      ],
    });
    expect(duplicate.status).toBe(400);
  });

  test('a throttled request inside a batch gets its own 429 with Retry-After', async () => {
    emu.faults.add({ match: { pathContains: '/mailFolders/drafts' }, status: 429, retryAfter: 7 });
    const answer = await raw('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/me/mailFolders/inbox' },
        { id: '2', method: 'GET', url: '/me/mailFolders/drafts' },
      ],
    });
    expect(answer.status).toBe(200);
    const byId = new Map((answer.json.responses ?? []).map((r) => [r.id, r]));
    expect(byId.get('1')?.status).toBe(200);
    expect(byId.get('2')).toMatchObject({
      status: 429,
      headers: expect.objectContaining({ 'Retry-After': '7' }),
    });
  });
});

describe('errors and throttling', () => {
  test('the error body is {error: {code, message, innerError: {date, request-id, client-request-id}}}', async () => {
    const res = await raw('GET', `/me/messages/AAMkAD${'z'.repeat(40)}AAA=`, undefined, {
      'client-request-id': '11111111-2222-3333-4444-555555555555',
    });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: {
        code: 'ErrorItemNotFound',
        message: 'The specified object was not found in the store.',
        innerError: {
          date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
          'request-id': res.headers.get('request-id'),
          'client-request-id': '11111111-2222-3333-4444-555555555555',
        },
      },
    });
    expect(res.headers.get('client-request-id')).toBe('11111111-2222-3333-4444-555555555555');
  });

  test('without a bearer token: 401 InvalidAuthenticationToken', async () => {
    const res = await fetch(`${emu.url}/me/mailFolders/inbox`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
  });

  test("429 with Retry-After: the client's RetryHandler waits that long and retries", async () => {
    emu.faults.add({
      match: { method: 'GET', pathContains: '/mailFolders/inbox' },
      status: 429,
      retryAfter: 1,
      count: 1,
    });
    const sentBefore = transport.requests;
    const started = Date.now();
    const inbox = await client.api('/me/mailFolders/inbox').get();
    expect(inbox.displayName).toBe('Inbox');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(transport.requests - sentBefore).toBe(2);
    expect(emu.faults.active()).toEqual([]);
  });

  test('a 429 carries Retry-After and a Graph error body', async () => {
    emu.faults.add({ match: { pathContains: '/me/messages' }, status: 429, retryAfter: 30 });
    const res = await raw('GET', '/me/messages?$top=1');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.json.error).toMatchObject({ code: 'ApplicationThrottled', innerError: expect.any(Object) });
  });
});

describe('track-in-crm graph-emulator', () => {
  test('the built command starts the emulator on the port and database given, and stops on SIGTERM', async () => {
    const db = path.join(dir, 'cli', 'graph.sqlite');
    const child = spawn(
      process.execPath,
      [
        path.join(__dirname, '../../dist/cli/track-in-crm.cjs'),
        'graph-emulator',
        '--port',
        '0',
        '--db',
        db,
        '--quiet',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /Graph emulator at (\S+?)\/ /.exec(out);
          if (m) resolve(m[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/localhost:\d+\/v1\.0$/);
      const res = await fetch(`${url.replace('localhost', '127.0.0.1')}/me/mailFolders/inbox`, {
        headers: { Authorization: 'Bearer t' },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { displayName: string }).displayName).toBe('Inbox');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  test('its arguments: defaults, each flag, and a bad one named', () => {
    expect(parseGraphEmulatorArgs([])).toEqual({
      port: 5556,
      dbFile: '.data/graph.sqlite',
      seed: 'demo',
      quiet: false,
    });
    expect(parseGraphEmulatorArgs(['--port=0', '--db', 'x.sqlite', '--seed', 'empty', '--quiet'])).toEqual({
      port: 0,
      dbFile: 'x.sqlite',
      seed: 'empty',
      quiet: true,
    });
    expect(parseGraphEmulatorArgs(['--port', '70000'])).toMatch(/--port/);
    expect(parseGraphEmulatorArgs(['--seed', 'full'])).toMatch(/--seed/);
    expect(parseGraphEmulatorArgs(['--what'])).toMatch(/unknown argument/);
  });

  test('the demo mailbox is the same on every machine: same ids, change keys and Message-IDs', async () => {
    const other = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'again.sqlite'), seed: 'demo' });
    const fresh = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'fresh.sqlite'), seed: 'demo' });
    try {
      const list = async (url: string): Promise<unknown> =>
        (
          (await (
            await fetch(`${url}/me/mailFolders/sentitems/messages?$select=changeKey,internetMessageId`, {
              headers: { Authorization: 'Bearer t' },
            })
          ).json()) as Page<Message>
        ).value;
      const a = await list(other.url);
      expect(a).toEqual(await list(fresh.url));
      expect((a as Message[]).length).toBeGreaterThan(0);
    } finally {
      await other.close();
      await fresh.close();
    }
  });

  test('an empty seed has the standard folders and categories but no messages', async () => {
    const empty = await startGraphEmulator({
      port: 0,
      dbFile: path.join(dir, 'empty.sqlite'),
      seed: 'empty',
    });
    try {
      const res = await fetch(`${empty.url}/me/mailFolders/inbox`, {
        headers: { Authorization: 'Bearer t' },
      });
      expect(((await res.json()) as { totalItemCount: number }).totalItemCount).toBe(0);
      const categories = await fetch(`${empty.url}/me/outlook/masterCategories`, {
        headers: { Authorization: 'Bearer t' },
      });
      expect(((await categories.json()) as { value: unknown[] }).value.length).toBeGreaterThan(0);
      // A sync that starts on the empty folder still learns of a message that came and went.
      const headers = { Authorization: 'Bearer t' };
      const first = (await (
        await fetch(`${empty.url}/me/mailFolders/inbox/messages/delta`, { headers })
      ).json()) as Page<Message>;
      expect(first.value).toEqual([]);
      const arrived = empty.deliver({
        key: 'came-and-went',
        folder: 'inbox',
        subject: 'Hello',
        from: { name: 'Ann Smith', address: 'ann@fabrikam.com' },
        to: [{ name: 'Megan Bowen', address: 'me@contoso.com' }],
        receivedAt: '2026-01-10T08:00:00Z',
      });
      const between = (await (
        await fetch(first['@odata.deltaLink'] as string, { headers })
      ).json()) as Page<Message>;
      expect(between.value.map((m) => m.id)).toEqual([arrived.id]);
      await fetch(`${empty.url}/me/messages/${encodeURIComponent(arrived.id)}`, {
        method: 'DELETE',
        headers,
      });
      const after = (await (
        await fetch(between['@odata.deltaLink'] as string, { headers })
      ).json()) as Page<Message>;
      expect(after.value).toEqual([
        { '@odata.type': '#microsoft.graph.message', id: arrived.id, '@removed': { reason: 'deleted' } },
      ]);
    } finally {
      await empty.close();
    }
  });
});

describe('the mailbox control plane (/_emulator/mailbox): the workbench mirror', () => {
  let own: GraphEmulator;
  let ownDir: string;
  const tag = customPropertiesId('c7776a0d-efcc-4504-b497-f889d0bed0d9');

  beforeAll(async () => {
    ownDir = mkdtempSync(path.join(tmpdir(), 'tic-graph-control-'));
    own = await startGraphEmulator({ port: 0, dbFile: path.join(ownDir, 'graph.sqlite'), seed: 'demo' });
  });

  afterAll(async () => {
    await own?.close();
    rmSync(ownDir, { recursive: true, force: true });
  });

  const control = async (method: string, at: string, body?: unknown) => {
    const res = await fetch(`${own.url.replace(/\/v1\.0$/, '')}${at}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const graph = async (method: string, at: string, body?: unknown) => {
    const res = await fetch(`${own.url}${at}`, {
      method,
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Page<Message> & Message;
  };
  const delta = async (link: string) => {
    const items: Message[] = [];
    for (let next: string | undefined = link; ;) {
      const page = await graph('GET', next.replace(own.url, ''));
      items.push(...page.value);
      if (page['@odata.deltaLink']) return { items, deltaLink: page['@odata.deltaLink'] };
      next = page['@odata.nextLink'];
      if (!next) throw new Error('a delta page without nextLink or deltaLink');
    }
  };
  const message = (id: string, folder: string, extra: Record<string, unknown> = {}) => ({
    id,
    folder,
    subject: `Mirrored ${id.slice(-6)}`,
    body: 'Hello',
    from: { name: 'Ann Lee', address: 'ann@fabrikam.com' },
    to: [{ name: 'Dana Park', address: 'dana@contoso.com' }],
    cc: [],
    receivedDateTime: '2026-11-02T09:00:00.000Z',
    internetMessageId: `<${id.slice(-6)}@fabrikam.com>`,
    inReplyTo: null,
    references: [],
    threadIndex: null,
    conversationId: 'AAQkAGI2mirror',
    isDraft: false,
    categories: [],
    headers: [{ name: 'Message-ID', value: `<${id.slice(-6)}@fabrikam.com>` }],
    extendedProperties: { [tag]: null },
    ...extra,
  });
  const A = 'AAMkAGI2mirrorAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1AAA=';
  const B = 'AAMkAGI2mirrorAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2AAA=';

  test('a sync creates messages in their folders (a path is made), and the same sync again changes nothing', async () => {
    const inbox = await delta('/me/mailFolders/inbox/messages/delta');
    const first = await control('PUT', '/_emulator/mailbox', {
      messages: [message(A, 'inbox'), message(B, 'Projects/Mirror')],
      masterCategories: [{ displayName: 'Tracked to CRM', color: 'preset4' }],
    });
    expect(first.json).toMatchObject({ created: 2, updated: 0, unchanged: 0, removed: 0 });
    const arrived = await delta(inbox.deltaLink);
    expect(arrived.items.map((m) => m.id)).toEqual([A]);
    const projects = (await graph('GET', '/me/mailFolders')).value.find(
      (f) => (f as unknown as { displayName: string }).displayName === 'Projects',
    );
    const children = await graph(
      'GET',
      `/me/mailFolders/${encodeURIComponent(projects?.id ?? '')}/childFolders`,
    );
    expect(children.value.map((f) => (f as unknown as { displayName: string }).displayName)).toEqual([
      'Mirror',
    ]);
    const categories = await graph('GET', '/me/outlook/masterCategories');
    expect(categories.value.map((c) => (c as unknown as { displayName: string }).displayName)).toContain(
      'Tracked to CRM',
    );

    const before = (await graph('GET', `/me/messages/${A}`)).changeKey;
    const again = await control('PUT', '/_emulator/mailbox', {
      messages: [message(A, 'inbox'), message(B, 'Projects/Mirror')],
    });
    expect(again.json).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 2,
      removed: 0,
      seq: first.json.seq,
    });
    expect((await graph('GET', `/me/messages/${A}`)).changeKey).toBe(before);
    expect((await delta(arrived.deltaLink)).items).toEqual([]);
  });

  test('a sync that differs updates (new changeKey); one that leaves out a mirrored message removes only that one', async () => {
    const inbox = await delta('/me/mailFolders/inbox/messages/delta');
    const demoCount = inbox.items.length;
    const changed = await control('PUT', '/_emulator/mailbox', {
      messages: [
        message(A, 'inbox', { categories: ['Important'], extendedProperties: { [tag]: '{"tic":"x"}' } }),
      ],
    });
    expect(changed.json).toMatchObject({ created: 0, updated: 1, removed: 1 });
    const round = await delta(inbox.deltaLink);
    expect(round.items.map((m) => [m.id, m.categories ?? m['@removed']])).toEqual([[A, ['Important']]]);
    const read = await graph(
      'GET',
      `/me/messages/${A}?$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${tag}')`)}`,
    );
    expect(read.singleValueExtendedProperties?.[0]?.value).toBe('{"tic":"x"}');
    // The demo mailbox's own messages are not the mirror's: kept.
    const after = await delta('/me/mailFolders/inbox/messages/delta');
    expect(after.items).toHaveLength(demoCount);
  });

  test("the change feed gives what clients changed through Graph since a sequence, never the mirror's own syncs", async () => {
    const start = await control('GET', '/_emulator/mailbox/changes');
    expect(start.json).toMatchObject({ changes: [] });
    const since = start.json.seq as number;
    await control('PUT', '/_emulator/mailbox', {
      messages: [
        message(A, 'inbox', { categories: ['Follow up'], extendedProperties: { [tag]: '{"tic":"x"}' } }),
      ],
    });
    expect((await control('GET', `/_emulator/mailbox/changes?since=${since}`)).json.changes).toEqual([]);

    await graph('PATCH', `/me/messages/${A}`, {
      categories: ['Tracked to CRM'],
      singleValueExtendedProperties: [{ id: tag, value: '{"tic":"y"}' }],
    });
    const feed = await control('GET', `/_emulator/mailbox/changes?since=${since}`);
    expect(feed.json.changes).toEqual([
      {
        id: A,
        categories: ['Tracked to CRM'],
        extendedProperties: { [tag]: '{"tic":"y"}' },
      },
    ]);
    expect(
      (await control('GET', `/_emulator/mailbox/changes?since=${feed.json.seq as number}`)).json.changes,
    ).toEqual([]);
  });

  test('a sync naming an older feed sequence does not undo a Graph write it has not pulled; one naming a newer does', async () => {
    const since = (await control('GET', '/_emulator/mailbox/changes')).json.seq as number;
    await graph('PATCH', `/me/messages/${A}`, {
      categories: ['Green category'],
      singleValueExtendedProperties: [{ id: tag, value: '{"tic":"graph"}' }],
    });
    const stale = message(A, 'inbox', {
      subject: 'Edited in Outlook',
      categories: [],
      extendedProperties: { [tag]: '{"tic":"outlook"}' },
    });
    await control('PUT', '/_emulator/mailbox', { messages: [stale], since });
    const kept = await graph(
      'GET',
      `/me/messages/${A}?$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${tag}')`)}`,
    );
    expect([kept.subject, kept.categories, kept.singleValueExtendedProperties?.[0]?.value]).toEqual([
      'Edited in Outlook',
      ['Green category'],
      '{"tic":"graph"}',
    ]);
    const pulled = (await control('GET', `/_emulator/mailbox/changes?since=${since}`)).json.seq as number;
    await control('PUT', '/_emulator/mailbox', { messages: [stale], since: pulled });
    expect((await graph('GET', `/me/messages/${A}`)).categories).toEqual([]);
  });

  test('a derived MAPI property, a malformed body or another method is refused', async () => {
    const derived = await control('PUT', '/_emulator/mailbox', {
      messages: [message(A, 'inbox', { extendedProperties: { 'String 0x1035': '<x@y>' } })],
    });
    expect([derived.status, (derived.json.error as { code: string }).code]).toEqual([400, 'BadRequest']);
    expect((await control('PUT', '/_emulator/mailbox', { messages: [{ id: 'short' }] })).status).toBe(400);
    expect((await control('POST', '/_emulator/mailbox', { messages: [] })).status).toBe(405);
    expect((await control('GET', '/_emulator/mailbox/changes?since=-1')).status).toBe(400);
  });
});
