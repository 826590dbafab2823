/**
 * The folder picker's list (src/graph/mailFolders.ts) against the local Graph emulator: every folder
 * under the root with its path, the standard folders marked by their well-known names, the walk done
 * in one `$batch` per level, pages followed, failures typed; and the emulator's mailFolder `$select`
 * and paging as Graph documents them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { graphId } from '../../emulator/graph/db';
import { DEMO_FOLDERS } from '../../emulator/graph/seed';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import { EMULATOR_TOKEN } from '../../src/graph/auth';
import { GraphForbiddenError, GraphProtocolError, GraphThrottledError } from '../../src/graph/errors';
import { GraphHttp } from '../../src/graph/graphHttp';
import { GraphMailFolders } from '../../src/graph/mailFolders';

let dir: string;
let emu: GraphEmulator;
let http: GraphHttp;
let folders: GraphMailFolders;
const waits: number[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-mail-folders-'));
  emu = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'graph.sqlite'), seed: 'demo' });
});

beforeEach(() => {
  waits.length = 0;
  http = new GraphHttp({
    baseUrl: emu.url,
    tokens: EMULATOR_TOKEN,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  folders = new GraphMailFolders({ http });
});

afterEach(() => emu.faults.clear());

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

let made = 0;
/** A folder added straight into the emulator's store, as another client would have made it. */
function addFolder(parentId: string, displayName: string, hidden = false): string {
  made += 1;
  const id = graphId('folder', `test:${made}:${displayName}`);
  emu.db.insertFolder({
    id,
    well_known: null,
    display_name: displayName,
    parent_id: parentId,
    is_hidden: hidden ? 1 : 0,
  });
  return id;
}

async function get(pathAndQuery: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = await EMULATOR_TOKEN.getToken();
  const response = await fetch(`${emu.url}${pathAndQuery}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('listFolders on the demo mailbox', () => {
  test('every folder, depth first, with its path; the five standard folders carry their well-known name', async () => {
    const before = http.requestCount;
    const list = await folders.listFolders();
    // Round 1: the top level and the well-known names; round 2: Inbox's children; round 3: Projects'.
    expect(http.requestCount - before).toBe(3);
    expect(list.map((f) => [f.path, f.wellKnown])).toEqual([
      ['Archive', null],
      ['Deleted Items', 'deleteditems'],
      ['Drafts', 'drafts'],
      ['Inbox', 'inbox'],
      ['Inbox/Projects', null],
      ['Inbox/Projects/Fabrikam', null],
      ['Junk Email', 'junkemail'],
      ['Outbox', null],
      ['Sent Items', 'sentitems'],
    ]);
    const fabrikam = list.find((f) => f.path === 'Inbox/Projects/Fabrikam');
    expect(fabrikam).toMatchObject({ id: DEMO_FOLDERS.fabrikam, displayName: 'Fabrikam' });
    expect(fabrikam?.totalItemCount).toBe(emu.db.folderCounts(DEMO_FOLDERS.fabrikam).total);
    expect(list.find((f) => f.wellKnown === 'inbox')?.id).toBe(DEMO_FOLDERS.inbox);
  });
});

describe('larger mailboxes', () => {
  test('a list longer than a page is followed by its nextLink, in order, within the next round', async () => {
    const parent = addFolder(DEMO_FOLDERS.inbox, 'Customers');
    const names = Array.from({ length: 130 }, (_, i) => `Customer ${String(i).padStart(3, '0')}`);
    for (const name of names) addFolder(parent, name);
    const before = http.requestCount;
    const list = await folders.listFolders();
    const customers = list.filter((f) => f.path.startsWith('Inbox/Customers/')).map((f) => f.displayName);
    expect(customers).toEqual(names);
    // Rounds: the top level, Inbox's children, theirs (Customers page 1), Customers page 2.
    expect(http.requestCount - before).toBe(4);
    // Parents come before their children.
    const paths = list.map((f) => f.path);
    expect(paths.indexOf('Inbox/Customers')).toBeLessThan(paths.indexOf('Inbox/Customers/Customer 000'));
  });

  test('more than 20 folders with children in one level: that round takes two $batch requests', async () => {
    const wide = addFolder(DEMO_FOLDERS.root, 'Wide');
    for (let i = 0; i < 25; i += 1) addFolder(addFolder(wide, `Level ${i}`), `Leaf ${i}`);
    const list = await folders.listFolders();
    expect(list.filter((f) => /^Wide\/Level \d+\/Leaf \d+$/.test(f.path))).toHaveLength(25);
    expect(list.find((f) => f.path === 'Wide/Level 7/Leaf 7')?.wellKnown).toBeNull();
  });

  test('hidden folders are not listed (includeHiddenFolders is not asked)', async () => {
    addFolder(DEMO_FOLDERS.inbox, 'Secret', true);
    const list = await folders.listFolders();
    expect(list.some((f) => f.displayName === 'Secret')).toBe(false);
  });
});

describe('failures are typed, never an empty list', () => {
  test('a throttled childFolders part is waited out and the list is whole', async () => {
    emu.faults.add({
      match: { method: 'GET', pathContains: '/childFolders' },
      status: 429,
      retryAfter: 2,
      count: 1,
    });
    const list = await folders.listFolders();
    expect(waits).toEqual([2000]);
    expect(list.some((f) => f.path === 'Inbox/Projects/Fabrikam')).toBe(true);
  });

  test('a Retry-After beyond the policy is the caller’s: GraphThrottledError with the wait', async () => {
    emu.faults.add({ match: { method: 'GET', pathContains: '/childFolders' }, status: 429, retryAfter: 300 });
    const error = await folders.listFolders().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphThrottledError);
    expect((error as GraphThrottledError).retryAfterMs).toBe(300_000);
  });

  test('a refused top-level list is a GraphForbiddenError', async () => {
    emu.faults.add({ match: { method: 'GET', pathContains: '/me/mailFolders?' }, status: 403, count: 5 });
    await expect(folders.listFolders()).rejects.toBeInstanceOf(GraphForbiddenError);
  });
});

describe('the emulator’s mailFolder lists as Graph documents them', () => {
  test('$select returns the selected properties and id; a page link keeps $select and $top', async () => {
    const first = await get('/me/mailFolders?$select=displayName&$top=3');
    expect(first.status).toBe(200);
    const value = first.body.value as Record<string, unknown>[];
    expect(value).toHaveLength(3);
    for (const f of value) expect(Object.keys(f).sort()).toEqual(['displayName', 'id']);
    const next = first.body['@odata.nextLink'] as string;
    expect(next).toContain('$select=displayName');
    const second = await get(next.slice(emu.url.length));
    expect(Object.keys((second.body.value as Record<string, unknown>[])[0] ?? {}).sort()).toEqual([
      'displayName',
      'id',
    ]);
  });

  test('$select holds for one folder by its well-known name too', async () => {
    const one = await get('/me/mailFolders/inbox?$select=displayName');
    expect(one.status).toBe(200);
    expect(
      Object.keys(one.body)
        .filter((k) => !k.startsWith('@'))
        .sort(),
    ).toEqual(['displayName', 'id']);
  });

  test('a $select of a property mailFolder lacks is 400 RequestBroker--ParseUri', async () => {
    const bad = await get('/me/mailFolders?$select=wellKnownName');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'RequestBroker--ParseUri',
      message: "Could not find a property named 'wellKnownName' on type 'microsoft.graph.mailFolder'.",
    });
  });
});

describe('what the emulator does not serve (a scripted Graph)', () => {
  /** A Graph answering each `$batch` part from `answer(url)`, and counting the batches. */
  function scripted(answer: (url: string) => { status: number; body: unknown }): GraphMailFolders {
    const fetchImpl: typeof fetch = async (_input, init) => {
      const { requests } = JSON.parse(String(init?.body)) as { requests: { id: string; url: string }[] };
      const responses = requests.map((r) => ({ id: r.id, headers: {}, ...answer(r.url) }));
      return new Response(JSON.stringify({ responses }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    };
    const scriptedHttp = new GraphHttp({ tokens: EMULATOR_TOKEN, fetch: fetchImpl });
    return new GraphMailFolders({ http: scriptedHttp });
  }
  const inboxId = 'AAMkInbox';

  test('a mail search folder under the root is not a folder to map; a missing standard folder marks nothing', async () => {
    const list = await scripted((url) => {
      if (url.startsWith('/me/mailFolders/inbox')) return { status: 200, body: { id: inboxId } };
      if (url.startsWith('/me/mailFolders/'))
        return { status: 404, body: { error: { code: 'ErrorItemNotFound' } } };
      return {
        status: 200,
        body: {
          value: [
            { id: inboxId, displayName: 'Posteingang', childFolderCount: 0, totalItemCount: 3 },
            {
              '@odata.type': '#microsoft.graph.mailSearchFolder',
              id: 'AAMkSearch',
              displayName: 'Unread Mail',
              childFolderCount: 0,
            },
          ],
        },
      };
    }).listFolders();
    expect(list).toEqual([
      { id: inboxId, displayName: 'Posteingang', path: 'Posteingang', wellKnown: 'inbox', totalItemCount: 3 },
    ]);
  });

  test('a folder list that continues at another host is a protocol error, not a partial list', async () => {
    const error = await scripted((url) =>
      url.startsWith('/me/mailFolders/')
        ? { status: 200, body: { id: `id-${url}` } }
        : {
            status: 200,
            body: { value: [], '@odata.nextLink': 'https://elsewhere.example/v1.0/me/mailFolders?$skip=100' },
          },
    )
      .listFolders()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphProtocolError);
  });
});
