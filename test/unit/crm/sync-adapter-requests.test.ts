/**
 * The sync adapter's writes as Dataverse would receive them (scripted fetch): the exact requests of
 * an update that replaces an appointment's attendees, the If-Match an update carries, and which
 * writes a failed party lookup or party read fails (the round trip through the emulator is in
 * test/contract/crm-sync-adapter.test.ts).
 */
import { DataverseHttp } from '../../../src/crm/dataverseHttp';
import { CrmNetworkError, CrmUnavailableError } from '../../../src/crm/errors';
import { DataverseSync } from '../../../src/crm/syncAdapter';
import type { CrmSyncWrite } from '../../../src/crm/syncPort';

interface Part {
  status: number;
  body?: unknown;
}
const USER = 'aaaaaaaa-0000-4000-8000-000000000001';
const MEETING = 'bbbbbbbb-0000-4000-8000-000000000002';
const CONTACT = 'cccccccc-0000-4000-8000-000000000003';
const OLD_PARTY = 'dddddddd-0000-4000-8000-000000000004';
const COLLEAGUE = 'eeeeeeee-0000-4000-8000-000000000005';
const NO_EMAIL = 'ffffffff-0000-4000-8000-000000000006';
const LOOKUP = '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname';

function httpPart(p: Part): string {
  return [
    'Content-Type: application/http',
    '',
    `HTTP/1.1 ${p.status} X`,
    'Content-Type: application/json',
    '',
    p.body === undefined ? '' : JSON.stringify(p.body),
  ].join('\r\n');
}
function batchResponse(items: (Part | Part[])[]): Response {
  const chunks = items.map((item, i) =>
    Array.isArray(item)
      ? `Content-Type: multipart/mixed; boundary=cs${i}\r\n\r\n${item.map((p) => `--cs${i}\r\n${httpPart(p)}`).join('\r\n')}\r\n--cs${i}--`
      : httpPart(item),
  );
  const body = `${chunks.map((c) => `--b\r\n${c}`).join('\r\n')}\r\n--b--\r\n`;
  return new Response(body, { status: 200, headers: { 'Content-Type': 'multipart/mixed; boundary=b' } });
}
const ok = (value: unknown[]): Part => ({ status: 200, body: { value } });
const unavailable: Part = { status: 503, body: { error: { code: '0x80040216', message: 'Busy' } } };

/** The adapter over a fetch that answers `answers` in turn; `bodies` gets each request's body. */
function scripted(answers: Response[]): { sync: DataverseSync; bodies: string[] } {
  const bodies: string[] = [];
  const http = new DataverseHttp({
    orgUrl: 'https://org.example',
    tokens: { getToken: async () => 't', refreshToken: async () => 't' },
    fetch: (async (_url: string, init: RequestInit) => {
      bodies.push(String(init.body ?? ''));
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next;
    }) as unknown as typeof fetch,
    sleep: async () => {},
  });
  return { sync: new DataverseSync(http, { userId: USER }), bodies };
}

/** The header lines of the write part whose request line starts with `line`. */
function partHeaders(batch: string, line: string): string[] {
  const part = batch.split(/\r\n--/).find((p) => p.includes(line)) ?? '';
  return part.split('\r\n');
}

/** The JSON body of the write part whose request line starts with `line` in a `$batch` body. */
function partBody(batch: string, line: string): Record<string, unknown> {
  const part = batch.split(/\r\n--/).find((p) => p.includes(line));
  const json = part?.split('\r\n').find((l) => l.startsWith('{'));
  if (!json) throw new Error(`no part with ${line}`);
  return JSON.parse(json) as Record<string, unknown>;
}

async function replaceRequiredAttendees(): Promise<{ bodies: string[]; ok: boolean | undefined }> {
  const answers = [
    // The lookups (contacts, accounts, leads, users) and the meeting's current parties, in one batch.
    batchResponse([
      ok([{ contactid: CONTACT, emailaddress1: 'Known@Client.example' }]),
      ok([]),
      ok([]),
      ok([]),
      ok([
        { _activityid_value: MEETING, participationtypemask: 5, addressused: 'old@client.example' },
        {
          _activityid_value: MEETING,
          participationtypemask: 7,
          _partyid_value: USER,
          '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
        },
        {
          _activityid_value: MEETING,
          participationtypemask: 9,
          _partyid_value: USER,
          '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
        },
        {
          _activityid_value: MEETING,
          participationtypemask: 6,
          _partyid_value: OLD_PARTY,
          addressused: 'x@y.example',
        },
      ]),
    ]),
    batchResponse([[{ status: 204 }]]),
  ];
  const { sync, bodies } = scripted(answers);
  const [outcome] = await sync.applyWrites('appointment', [
    {
      kind: 'update',
      id: MEETING,
      fields: { requiredattendees: ['known@client.example', 'new@outside.example'] },
    },
  ]);
  return { bodies, ok: outcome?.ok };
}

describe('applyWrites: an update of the attendees', () => {
  test('costs two requests: one batch of lookups and current parties, one batch of writes', async () => {
    const { bodies, ok: applied } = await replaceRequiredAttendees();
    expect([bodies.length, applied]).toEqual([2, true]);
  });

  test('is a PATCH with If-Match: * (never an upsert)', async () => {
    const { bodies } = await replaceRequiredAttendees();
    const patch = (bodies[1] ?? '').split('\r\n').find((l) => l.startsWith('PATCH '));
    const headers = (bodies[1] ?? '').split('\r\n');
    expect([patch?.includes(`/appointments(${MEETING})`), headers.includes('If-Match: *')]).toEqual([
      true,
      true,
    ]);
  });

  test('sends the whole party set: the new list resolved by address, the lists it does not name kept, owner left to Dataverse', async () => {
    const { bodies } = await replaceRequiredAttendees();
    const body = partBody(bodies[1] ?? '', 'PATCH ');
    expect(body.appointment_activity_parties).toEqual([
      { participationtypemask: 7, 'partyid_systemuser@odata.bind': `/systemusers(${USER})` },
      { participationtypemask: 6, addressused: 'x@y.example' },
      { participationtypemask: 5, 'partyid_contact@odata.bind': `/contacts(${CONTACT})` },
      { participationtypemask: 5, addressused: 'new@outside.example' },
    ]);
  });
});

describe('applyWrites: a new appointment', () => {
  test('an address both a contact and a user have is the contact as an attendee, the user as the organizer', async () => {
    const answers = [
      batchResponse([
        ok([{ contactid: CONTACT, emailaddress1: 'both@contoso.example' }]),
        ok([]),
        ok([]),
        ok([{ systemuserid: USER, internalemailaddress: 'both@contoso.example' }]),
      ]),
      batchResponse([[{ status: 204 }]]),
    ];
    const { sync, bodies } = scripted(answers);
    await sync.applyWrites('appointment', [
      {
        kind: 'create',
        id: MEETING,
        fields: {
          subject: 'S',
          requiredattendees: ['both@contoso.example'],
          organizer: ['both@contoso.example'],
        },
      },
    ]);
    expect(partBody(bodies[1] ?? '', 'POST ').appointment_activity_parties).toEqual([
      { participationtypemask: 5, 'partyid_contact@odata.bind': `/contacts(${CONTACT})` },
      { participationtypemask: 7, 'partyid_systemuser@odata.bind': `/systemusers(${USER})` },
    ]);
  });
});

describe('applyWrites: the parties an attendee update keeps', () => {
  /** One update of the required attendees over the meeting's current `parties`, the lookups finding `found`. */
  async function update(
    parties: Record<string, unknown>[],
    required: string[],
    found: Part[] = [ok([]), ok([]), ok([]), ok([])],
  ): Promise<unknown> {
    const { sync, bodies } = scripted([
      batchResponse([...found, ok(parties.map((p) => ({ _activityid_value: MEETING, ...p })))]),
      batchResponse([[{ status: 204 }]]),
    ]);
    await sync.applyWrites('appointment', [
      { kind: 'update', id: MEETING, fields: { requiredattendees: required } },
    ]);
    return partBody(bodies[1] ?? '', 'PATCH ').appointment_activity_parties;
  }

  test('an address that did not change keeps its party as it is, not re-bound by the lookup order', async () => {
    const parties = await update(
      [
        {
          participationtypemask: 5,
          _partyid_value: COLLEAGUE,
          [LOOKUP]: 'systemuser',
          addressused: 'Both@Contoso.example',
        },
      ],
      ['both@contoso.example'],
      [ok([{ contactid: CONTACT, emailaddress1: 'both@contoso.example' }]), ok([]), ok([]), ok([])],
    );
    expect(parties).toEqual([
      {
        participationtypemask: 5,
        'partyid_systemuser@odata.bind': `/systemusers(${COLLEAGUE})`,
        addressused: 'Both@Contoso.example',
      },
    ]);
  });

  test('a party without an address stays whatever the new list says', async () => {
    const parties = await update(
      [{ participationtypemask: 5, _partyid_value: NO_EMAIL, [LOOKUP]: 'contact', partyid_contact: {} }],
      ['new@outside.example'],
    );
    expect(parties).toEqual([
      { participationtypemask: 5, 'partyid_contact@odata.bind': `/contacts(${NO_EMAIL})` },
      { participationtypemask: 5, addressused: 'new@outside.example' },
    ]);
  });

  test("a bound party's address is its record's email when Dataverse kept none", async () => {
    const parties = await update(
      [
        {
          participationtypemask: 5,
          _partyid_value: CONTACT,
          [LOOKUP]: 'contact',
          partyid_contact: { emailaddress1: 'Sam@Client.example' },
        },
      ],
      ['sam@client.example'],
    );
    expect(parties).toEqual([
      { participationtypemask: 5, 'partyid_contact@odata.bind': `/contacts(${CONTACT})` },
    ]);
  });

  test('an address no longer listed loses its party', async () => {
    const parties = await update(
      [{ participationtypemask: 5, addressused: 'gone@outside.example' }],
      ['new@outside.example'],
    );
    expect(parties).toEqual([{ participationtypemask: 5, addressused: 'new@outside.example' }]);
  });
});

describe('applyWrites: If-Match', () => {
  async function patchHeaders(write: CrmSyncWrite): Promise<string[]> {
    const { sync, bodies } = scripted([batchResponse([[{ status: 204 }]])]);
    await sync.applyWrites('contact', [write]);
    return partHeaders(bodies[0] ?? '', 'PATCH ');
  }

  test('an update with the etag it read sends it as If-Match', async () => {
    const headers = await patchHeaders({
      kind: 'update',
      id: CONTACT,
      fields: { firstname: 'Ann' },
      etag: 'W/"1234"',
    });
    expect(headers).toContain('If-Match: W/"1234"');
  });

  test('an update without an etag sends If-Match: *', async () => {
    const headers = await patchHeaders({ kind: 'update', id: CONTACT, fields: { firstname: 'Ann' } });
    expect(headers).toContain('If-Match: *');
  });

  test('an id written in capitals is written and answered lowercased', async () => {
    const { sync, bodies } = scripted([batchResponse([[{ status: 204 }]])]);
    const [outcome] = await sync.applyWrites('contact', [
      { kind: 'update', id: CONTACT.toUpperCase(), fields: { firstname: 'Ann' } },
    ]);
    expect([
      outcome?.id,
      partHeaders(bodies[0] ?? '', 'PATCH ').some(
        (l) => l.startsWith('PATCH ') && l.includes(`contacts(${CONTACT})`),
      ),
    ]).toEqual([CONTACT, true]);
  });
});

describe('applyWrites: a party lookup or party read that fails', () => {
  const OTHER = '11111111-0000-4000-8000-000000000007';
  const writes: CrmSyncWrite[] = [
    { kind: 'update', id: MEETING, fields: { requiredattendees: ['new@outside.example'] } },
    { kind: 'update', id: OTHER, fields: { requiredattendees: ['kept@outside.example'] } },
    { kind: 'update', id: CONTACT, fields: { subject: 'No attendees' } },
  ];
  const current = ok([
    { _activityid_value: OTHER, participationtypemask: 5, addressused: 'kept@outside.example' },
  ]);

  test('a failed lookup fails the write that has a new address, with the lookup error', async () => {
    const { sync } = scripted([
      batchResponse([unavailable, ok([]), ok([]), ok([]), current]),
      batchResponse([[{ status: 204 }], [{ status: 204 }]]),
    ]);
    const [first] = await sync.applyWrites('appointment', writes);
    expect(first?.ok === false && first.error).toBeInstanceOf(CrmUnavailableError);
  });

  test('a failed lookup leaves the writes that bind nothing new to be sent', async () => {
    const { sync, bodies } = scripted([
      batchResponse([unavailable, ok([]), ok([]), ok([]), current]),
      batchResponse([[{ status: 204 }], [{ status: 204 }]]),
    ]);
    const outcomes = await sync.applyWrites('appointment', writes);
    expect([outcomes.map((o) => o.ok), bodies[1]?.includes(`appointments(${OTHER})`)]).toEqual([
      [false, true, true],
      true,
    ]);
  });

  test('a failed read of the current parties fails the attendee updates only', async () => {
    const { sync } = scripted([
      batchResponse([ok([]), ok([]), ok([]), ok([]), unavailable]),
      batchResponse([[{ status: 204 }]]),
    ]);
    const outcomes = await sync.applyWrites('appointment', writes);
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, true]);
  });
});

describe('recordsInScope: failures that end the read', () => {
  test('the CRM out of reach is thrown, not reported per filter (no other filter could run)', async () => {
    const http = new DataverseHttp({
      orgUrl: 'https://org.example',
      tokens: { getToken: async () => 't', refreshToken: async () => 't' },
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as unknown as typeof fetch,
      sleep: async () => {},
    });
    const filter = {
      id: MEETING,
      name: 'My contacts',
      entity: 'contact' as const,
      fetchXml: '<fetch><entity name="contact"/></fetch>',
    };
    await expect(
      new DataverseSync(http, { userId: USER }).recordsInScope('contact', [filter], ['firstname']),
    ).rejects.toBeInstanceOf(CrmNetworkError);
  });
});
