import {
  GraphConflictError,
  GraphProtocolError,
  GraphRequestError,
  GraphUnavailableError,
} from '../../../src/graph/errors';
import { GraphMailbox } from '../../../src/graph/graphAdapter';
import { customPropertiesId } from '../../../src/graph/properties';
import { encodeTag } from '../../../src/mail/marks';
import { BASE, graphError, json, scriptedGraph, type Step } from './scripted';

const ADDIN = 'c7776a0d-efcc-4504-b497-f889d0bed0d9';
const TAG_ID = customPropertiesId(ADDIN);
const tag = { activityId: 'act-1', regarding: { type: 'account', id: 'a1' } };

function adapter(steps: Step[]) {
  const scripted = scriptedGraph(steps);
  const logged: string[] = [];
  const mailbox = new GraphMailbox({
    http: scripted.http,
    userAddress: 'me@contoso.com',
    addinId: ADDIN,
    pageSize: 50,
    log: (line) => logged.push(line),
  });
  return { ...scripted, mailbox, logged };
}

const message = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  changeKey: `ck-${id}`,
  subject: `Subject ${id}`,
  receivedDateTime: '2026-01-10T08:00:00Z',
  from: { emailAddress: { name: 'Ann', address: 'ann@fabrikam.com' } },
  ...extra,
});
const decoded = (url: string) => decodeURIComponent(url);

describe('folderChanges: per-folder delta', () => {
  test('a first round asks for the decision fields, the properties and the lookback, pages by nextLink to the deltaLink', async () => {
    const next = `${BASE}/me/mailFolders/inbox/messages/delta?$skiptoken=p2`;
    const delta = `${BASE}/me/mailFolders/inbox/messages/delta?$deltatoken=d1`;
    const { mailbox, calls } = adapter([
      json(200, { value: [message('m1')], '@odata.nextLink': next }),
      json(200, { value: [message('m2')], '@odata.deltaLink': delta }),
    ]);
    const changes = await mailbox.folderChanges({ wellKnown: 'Inbox' }, null, {
      since: '2026-01-08T09:00:00+00:00',
    });
    const first = decoded(calls[0]?.url ?? '');
    expect(first).toMatch(
      /^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/mailFolders\/inbox\/messages\/delta\?\$select=id,changeKey,isDraft,categories,/,
    );
    expect(first).toContain(
      `$expand=singleValueExtendedProperties($filter=id eq 'String 0x1042' or id eq 'String 0x1039' or id eq '${TAG_ID}')`,
    );
    expect(first).toContain('$filter=receivedDateTime ge 2026-01-08T09:00:00Z');
    expect(calls.map((c) => c.headers.Prefer)).toEqual([
      'odata.maxpagesize=50, outlook.body-content-type="text"',
      'odata.maxpagesize=50, outlook.body-content-type="text"',
    ]);
    expect(calls[1]?.url).toBe(next);
    expect(changes).toMatchObject({ watermark: delta, complete: true, restarted: false, removed: [] });
    expect(changes.items.map((i) => [i.itemId, i.changeKey, i.facts.folder])).toEqual([
      ['m1', 'ck-m1', 'Inbox'],
      ['m2', 'ck-m2', 'Inbox'],
    ]);
  });

  test('a later round starts at the watermark: one request when nothing changed', async () => {
    const delta = `${BASE}/me/mailFolders/inbox/messages/delta?$deltatoken=d1`;
    const { mailbox, calls } = adapter([json(200, { value: [], '@odata.deltaLink': `${delta}2` })]);
    const changes = await mailbox.folderChanges({ wellKnown: 'inbox' }, delta);
    expect(calls.map((c) => c.url)).toEqual([delta]);
    expect(changes).toMatchObject({ items: [], removed: [], watermark: `${delta}2` });
  });

  test('removed and moved-out items are listed once; an item changed twice in a round is given as last seen', async () => {
    const { mailbox } = adapter([
      json(200, {
        value: [
          message('m1'),
          message('m2'),
          { id: 'm1', '@removed': { reason: 'deleted' } },
          message('m2', { changeKey: 'ck-new' }),
          { id: 'm3', '@removed': { reason: 'deleted' } },
        ],
        '@odata.deltaLink': `${BASE}/d`,
      }),
    ]);
    const changes = await mailbox.folderChanges({ wellKnown: 'inbox' }, `${BASE}/d0`);
    expect(changes.items.map((i) => [i.itemId, i.changeKey])).toEqual([['m2', 'ck-new']]);
    expect(changes.removed).toEqual(['m1', 'm3']);
  });

  test('maxPages: the round stops and its nextLink is the watermark to continue from', async () => {
    const next = `${BASE}/me/mailFolders/inbox/messages/delta?$skiptoken=p2`;
    const { mailbox, calls } = adapter([json(200, { value: [message('m1')], '@odata.nextLink': next })]);
    const changes = await mailbox.folderChanges({ wellKnown: 'inbox' }, null, { maxPages: 1 });
    expect(changes).toMatchObject({ watermark: next, complete: false });
    expect(calls).toHaveLength(1);
  });

  test('410 on the watermark: the folder is read again from the lookback, and says so', async () => {
    const { mailbox, calls, logged } = adapter([
      graphError(410, 'SyncStateNotFound'),
      json(200, { value: [message('m1')], '@odata.deltaLink': `${BASE}/d2` }),
    ]);
    const changes = await mailbox.folderChanges({ wellKnown: 'inbox' }, `${BASE}/old`, {
      since: '2026-01-08T00:00:00Z',
    });
    expect(changes).toMatchObject({ restarted: true, watermark: `${BASE}/d2` });
    expect(decoded(calls[1]?.url ?? '')).toContain('$filter=receivedDateTime ge 2026-01-08T00:00:00Z');
    expect(logged.join(' ')).toMatch(/no longer knows the watermark/);
  });

  test("a watermark for another host is never sent this mailbox's token: the folder starts over", async () => {
    const { mailbox, calls } = adapter([json(200, { value: [], '@odata.deltaLink': `${BASE}/d` })]);
    const changes = await mailbox.folderChanges(
      { wellKnown: 'inbox' },
      'https://evil.example/v1.0/me/messages/delta',
    );
    expect(changes.restarted).toBe(true);
    expect(calls[0]?.url.startsWith(`${BASE}/me/mailFolders/inbox/messages/delta?`)).toBe(true);
  });

  test('a page with neither link, and a message without an id, are reported, not guessed', async () => {
    const broken = adapter([json(200, { value: [] })]);
    await expect(broken.mailbox.folderChanges({ wellKnown: 'inbox' }, null)).rejects.toThrow(/neither/);
    const noId = adapter([
      json(200, { value: [{ subject: 'x' }, message('m1')], '@odata.deltaLink': `${BASE}/d` }),
    ]);
    const changes = await noId.mailbox.folderChanges({ wellKnown: 'inbox' }, null);
    expect(changes.unreadable).toEqual([{ itemId: null, reason: 'the message has no id' }]);
    expect(changes.items.map((i) => i.itemId)).toEqual(['m1']);
  });

  test('a read-state entry ({id, isRead, parentFolderId}) is read again by id in the same call: items are always whole', async () => {
    const readState = (id: string) => ({ id, isRead: true, parentFolderId: 'INBOX' });
    const { mailbox, calls } = adapter([
      json(200, {
        value: [readState('r1'), message('m1'), readState('r2'), readState('gone')],
        '@odata.deltaLink': `${BASE}/d2`,
      }),
      (_url, init) => {
        const sent = (JSON.parse(init.body as string) as { requests: { id: string; url: string }[] })
          .requests;
        return json(200, {
          responses: sent.map((r) =>
            r.url.includes('/gone?')
              ? { id: r.id, status: 404, headers: {}, body: { error: { code: 'ErrorItemNotFound' } } }
              : {
                  id: r.id,
                  status: 200,
                  headers: {},
                  body: message(decodeURIComponent(r.url.split('/')[3]?.split('?')[0] ?? '')),
                },
          ),
        });
      },
    ]);
    const changes = await mailbox.folderChanges({ wellKnown: 'inbox' }, `${BASE}/d1`);
    expect(changes.items.map((i) => [i.itemId, i.changeKey, i.facts.receivedAt])).toEqual([
      ['m1', 'ck-m1', '2026-01-10T08:00:00.000Z'],
      ['r1', 'ck-r1', '2026-01-10T08:00:00.000Z'],
      ['r2', 'ck-r2', '2026-01-10T08:00:00.000Z'],
    ]);
    expect(changes.unreadable).toEqual([
      {
        itemId: 'gone',
        reason: expect.stringMatching(/^it changed its read state and reading it again failed/),
      },
    ]);
    expect(changes).toMatchObject({ watermark: `${BASE}/d2`, complete: true });
    // One $batch for the three, asking what a delta page asks.
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/d1`, `${BASE}/$batch`]);
    const parts = (calls[1]?.body as { requests: { url: string; headers: Record<string, string> }[] })
      .requests;
    expect(parts.map((p) => p.url.split('?')[0])).toEqual([
      '/me/messages/r1',
      '/me/messages/r2',
      '/me/messages/gone',
    ]);
    expect(parts.every((p) => decoded(p.url).includes('$select=id,changeKey,isDraft,categories,'))).toBe(
      true,
    );
    expect(parts.every((p) => p.headers.Prefer === 'outlook.body-content-type="text"')).toBe(true);
  });

  test('a read-state entry followed by the whole message, or by its removal, needs no read', async () => {
    const { mailbox, calls } = adapter([
      json(200, {
        value: [
          { id: 'a', isRead: false, parentFolderId: 'INBOX' },
          message('a', { changeKey: 'ck-a2' }),
          { id: 'b', isRead: true, parentFolderId: 'INBOX' },
          { id: 'b', '@removed': { reason: 'deleted' } },
        ],
        '@odata.deltaLink': `${BASE}/d2`,
      }),
    ]);
    const changes = await mailbox.folderChanges({ wellKnown: 'inbox' }, `${BASE}/d1`);
    expect(changes.items.map((i) => [i.itemId, i.changeKey])).toEqual([['a', 'ck-a2']]);
    expect(changes.removed).toEqual(['b']);
    expect(calls).toHaveLength(1);
  });

  test('41 read-state entries are read again in $batches of 20', async () => {
    const ids = Array.from({ length: 41 }, (_, i) => `r${i}`);
    const answer = (_url: string, init: RequestInit) => {
      const sent = (JSON.parse(init.body as string) as { requests: { id: string; url: string }[] }).requests;
      return json(200, {
        responses: sent.map((r) => ({
          id: r.id,
          status: 200,
          headers: {},
          body: message(r.url.split('/')[3]?.split('?')[0] ?? ''),
        })),
      });
    };
    const { mailbox, calls } = adapter([
      json(200, {
        value: ids.map((id) => ({ id, isRead: true, parentFolderId: 'INBOX' })),
        '@odata.deltaLink': `${BASE}/d2`,
      }),
      answer,
      answer,
      answer,
    ]);
    const changes = await mailbox.folderChanges({ wellKnown: 'inbox' }, `${BASE}/d1`);
    expect(changes.items.map((i) => i.itemId)).toEqual(ids);
    expect(calls.slice(1).map((c) => (c.body as { requests: unknown[] }).requests.length)).toEqual([
      20, 20, 1,
    ]);
  });

  test.each([
    ['nextLink', 'https://evil.example/v1.0/me/mailFolders/inbox/messages/delta?$skiptoken=p2'],
    ['deltaLink', 'https://graph.microsoft.com/beta/me/mailFolders/inbox/messages/delta?$deltatoken=d'],
  ])(
    'a delta page whose %s leads elsewhere is a protocol error: not followed, not kept',
    async (name, link) => {
      const { mailbox, calls } = adapter([json(200, { value: [message('m1')], [`@odata.${name}`]: link })]);
      await expect(mailbox.folderChanges({ wellKnown: 'inbox' }, null)).rejects.toBeInstanceOf(
        GraphProtocolError,
      );
      expect(calls).toHaveLength(1);
    },
  );

  test('a folder path is walked by display name (a well-known first segment starts there), once per adapter', async () => {
    const delta = (n: number) => json(200, { value: [], '@odata.deltaLink': `${BASE}/d${n}` });
    const { mailbox, calls } = adapter([
      json(200, { id: 'INBOX-ID' }),
      json(200, { value: [{ id: 'P', displayName: ' projects ' }] }),
      json(200, { value: [{ id: 'F/1', displayName: 'Fabrikam' }] }),
      delta(1),
      delta(2),
    ]);
    await mailbox.folderChanges({ path: 'Inbox/Projects/Fabrikam' }, null);
    await mailbox.folderChanges({ path: 'inbox/projects/fabrikam ' }, null);
    expect(calls.map((c) => decoded(c.url.split('?')[0] as string))).toEqual([
      `${BASE}/me/mailFolders/inbox`,
      `${BASE}/me/mailFolders/INBOX-ID/childFolders`,
      `${BASE}/me/mailFolders/P/childFolders`,
      `${BASE}/me/mailFolders/F/1/messages/delta`,
      `${BASE}/me/mailFolders/F/1/messages/delta`,
    ]);
    expect(calls[3]?.url).toContain('/me/mailFolders/F%2F1/messages/delta');
  });

  test('a well-known name that is not a bare word is refused before any request', async () => {
    const { mailbox, calls } = adapter([]);
    await expect(mailbox.folderChanges({ wellKnown: 'inbox/../x' }, null)).rejects.toThrow(TypeError);
    expect(calls).toHaveLength(0);
  });
});

describe('writes: categories and the tag', () => {
  const batchAnswer =
    (statusOf: (id: string) => number, body: (id: string) => unknown = () => ({ changeKey: 'new' })) =>
    (_url: string, init: RequestInit) => {
      const sent = (JSON.parse(init.body as string) as { requests: { id: string }[] }).requests;
      return json(200, {
        responses: sent.map((r) => ({ id: r.id, status: statusOf(r.id), headers: {}, body: body(r.id) })),
      });
    };

  test('categories and tag go in one PATCH per item, guarded by the changeKey, the other custom properties kept', async () => {
    const { mailbox, calls } = adapter([batchAnswer(() => 200)]);
    const [outcome] = await mailbox.updateItems([
      {
        itemId: 'm/1',
        changeKey: 'ck1',
        categories: ['Tracked to CRM'],
        tag,
        customProperties: { ticd: 'v1; id=d' },
      },
    ]);
    expect(outcome).toEqual({ itemId: 'm/1', ok: true, changeKey: 'new' });
    const [request] = (calls[0]?.body as { requests: Record<string, unknown>[] }).requests;
    expect(request).toEqual({
      id: '1',
      method: 'PATCH',
      url: '/me/messages/m%2F1?$select=id,changeKey',
      headers: { 'If-Match': 'W/"ck1"', 'Content-Type': 'application/json' },
      body: {
        categories: ['Tracked to CRM'],
        singleValueExtendedProperties: [
          { id: TAG_ID, value: JSON.stringify({ ticd: 'v1; id=d', tic: encodeTag(tag) }) },
        ],
      },
    });
  });

  test('412 on a stale changeKey is a GraphConflictError for that item only', async () => {
    const { mailbox } = adapter([
      batchAnswer(
        (id) => (id === '2' ? 412 : 200),
        (id) =>
          id === '2'
            ? { error: { code: 'ErrorIrresolvableConflict', message: 'changed' } }
            : { changeKey: 'new' },
      ),
    ]);
    const outcomes = await mailbox.updateItems([
      { itemId: 'a', changeKey: 'k', categories: [] },
      { itemId: 'b', changeKey: 'stale', categories: [] },
    ]);
    expect(outcomes[0]).toMatchObject({ ok: true });
    expect(outcomes[1]).toMatchObject({ itemId: 'b', ok: false, error: expect.any(GraphConflictError) });
  });

  test('a PATCH answered 503 in the batch is reported, never sent again', async () => {
    const { mailbox, calls } = adapter([
      batchAnswer(
        () => 503,
        () => ({ error: { code: 'ServiceUnavailable' } }),
      ),
    ]);
    const [outcome] = await mailbox.updateItems([{ itemId: 'a', categories: [] }]);
    expect(outcome).toMatchObject({ ok: false, error: expect.any(GraphUnavailableError) });
    expect(calls).toHaveLength(1);
  });

  test('writeTag without the custom properties reads them first, then writes with the changeKey it read', async () => {
    const { mailbox, calls } = adapter([
      batchAnswer(
        () => 200,
        () => ({
          id: 'a',
          changeKey: 'read-ck',
          singleValueExtendedProperties: [{ id: TAG_ID.toLowerCase(), value: '{"ticd":"v1; id=d"}' }],
        }),
      ),
      batchAnswer(() => 200),
    ]);
    expect(await mailbox.writeTag('a', tag)).toBe('new');
    const read = (calls[0]?.body as { requests: { method: string; url: string }[] }).requests[0];
    expect([read?.method, decoded(read?.url ?? '')]).toEqual([
      'GET',
      `/me/messages/a?$select=id,changeKey&$expand=singleValueExtendedProperties($filter=id eq '${TAG_ID}')`,
    ]);
    const write = (calls[1]?.body as { requests: { headers: unknown; body: unknown }[] }).requests[0];
    expect(write).toMatchObject({
      headers: { 'If-Match': 'W/"read-ck"' },
      body: {
        singleValueExtendedProperties: [
          { id: TAG_ID, value: JSON.stringify({ ticd: 'v1; id=d', tic: encodeTag(tag) }) },
        ],
      },
    });
  });

  test('removing the tag keeps the other properties; setCategories throws the typed error of its item', async () => {
    const { mailbox, calls } = adapter([
      batchAnswer(() => 200),
      batchAnswer(
        () => 404,
        () => ({ error: { code: 'ErrorItemNotFound', message: 'gone' } }),
      ),
    ]);
    await mailbox.updateItems([
      { itemId: 'a', tag: null, customProperties: { tic: encodeTag(tag), ticd: 'x' } },
    ]);
    const [write] = (calls[0]?.body as { requests: { body: { singleValueExtendedProperties: unknown } }[] })
      .requests;
    expect(write?.body.singleValueExtendedProperties).toEqual([{ id: TAG_ID, value: '{"ticd":"x"}' }]);
    await expect(mailbox.setCategories('gone', ['A'])).rejects.toThrow('gone');
  });

  test("custom properties over Outlook's 2,500 characters are refused without a request", async () => {
    const { mailbox, calls } = adapter([]);
    const [outcome] = await mailbox.updateItems([
      { itemId: 'a', tag, customProperties: { big: 'x'.repeat(2500) } },
    ]);
    expect(outcome).toMatchObject({ ok: false, error: expect.any(GraphRequestError) });
    expect(calls).toHaveLength(0);
  });
});

describe('master categories', () => {
  test("ensureCategory adds a missing category in Graph's colour spelling, and accepts losing a race (409)", async () => {
    const { mailbox, calls } = adapter([
      json(200, { value: [{ displayName: 'Other', color: 'preset1' }] }),
      graphError(409, 'ErrorDuplicateCategoryName'),
    ]);
    await mailbox.ensureCategory('Tracked to CRM', 'Preset4');
    expect(calls[1]).toMatchObject({
      url: `${BASE}/me/outlook/masterCategories`,
      init: { method: 'POST' },
      body: { displayName: 'Tracked to CRM', color: 'preset4' },
    });
  });

  test('a category already there (case aside) costs one read; an unknown colour is refused', async () => {
    const { mailbox, calls } = adapter([
      json(200, { value: [{ displayName: 'tracked to crm', color: 'preset4' }] }),
    ]);
    await mailbox.ensureCategory('Tracked to CRM', 'Preset4');
    expect(calls).toHaveLength(1);
    await expect(mailbox.ensureCategory('New', 'green')).rejects.toThrow(TypeError);
    expect(calls).toHaveLength(1);
  });
});
