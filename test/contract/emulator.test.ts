/**
 * The emulator held to Dataverse's documented Web API behaviour (docs/dataverse-facts.md):
 * started in-process on a free port with a fresh SQLite file, spoken to over HTTP with fetch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseEdmx } from '@sap-ux/edmx-parser';
import { startEmulator, type Emulator } from '../../emulator/server';
import { DEMO, seedId } from '../../emulator/seed';
import { startDemoEmulator } from '../support/demoEmulator';

/** Polls (with a deadline) until `ok()` holds: for a request to reach the emulator. */
async function until(ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let emu: Emulator;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-emulator-'));
  emu = await startEmulator({ port: 0, dbFile: path.join(dir, 'crm.sqlite'), seed: 'demo' });
});

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => emu.faults.clear());

const ANNOTATIONS = { Prefer: 'odata.include-annotations="*"' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { value?: Record<string, unknown>[] };
  text: string;
}

async function call(
  method: string,
  pathAndQuery: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${emu.url}/${pathAndQuery}`, {
    method,
    headers: {
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...(options.body !== undefined ? JSON_TYPE : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = {};
  }
  return { status: res.status, headers: res.headers, json: json as Reply['json'], text };
}

const get = (p: string, headers: Record<string, string> = {}) => call('GET', p, { headers });
const q = (filter: string): string => encodeURIComponent(filter);
const idFrom = (entityId: string | null): string => {
  const m = /\(([0-9a-f-]{36})\)$/.exec(entityId ?? '');
  if (!m) throw new Error(`no id in ${entityId}`);
  return m[1] as string;
};
const errorOf = (reply: Reply) => (reply.json as { error: { code: string; message: string } }).error;

// ------------------------------------------------------------------ $batch helpers

interface BatchPart {
  method: string;
  url: string;
  body?: unknown;
  contentId?: string;
  headers?: Record<string, string>;
}

function httpPart(part: BatchPart): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (part.contentId) lines.push(`Content-ID: ${part.contentId}`);
  lines.push('', `${part.method} ${part.url} HTTP/1.1`);
  if (part.body !== undefined) lines.push('Content-Type: application/json; type=entry');
  for (const [k, v] of Object.entries(part.headers ?? {})) lines.push(`${k}: ${v}`);
  lines.push('', part.body === undefined ? '' : JSON.stringify(part.body));
  return lines.join('\r\n');
}

function batchBody(items: (BatchPart | BatchPart[])[]): { body: string; contentType: string } {
  const boundary = 'batch_test';
  let n = 0;
  const parts = items.map((item) => {
    if (!Array.isArray(item)) return httpPart(item);
    n += 1;
    const cs = `changeset_${n}`;
    const inner = item.map((p) => `--${cs}\r\n${httpPart(p)}\r\n`).join('') + `--${cs}--`;
    return `Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}`;
  });
  return {
    body: parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`,
    contentType: `multipart/mixed; boundary=${boundary}`,
  };
}

interface PartResponse {
  status: number;
  contentId?: string;
  headers: Record<string, string>;
  body: string;
}

/** Flattens a multipart/mixed batch response into its HTTP responses, changesets included. */
function parseBatchResponse(contentType: string, text: string): PartResponse[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const out: PartResponse[] = [];
  for (const segment of text.split(`--${boundary}`).slice(1)) {
    if (segment.startsWith('--')) break;
    const content = segment.replace(/^\r\n/, '');
    const split = content.indexOf('\r\n\r\n');
    const mimeHead = content.slice(0, split);
    const rest = content.slice(split + 4);
    const nested = /Content-Type: (multipart\/mixed;[^\r\n]*)/i.exec(mimeHead);
    if (nested) {
      out.push(...parseBatchResponse(nested[1] as string, rest));
      continue;
    }
    const contentId = /Content-ID: (\S+)/i.exec(mimeHead)?.[1];
    const httpSplit = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...headerLines] = rest.slice(0, httpSplit).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    out.push({
      status: Number(statusLine.split(' ')[1]),
      contentId,
      headers,
      body: rest.slice(httpSplit + 4).replace(/\r\n$/, ''),
    });
  }
  return out;
}

async function batch(
  items: (BatchPart | BatchPart[])[],
  headers: Record<string, string> = {},
): Promise<{ status: number; parts: PartResponse[]; text: string }> {
  const { body, contentType } = batchBody(items);
  const res = await fetch(`${emu.url}/$batch`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    parts: type.startsWith('multipart/') ? parseBatchResponse(type, text) : [],
    text,
  };
}

// ------------------------------------------------------------------ tests

describe('seeded demo organization', () => {
  test('WhoAmI answers the default user, or the one named by X-Emulator-User', async () => {
    const me = await get('WhoAmI');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      UserId: DEMO.me,
      BusinessUnitId: DEMO.businessUnitId,
      OrganizationId: DEMO.organizationId,
    });
    const lee = await get('WhoAmI()', { 'X-Emulator-User': 'lee@contoso.com' });
    expect(lee.json.UserId).toBe(seedId('user:lee'));
    const stranger = await get('WhoAmI', { 'X-Emulator-User': 'nobody@nowhere.example' });
    expect(stranger.status).toBe(403);
  });

  test('the organizations row carries the §1.1 settings and orgdborgsettings', async () => {
    const org = await get('organizations?$select=trackingprefix,emailcorrelationenabled,orgdborgsettings');
    expect(org.status).toBe(200);
    expect(org.json.value).toHaveLength(1);
    expect(org.json.value?.[0]).toMatchObject({ trackingprefix: 'CRM:', emailcorrelationenabled: true });
    expect(String(org.json.value?.[0]?.orgdborgsettings)).toContain('<OrgSettings>');
  });

  test('mailbox approval, user settings and environment variables are readable', async () => {
    const box = await get(`mailboxes?$filter=${q(`_regardingobjectid_value eq ${DEMO.me}`)}`);
    expect(box.json.value?.[0]?.emailrouteraccessapproval).toBe(1);
    const settings = await get(`usersettingscollection(${DEMO.me})?$select=incomingemailfilteringmethod`);
    expect(settings.status).toBe(200);
    expect(settings.json.incomingemailfilteringmethod).toBe(1);
    const env = await get(
      `environmentvariabledefinitions?$select=schemaname,defaultvalue&$filter=${q("startswith(schemaname,'tic_')")}` +
        `&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`,
    );
    expect(env.status).toBe(200);
    const token = env.json.value?.find((d) => d.schemaname === 'tic_useTrackingToken');
    expect(token?.environmentvariabledefinition_environmentvariablevalue).toEqual([
      expect.objectContaining({ value: 'true' }),
    ]);
  });

  test('the demo data holds users, a queue, accounts, contacts, leads, opportunities, cases and tracked email', () => {
    expect(emu.db.count('systemuser')).toBe(4);
    expect(emu.db.count('queue')).toBe(1);
    expect(emu.db.count('account')).toBe(10);
    expect(emu.db.count('contact')).toBeGreaterThanOrEqual(30);
    expect(emu.db.count('lead')).toBe(10);
    expect(emu.db.count('opportunity')).toBe(6);
    expect(emu.db.count('incident')).toBe(4);
    expect(emu.db.count('email')).toBeGreaterThan(0);
  });
});

describe('create, retrieve, update, delete', () => {
  test('POST answers 204 with OData-EntityId; GET by key; PATCH; DELETE; then 404', async () => {
    const created = await call('POST', 'contacts', {
      body: { firstname: 'Kim', lastname: 'Lopez', emailaddress1: 'kim.lopez@crud.example' },
    });
    expect(created.status).toBe(204);
    const entityId = created.headers.get('OData-EntityId');
    expect(entityId).toMatch(
      new RegExp(`^${emu.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/contacts\\([0-9a-f-]{36}\\)$`),
    );
    const id = idFrom(entityId);

    const read = await get(`contacts(${id})?$select=fullname,emailaddress1,statecode`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ contactid: id, fullname: 'Kim Lopez', statecode: 0 });
    expect(read.json['@odata.etag']).toMatch(/^W\/"\d+"$/);

    const patched = await call('PATCH', `contacts(${id})`, { body: { lastname: 'Lopez-Ruiz' } });
    expect(patched.status).toBe(204);
    expect((await get(`contacts(${id})?$select=fullname`)).json.fullname).toBe('Kim Lopez-Ruiz');

    const stale = await call('PATCH', `contacts(${id})`, {
      body: { jobtitle: 'x' },
      headers: { 'If-Match': read.json['@odata.etag'] as string },
    });
    expect(stale.status).toBe(412);
    expect(errorOf(stale).code).toBe('0x80060882');

    const current = await get(`contacts(${id})?$select=fullname`);
    const fresh = await call('PATCH', `contacts(${id})`, {
      body: { jobtitle: 'Buyer' },
      headers: { 'If-Match': current.json['@odata.etag'] as string },
    });
    expect(fresh.status).toBe(204);

    expect((await call('DELETE', `contacts(${id})`)).status).toBe(204);
    const gone = await get(`contacts(${id})`);
    expect(gone.status).toBe(404);
    expect(errorOf(gone).code).toBe('0x80040217');
    expect((await call('DELETE', `contacts(${id})`)).status).toBe(404);
  });

  test('Prefer: return=representation answers 201 with the row', async () => {
    const created = await call('POST', 'accounts?$select=name,emailaddress1', {
      body: { name: 'Representation Ltd', emailaddress1: 'rep@rep.example' },
      headers: { Prefer: 'return=representation' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Representation Ltd', emailaddress1: 'rep@rep.example' });
    expect(created.json.accountid).toBe(idFrom(created.headers.get('OData-EntityId')));
  });

  test('PATCH with If-Match: * on a missing row is 404 (no upsert)', async () => {
    const res = await call('PATCH', 'contacts(00000000-0000-4000-8000-000000000001)', {
      body: { firstname: 'x' },
      headers: { 'If-Match': '*' },
    });
    expect(res.status).toBe(404);
  });

  test('@odata.bind sets a lookup, read back as _x_value with annotations', async () => {
    const accountId = seedId('account:fabrikam.com');
    const created = await call('POST', 'contacts', {
      body: {
        lastname: 'Bound',
        emailaddress1: 'bound@fabrikam.com',
        'parentcustomerid_account@odata.bind': `/accounts(${accountId})`,
      },
    });
    expect(created.status).toBe(204);
    const id = idFrom(created.headers.get('OData-EntityId'));
    const read = await get(`contacts(${id})?$select=_parentcustomerid_value,_ownerid_value`, ANNOTATIONS);
    expect(read.json).toMatchObject({
      _parentcustomerid_value: accountId,
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      '_parentcustomerid_value@OData.Community.Display.V1.FormattedValue': 'Fabrikam',
      _ownerid_value: DEMO.me,
      '_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
      '_ownerid_value@OData.Community.Display.V1.FormattedValue': 'Dana Park',
    });
    const plain = await get(`contacts(${id})?$select=_parentcustomerid_value`);
    expect(Object.keys(plain.json).some((k) => k.includes('@Microsoft'))).toBe(false);

    const missing = await call('POST', 'contacts', {
      body: {
        lastname: 'x',
        'parentcustomerid_account@odata.bind': '/accounts(00000000-0000-4000-8000-000000000009)',
      },
    });
    expect(missing.status).toBe(404);
    const wrongNav = await call('POST', 'contacts', {
      body: { lastname: 'x', 'nosuchnav@odata.bind': `/accounts(${accountId})` },
    });
    expect(wrongNav.status).toBe(400);
  });
});

describe('tracked email', () => {
  test('deep insert of parties with regarding, then marked received; $expand returns the parties', async () => {
    const contactId = seedId('contact:1');
    const created = await call('POST', 'emails', {
      body: {
        subject: 'Deep insert',
        messageid: '<deep-1@mail.example>',
        directioncode: false,
        trackingtoken: '0001042',
        'regardingobjectid_contact_email@odata.bind': `/contacts(${contactId})`,
        email_activity_parties: [
          { participationtypemask: 1, 'partyid_contact@odata.bind': `/contacts(${contactId})` },
          { participationtypemask: 2, 'partyid_systemuser@odata.bind': `/systemusers(${DEMO.me})` },
          { participationtypemask: 3, addressused: 'unknown@elsewhere.example' },
          { participationtypemask: 4, 'partyid_queue@odata.bind': `/queues(${DEMO.queueId})` },
        ],
      },
    });
    expect(created.status).toBe(204);
    const id = idFrom(created.headers.get('OData-EntityId'));

    const open = await get(`emails(${id})?$select=statecode,statuscode`);
    expect(open.json).toMatchObject({ statecode: 0, statuscode: 1 });
    expect((await call('PATCH', `emails(${id})`, { body: { statecode: 1, statuscode: 4 } })).status).toBe(
      204,
    );
    const bad = await call('PATCH', `emails(${id})`, { body: { statecode: 1, statuscode: 5 } });
    expect(bad.status).toBe(400);

    const read = await get(
      `emails(${id})?$select=subject,messageid,directioncode,statecode,statuscode,_regardingobjectid_value` +
        `&$expand=email_activity_parties($select=participationtypemask,addressused,_partyid_value)`,
      ANNOTATIONS,
    );
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      messageid: '<deep-1@mail.example>',
      directioncode: false,
      statecode: 1,
      statuscode: 4,
      'statuscode@OData.Community.Display.V1.FormattedValue': 'Received',
      _regardingobjectid_value: contactId,
      '_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'contact',
    });
    const parties = (read.json.email_activity_parties as Record<string, unknown>[]).sort(
      (a, b) => (a.participationtypemask as number) - (b.participationtypemask as number),
    );
    expect(parties.map((p) => p.participationtypemask)).toEqual([1, 2, 3, 4]);
    expect(parties[0]).toMatchObject({
      _partyid_value: contactId,
      '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'contact',
    });
    expect(parties[0]?.addressused).toBe((await get(`contacts(${contactId})`)).json.emailaddress1);
    expect(parties[1]).toMatchObject({ _partyid_value: DEMO.me, addressused: DEMO.meEmail });
    expect(parties[2]).toMatchObject({ _partyid_value: null, addressused: 'unknown@elsewhere.example' });
    expect(parties[3]).toMatchObject({
      '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'queue',
      addressused: 'sales@contoso.com',
    });

    // Navigation GET, lookup by Message-ID and owner (indexed), change and remove regarding, untrack.
    const nav = await get(`emails(${id})/email_activity_parties`);
    expect(nav.json.value).toHaveLength(4);
    const byMessageId = await get(
      `emails?$select=activityid&$filter=${q(`messageid eq '<deep-1@mail.example>' and _ownerid_value eq ${DEMO.me}`)}`,
    );
    expect(byMessageId.json.value?.map((e) => e.activityid)).toEqual([id]);
    const regarding = await call('PATCH', `emails(${id})`, {
      body: {
        'regardingobjectid_opportunity_email@odata.bind': `/opportunities(${seedId('opportunity:1')})`,
      },
    });
    expect(regarding.status).toBe(204);
    expect((await get(`emails(${id})?$select=_regardingobjectid_value`)).json._regardingobjectid_value).toBe(
      seedId('opportunity:1'),
    );
    expect((await call('DELETE', `emails(${id})/regardingobjectid_opportunity_email/$ref`)).status).toBe(204);
    expect(
      (await get(`emails(${id})?$select=_regardingobjectid_value`)).json._regardingobjectid_value,
    ).toBeNull();
    expect((await call('DELETE', `emails(${id})`)).status).toBe(204);
    expect(
      emu.db.sqlite.prepare('SELECT COUNT(*) AS n FROM activityparty WHERE _activityid_value = ?').get(id),
    ).toEqual({
      n: 0,
    });
  });

  test('the seeded tracked emails expand to their parties', async () => {
    const res = await get(
      `emails?$select=subject,messageid,trackingtoken&$filter=${q("messageid eq '<demo-0@mail.contoso.example>'")}` +
        `&$expand=email_activity_parties($select=participationtypemask,addressused)`,
    );
    expect(res.json.value).toHaveLength(1);
    expect(res.json.value?.[0]?.trackingtoken).toBe('CRM:0001000');
    expect(res.json.value?.[0]?.email_activity_parties).toHaveLength(3);
  });

  test('a party with neither partyid nor addressused is refused', async () => {
    const res = await call('POST', 'emails', {
      body: { subject: 'x', email_activity_parties: [{ participationtypemask: 1 }] },
    });
    expect(res.status).toBe(400);
  });
});

describe('$filter', () => {
  test("an address with a quote: doubled in an OData string ('o''brien@x.com'), as is in In's JSON array", async () => {
    await call('POST', 'contacts', { body: { lastname: "O'Brien", emailaddress1: "o'brien@x.com" } });
    const eq = await get(`contacts?$select=emailaddress1&$filter=${q("emailaddress1 eq 'o''brien@x.com'")}`);
    expect(eq.status).toBe(200);
    expect(eq.json.value?.map((c) => c.emailaddress1)).toEqual(["o'brien@x.com"]);
    const inList = await get(
      `contacts?$select=emailaddress1&$filter=${q(
        `Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=["o'brien@x.com","nobody@x.com"])`,
      )}`,
    );
    expect(inList.status).toBe(200);
    expect(inList.json.value?.map((c) => c.emailaddress1)).toEqual(["o'brien@x.com"]);
    const unterminated = await get(`contacts?$filter=${q("emailaddress1 eq 'o'brien@x.com'")}`);
    expect(unterminated.status).toBe(400);
  });

  test("In's PropertyValues is JSON: the OData form ['o''brien'] is 400 with Newtonsoft's message", async () => {
    const res = await get(
      `contacts?$filter=${q(
        "Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=['o''brien@x.com','nobody@x.com'])",
      )}`,
    );
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toContain(
      "Invalid JSON. A comma character ',' was expected in scope 'Array'.",
    );
  });

  test('In: JSON escapes in values, lenient single-quoted values and numbers as strings', async () => {
    await call('POST', 'contacts', {
      body: { lastname: 'Escapes', emailaddress1: 'back\\slash"quote@x.example' },
    });
    const escaped = await get(
      `contacts?$select=emailaddress1&$filter=${q(
        `Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=${JSON.stringify(['back\\slash"quote@x.example'])})`,
      )}`,
    );
    expect(escaped.json.value?.map((c) => c.emailaddress1)).toEqual(['back\\slash"quote@x.example']);
    const single = await get(
      `accounts?$select=name&$filter=${q("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['Fabrikam'])")}`,
    );
    expect(single.status).toBe(200);
    expect(single.json.value?.map((a) => a.name)).toEqual(['Fabrikam']);
    const states = await get(
      `contacts?$select=contactid&$count=true&$filter=${q(
        `Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=["1"])`,
      )}`,
    );
    const inactive = await get(`contacts?$select=contactid&$count=true&$filter=statecode eq 1`);
    expect(states.status).toBe(200);
    expect(states.json['@odata.count']).toBe(inactive.json['@odata.count']);
    const between = await get(
      `contacts?$select=contactid&$filter=${q(
        `Microsoft.Dynamics.CRM.Between(PropertyName='statecode',PropertyValues=["1","1"])`,
      )}`,
    );
    expect(between.json.value).toHaveLength(states.json.value?.length ?? -1);
    const broken = await get(
      `contacts?$filter=${q(`Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=["a@x.example)`)}`,
    );
    expect(broken.status).toBe(400);
  });

  test("a '+' in an address travels percent-encoded; $count counts the matches", async () => {
    await call('POST', 'leads', { body: { lastname: 'Plus', emailaddress1: 'first+tag@plus.example' } });
    const res = await get(
      `leads?$select=emailaddress1&$count=true&$filter=${q("emailaddress1 eq 'first+tag@plus.example'")}`,
    );
    expect(res.json.value?.map((l) => l.emailaddress1)).toEqual(['first+tag@plus.example']);
    expect(res.json['@odata.count']).toBe(1);
    expect((await get('leads?$filter=%E0%A4%A')).status).toBe(400);
  });

  test('several records per address across contact and lead, and within contacts', async () => {
    const address = DEMO.duplicateAddress;
    const filter = q(
      `emailaddress1 eq '${address}' or emailaddress2 eq '${address}' or emailaddress3 eq '${address}'`,
    );
    const contacts = await get(`contacts?$select=fullname,createdon&$filter=${filter}`);
    const leads = await get(`leads?$select=fullname,createdon&$filter=${filter}`);
    expect(contacts.json.value).toHaveLength(1);
    expect(leads.json.value).toHaveLength(1);
    expect(String(contacts.json.value?.[0]?.createdon) < String(leads.json.value?.[0]?.createdon)).toBe(true);

    for (const [i, createdon] of [
      '2023-05-01T00:00:00Z',
      '2022-01-01T00:00:00Z',
      '2024-02-02T00:00:00Z',
    ].entries()) {
      await call('POST', 'contacts', {
        body: {
          lastname: `Shared ${i}`,
          emailaddress2: 'Shared@Many.example',
          overriddencreatedon: createdon,
        },
      });
    }
    const many = await get(
      `contacts?$select=lastname,createdon&$orderby=createdon asc&$filter=${q("emailaddress2 eq 'shared@many.example'")}`,
    );
    expect(many.json.value?.map((c) => c.lastname)).toEqual(['Shared 1', 'Shared 0', 'Shared 2']);
  });

  test('inactive records are returned unless filtered out by statecode', async () => {
    const filter = `emailaddress1 eq '${DEMO.inactiveContactAddress}'`;
    const all = await get(`contacts?$select=statecode&$filter=${q(filter)}`, ANNOTATIONS);
    expect(all.json.value).toHaveLength(1);
    expect(all.json.value?.[0]).toMatchObject({
      statecode: 1,
      'statecode@OData.Community.Display.V1.FormattedValue': 'Inactive',
    });
    expect((await get(`contacts?$filter=${q(`${filter} and statecode eq 0`)}`)).json.value).toHaveLength(0);
    expect(
      (await get(`contacts?$filter=${q(`${filter} and not (statecode eq 0)`)}`)).json.value,
    ).toHaveLength(1);
  });

  test('Microsoft.Dynamics.CRM.In over several addresses, case-insensitively', async () => {
    const res = await get(
      `contacts?$select=emailaddress1&$filter=${q(
        `Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=["SAM.RIVERA@fabrikam.com","pat.o'brien@litware.com","none@none.example"])`,
      )}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.value?.map((c) => String(c.emailaddress1)).sort()).toEqual([
      "pat.o'brien@litware.com",
      'sam.rivera@fabrikam.com',
    ]);
    const notIn = await get(
      `accounts?$select=name&$filter=${q('Microsoft.Dynamics.CRM.NotIn(PropertyName=\'name\',PropertyValues=["Fabrikam"])')}`,
    );
    expect(notIn.json.value?.some((a) => a.name === 'Fabrikam')).toBe(false);
  });

  test('contains, startswith, endswith, ne, null, booleans, guids and parentheses', async () => {
    const names = async (filter: string) =>
      ((await get(`accounts?$select=name&$filter=${q(filter)}`)).json.value ?? []).map((a) => a.name);
    expect(await names("contains(name,'wind')")).toEqual(['Northwind Traders']);
    expect(await names("startswith(name,'Alp')")).toEqual(['Alpine Ski House']);
    expect(await names("endswith(name,'Winery')")).toEqual(['Coho Winery']);
    expect(await names("contains(name,'[%]')")).toEqual([]);
    expect(await names(`accountid eq ${seedId('account:litware.com')}`)).toEqual(['Litware']);
    expect(
      await names(
        "(startswith(name,'Lit') or startswith(name,'Pro')) and statecode eq 0 and emailaddress2 eq null",
      ),
    ).toEqual(expect.arrayContaining(['Litware', 'Proseware']));
    expect((await names("name ne 'Litware' and startswith(name,'Lit')")).length).toBe(0);
    const users = await get(`systemusers?$select=fullname&$filter=${q('isdisabled eq false')}`);
    expect(users.json.value).toHaveLength(4);
  });

  test('the text functions read % _ [] [^] as wildcards, as Dataverse documents', async () => {
    const names = async (filter: string) =>
      ((await get(`accounts?$select=name&$filter=${q(filter)}`)).json.value ?? []).map((a) => a.name);
    const all = await names("contains(name,'')");
    expect(await names("contains(name,'%')")).toEqual(all);
    expect(await names("startswith(name,'L_tware')")).toEqual(['Litware']);
    expect(await names("startswith(name,'[KL]itware')")).toEqual(['Litware']);
    expect(await names("startswith(name,'[a-l]itware')")).toEqual(['Litware']);
    expect(await names("startswith(name,'[^L]itware')")).toEqual([]);
  });

  test('a wildcard in brackets stands for itself', async () => {
    const names = async (filter: string) =>
      ((await get(`accounts?$select=name&$filter=${q(filter)}`)).json.value ?? []).map((a) => a.name);
    const literalName = '50% off_[x] Ltd';
    const made = await call('POST', 'accounts', { body: { name: literalName } });
    try {
      expect(await names("contains(name,'[%]')")).toEqual([literalName]);
      expect(await names("contains(name,'off[_][[]x]')")).toEqual([literalName]);
      expect(await names("startswith(name,'L[_]tware')")).toEqual([]);
    } finally {
      await call('DELETE', `accounts(${idFrom(made.headers.get('OData-EntityId'))})`);
    }
  });

  test('unknown property, malformed filter and unknown function answer 400 with Dataverse error JSON', async () => {
    const unknown = await get(`contacts?$filter=${q("x eq 'a'")}`);
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      error: {
        code: '0x80060888',
        message: "Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.contact'.",
      },
    });
    for (const filter of [
      "emailaddress1 eq 'a' and",
      '(statecode eq 0',
      "emailaddress1 = 'a'",
      'eq eq eq',
      '',
    ]) {
      const res = await get(`contacts?$filter=${q(filter)}`);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('0x80060888');
    }
    const fn = await get(`contacts?$filter=${q("Microsoft.Dynamics.CRM.Nope(PropertyName='fullname')")}`);
    expect(fn.status).toBe(400);
    const badSelect = await get('contacts?$select=fullname,nosuch');
    expect(badSelect.status).toBe(400);
    expect(errorOf(badSelect).message).toContain("'nosuch'");
    const badOrder = await get('contacts?$orderby=nosuch desc');
    expect(badOrder.status).toBe(400);
    const badExpand = await get('emails?$expand=nosuch');
    expect(badExpand.status).toBe(400);
  });

  test('unknown entity sets, functions and body properties are errors, never empty results', async () => {
    const set = await get('widgets');
    expect(set.status).toBe(404);
    expect(set.json).toEqual({
      error: { code: '0x80060888', message: "Resource not found for the segment 'widgets'." },
    });
    expect((await get('RetrieveNothing()')).status).toBe(404);
    const body = await call('POST', 'contacts', { body: { lastname: 'x', shoesize: 42 } });
    expect(body.status).toBe(400);
    expect(errorOf(body).message).toContain("'shoesize'");
    const type = await call('POST', 'contacts', { body: { lastname: 'x', statecode: 'zero' } });
    expect(type.status).toBe(400);
    expect((await get('contacts(not-a-guid)')).status).toBe(400);
  });
});

describe('$orderby, $top and paging', () => {
  const BULK = 5_500;

  beforeAll(() => {
    emu.db.insertMany(
      'contact',
      Array.from({ length: BULK }, (_, i) => ({
        lastname: `Bulk ${String(i).padStart(5, '0')}`,
        jobtitle: 'bulk',
        emailaddress1: `bulk${i}@bulk.example`,
      })),
    );
  });

  test('$orderby and $top', async () => {
    const res = await get(
      `contacts?$select=lastname&$orderby=lastname desc&$top=3&$filter=${q("jobtitle eq 'bulk'")}`,
    );
    expect(res.json.value?.map((c) => c.lastname)).toEqual(['Bulk 05499', 'Bulk 05498', 'Bulk 05497']);
    expect(res.json['@odata.nextLink']).toBeUndefined();
  });

  test('without a page size, 5,000 rows then an @odata.nextLink', async () => {
    const filter = `$select=lastname&$filter=${q("jobtitle eq 'bulk'")}`;
    const first = await get(`contacts?${filter}`);
    expect(first.json.value).toHaveLength(5000);
    const next = first.json['@odata.nextLink'] as string;
    expect(next).toContain('$skiptoken=');
    const second = await (await fetch(next)).json();
    expect(second.value).toHaveLength(BULK - 5000);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  test('Prefer: odata.maxpagesize pages through every row once, following nextLink unchanged', async () => {
    const prefer = { Prefer: 'odata.maxpagesize=2000' };
    let url: string | undefined =
      `${emu.url}/contacts?$select=emailaddress1&$orderby=lastname asc&$filter=${q("jobtitle eq 'bulk'")}`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const res = await fetch(url, { headers: prefer });
      expect(res.headers.get('Preference-Applied')).toContain('odata.maxpagesize=2000');
      const body = (await res.json()) as { value: { emailaddress1: string }[]; '@odata.nextLink'?: string };
      expect(body.value.length).toBeLessThanOrEqual(2000);
      seen.push(...body.value.map((c) => c.emailaddress1));
      url = body['@odata.nextLink'];
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(BULK);
    expect(new Set(seen).size).toBe(BULK);
    expect(seen[0]).toBe('bulk0@bulk.example');
  });

  test('page size is capped at 5,000 and $top is ignored together with a page size', async () => {
    const big = await get(`contacts?$select=lastname&$filter=${q("jobtitle eq 'bulk'")}`, {
      Prefer: 'odata.maxpagesize=9000',
    });
    expect(big.json.value).toHaveLength(5000);
    const withTop = await get(`contacts?$select=lastname&$top=5&$filter=${q("jobtitle eq 'bulk'")}`, {
      Prefer: 'odata.maxpagesize=10',
    });
    expect(withTop.json.value).toHaveLength(10);
    expect(withTop.json['@odata.nextLink']).toBeDefined();
    expect((await get('contacts?$skiptoken=garbage')).status).toBe(400);
  });
});

describe('$batch', () => {
  test('GETs outside a changeset: one HTTP response per part', async () => {
    const addresses = JSON.stringify([DEMO.duplicateAddress, 'sales@contoso.com', DEMO.meEmail]);
    const inFilter = (prop: string) =>
      `Microsoft.Dynamics.CRM.In(PropertyName='${prop}',PropertyValues=${addresses})`;
    const res = await batch(
      [
        { method: 'GET', url: `contacts?$select=fullname&$filter=${q(inFilter('emailaddress1'))}` },
        {
          method: 'GET',
          url: `/api/data/v9.2/leads?$select=fullname&$filter=${q(inFilter('emailaddress1'))}`,
        },
        {
          method: 'GET',
          url: `${emu.url}/systemusers?$select=fullname&$filter=${q(inFilter('internalemailaddress'))}`,
        },
        { method: 'GET', url: `queues?$select=name&$filter=${q(inFilter('emailaddress'))}` },
        { method: 'GET', url: 'accounts?$select=name&$top=1' },
      ],
      ANNOTATIONS,
    );
    expect(res.status).toBe(200);
    expect(res.parts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    const counts = res.parts.map((p) => (JSON.parse(p.body) as { value: unknown[] }).value.length);
    expect(counts).toEqual([1, 1, 1, 1, 1]);
  });

  test('a changeset with Content-ID references creates the contact and the email regarding it', async () => {
    const res = await batch([
      [
        {
          method: 'POST',
          url: 'contacts',
          contentId: '1',
          body: { firstname: 'Batch', lastname: 'Created', emailaddress1: 'batch.created@new.example' },
        },
        {
          method: 'POST',
          url: 'emails',
          contentId: '2',
          body: {
            subject: 'From a new sender',
            messageid: '<batch-1@new.example>',
            'regardingobjectid_contact_email@odata.bind': '$1',
            email_activity_parties: [
              { participationtypemask: 1, 'partyid_contact@odata.bind': '$1' },
              { participationtypemask: 2, 'partyid_systemuser@odata.bind': `/systemusers(${DEMO.me})` },
            ],
          },
        },
        { method: 'PATCH', url: '$2', body: { statecode: 1, statuscode: 4 } },
      ],
    ]);
    expect(res.status).toBe(200);
    expect(res.parts.map((p) => [p.status, p.contentId])).toEqual([
      [204, '1'],
      [204, '2'],
      [204, undefined],
    ]);
    const contactId = idFrom(res.parts[0]?.headers['odata-entityid'] ?? null);
    const emailId = idFrom(res.parts[1]?.headers['odata-entityid'] ?? null);
    const email = await get(
      `emails(${emailId})?$select=_regardingobjectid_value,statecode,statuscode&$expand=email_activity_parties($filter=participationtypemask eq 1)`,
    );
    expect(email.json).toMatchObject({ _regardingobjectid_value: contactId, statecode: 1, statuscode: 4 });
    expect(email.json.email_activity_parties).toEqual([
      expect.objectContaining({ _partyid_value: contactId, addressused: 'batch.created@new.example' }),
    ]);
  });

  test('a changeset whose second part fails leaves nothing behind', async () => {
    const before = emu.db.count('contact');
    const beforeEmails = emu.db.count('email');
    const res = await batch([
      [
        {
          method: 'POST',
          url: 'contacts',
          contentId: '1',
          body: { lastname: 'Atomic', emailaddress1: 'atomic@fail.example' },
        },
        {
          method: 'POST',
          url: 'emails',
          contentId: '2',
          body: { subject: 'bad', 'regardingobjectid_contact_email@odata.bind': '$1', nosuchattribute: 1 },
        },
      ],
      { method: 'GET', url: 'contacts?$top=1' },
    ]);
    // Without continue-on-error the batch answers with the failed request's status.
    expect(res.status).toBe(400);
    expect(res.parts).toHaveLength(1); // processing stops at the failed changeset
    expect(res.parts[0]?.status).toBe(400);
    expect(JSON.parse(res.parts[0]?.body ?? '{}').error.message).toContain('nosuchattribute');
    expect(emu.db.count('contact')).toBe(before);
    expect(emu.db.count('email')).toBe(beforeEmails);
    const found = await get(`contacts?$filter=${q("emailaddress1 eq 'atomic@fail.example'")}`);
    expect(found.json.value).toHaveLength(0);
  });

  test('Prefer: odata.continue-on-error runs the parts after a failure', async () => {
    const res = await batch(
      [
        { method: 'GET', url: 'widgets' },
        { method: 'GET', url: 'accounts?$select=name&$top=1' },
      ],
      { Prefer: 'odata.continue-on-error' },
    );
    expect(res.status).toBe(200);
    expect(res.parts.map((p) => p.status)).toEqual([404, 200]);
  });

  test('without continue-on-error the batch answers with the first failure and stops there', async () => {
    const res = await batch([
      { method: 'GET', url: 'accounts?$select=name&$top=1' },
      { method: 'POST', url: 'contacts', body: { lastname: 'x'.repeat(51) } },
      { method: 'GET', url: 'widgets' },
    ]);
    expect(res.status).toBe(400);
    expect(res.parts.map((p) => p.status)).toEqual([200, 400]);
    expect(JSON.parse(res.parts[1]?.body ?? '{}').error.code).toBe('0x80044331');
  });

  test('a GET inside a changeset and a body without the boundary are 400', async () => {
    const res = await batch([[{ method: 'GET', url: 'contacts' }]]);
    expect(res.status).toBe(400);
    const plain = await fetch(`${emu.url}/$batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(plain.status).toBe(400);
  });
});

describe('fault injection', () => {
  test('429 with Retry-After through POST /_emulator/faults, for the next N matching requests', async () => {
    const added = await fetch(`${emu.url.replace('/api/data/v9.2', '')}/_emulator/faults`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({
        match: { method: 'GET', pathContains: 'accounts' },
        status: 429,
        retryAfter: 7,
        count: 2,
      }),
    });
    expect(added.status).toBe(201);
    expect((await get('contacts?$top=1')).status).toBe(200); // does not match
    for (let i = 0; i < 2; i += 1) {
      const limited = await get('accounts?$top=1');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('Retry-After')).toBe('7');
      expect(errorOf(limited).code).toBe('0x80072322');
    }
    expect((await get('accounts?$top=1')).status).toBe(200);
  });

  test('503 for a $batch, then normal service', async () => {
    emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1 });
    const failed = await batch([{ method: 'GET', url: 'accounts?$top=1' }]);
    expect(failed.status).toBe(503);
    const ok = await batch([{ method: 'GET', url: 'accounts?$top=1' }]);
    expect(ok.status).toBe(200);
  });

  test('a delay makes the request wait, then answer normally', async () => {
    emu.faults.add({ match: { method: 'GET', pathContains: 'WhoAmI' }, delayMs: 300, count: 1 });
    const started = Date.now();
    const slow = await get('WhoAmI');
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(emu.faults.active()).toHaveLength(0); // used up: the next request runs at once
  });

  test('clearing the faults ends a delay in progress: the held request answers at once', async () => {
    emu.faults.add({ match: { method: 'GET', pathContains: 'WhoAmI' }, delayMs: 60_000, count: 1 });
    const held = get('WhoAmI');
    await until(() => emu.faults.held === 1); // the request has reached the emulator and waits
    const started = Date.now();
    emu.faults.clear();
    expect(emu.faults.held).toBe(0);
    expect((await held).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('closing the emulator during a delay: the held request is cut at once, and no timer outlives the server', async () => {
    const own = await startDemoEmulator('emulator-close');
    own.faults.add({ match: { method: 'POST', pathContains: 'contacts' }, delayMs: 60_000, count: 1 });
    const held = fetch(`${own.url}/contacts`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ lastname: 'Held' }),
    });
    await until(() => own.faults.held === 1);
    await own.close();
    expect(own.faults.held).toBe(0);
    await expect(held).rejects.toThrow();
  });

  test('a dropped response: the create commits but the client sees a network error', async () => {
    emu.faults.add({ match: { method: 'POST', pathContains: 'emails' }, dropResponse: true });
    const body = { subject: 'Lost response', messageid: '<lost-1@mail.example>' };
    await expect(
      fetch(`${emu.url}/emails`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) }),
    ).rejects.toThrow();
    const found = await get(
      `emails?$select=activityid&$filter=${q(`messageid eq '<lost-1@mail.example>' and _ownerid_value eq ${DEMO.me}`)}`,
    );
    expect(found.json.value).toHaveLength(1);
  });

  test('DELETE /_emulator/faults clears pending faults', async () => {
    emu.faults.add({ status: 503, count: 5 });
    const base = emu.url.replace('/api/data/v9.2', '');
    expect((await fetch(`${base}/_emulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await get('WhoAmI')).status).toBe(200);
    const invalid = await fetch(`${base}/_emulator/faults`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"count":1}',
    });
    expect(invalid.status).toBe(400);
  });
});

describe('restart', () => {
  test('data persists in the SQLite file and is not seeded twice', async () => {
    const file = path.join(dir, 'restart.sqlite');
    const first = await startEmulator({ port: 0, dbFile: file, seed: 'demo' });
    const r = await fetch(`${first.url}/contacts`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ lastname: 'Persisted' }),
    });
    expect(r.status).toBe(204);
    const count = first.db.count('contact');
    await first.close();
    const second = await startEmulator({ port: 0, dbFile: file, seed: 'demo' });
    expect(second.db.count('contact')).toBe(count);
    await second.close();
    const empty = await startEmulator({ port: 0, dbFile: path.join(dir, 'empty.sqlite'), seed: 'empty' });
    expect(empty.db.count('contact')).toBe(0);
    expect(empty.db.count('systemuser')).toBe(1);
    expect((await (await fetch(`${empty.url}/WhoAmI`)).json()).UserId).toBe(DEMO.me);
    await empty.close();
  });
});

describe('the emulator command', () => {
  test('arguments: defaults, overrides and errors', async () => {
    const { parseEmulatorArgs, runEmulatorCommand } = await import('../../emulator/cli');
    expect(parseEmulatorArgs([])).toEqual({
      port: 5555,
      dbFile: '.data/crm.sqlite',
      seed: 'demo',
      quiet: false,
    });
    expect(parseEmulatorArgs(['--port', '0', '--db=x.sqlite', '--seed', 'empty', '--quiet'])).toEqual({
      port: 0,
      dbFile: 'x.sqlite',
      seed: 'empty',
      quiet: true,
    });
    expect(parseEmulatorArgs(['--port', 'abc'])).toMatch(/--port/);
    expect(parseEmulatorArgs(['--seed', 'full'])).toMatch(/--seed/);
    expect(parseEmulatorArgs(['--what'])).toMatch(/unknown argument/);
    let err = '';
    const io = {
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
    };
    expect(await runEmulatorCommand(['--seed', 'full'], io)).toBe(2);
    expect(err).toContain('usage: track-in-crm emulator');
  });
});

describe('the emulator serves pages on this machine only', () => {
  test('a request from another origin is refused; a local origin gets CORS headers', async () => {
    const foreign = await fetch(`${emu.url}/WhoAmI`, { headers: { Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const local = await fetch(`${emu.url}/WhoAmI`, { headers: { Origin: 'https://localhost:3000' } });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('https://localhost:3000');
  });
});

// ------------------------------------------------------------------ issue 9: documented Web API behaviours

describe('query options (Dataverse: Query data using the Web API)', () => {
  test('parameter aliases in $filter, including a JSON array for In', async () => {
    const res = await get(`accounts?$select=name&$filter=name eq @p1&@p1=${q("'Fabrikam'")}`);
    expect(res.status).toBe(200);
    expect(res.json.value?.map((a) => a.name)).toEqual(['Fabrikam']);
    const inAlias = await get(
      `contacts?$select=emailaddress1&$filter=${q("Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=@p2)")}&@p2=${q(
        JSON.stringify([DEMO.duplicateAddress]),
      )}`,
    );
    expect(inAlias.status).toBe(200);
    expect(inAlias.json.value?.map((c) => c.emailaddress1)).toEqual([DEMO.duplicateAddress]);
    const undefinedAlias = await get(`accounts?$filter=name eq @nope`);
    expect(undefinedAlias.status).toBe(400);
  });

  test('/$count answers the number of matching rows as plain text', async () => {
    const res = await fetch(`${emu.url}/contacts/$count?$filter=${q('statecode eq 0')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const listed = await get(`contacts?$select=contactid&$count=true&$filter=${q('statecode eq 0')}`);
    expect(text).toBe(String(listed.json['@odata.count']));
    expect(Number(text)).toBeGreaterThan(0);
  });

  test('$count=true with annotations: @odata.count and totalrecordcount; without $count totalrecordcount is -1', async () => {
    const counted = await get(`accounts?$select=name&$count=true`, ANNOTATIONS);
    const n = counted.json.value?.length;
    expect(counted.json['@odata.count']).toBe(n);
    expect(counted.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(n);
    expect(counted.json['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(false);
    const uncounted = await get(`accounts?$select=name`, ANNOTATIONS);
    expect(uncounted.json['@odata.count']).toBeUndefined();
    expect(uncounted.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(-1);
    const plain = await get(`accounts?$select=name&$count=true`);
    expect(plain.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBeUndefined();
  });

  test('any/all lambda operators over a collection-valued navigation property', async () => {
    const created = await call('POST', 'emails', {
      body: {
        subject: 'Lambda',
        email_activity_parties: [
          { participationtypemask: 1, addressused: 'lambda.sender@x.example' },
          { participationtypemask: 2, addressused: 'lambda.to@x.example' },
        ],
      },
    });
    const id = idFrom(created.headers.get('odata-entityid'));
    const any = await get(
      `emails?$select=activityid&$filter=${q("email_activity_parties/any(p:p/addressused eq 'lambda.to@x.example')")}`,
    );
    expect(any.status).toBe(200);
    expect(any.json.value?.map((e) => e.activityid)).toEqual([id]);
    const all = await get(
      `emails?$select=activityid&$filter=${q(`activityid eq ${id} and email_activity_parties/all(p:contains(p/addressused,'lambda'))`)}`,
    );
    expect(all.json.value).toHaveLength(1);
    const notAll = await get(
      `emails?$select=activityid&$filter=${q(`activityid eq ${id} and email_activity_parties/all(p:p/participationtypemask eq 1)`)}`,
    );
    expect(notAll.json.value).toHaveLength(0);
    const accounts = await get(
      `accounts?$select=name&$filter=${q(`contact_customer_accounts/any(c:c/emailaddress1 eq '${DEMO.duplicateAddress}')`)}`,
    );
    expect(accounts.json.value?.map((a) => a.name)).toEqual(['Fabrikam']);
    expect((await get(`emails?$filter=${q('nosuch/any(p:p/x eq 1)')}`)).status).toBe(400);
  });
});

describe('formatted values (OData.Community.Display.V1.FormattedValue)', () => {
  test('option sets, booleans with their own labels, dates without a comma, integers and money', async () => {
    const created = await call('POST', 'emails', {
      body: {
        subject: 'Formatted',
        directioncode: false,
        senton: '2026-01-10T09:00:00Z',
        correlationmethod: 4,
      },
    });
    const id = idFrom(created.headers.get('odata-entityid'));
    await call('PATCH', `emails(${id})`, { body: { statecode: 1, statuscode: 4 } });
    const email = await get(
      `emails(${id})?$select=directioncode,senton,statecode,statuscode,correlationmethod`,
      ANNOTATIONS,
    );
    const f = (name: string) => email.json[`${name}@OData.Community.Display.V1.FormattedValue`];
    expect(f('directioncode')).toBe('Incoming');
    expect(f('senton')).toBe('1/10/2026 9:00 AM');
    expect(f('statecode')).toBe('Completed');
    expect(f('statuscode')).toBe('Received');
    expect(f('correlationmethod')).toBe('TrackingToken');
    const outgoing = await call('POST', 'emails?$select=directioncode', {
      body: { subject: 'Out', directioncode: true, senton: '2026-03-05T15:07:00Z' },
      headers: { Prefer: 'return=representation,odata.include-annotations="*"' },
    });
    expect(outgoing.json['directioncode@OData.Community.Display.V1.FormattedValue']).toBe('Outgoing');
    const opportunity = await get(
      `opportunities?$select=estimatedvalue&$top=1&$orderby=estimatedvalue desc`,
      ANNOTATIONS,
    );
    const value = opportunity.json.value?.[0]?.estimatedvalue as number;
    expect(opportunity.json.value?.[0]?.['estimatedvalue@OData.Community.Display.V1.FormattedValue']).toBe(
      `$${value.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );
    const party = await get(
      `activityparties?$select=participationtypemask&$top=1&$filter=participationtypemask eq 2`,
      ANNOTATIONS,
    );
    expect(party.json.value?.[0]?.['participationtypemask@OData.Community.Display.V1.FormattedValue']).toBe(
      'To Recipient',
    );
  });
});

describe('column lengths (0x80044331)', () => {
  test('a string longer than MaxLength is 400 on create and update; at MaxLength it is stored', async () => {
    const long = await call('POST', 'emails', { body: { subject: 'x', messageid: `<${'a'.repeat(320)}>` } });
    expect(long.status).toBe(400);
    expect(errorOf(long)).toEqual({
      code: '0x80044331',
      message:
        "A validation error occurred.  The length of the 'messageid' attribute of the 'email' entity exceeded the maximum allowed length of '320'.",
    });
    const exact = await call('POST', 'contacts', { body: { lastname: 'y'.repeat(50) } });
    expect(exact.status).toBe(204);
    const id = idFrom(exact.headers.get('odata-entityid'));
    const update = await call('PATCH', `contacts(${id})`, { body: { firstname: 'z'.repeat(51) } });
    expect(update.status).toBe(400);
    expect(errorOf(update).code).toBe('0x80044331');
    const subject = await call('POST', 'emails', { body: { subject: 's'.repeat(801) } });
    expect(errorOf(subject).message).toContain("maximum allowed length of '800'");
    const party = await call('POST', 'emails', {
      body: {
        subject: 'p',
        email_activity_parties: [{ participationtypemask: 1, addressused: `${'q'.repeat(321)}` }],
      },
    });
    expect(errorOf(party).code).toBe('0x80044331');
  });
});

describe('$ref (Dataverse: Associate and disassociate table rows)', () => {
  test('single-valued: PUT .../nav/$ref sets the lookup, DELETE clears it', async () => {
    const created = await call('POST', 'contacts', { body: { lastname: 'RefSingle' } });
    const id = idFrom(created.headers.get('odata-entityid'));
    const account = (await get(`accounts?$select=accountid&$filter=name eq 'Fabrikam'`)).json.value?.[0]
      ?.accountid;
    const put = await call('PUT', `contacts(${id})/parentcustomerid_account/$ref`, {
      body: { '@odata.id': `${emu.url}/accounts(${String(account)})` },
    });
    expect(put.status).toBe(204);
    expect((await get(`contacts(${id})?$select=_parentcustomerid_value`)).json._parentcustomerid_value).toBe(
      account,
    );
    const del = await call('DELETE', `contacts(${id})/parentcustomerid_account/$ref`);
    expect(del.status).toBe(204);
    expect(
      (await get(`contacts(${id})?$select=_parentcustomerid_value`)).json._parentcustomerid_value,
    ).toBeNull();
    const wrongSet = await call('PUT', `contacts(${id})/parentcustomerid_account/$ref`, {
      body: { '@odata.id': `contacts(${id})` },
    });
    expect(wrongSet.status).toBe(400);
  });

  test('collection-valued: POST .../nav/$ref adds, DELETE .../nav(id)/$ref and ?$id= remove', async () => {
    const account = await call('POST', 'accounts', { body: { name: 'Ref Collection Ltd' } });
    const accountId = idFrom(account.headers.get('odata-entityid'));
    const a = idFrom(
      (await call('POST', 'contacts', { body: { lastname: 'RefA' } })).headers.get('odata-entityid'),
    );
    const b = idFrom(
      (await call('POST', 'contacts', { body: { lastname: 'RefB' } })).headers.get('odata-entityid'),
    );
    for (const contact of [a, b]) {
      const post = await call('POST', `accounts(${accountId})/contact_customer_accounts/$ref`, {
        body: { '@odata.id': `${emu.url}/contacts(${contact})` },
      });
      expect(post.status).toBe(204);
    }
    const related = await get(
      `accounts(${accountId})/contact_customer_accounts?$select=lastname&$orderby=lastname`,
    );
    expect(related.json.value?.map((c) => c.lastname)).toEqual(['RefA', 'RefB']);
    expect((await call('DELETE', `accounts(${accountId})/contact_customer_accounts(${a})/$ref`)).status).toBe(
      204,
    );
    expect(
      (
        await call(
          'DELETE',
          `accounts(${accountId})/contact_customer_accounts/$ref?$id=${emu.url}/contacts(${b})`,
        )
      ).status,
    ).toBe(204);
    expect((await get(`accounts(${accountId})/contact_customer_accounts`)).json.value).toEqual([]);
    const missing = await call('POST', `accounts(${accountId})/contact_customer_accounts/$ref`, {
      body: { '@odata.id': `contacts(00000000-0000-0000-0000-000000000001)` },
    });
    expect(missing.status).toBe(404);
  });
});

describe('EntityDefinitions (Dataverse: Query table definitions)', () => {
  test('by LogicalName key, and unknown key is 404', async () => {
    const res = await get(
      "EntityDefinitions(LogicalName='contact')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ObjectTypeCode",
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      LogicalName: 'contact',
      EntitySetName: 'contacts',
      PrimaryIdAttribute: 'contactid',
      PrimaryNameAttribute: 'fullname',
      ObjectTypeCode: 2,
    });
    expect((await get("EntityDefinitions(LogicalName='nope')")).status).toBe(404);
  });

  test('$filter by LogicalName with $select; an unknown table is an empty value', async () => {
    const res = await get(
      `EntityDefinitions?$select=EntitySetName,LogicalName&$filter=${q("LogicalName eq 'email'")}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([
      expect.objectContaining({ LogicalName: 'email', EntitySetName: 'emails' }),
    ]);
    expect(Object.keys(res.json.value?.[0] ?? {}).sort()).toEqual([
      'EntitySetName',
      'LogicalName',
      'MetadataId',
    ]);
    const none = await get(`EntityDefinitions?$filter=${q("LogicalName eq 'nope'")}`);
    expect(none.status).toBe(200);
    expect(none.json.value).toEqual([]);
    expect((await get(`EntityDefinitions?$select=NoSuchProperty`)).status).toBe(400);
  });

  test('Attributes report MaxLength; the PicklistAttributeMetadata cast expands its OptionSet', async () => {
    const strings = await get(
      `EntityDefinitions(LogicalName='email')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength&$filter=${q("LogicalName eq 'messageid'")}`,
    );
    expect(strings.status).toBe(200);
    expect(strings.json.value).toEqual([
      expect.objectContaining({ LogicalName: 'messageid', MaxLength: 320 }),
    ]);
    const picklists = await get(
      `EntityDefinitions(LogicalName='activityparty')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`,
    );
    expect(picklists.status).toBe(200);
    const mask = picklists.json.value?.find((a) => a.LogicalName === 'participationtypemask') as
      | { OptionSet: { Options: { Value: number; Label: { UserLocalizedLabel: { Label: string } } }[] } }
      | undefined;
    expect(mask?.OptionSet.Options.find((o) => o.Value === 1)?.Label.UserLocalizedLabel.Label).toBe('Sender');
    const all = await get(
      `EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,AttributeType`,
    );
    const types = Object.fromEntries((all.json.value ?? []).map((a) => [a.LogicalName, a.AttributeType]));
    expect(types).toMatchObject({
      firstname: 'String',
      statecode: 'State',
      parentcustomerid: 'Customer',
      contactid: 'Uniqueidentifier',
    });
    expect((await get(`EntityDefinitions(LogicalName='contact')/Attributes?$expand=OptionSet`)).status).toBe(
      400,
    );
  });
});

describe('query functions and binds the add-in sends', () => {
  test('Microsoft.Dynamics.CRM.EqualUserId matches the calling user (and a lookup by its logical name)', async () => {
    const mine = await get(
      `usersettingscollection?$select=systemuserid&$filter=${q("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='systemuserid')")}`,
    );
    expect(mine.status).toBe(200);
    expect(mine.json.value?.map((r) => r.systemuserid)).toEqual([DEMO.me]);
    const mailbox = await get(
      `mailboxes?$select=_regardingobjectid_value&$filter=${q("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='regardingobjectid')")}`,
    );
    expect(mailbox.json.value?.map((r) => r._regardingobjectid_value)).toEqual([DEMO.me]);
    // The user's own row (the name the session shows), on its primary key.
    const self = await get(
      `systemusers?$select=fullname&$filter=${q("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='systemuserid')")}&$top=1`,
    );
    expect(self.json.value?.map((r) => r.fullname)).toEqual([emu.db.get('systemuser', DEMO.me)?.fullname]);
  });

  test('a key is not reserved after a delete: a row is created again under the key of a deleted one; a live key is 0x80040237', async () => {
    const id = 'c0ffee00-0000-5000-8000-000000000001';
    expect((await call('POST', 'emails', { body: { activityid: id, subject: 'one' } })).status).toBe(204);
    const again = await call('POST', 'emails', { body: { activityid: id, subject: 'two' } });
    expect(again.status).toBe(412);
    expect((again.json.error as { code: string }).code).toBe('0x80040237');
    expect((await call('DELETE', `emails(${id})`)).status).toBe(204);
    expect((await call('POST', 'emails', { body: { activityid: id, subject: 'three' } })).status).toBe(204);
    expect((await get(`emails(${id})?$select=subject`)).json.subject).toBe('three');
  });

  test('CorrelatedActivityId_Email@odata.bind links an email to the one it correlated to', async () => {
    const first = idFrom(
      (await call('POST', 'emails', { body: { subject: 'first' } })).headers.get('odata-entityid'),
    );
    const second = await call('POST', 'emails', {
      body: { subject: 'second', 'CorrelatedActivityId_Email@odata.bind': `/emails(${first})` },
    });
    expect(second.status).toBe(204);
    const id = idFrom(second.headers.get('odata-entityid'));
    expect(
      (await get(`emails(${id})?$select=_correlatedactivityid_value`)).json._correlatedactivityid_value,
    ).toBe(first);
    expect((await call('DELETE', `emails(${first})`)).status).toBe(204);
    expect(
      (await get(`emails(${id})?$select=_correlatedactivityid_value`)).json._correlatedactivityid_value,
    ).toBeNull();
  });
});

describe('database files from an older emulator', () => {
  test('a column added since is added to the existing table on open', async () => {
    const { openDb } = await import('../../emulator/db');
    const file = path.join(dir, 'old.sqlite');
    const old = openDb(file);
    old.sqlite.exec('ALTER TABLE email DROP COLUMN "_correlatedactivityid_type"');
    old.sqlite.exec('ALTER TABLE email DROP COLUMN "_correlatedactivityid_value"');
    old.sqlite.close();
    const reopened = openDb(file);
    const columns = (reopened.sqlite.prepare('PRAGMA table_info(email)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    reopened.sqlite.close();
    expect(columns).toEqual(
      expect.arrayContaining(['_correlatedactivityid_value', '_correlatedactivityid_type']),
    );
  });
});

describe('navigation reads', () => {
  test("a row's collection: the list's options and paging, /$count, $ref listing; a single-valued one", async () => {
    const account = await call('POST', 'accounts', { body: { name: 'Navigation Reads Ltd' } });
    const accountId = idFrom(account.headers.get('odata-entityid'));
    for (const n of [1, 2, 3]) {
      await call('POST', 'contacts', {
        body: { lastname: `Nav${n}`, 'parentcustomerid_account@odata.bind': `/accounts(${accountId})` },
      });
    }
    const page = await get(
      `accounts(${accountId})/contact_customer_accounts?$select=lastname&$orderby=lastname`,
      {
        Prefer: 'odata.maxpagesize=2',
      },
    );
    expect(page.json.value?.map((c) => c.lastname)).toEqual(['Nav1', 'Nav2']);
    const next = await fetch(String(page.json['@odata.nextLink']));
    expect(((await next.json()) as { value: { lastname: string }[] }).value.map((c) => c.lastname)).toEqual([
      'Nav3',
    ]);
    const count = await fetch(`${emu.url}/accounts(${accountId})/contact_customer_accounts/$count`);
    expect(await count.text()).toBe('3');
    const refs = await get(`accounts(${accountId})/contact_customer_accounts/$ref`);
    expect(refs.json.value).toHaveLength(3);
    expect(String(refs.json.value?.[0]?.['@odata.id'])).toMatch(/\/contacts\([0-9a-f-]{36}\)$/);
    const contactId = idFrom(String(refs.json.value?.[0]?.['@odata.id']));
    const parent = await get(`contacts(${contactId})/parentcustomerid_account?$select=name`);
    expect(parent.json.name).toBe('Navigation Reads Ltd');
    expect((await call('DELETE', `accounts(${accountId})`)).status).toBe(204);
    // Remove Link: the contacts stay, without their parent.
    expect(
      (await get(`contacts(${contactId})?$select=_parentcustomerid_value`)).json._parentcustomerid_value,
    ).toBeNull();
    expect((await call('GET', `contacts(${contactId})/parentcustomerid_account`)).status).toBe(204);
  });
});

describe('a custom email-enabled table (Dataverse: Create and update a table to send email activities to rows)', () => {
  test('EntityDefinitions lists it with IsActivityParty and IsCustomEntity; the built-in party tables are not custom', async () => {
    const res = await get(
      `EntityDefinitions?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute&$filter=${q(
        'IsActivityParty eq true and IsCustomEntity eq true',
      )}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.value?.map((d) => [d.LogicalName, d.EntitySetName, d.PrimaryIdAttribute])).toEqual([
      ['new_partner', 'new_partners', 'new_partnerid'],
    ]);
    const parties = await get(
      `EntityDefinitions?$select=LogicalName&$filter=${q('IsActivityParty eq true')}`,
    );
    expect(parties.json.value?.map((d) => d.LogicalName).sort()).toEqual(
      ['account', 'contact', 'lead', 'new_partner', 'queue', 'systemuser'].sort(),
    );
    const one = await get(`EntityDefinitions(LogicalName='new_partner')?$select=SchemaName,IsCustomEntity`);
    expect(one.json).toMatchObject({ SchemaName: 'new_Partner', IsCustomEntity: true });
  });

  test('the StringAttributeMetadata cast answers FormatName (a StringFormatName) and ColumnNumber', async () => {
    const res = await get(
      `EntityDefinitions(LogicalName='new_partner')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,FormatName,ColumnNumber`,
    );
    expect(res.status).toBe(200);
    const byName = Object.fromEntries((res.json.value ?? []).map((a) => [a.LogicalName, a]));
    expect(Object.keys(byName).sort()).toEqual(['new_emailaddress', 'new_name', 'new_website']);
    expect(byName.new_emailaddress).toMatchObject({ FormatName: { Value: 'Email' } });
    expect(byName.new_name).toMatchObject({ FormatName: { Value: 'Text' } });
    expect(byName.new_website).toMatchObject({ FormatName: { Value: 'Url' } });
    expect(typeof byName.new_emailaddress?.ColumnNumber).toBe('number');
    // FormatName belongs to StringAttributeMetadata, not to every attribute.
    const uncast = await get(
      `EntityDefinitions(LogicalName='new_partner')/Attributes?$select=LogicalName,FormatName`,
    );
    expect(uncast.status).toBe(400);
  });

  test('its rows are queried with In() on the Email column, case-insensitively', async () => {
    const res = await get(
      `new_partners?$select=new_name,new_emailaddress&$filter=${q(
        `Microsoft.Dynamics.CRM.In(PropertyName='new_emailaddress',PropertyValues=["${DEMO.partnerAddress.toUpperCase()}","x@y.z"]) and statecode eq 0`,
      )}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([
      expect.objectContaining({ new_partnerid: DEMO.partnerId, new_emailaddress: DEMO.partnerAddress }),
    ]);
  });

  test('an email party binds it with partyid_new_partner; addressused is filled from its Email column', async () => {
    const created = await call('POST', 'emails', {
      body: {
        subject: 'Partner programme',
        email_activity_parties: [
          { participationtypemask: 1, 'partyid_new_partner@odata.bind': `/new_partners(${DEMO.partnerId})` },
          { participationtypemask: 2, 'partyid_systemuser@odata.bind': `/systemusers(${DEMO.me})` },
        ],
      },
    });
    expect(created.status).toBe(204);
    const id = idFrom(created.headers.get('odata-entityid'));
    const parties = await get(
      `emails(${id})/email_activity_parties?$select=participationtypemask,addressused,_partyid_value&$filter=participationtypemask eq 1`,
      ANNOTATIONS,
    );
    expect(parties.json.value).toEqual([
      expect.objectContaining({
        addressused: DEMO.partnerAddress,
        _partyid_value: DEMO.partnerId,
        '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'new_partner',
        '_partyid_value@OData.Community.Display.V1.FormattedValue': 'Tailspin Toys (partner)',
      }),
    ]);
    // The other side: new_partner_ActivityParties lists the parties that name the row.
    const named = await get(
      `new_partners(${DEMO.partnerId})/new_partner_ActivityParties?$select=addressused,_activityid_value`,
    );
    expect(named.status).toBe(200);
    expect(named.json.value?.map((p) => p._activityid_value)).toContain(id);
    const wrongSet = await call('POST', 'emails', {
      body: {
        subject: 'x',
        email_activity_parties: [
          { participationtypemask: 1, 'partyid_new_partner@odata.bind': `/contacts(${DEMO.partnerId})` },
        ],
      },
    });
    expect(wrongSet.status).toBe(400);
  });
});

// ------------------------------------------------------------------ $metadata and the service document

/** What the test reads of @sap-ux/edmx-parser's model (SAP's EDMX/CSDL parser). */
interface ParsedProperty {
  name: string;
  type: string;
  nullable?: boolean;
}
interface ParsedNavigation {
  name: string;
  isCollection: boolean;
  targetTypeName: string;
  partner?: string;
  referentialConstraint: { sourceProperty: string; targetProperty: string }[];
}
interface ParsedEntityType {
  name: string;
  fullyQualifiedName: string;
  keys: ParsedProperty[];
  entityProperties: ParsedProperty[];
  navigationProperties: ParsedNavigation[];
}
interface ParsedModel {
  schema: {
    namespace: string;
    entityContainer: { name: string };
    entitySets: { name: string; entityTypeName: string; navigationPropertyBinding: Record<string, string> }[];
    entityTypes: ParsedEntityType[];
    complexTypes: { name: string; properties: ParsedProperty[] }[];
    actions: { name: string; isFunction: boolean; isBound: boolean; returnType: string }[];
    actionImports: { name: string; actionName: string }[];
  };
}

describe('$metadata and the service document (Dataverse: Web API service documents)', () => {
  let model: ParsedModel;
  let types: Map<string, ParsedEntityType>;

  beforeAll(async () => {
    const res = await get('$metadata', { Accept: 'application/xml' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.text).toMatch(/^<\?xml[^>]*\?>\s*<edmx:Edmx Version="4.0"/);
    model = parseEdmx(res.text, 'emulator $metadata') as unknown as ParsedModel;
    types = new Map(model.schema.entityTypes.map((t) => [t.fullyQualifiedName, t]));
  });

  test('CSDL 4.0 in the Microsoft.Dynamics.CRM namespace: container System, an EntitySet per entity set the service document lists', async () => {
    expect(model.schema.namespace).toBe('Microsoft.Dynamics.CRM');
    expect(model.schema.entityContainer.name).toBe('System');
    const root = await get('');
    expect(root.status).toBe(200);
    expect(root.json['@odata.context']).toBe(`${emu.url}/$metadata`);
    const listed = (root.json.value ?? []).map((v) => v.name as string);
    expect(root.json.value?.every((v) => v.kind === 'EntitySet' && v.url === v.name)).toBe(true);
    expect(model.schema.entitySets.map((s) => s.name).sort()).toEqual([...listed].sort());
    expect(listed).toEqual(expect.arrayContaining(['contacts', 'emails', 'activityparties', 'new_partners']));
    for (const set of model.schema.entitySets) {
      const type = types.get(set.entityTypeName);
      expect({ set: set.name, typed: type !== undefined }).toEqual({ set: set.name, typed: true });
      expect(type?.keys).toHaveLength(1);
      expect(type?.keys[0]?.type).toBe('Edm.Guid');
      // Every binding names a navigation property of the type and a set of the container.
      for (const [path, target] of Object.entries(set.navigationPropertyBinding)) {
        expect(type?.navigationProperties.map((n) => n.name)).toContain(path);
        expect(listed).toContain(target.split('/').pop());
      }
    }
  });

  test('Properties carry Edm types; lookups are _x_value Edm.Guid with their single-valued navigation properties', () => {
    const prop = (type: string, name: string) =>
      types.get(`Microsoft.Dynamics.CRM.${type}`)?.entityProperties.find((p) => p.name === name)?.type;
    expect(prop('contact', 'contactid')).toBe('Edm.Guid');
    expect(prop('contact', 'fullname')).toBe('Edm.String');
    expect(prop('contact', 'statecode')).toBe('Edm.Int32');
    expect(prop('contact', 'createdon')).toBe('Edm.DateTimeOffset');
    expect(prop('contact', '_parentcustomerid_value')).toBe('Edm.Guid');
    expect(prop('email', 'directioncode')).toBe('Edm.Boolean');
    expect(prop('opportunity', 'estimatedvalue')).toBe('Edm.Decimal');
    const party = types.get('Microsoft.Dynamics.CRM.activityparty');
    const partyNav = new Map(party?.navigationProperties.map((n) => [n.name, n]));
    expect(partyNav.get('partyid_new_partner')).toMatchObject({
      isCollection: false,
      targetTypeName: 'Microsoft.Dynamics.CRM.new_partner',
      referentialConstraint: [{ sourceProperty: '_partyid_value', targetProperty: 'new_partnerid' }],
    });
    expect(partyNav.get('activityid_email')).toMatchObject({ partner: 'email_activity_parties' });
    const emailNav = new Map(
      types.get('Microsoft.Dynamics.CRM.email')?.navigationProperties.map((n) => [n.name, n]),
    );
    expect(emailNav.get('email_activity_parties')).toMatchObject({
      isCollection: true,
      targetTypeName: 'Microsoft.Dynamics.CRM.activityparty',
      partner: 'activityid_email',
    });
    expect(emailNav.get('regardingobjectid_contact_email')?.isCollection).toBe(false);
    // Every navigation property's type is declared, and every partner exists on its target.
    for (const type of types.values()) {
      for (const nav of type.navigationProperties) {
        const target = types.get(nav.targetTypeName);
        expect({ nav: `${type.name}.${nav.name}`, declared: target !== undefined }).toEqual({
          nav: `${type.name}.${nav.name}`,
          declared: true,
        });
        if (nav.partner) expect(target?.navigationProperties.map((n) => n.name)).toContain(nav.partner);
      }
    }
  });

  test('what a row answers is what its EntityType declares', async () => {
    for (const set of ['contacts', 'emails', 'new_partners', 'activityparties']) {
      const res = await get(`${set}?$top=1`);
      const row = res.json.value?.[0] ?? {};
      const typeName = model.schema.entitySets.find((s) => s.name === set)?.entityTypeName as string;
      const declared = new Set(types.get(typeName)?.entityProperties.map((p) => p.name));
      const undeclared = Object.keys(row).filter((k) => !k.includes('@') && !declared.has(k));
      expect({ set, undeclared }).toEqual({ set, undeclared: [] });
    }
  });

  test('the WhoAmI function returns the WhoAmIResponse complex type, imported in the container', async () => {
    expect(model.schema.actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'WhoAmI',
          isFunction: true,
          isBound: false,
          returnType: 'Microsoft.Dynamics.CRM.WhoAmIResponse',
        }),
      ]),
    );
    expect(model.schema.actionImports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'WhoAmI', actionName: 'Microsoft.Dynamics.CRM.WhoAmI' }),
      ]),
    );
    const response = model.schema.complexTypes.find((c) => c.name === 'WhoAmIResponse');
    const who = await get('WhoAmI');
    expect(response?.properties.map((p) => [p.name, p.type]).sort()).toEqual(
      Object.keys(who.json)
        .filter((k) => !k.startsWith('@'))
        .map((k) => [k, 'Edm.Guid'])
        .sort(),
    );
  });

  test('$metadata is read with GET only', async () => {
    const res = await call('POST', '$metadata', { body: {} });
    expect(res.status).toBe(405);
    expect(errorOf(res).code).toBe('0x80060888');
  });
});

describe('what generic OData clients send (Dataverse: Update and delete table rows, Retrieve a table row)', () => {
  test('PATCH with Prefer: return=representation answers 200 with the $select-ed row ($expand ignored); an upsert-create answers 201', async () => {
    const created = await call('POST', 'contacts', { body: { lastname: 'Represented' } });
    const id = idFrom(created.headers.get('OData-EntityId'));
    const res = await call(
      'PATCH',
      `contacts(${id})?$select=lastname,jobtitle&$expand=parentcustomerid_account($select=name)`,
      { body: { jobtitle: 'Buyer' }, headers: { Prefer: 'return=representation' } },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ contactid: id, lastname: 'Represented', jobtitle: 'Buyer' });
    expect(res.json).not.toHaveProperty('parentcustomerid_account');
    expect(res.json).not.toHaveProperty('firstname');
    expect(res.json['@odata.etag']).toBe(res.headers.get('ETag'));
    const fresh = seedId(`upsert-representation:${Date.now()}`);
    const upserted = await call('PATCH', `contacts(${fresh})?$select=lastname`, {
      body: { lastname: 'Upserted' },
      headers: { Prefer: 'return=representation' },
    });
    expect(upserted.status).toBe(201);
    expect(upserted.json).toMatchObject({ contactid: fresh, lastname: 'Upserted' });
  });

  test('upsert: PATCH by id creates a missing row; If-None-Match: * creates but never updates (412 0x80040237)', async () => {
    const id = seedId(`upsert:${Date.now()}`);
    expect((await call('PATCH', `contacts(${id})`, { body: { lastname: 'Made' } })).status).toBe(204);
    expect((await get(`contacts(${id})?$select=lastname`)).json.lastname).toBe('Made');
    const noUpdate = await call('PATCH', `contacts(${id})`, {
      body: { lastname: 'Overwritten' },
      headers: { 'If-None-Match': '*' },
    });
    expect(noUpdate.status).toBe(412);
    expect(errorOf(noUpdate).code).toBe('0x80040237');
    expect((await get(`contacts(${id})?$select=lastname`)).json.lastname).toBe('Made');
    const other = seedId(`upsert-create-only:${Date.now()}`);
    const createOnly = await call('PATCH', `contacts(${other})`, {
      body: { lastname: 'CreateOnly' },
      headers: { 'If-None-Match': '*' },
    });
    expect(createOnly.status).toBe(204);
    expect((await get(`contacts(${other})?$select=lastname`)).json.lastname).toBe('CreateOnly');
  });

  test('@odata.etag: the ETag of a read; 304 for a matching If-None-Match; a stale If-Match on DELETE is 412 0x80060882', async () => {
    const created = await call('POST', 'contacts', { body: { lastname: 'Tagged' } });
    const id = idFrom(created.headers.get('OData-EntityId'));
    const read = await get(`contacts(${id})?$select=lastname`);
    const etag = read.json['@odata.etag'] as string;
    expect(read.headers.get('ETag')).toBe(etag);
    const listed = await get(`contacts?$select=lastname&$filter=contactid eq ${id}`);
    expect(listed.json.value?.[0]?.['@odata.etag']).toBe(etag);
    expect((await get(`contacts(${id})?$select=lastname`, { 'If-None-Match': etag })).status).toBe(304);
    await call('PATCH', `contacts(${id})`, { body: { jobtitle: 'Changed' } });
    const stale = await call('DELETE', `contacts(${id})`, { headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
    expect(errorOf(stale).code).toBe('0x80060882');
    expect((await get(`contacts(${id})`)).status).toBe(200);
  });

  test('$apply and $skip are refused with the error JSON, never answered as an unfiltered list', async () => {
    for (const query of ['$apply=aggregate($count as total)', '$skip=2']) {
      const res = await get(`contacts?${query}`);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('0x80060888');
      expect(res.json.value).toBeUndefined();
    }
  });

  test('$expand with nested options: $select, $filter, $orderby, $top on a collection, and a nested $expand on a single-valued one', async () => {
    const made = await call('POST', 'accounts', { body: { name: 'Nested Ltd' } });
    const account = idFrom(made.headers.get('OData-EntityId'));
    const contact = await call('POST', 'contacts', {
      body: { lastname: 'Nested', 'parentcustomerid_account@odata.bind': `/accounts(${account})` },
    });
    const contactId = idFrom(contact.headers.get('OData-EntityId'));
    await call('PATCH', `accounts(${account})`, {
      body: { 'primarycontactid@odata.bind': `/contacts(${contactId})` },
    });
    const res = await get(
      `contacts(${contactId})?$select=lastname&$expand=parentcustomerid_account($select=name;$expand=primarycontactid($select=lastname))`,
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      lastname: 'Nested',
      parentcustomerid_account: {
        accountid: account,
        name: 'Nested Ltd',
        primarycontactid: { contactid: contactId, lastname: 'Nested' },
      },
    });
    const list = await get(
      `accounts(${account})?$select=name&$expand=contact_customer_accounts($select=lastname;$filter=statecode eq 0;$orderby=createdon desc;$top=1)`,
    );
    const related = list.json.contact_customer_accounts as Record<string, unknown>[];
    expect(related).toHaveLength(1);
    expect(Object.keys(related[0] ?? {}).sort()).toEqual(['@odata.etag', 'contactid', 'lastname']);
  });

  test('a single property: GET {"value"}, /$value as text, PUT {"value"}, DELETE clears it; 204 for a null value', async () => {
    const created = await call('POST', 'contacts', { body: { lastname: 'Single', jobtitle: 'Buyer' } });
    const id = idFrom(created.headers.get('OData-EntityId'));
    const one = await get(`contacts(${id})/jobtitle`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual({
      '@odata.context': `${emu.url}/$metadata#contacts(${id})/jobtitle`,
      value: 'Buyer',
    });
    const raw = await get(`contacts(${id})/jobtitle/$value`);
    expect(raw.text).toBe('Buyer');
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await call('PUT', `contacts(${id})/jobtitle`, { body: { value: 'Manager' } })).status).toBe(204);
    expect((await get(`contacts(${id})/jobtitle`)).json.value).toBe('Manager');
    expect((await call('DELETE', `contacts(${id})/jobtitle`)).status).toBe(204);
    expect((await get(`contacts(${id})/jobtitle`)).status).toBe(204);
    expect((await get(`contacts(${id})/statecode`)).json.value).toBe(0);
    const missing = await call('PUT', `contacts(${seedId('no-such-contact')})/jobtitle`, {
      body: { value: 'x' },
    });
    expect(missing.status).toBe(404);
    expect((await get(`contacts(${id})/nosuchcolumn`)).status).toBe(404);
  });
});

describe('attachments (activitymimeattachment; organization maxuploadfilesize, blockedattachments)', () => {
  const base64 = (bytes: number): string => Buffer.alloc(bytes, 7).toString('base64');

  test("the organization carries Dataverse's defaults: 5 MB and the default blocked extensions", async () => {
    const org = await get('organizations?$select=maxuploadfilesize,blockedattachments');
    const row = org.json.value?.[0] as { maxuploadfilesize: number; blockedattachments: string };
    expect(row.maxuploadfilesize).toBe(5_242_880);
    expect(row.blockedattachments.split(';')).toEqual(expect.arrayContaining(['exe', 'js', 'bat']));
  });

  test('created with its email in one changeset ($n bind): filesize computed, objecttypecode, linked; deleted with the email', async () => {
    const attachmentId = '6f0c1a1e-0000-4000-8000-00000000a001';
    const res = await batch([
      [
        { method: 'POST', url: 'emails', contentId: '1', body: { subject: 'with a file' } },
        {
          method: 'POST',
          url: 'activitymimeattachments',
          contentId: '2',
          body: {
            activitymimeattachmentid: attachmentId,
            'objectid_email@odata.bind': '$1',
            objecttypecode: 'email',
            attachmentnumber: 1,
            filename: 'quote.pdf',
            mimetype: 'application/pdf',
            body: base64(10),
          },
        },
      ],
    ]);
    expect(res.parts.map((p) => p.status)).toEqual([204, 204]);
    const emailId = idFrom(res.parts[0]?.headers['odata-entityid'] ?? null);
    const row = await get(
      `activitymimeattachments(${attachmentId})?$select=filename,mimetype,filesize,objecttypecode,_objectid_value,attachmentnumber`,
      ANNOTATIONS,
    );
    expect(row.json).toMatchObject({
      filename: 'quote.pdf',
      mimetype: 'application/pdf',
      filesize: 10,
      objecttypecode: 'email',
      _objectid_value: emailId,
      attachmentnumber: 1,
    });
    const expanded = await get(
      `emails(${emailId})?$select=subject&$expand=email_activity_mime_attachment($select=filename)`,
    );
    expect(expanded.json.email_activity_mime_attachment).toEqual([
      expect.objectContaining({ filename: 'quote.pdf' }),
    ]);
    expect((await call('DELETE', `emails(${emailId})`)).status).toBe(204);
    expect((await get(`activitymimeattachments(${attachmentId})`)).status).toBe(404);
  });

  test('a blocked extension (any case) or a file over maxuploadfilesize is refused with 0x80043e09, and the changeset creates nothing', async () => {
    const blocked = await call('POST', 'activitymimeattachments', {
      body: { filename: 'setup.EXE', mimetype: 'application/octet-stream', body: base64(3) },
    });
    expect(blocked.status).toBe(400);
    expect(errorOf(blocked).code).toBe('0x80043e09');
    const org = await get('organizations?$select=organizationid,maxuploadfilesize');
    const orgRow = org.json.value?.[0] as { organizationid: string; maxuploadfilesize: number };
    await call('PATCH', `organizations(${orgRow.organizationid})`, { body: { maxuploadfilesize: 100 } });
    try {
      const exact = await call('POST', 'activitymimeattachments', {
        body: { filename: 'exact.bin', body: base64(100) },
      });
      expect(exact.status).toBe(204);
      const subject = `too big ${Date.now()}`;
      const res = await batch([
        [
          { method: 'POST', url: 'emails', contentId: '1', body: { subject } },
          {
            method: 'POST',
            url: 'activitymimeattachments',
            contentId: '2',
            body: { 'objectid_email@odata.bind': '$1', filename: 'big.bin', body: base64(101) },
          },
        ],
      ]);
      expect(res.status).toBe(400);
      expect(res.text).toContain('0x80043e09');
      const none = await get(`emails?$select=activityid&$filter=${q(`subject eq '${subject}'`)}`);
      expect(none.json.value).toEqual([]);
    } finally {
      await call('PATCH', `organizations(${orgRow.organizationid})`, {
        body: { maxuploadfilesize: orgRow.maxuploadfilesize },
      });
    }
  });

  test('filesize is read-only (computed), and the table is in $metadata and EntityDefinitions', async () => {
    const res = await call('POST', 'activitymimeattachments', {
      body: { filename: 'a.txt', body: base64(4), filesize: 999 },
      headers: { Prefer: 'return=representation' },
    });
    expect(res.json.filesize).toBe(4);
    const metadata = await get('$metadata');
    expect(metadata.text).toContain('<EntityType Name="activitymimeattachment"');
    expect(metadata.text).toMatch(
      /<EntitySet Name="activitymimeattachments" EntityType="[^"]*\.activitymimeattachment"/,
    );
    const def = await get(
      "EntityDefinitions(LogicalName='activitymimeattachment')?$select=EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute",
    );
    expect(def.json).toMatchObject({
      EntitySetName: 'activitymimeattachments',
      PrimaryIdAttribute: 'activitymimeattachmentid',
      PrimaryNameAttribute: 'filename',
    });
  });
});
