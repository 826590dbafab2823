/**
 * The sync adapter's writes as Dataverse would receive them (scripted fetch): the exact requests of
 * an update that replaces an appointment's attendees (its round trip through the emulator is in
 * test/contract/crm-sync-adapter.test.ts).
 */
import { DataverseHttp } from '../../../src/crm/dataverseHttp';
import { DataverseSync } from '../../../src/crm/syncAdapter';

interface Part {
  status: number;
  body?: unknown;
}
const USER = 'aaaaaaaa-0000-4000-8000-000000000001';
const MEETING = 'bbbbbbbb-0000-4000-8000-000000000002';
const CONTACT = 'cccccccc-0000-4000-8000-000000000003';
const OLD_PARTY = 'dddddddd-0000-4000-8000-000000000004';

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
  const [outcome] = await new DataverseSync(http, { userId: USER }).applyWrites('appointment', [
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
    const bodies: string[] = [];
    const http = new DataverseHttp({
      orgUrl: 'https://org.example',
      tokens: { getToken: async () => 't', refreshToken: async () => 't' },
      fetch: (async (_url: string, init: RequestInit) => {
        bodies.push(String(init.body ?? ''));
        return answers.shift() as Response;
      }) as unknown as typeof fetch,
      sleep: async () => {},
    });
    await new DataverseSync(http, { userId: USER }).applyWrites('appointment', [
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
