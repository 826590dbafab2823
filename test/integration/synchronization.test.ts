/**
 * Synchronization end to end (synchronization.md §2, issue 12's budgets): the runner, the Dataverse
 * sync adapter on the Dataverse emulator and the Graph sync adapter on the Graph emulator, every HTTP
 * request counted by a fetch wrapper. The user's filters are Outlook filters (userquery 256) written
 * into the emulator as Dataverse holds them; the other side's edits are made through an uncounted
 * adapter, as another client would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';
import type { Emulator } from '../../emulator/server';
import { insertOutlookFilter } from '../../emulator/outlookFilter';
import { DEMO, seedId } from '../../emulator/seed';
import type { MailboxPort } from '../../src/app/ports';
import { openSession, type Session } from '../../src/app/session';
import type { Synchronization } from '../../src/app/syncDeps';
import type { SyncRunRecord, SyncState } from '../../src/app/syncStatus';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseAdapter } from '../../src/crm/dataverseAdapter';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { DataverseSync } from '../../src/crm/syncAdapter';
import { EMULATOR_TOKEN } from '../../src/graph/auth';
import { GraphHttp } from '../../src/graph/graphHttp';
import { GraphSync } from '../../src/graph/syncAdapter';
import type { OutlookSyncItem } from '../../src/graph/syncPort';
import { ADDIN_ID } from '../../src/host/addinId';
import { startDemoEmulator } from '../support/demoEmulator';
import { MemoryPendingStore, MemoryTokenCounter } from '../support/fakes';
import { startSyncOnEmulators } from '../support/syncOnEmulators';

/** The contacts of this test are the ones in this department (the demo organization has others). */
const DEPARTMENT = 'Synchronization test';

let dir: string;
let crmEmu: Emulator;
let graphEmu: GraphEmulator;

const id = (name: string): string => seedId(`synchronization-test:${name}`);

function insertFilter(entity: 'contact' | 'appointment' | 'task', conditions: string): void {
  insertOutlookFilter(crmEmu.db, {
    userqueryid: id(`filter:${entity}`),
    name: `My ${entity}s`,
    entity,
    conditions,
  });
}

function insertContact(name: string, row: Record<string, unknown>): string {
  const contactid = id(`contact:${name}`);
  crmEmu.db.insert('contact', {
    contactid,
    lastname: name,
    department: DEPARTMENT,
    statecode: 0,
    statuscode: 1,
    _ownerid_value: DEMO.me,
    _ownerid_type: 'systemuser',
    ...row,
  });
  return contactid;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-synchronization-'));
  crmEmu = await startDemoEmulator('synchronization');
  graphEmu = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'graph.sqlite'), seed: 'empty' });
  insertFilter('contact', `<condition attribute="department" operator="eq" value="${DEPARTMENT}"/>`);
  // (The demo organization's own appointment and tasks are left out: this test is about contacts.)
  insertFilter('appointment', `<condition attribute="subject" operator="eq" value="${DEPARTMENT}"/>`);
  insertFilter('task', `<condition attribute="subject" operator="eq" value="${DEPARTMENT}"/>`);
});

afterAll(async () => {
  await graphEmu?.close();
  await crmEmu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const dataverseHttp = (fetchImpl: typeof fetch = fetch): DataverseHttp =>
  new DataverseHttp({
    orgUrl: crmEmu.url.replace(/\/api\/data\/v9\.2\/?$/, ''),
    tokens: NO_TOKEN,
    fetch: fetchImpl,
    sleep: async () => {},
  });

const graphHttp = (fetchImpl: typeof fetch = fetch): GraphHttp =>
  new GraphHttp({ baseUrl: graphEmu.url, tokens: EMULATOR_TOKEN, fetch: fetchImpl, sleep: async () => {} });

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

const mailboxPort = { userAddress: () => DEMO.meEmail } as MailboxPort;

interface Client {
  readonly sync: Synchronization;
  readonly crmRequests: () => number;
  readonly graphRequests: () => number;
  readonly state: () => SyncState;
  readonly logged: string[];
  /** "Synchronize now"; resolves with its run when it is over. */
  run(): Promise<SyncRunRecord>;
  /** The next scheduled run (it keeps the filters and mappings read; Synchronize now reads them again). */
  scheduled(): Promise<SyncRunRecord>;
}

async function client(): Promise<Client> {
  const crmCount = counter();
  const graphCount = counter();
  const session: Session = await openSession({
    crm: new DataverseAdapter(dataverseHttp(), { sleep: async () => {} }),
    mailbox: mailboxPort,
    pending: new MemoryPendingStore(),
    tokens: new MemoryTokenCounter(),
    clock: { now: () => Date.now() },
    localOptions: { load: async () => ({ client: {}, user: {} }), save: async () => {} },
  });
  const logged: string[] = [];
  const log = (message: string, error?: unknown): void => {
    logged.push(error === undefined ? message : `${message}: ${String(error)}`);
  };
  // Runs happen when the test says (Synchronize now, or the scheduled run fired): the schedule is
  // the unit tests' subject.
  const { sync, state, runScheduled } = startSyncOnEmulators({
    session,
    crm: new DataverseSync(dataverseHttp(crmCount.fetch), { userId: session.user.id, log }),
    outlook: new GraphSync({ http: graphHttp(graphCount.fetch), addinId: ADDIN_ID, log }),
    log,
  });
  return {
    sync,
    crmRequests: crmCount.count,
    graphRequests: graphCount.count,
    state,
    logged,
    run: async () => {
      await sync.synchronizeNow();
      return sync.status().runs[0] as SyncRunRecord;
    },
    scheduled: async () => {
      await runScheduled();
      return sync.status().runs[0] as SyncRunRecord;
    },
  };
}

/** The Outlook contacts as Graph gives them now (an uncounted reader). */
async function outlookContacts(): Promise<OutlookSyncItem[]> {
  const reader = new GraphSync({ http: graphHttp(), addinId: ADDIN_ID });
  const items: OutlookSyncItem[] = [];
  let watermark: string | null = null;
  for (;;) {
    const changes = await reader.changes('contact', watermark);
    items.push(...changes.items);
    watermark = changes.watermark;
    if (changes.complete) return items;
  }
}

let dana: Client;
let ann: string;
let bo: string;

test('the first synchronization copies the in-scope CRM contacts to Outlook, each carrying its record; a quiet one then costs one Dataverse request per filter and one Graph delta per type', async () => {
  ann = insertContact('Lee', { firstname: 'Ann', emailaddress1: 'ann.lee@fabrikam.example' });
  bo = insertContact('Chen', { firstname: 'Bo', jobtitle: 'Buyer' });
  insertContact('Elsewhere', { firstname: 'Out', department: 'Another department' });
  dana = await client();
  const first = await dana.run();
  expect(first.types.map((t) => [t.entity, t.ran, t.error])).toEqual([
    ['contact', true, null],
    ['appointment', true, null],
    ['task', true, null],
  ]);
  const contacts = await outlookContacts();
  expect(
    contacts
      .filter((c) => c.crmId === ann || c.crmId === bo)
      .map((c) => c.fields.surname)
      .sort(),
  ).toEqual(['Chen', 'Lee']);
  expect(contacts.map((c) => c.fields.givenName)).not.toContain('Out');

  const crmBefore = dana.crmRequests();
  const graphBefore = dana.graphRequests();
  const quiet = await dana.scheduled();
  expect(quiet.trigger).toBe('scheduled');
  expect(quiet.entries).toEqual([]);
  expect(dana.crmRequests() - crmBefore).toBe(3);
  expect(dana.graphRequests() - graphBefore).toBe(3);
});

test('an Outlook edit reaches the CRM and a CRM edit reaches Outlook', async () => {
  const contacts = await outlookContacts();
  const annItem = contacts.find((c) => c.crmId === ann) as OutlookSyncItem;
  const boItem = contacts.find((c) => c.crmId === bo) as OutlookSyncItem;
  // The user edits Ann in Outlook; someone edits Bo in the CRM.
  await new GraphSync({ http: graphHttp(), addinId: ADDIN_ID }).applyWrites('contact', [
    { kind: 'update', itemId: annItem.itemId, fields: { jobTitle: 'CFO' } },
  ]);
  await new DataverseSync(dataverseHttp(), { userId: DEMO.me }).applyWrites('contact', [
    { kind: 'update', id: bo, fields: { jobtitle: 'Head of purchasing' } },
  ]);
  const run = await dana.run();
  expect(run.entries.map((e) => [e.op, e.title, e.fields, e.outcome])).toEqual([
    ['updateCrm', annItem.title, ['jobtitle'], 'done'],
    ['updateOutlook', boItem.title, ['jobTitle'], 'done'],
  ]);
  expect(crmEmu.db.get('contact', ann)?.jobtitle).toBe('CFO');
  const after = await outlookContacts();
  expect(after.find((c) => c.itemId === boItem.itemId)?.fields.jobTitle).toBe('Head of purchasing');
});

test('an Outlook contact the user tracks becomes a CRM contact, and the Outlook contact carries it', async () => {
  // The user makes the contact in Outlook (Graph's create contact), then asks to track it.
  const response = await fetch(`${graphEmu.url}/me/contacts`, {
    method: 'POST',
    headers: { Authorization: 'Bearer graph-emulator', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      givenName: 'Cy',
      surname: 'Okafor',
      emailAddresses: [{ address: 'cy.okafor@wingtip.example', name: 'Cy Okafor' }],
    }),
  });
  const made = { itemId: ((await response.json()) as { id: string }).id };
  await new GraphSync({ http: graphHttp(), addinId: ADDIN_ID }).applyWrites('contact', [
    { kind: 'track', itemId: made.itemId },
  ]);
  const run = await dana.run();
  expect(run.entries.map((e) => [e.op, e.itemId, e.outcome])).toEqual([['createCrm', made.itemId, 'done']]);
  const item = (await outlookContacts()).find((c) => c.itemId === made.itemId);
  expect(item).toMatchObject({ tracked: true });
  expect(crmEmu.db.get('contact', item?.crmId as string)).toMatchObject({
    firstname: 'Cy',
    lastname: 'Okafor',
    emailaddress1: 'cy.okafor@wingtip.example',
  });
});

test('an Outlook contact deleted by the user is unlinked and its CRM contact stays, not copied again', async () => {
  const annItem = (await outlookContacts()).find((c) => c.crmId === ann) as OutlookSyncItem;
  await new GraphSync({ http: graphHttp(), addinId: ADDIN_ID }).applyWrites('contact', [
    { kind: 'delete', itemId: annItem.itemId },
  ]);
  const run = await dana.run();
  expect(run.entries.map((e) => [e.op, e.reason, e.crmId])).toEqual([['unlink', 'OutlookDeleted', ann]]);
  expect(crmEmu.db.get('contact', ann)?.statecode).toBe(0);
  await dana.run();
  expect((await outlookContacts()).some((c) => c.crmId === ann)).toBe(false);
});
