/**
 * The adapter's requests as Dataverse would receive them (scripted fetch): the one-round-trip
 * session batch, custom email-enabled tables in the lookup, and what a track writes (column
 * lengths, the correlated activity, custom party bindings).
 */
import { DataverseAdapter, type DataverseAdapterOptions } from '../../../src/crm/dataverseAdapter';
import { DataverseHttp } from '../../../src/crm/dataverseHttp';
import { CrmForbiddenError } from '../../../src/crm/errors';
import { storedMessageId } from '../../../src/crm/columns';
import { plannedIds } from '../../../src/crm/trackIds';
import { nameUuid } from '../../../src/crm/nameUuid';
import type { EmailToTrack } from '../../../src/crm/port';

interface Part {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
const USER = 'aaaaaaaa-0000-4000-8000-000000000001';
const EMAIL_ID = 'eeeeeeee-0000-4000-8000-000000000001';

function httpPart(p: Part): string {
  const head = [
    `HTTP/1.1 ${p.status} X`,
    'Content-Type: application/json',
    ...Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  return [
    'Content-Type: application/http',
    '',
    ...head,
    '',
    p.body === undefined ? '' : JSON.stringify(p.body),
  ].join('\r\n');
}
function batchResponse(items: (Part | Part[])[], status = 200): Response {
  const chunks = items.map((item, i) =>
    Array.isArray(item)
      ? `Content-Type: multipart/mixed; boundary=cs${i}\r\n\r\n${item.map((p) => `--cs${i}\r\n${httpPart(p)}`).join('\r\n')}\r\n--cs${i}--`
      : httpPart(item),
  );
  const body = `${chunks.map((c) => `--b\r\n${c}`).join('\r\n')}\r\n--b--\r\n`;
  return new Response(body, { status, headers: { 'Content-Type': 'multipart/mixed; boundary=b' } });
}

function rig(answers: Response[], options: DataverseAdapterOptions = {}) {
  const bodies: string[] = [];
  const logged: string[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    bodies.push(String(init.body ?? ''));
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next;
  }) as unknown as typeof fetch;
  const http = new DataverseHttp({
    orgUrl: 'https://org.example',
    tokens: { getToken: async () => 't', refreshToken: async () => 't' },
    fetch: fetchImpl,
    sleep: async () => {},
  });
  const crm = new DataverseAdapter(http, { sleep: async () => {}, log: (m) => logged.push(m), ...options });
  return { crm, http, bodies, logged };
}

const ok = (value: unknown[]): Part => ({ status: 200, body: { value } });
/** The cast query's answer: String columns of new_agent, two Email-formatted (the first by ColumnNumber wins). */
const agentColumns = () =>
  batchResponse([
    ok([
      { LogicalName: 'new_name', FormatName: { Value: 'Text' }, ColumnNumber: 30 },
      { LogicalName: 'new_otheremail', FormatName: { Value: 'Email' }, ColumnNumber: 41 },
      { LogicalName: 'new_emailaddress', FormatName: { Value: 'Email' }, ColumnNumber: 40 },
    ]),
  ]);
const sessionParts = (overrides: Partial<Record<number, Part>> = {}): Part[] => {
  const parts: Part[] = [
    { status: 200, body: { UserId: USER.toUpperCase(), BusinessUnitId: 'bu', OrganizationId: 'org' } },
    ok([{ trackingprefix: 'CRM:', orgdborgsettings: '<OrgSettings/>' }]),
    ok([{ incomingemailfilteringmethod: 2 }]),
    ok([{ emailrouteraccessapproval: 1 }]),
    ok([
      {
        schemaname: 'tic_useTrackingToken',
        defaultvalue: 'true',
        environmentvariabledefinition_environmentvariablevalue: [{ value: 'false' }],
      },
      {
        schemaname: 'tic_autoTrackSent',
        defaultvalue: 'false',
        environmentvariabledefinition_environmentvariablevalue: [],
      },
    ]),
    ok([
      {
        LogicalName: 'new_agent',
        EntitySetName: 'new_agents',
        PrimaryIdAttribute: 'new_agentid',
        PrimaryNameAttribute: 'new_name',
      },
    ]),
    ok([{ fullname: 'Dana Whit' }]),
  ];
  for (const [i, p] of Object.entries(overrides)) parts[Number(i)] = p as Part;
  return parts;
};

describe('openSession: ONE round trip', () => {
  test('one $batch with WhoAmI, organization, usersettings and mailbox by EqualUserId, tic_ variables, custom tables', async () => {
    const { crm, http, bodies } = rig([batchResponse(sessionParts({ 5: ok([]) }))]);
    const start = await crm.openSession();
    expect(http.requestCount).toBe(1);
    const body = bodies[0] as string;
    expect(body).toContain('GET https://org.example/api/data/v9.2/WhoAmI HTTP/1.1');
    expect(decodeURIComponent(body)).toContain('usersettingscollection?$select=');
    expect(decodeURIComponent(body)).toContain(
      "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='systemuserid')",
    );
    expect(decodeURIComponent(body)).toContain(
      "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='regardingobjectid')",
    );
    expect(decodeURIComponent(body)).toContain('IsActivityParty eq true');
    expect(start.identity).toEqual({
      userId: USER,
      businessUnitId: 'bu',
      organizationId: 'org',
      mailboxApproved: true,
      userName: 'Dana Whit',
    });
    // The user's name by EqualUserId, in the same batch.
    expect(decodeURIComponent(body)).toContain(
      "systemusers?$select=fullname&$filter=Microsoft.Dynamics.CRM.EqualUserId(PropertyName='systemuserid')",
    );
    // Only the tic_ definitions, each with its value expanded: the value when present, else the default.
    expect(decodeURIComponent(body)).toContain(
      "environmentvariabledefinitions?$select=schemaname,defaultvalue&$filter=startswith(schemaname,'tic[_]')&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)",
    );
    expect(body).not.toContain('environmentvariablevalues?');
    expect(start.settings.raw.organization).toMatchObject({
      trackingprefix: 'CRM:',
      tic_useTrackingToken: 'false',
      tic_autoTrackSent: 'false',
    });
    expect(start.settings.raw.user).toEqual({ incomingemailfilteringmethod: 2 });
    expect(start.emailTables.tables).toEqual([]);
  });

  test('an organization with custom email-enabled tables: their address columns in one more $batch (a cast, as expanded Attributes carry no FormatName)', async () => {
    const { crm, http, bodies } = rig([batchResponse(sessionParts()), agentColumns()]);
    const start = await crm.openSession();
    expect(http.requestCount).toBe(2);
    expect(bodies[1]).toContain(
      "EntityDefinitions(LogicalName='new_agent')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,FormatName,ColumnNumber",
    );
    expect(start.emailTables.tables).toEqual([
      {
        logicalName: 'new_agent',
        entitySet: 'new_agents',
        key: 'new_agentid',
        name: 'new_name',
        emails: ['new_emailaddress'],
      },
    ]);
  });

  test('what an earlier session found, with the same tables listed: no second round trip', async () => {
    const first = rig([batchResponse(sessionParts()), agentColumns()]);
    const found = (await first.crm.openSession()).emailTables;
    expect(found.listed).toEqual(['new_agent']);
    const { crm, http } = rig([batchResponse(sessionParts())]);
    const start = await crm.openSession(found);
    expect(http.requestCount).toBe(1);
    expect(start.emailTables).toEqual(found);
  });

  test('what an earlier session found, but the organization lists other tables now: asked again', async () => {
    const { crm, http } = rig([batchResponse(sessionParts()), agentColumns()]);
    const start = await crm.openSession({ listed: ['new_gone'], tables: [] });
    expect(http.requestCount).toBe(2);
    expect(start.emailTables.listed).toEqual(['new_agent']);
    expect(start.emailTables.tables.map((t) => t.emails)).toEqual([['new_emailaddress']]);
  });

  test('EqualUserId refused (400): asked again by id, one more round trip, logged', async () => {
    const refused: Part = {
      status: 400,
      body: { error: { code: '0x80060888', message: 'Unknown function' } },
    };
    const { crm, http, logged, bodies } = rig([
      batchResponse(sessionParts({ 2: refused, 3: refused, 5: ok([]), 6: refused })),
      batchResponse([
        { status: 200, body: { incomingemailfilteringmethod: 3 } },
        ok([{ emailrouteraccessapproval: 2 }]),
        { status: 200, body: { fullname: 'Dana by id' } },
      ]),
    ]);
    const start = await crm.openSession();
    expect(http.requestCount).toBe(2);
    expect(bodies[1]).toContain(`usersettingscollection(${USER})`);
    expect(bodies[1]).toContain(`systemusers(${USER})?$select=fullname`);
    expect(start.identity.userName).toBe('Dana by id');
    expect(start.identity.mailboxApproved).toBe(false);
    expect(start.settings.raw.user).toEqual({ incomingemailfilteringmethod: 3 });
    expect(logged.join('\n')).toMatch(/EqualUserId/);
  });

  test("the user's name refused (no read privilege on systemusers): null, the session still opens in one round trip", async () => {
    const { crm, http } = rig([
      batchResponse(
        sessionParts({
          5: ok([]),
          6: { status: 403, body: { error: { code: '0x80040220', message: 'no read' } } },
        }),
      ),
    ]);
    const start = await crm.openSession();
    expect(http.requestCount).toBe(1);
    expect(start.identity.userName).toBeNull();
  });

  test('custom tables cannot be listed: built-in types only, logged, the session still opens', async () => {
    const { crm, logged } = rig([
      batchResponse(
        sessionParts({ 5: { status: 404, body: { error: { code: '0x8006088a', message: 'not found' } } } }),
      ),
    ]);
    expect((await crm.openSession()).emailTables.tables).toEqual([]);
    expect(logged.join('\n')).toMatch(/custom email-enabled tables/);
  });

  test('a required part refused: its typed error', async () => {
    const { crm } = rig([
      batchResponse(
        sessionParts({ 1: { status: 403, body: { error: { code: '0x80040220', message: 'no read' } } } }),
      ),
    ]);
    await expect(crm.openSession()).rejects.toBeInstanceOf(CrmForbiddenError);
  });
});

describe('lookupItem and trackEmails with what the session found', () => {
  test('records of custom email-enabled tables are looked up (one request) and come back typed', async () => {
    const { crm, http, bodies } = rig([
      batchResponse(sessionParts()),
      agentColumns(),
      batchResponse([
        ...Array.from({ length: 5 }, () => ok([])),
        ok([
          {
            new_agentid: 'AB000000-0000-4000-8000-000000000001',
            new_name: 'Agent A',
            new_emailaddress: 'agent@x.example',
            createdon: '2020-01-01T00:00:00Z',
          },
        ]),
      ]),
    ]);
    await crm.openSession();
    const result = await crm.lookupItem({
      messageId: null,
      addresses: ['agent@x.example'],
      threadMessageIds: [],
      trackingTokens: [],
      threadIndexes: [],
      subjectWords: null,
    });
    expect(http.requestCount).toBe(3);
    expect(decodeURIComponent(bodies[2] as string)).toContain(
      'new_agents?$select=new_agentid,new_name,new_emailaddress,createdon&$filter=(statecode eq 0) and ((Microsoft.Dynamics.CRM.In(PropertyName=\'new_emailaddress\',PropertyValues=["agent@x.example"])))',
    );
    expect(result.records).toEqual([
      {
        type: 'new_agent',
        id: 'ab000000-0000-4000-8000-000000000001',
        emails: ['agent@x.example'],
        createdOn: '2020-01-01T00:00:00Z',
        active: true,
        name: 'Agent A',
      },
    ]);
  });

  test('a track fits every column, records the correlated email, binds a custom party, and creates no record from an address too long', async () => {
    const longId = `<${'m'.repeat(400)}@x.example>`;
    const longSender = `${'s'.repeat(120)}@x.example`;
    const { crm, bodies } = rig([
      batchResponse(sessionParts()),
      agentColumns(),
      batchResponse([ok([])]),
      batchResponse([
        [
          {
            status: 204,
            headers: { 'OData-EntityId': `https://org.example/api/data/v9.2/emails(${EMAIL_ID})` },
          },
          { status: 204 },
        ],
      ]),
    ]);
    await crm.openSession();
    const email: EmailToTrack = {
      messageId: longId,
      subject: 'S'.repeat(1000),
      direction: 'incoming',
      sentOn: null,
      body: null,
      trackingToken: null,
      threadIndex: null,
      regarding: null,
      parties: [
        { role: 'from', address: longSender, records: [], createdIndex: 0 },
        { role: 'to', address: `${'t'.repeat(400)}@x`, records: [] },
        {
          role: 'cc',
          address: 'agent@x.example',
          records: [{ type: 'new_agent', id: 'ab000000-0000-4000-8000-000000000001' }],
        },
      ],
      create: [{ type: 'contact', address: longSender, firstname: 'F'.repeat(80), lastname: 'L'.repeat(80) }],
      correlatedActivityId: 'cccccccc-0000-4000-8000-000000000001',
    };
    const [result] = await crm.trackEmails(USER, [email]);
    expect(result).toEqual({ activityId: EMAIL_ID, existed: false, createdRecords: [] });
    // The existence check asks for the stored (shortened) Message-ID.
    expect(decodeURIComponent(bodies[2] as string)).toContain(JSON.stringify([storedMessageId(longId)]));
    const track = bodies[3] as string;
    expect(track).not.toContain('POST https://org.example/api/data/v9.2/contacts');
    const created = JSON.parse(/\{"activityid".*\}/.exec(track)?.[0] as string) as Record<string, unknown>;
    expect(created.activityid).toBe(plannedIds(nameUuid, USER, email).activity);
    expect((created.subject as string).length).toBe(800);
    expect(created.messageid).toBe(storedMessageId(longId));
    expect((created.messageid as string).length).toBeLessThanOrEqual(320);
    expect(created['CorrelatedActivityId_Email@odata.bind']).toBe(
      '/emails(cccccccc-0000-4000-8000-000000000001)',
    );
    const parties = created.email_activity_parties as Record<string, unknown>[];
    expect(parties.every((p) => (p.addressused as string).length <= 320)).toBe(true);
    expect(parties[0]).toEqual({ participationtypemask: 1, addressused: longSender });
    expect(parties[2]).toMatchObject({
      'partyid_new_agent@odata.bind': '/new_agents(ab000000-0000-4000-8000-000000000001)',
    });
  });

  test('names of a record created from the sender are cut to 50', async () => {
    const { crm, bodies } = rig([
      batchResponse([ok([])]),
      batchResponse([
        [
          {
            status: 204,
            headers: {
              'OData-EntityId':
                'https://org.example/api/data/v9.2/contacts(dddddddd-0000-4000-8000-000000000001)',
            },
          },
          {
            status: 204,
            headers: { 'OData-EntityId': `https://org.example/api/data/v9.2/emails(${EMAIL_ID})` },
          },
          { status: 204 },
        ],
      ]),
    ]);
    const [result] = await crm.trackEmails(USER, [
      {
        messageId: '<short@x>',
        subject: 'Hi',
        direction: 'incoming',
        sentOn: null,
        body: null,
        trackingToken: null,
        threadIndex: null,
        regarding: null,
        parties: [{ role: 'from', address: 'nia@x.example', records: [], createdIndex: 0 }],
        create: [
          { type: 'contact', address: 'nia@x.example', firstname: 'F'.repeat(80), lastname: 'L'.repeat(80) },
        ],
      },
    ]);
    expect(result?.createdRecords).toEqual([{ type: 'contact', id: 'dddddddd-0000-4000-8000-000000000001' }]);
    const contact = JSON.parse(/\{"contactid".*\}/.exec(bodies[1] as string)?.[0] as string) as Record<
      string,
      string
    >;
    expect(contact).toEqual({
      contactid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      firstname: 'F'.repeat(50),
      lastname: 'L'.repeat(50),
      emailaddress1: 'nia@x.example',
    });
  });

  describe('trackEmails after a fresh lookup (checkedAbsent)', () => {
    const plain = (messageId: string): EmailToTrack => ({
      messageId,
      subject: 'Hi',
      direction: 'incoming',
      sentOn: null,
      body: null,
      trackingToken: null,
      threadIndex: null,
      regarding: null,
      parties: [],
      create: [],
    });
    const created = () =>
      batchResponse([
        [
          {
            status: 204,
            headers: { 'OData-EntityId': `https://org.example/api/data/v9.2/emails(${EMAIL_ID})` },
          },
          { status: 204 },
        ],
      ]);

    test("the first try trusts the caller's lookup: the changeset is the only request", async () => {
      const { crm, bodies } = rig([created()]);
      const [result] = await crm.trackEmails(USER, [plain('<fresh@x>')], { checkedAbsent: ['<fresh@x>'] });
      expect(result).toEqual({ activityId: EMAIL_ID, existed: false, createdRecords: [] });
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toContain('POST ');
      expect(bodies[0]).not.toContain('GET ');
    });

    test('an email the caller did not look up is still checked first', async () => {
      const { crm, bodies } = rig([batchResponse([ok([])]), created()]);
      await crm.trackEmails(USER, [plain('<other@x>')], { checkedAbsent: ['<fresh@x>'] });
      expect(bodies).toHaveLength(2);
      expect(bodies[0]).toContain('GET ');
    });

    test('a duplicate key on our own id (an earlier send landed): checked again at once, the first activity reported', async () => {
      const waits: number[] = [];
      const { crm, bodies } = rig(
        [
          batchResponse([
            [
              {
                status: 412,
                body: { error: { code: '0x80040237', message: 'Cannot insert duplicate key.' } },
              },
            ],
          ]),
          batchResponse([ok([{ activityid: EMAIL_ID, messageid: '<fresh@x>' }])]),
        ],
        { sleep: async (ms) => void waits.push(ms) },
      );
      const [result] = await crm.trackEmails(USER, [plain('<fresh@x>')], { checkedAbsent: ['<fresh@x>'] });
      expect(result).toEqual({ activityId: EMAIL_ID, existed: true, createdRecords: [] });
      expect(waits).toEqual([]);
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toContain('GET ');
    });

    test('a duplicate key whose recheck finds the planned key: this call made it, so created (with its planned records), not existed', async () => {
      const withContact: EmailToTrack = {
        ...plain('<mine@x>'),
        create: [{ type: 'contact', address: 'new@x.example', firstname: null, lastname: 'New' }],
        parties: [{ role: 'from', address: 'new@x.example', records: [], createdIndex: 0 }],
      };
      const planned = plannedIds(nameUuid, USER, withContact);
      const { crm } = rig([
        batchResponse([
          [{ status: 412, body: { error: { code: '0x80040237', message: 'Cannot insert duplicate key.' } } }],
        ]),
        batchResponse([ok([{ activityid: planned.activity.toUpperCase(), messageid: '<mine@x>' }])]),
      ]);
      const [result] = await crm.trackEmails(USER, [withContact], { checkedAbsent: ['<mine@x>'] });
      expect(result).toEqual({
        activityId: planned.activity,
        existed: false,
        createdRecords: [{ type: 'contact', id: planned.records[0] }],
      });
    });

    test('a duplicate key whose recheck finds nothing (the key held by a row no check sees): new keys, then created', async () => {
      const duplicate = () =>
        batchResponse([
          [{ status: 412, body: { error: { code: '0x80040237', message: 'Cannot insert duplicate key.' } } }],
        ]);
      const { crm, bodies, logged } = rig([duplicate(), batchResponse([ok([])]), created()]);
      const [result] = await crm.trackEmails(USER, [plain('<held@x>')], { checkedAbsent: ['<held@x>'] });
      expect(result).toEqual({ activityId: EMAIL_ID, existed: false, createdRecords: [] });
      const sentIds = [bodies[0], bodies[2]].map(
        (b) => /"activityid":"([0-9a-f-]{36})"/.exec(b as string)?.[1],
      );
      expect(sentIds[0]).toBe(plannedIds(nameUuid, USER, plain('<held@x>')).activity);
      expect(sentIds[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
      expect(sentIds[1]).not.toBe(sentIds[0]);
      expect(logged.join('\n')).toMatch(/new keys/);
    });

    test('the first check finding the planned key (an earlier track of this email): existed', async () => {
      const planned = plannedIds(nameUuid, USER, plain('<old@x>'));
      const { crm } = rig([batchResponse([ok([{ activityid: planned.activity, messageid: '<old@x>' }])])]);
      const [result] = await crm.trackEmails(USER, [plain('<old@x>')]);
      expect(result).toEqual({ activityId: planned.activity, existed: true, createdRecords: [] });
    });

    test.each([
      ['<same@x>', '<same@x>', true],
      ['bare form', 'same@x', true],
      ['one bracket dropped by a client', '<same@x', true],
      ['white space around', ' <same@x> ', true],
      ['another case (§2.1 step 1: case-sensitive)', '<SAME@x>', false],
    ])('the existence check compares as the rules do: a row holding %s', async (_label, stored, same) => {
      const { crm, bodies } = rig([
        batchResponse([ok([{ activityid: EMAIL_ID, messageid: stored }])]),
        created(),
      ]);
      const [result] = await crm.trackEmails(USER, [plain('<same@x>')]);
      expect(result?.existed).toBe(same);
      expect(bodies).toHaveLength(same ? 1 : 2);
    });

    test('every try sends the same activity id, so a second send can never make a second activity', async () => {
      const { crm, bodies } = rig([
        batchResponse([{ status: 503, body: { error: { code: '0x80040216', message: 'busy' } } }], 503),
        batchResponse([ok([])]),
        created(),
      ]);
      await crm.trackEmails(USER, [plain('<twice@x>')], { checkedAbsent: ['<twice@x>'] });
      const ids = [bodies[0], bodies[2]].map((b) => /"activityid":"([0-9a-f-]{36})"/.exec(b as string)?.[1]);
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(ids[1]).toBe(ids[0]);
    });

    test("a retry after a lost answer checks again, and finds the first try's activity", async () => {
      const { crm, bodies } = rig([
        batchResponse([{ status: 503, body: { error: { code: '0x80040216', message: 'busy' } } }], 503),
        batchResponse([ok([{ activityid: EMAIL_ID, messageid: '<fresh@x>' }])]),
      ]);
      const [result] = await crm.trackEmails(USER, [plain('<fresh@x>')], { checkedAbsent: ['<fresh@x>'] });
      expect(result).toEqual({ activityId: EMAIL_ID, existed: true, createdRecords: [] });
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toContain('GET ');
    });
  });
});

describe('attachments', () => {
  const withFiles: EmailToTrack = {
    messageId: '<files@x>',
    subject: 'Hi',
    direction: 'incoming',
    sentOn: null,
    body: null,
    trackingToken: null,
    threadIndex: null,
    regarding: null,
    parties: [],
    create: [],
    attachments: [
      { fileName: 'quote.pdf', mimeType: 'application/pdf', base64: 'QUJD' },
      { fileName: `${'n'.repeat(300)}.txt`, mimeType: 'text/plain', base64: 'QQ==' },
    ],
  };
  const ATTACHMENT_IDS = plannedIds(nameUuid, USER, withFiles).attachments;
  const createdAll = () =>
    batchResponse([
      [
        {
          status: 204,
          headers: { 'OData-EntityId': `https://org.example/api/data/v9.2/emails(${EMAIL_ID})` },
        },
        { status: 204 },
        { status: 204 },
        { status: 204 },
      ],
    ]);

  test('the files go in the email changeset, bound by Content-ID, with keys derived from the activity key, before the close', async () => {
    const { crm, bodies } = rig([createdAll()]);
    const [result] = await crm.trackEmails(USER, [withFiles], { checkedAbsent: ['<files@x>'] });
    expect(result?.activityId).toBe(EMAIL_ID);
    expect(bodies).toHaveLength(1);
    const body = bodies[0] as string;
    const order = [
      'POST https://org.example/api/data/v9.2/emails',
      'activitymimeattachments',
      'PATCH $1',
    ].map((s) => body.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const files = [...body.matchAll(/\{"activitymimeattachmentid"[^\r\n]*\}/g)].map((m) => JSON.parse(m[0]));
    expect(files).toEqual([
      {
        activitymimeattachmentid: ATTACHMENT_IDS[0],
        'objectid_email@odata.bind': '$1',
        objecttypecode: 'email',
        attachmentnumber: 1,
        filename: 'quote.pdf',
        mimetype: 'application/pdf',
        body: 'QUJD',
      },
      expect.objectContaining({
        activitymimeattachmentid: ATTACHMENT_IDS[1],
        attachmentnumber: 2,
        body: 'QQ==',
      }),
    ]);
    // File names fit the column (255).
    expect((files[1] as { filename: string }).filename).toHaveLength(255);
  });

  test('a retry after a lost response sends the same attachment ids, then finds the activity (files included)', async () => {
    const { crm, bodies } = rig([
      new Response('busy', { status: 503 }),
      batchResponse([ok([{ activityid: EMAIL_ID, messageid: '<files@x>' }])]),
    ]);
    const [result] = await crm.trackEmails(USER, [withFiles], { checkedAbsent: ['<files@x>'] });
    expect(result).toEqual({ activityId: EMAIL_ID, existed: true, createdRecords: [] });
    expect(bodies[0]).toContain(ATTACHMENT_IDS[0]);
  });

  test('the session batch asks for maxuploadfilesize and blockedattachments in the organization part', async () => {
    const { crm, http, bodies } = rig([batchResponse(sessionParts({ 5: ok([]) }))]);
    await crm.openSession();
    expect(http.requestCount).toBe(1);
    expect(decodeURIComponent(bodies[0] as string)).toMatch(
      /organizations\?\$select=[^ ]*maxuploadfilesize,blockedattachments/,
    );
  });
});

describe('findRecords: one $batch, prefix matches never cut off by many substring matches', () => {
  const contact = (n: number, fullname: string) => ({
    contactid: `cccccccc-0000-4000-8000-00000000000${n}`,
    fullname,
    emailaddress1: null,
  });

  test('per type a starts-with part and a contains part, each by name with top+1; prefix hits first, more said', async () => {
    const { crm, http, bodies } = rig([
      batchResponse([
        ok([contact(1, 'Ann Zed')]),
        // Three substring matches for top 2: the contains part overflowed, and the prefix hit is not among them.
        ok([contact(2, 'Aaron Joann'), contact(3, 'Aaron Leann'), contact(4, 'Abe Hannah')]),
      ]),
    ]);
    const found = await crm.findRecords(' ann ', { top: 2, types: ['contact'] });
    expect(http.requestCount).toBe(1);
    const body = decodeURIComponent(bodies[0] as string);
    expect(body).toContain("startswith(fullname,'ann')");
    expect(body).toContain("contains(emailaddress1,'ann')");
    expect(body).toContain('$orderby=fullname asc&$top=3');
    expect(body).not.toContain('accounts?');
    expect(found.more).toBe(true);
    expect(found.hits.map((h) => h.name)).toEqual(['Ann Zed', 'Aaron Joann']);
  });
});
