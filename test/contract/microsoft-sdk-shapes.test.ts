/**
 * The requests Microsoft's Python SDK for Dataverse (microsoft/PowerPlatform-DataverseClient-Python,
 * read at commit a76f5db, `src/PowerPlatform/Dataverse/...`) sends, byte for byte as it builds them
 * (method, path, query encoding, headers, body), sent to a started emulator and checked against what
 * Microsoft's Web API documentation says Dataverse answers. Where the emulator does not carry a request
 * out, it must answer with Dataverse's error JSON (`{"error":{"code","message"}}`), never hang or crash.
 * Each test cites the SDK file and line that builds the request.
 */
import { randomUUID } from 'node:crypto';
import type { Emulator } from '../../emulator/server';
import { startDemoEmulator } from '../support/demoEmulator';
import { DEMO } from '../../emulator/seed';

let emu: Emulator;

beforeAll(async () => {
  emu = await startDemoEmulator('sdk-shapes');
});

afterAll(async () => {
  await emu?.close();
});

/** The SDK's headers on every request (data/_odata.py:95-110, `_headers`). */
const SDK_HEADERS = {
  Authorization: 'Bearer emulator-accepts-any-token',
  Accept: 'application/json',
  'Content-Type': 'application/json',
  'OData-MaxVersion': '4.0',
  'OData-Version': '4.0',
  'User-Agent': 'DataverseSvcPythonClient (emulator contract test)',
};

/**
 * Python `requests`' `params=` encoding (urllib.parse.urlencode: quote_plus), as the SDK's `_request`
 * uses for dict params: space as `+`, and `'`, `(`, `)`, `,`, `$` percent-encoded.
 */
function pyParams(params: Record<string, string>): string {
  const quotePlus = (text: string): string =>
    encodeURIComponent(text)
      .replace(/%20/g, '+')
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.entries(params)
    .map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`)
    .join('&');
}

/** `requests` requotes a URL given whole (requote_uri): spaces become %20, quotes and commas stay. */
const requote = (url: string): string => url.replace(/ /g, '%20');

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> & { value?: Record<string, unknown>[] };
}

async function send(
  method: string,
  pathAndQuery: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const url = pathAndQuery.startsWith('http') ? pathAndQuery : `${emu.url}/${pathAndQuery}`;
  const res = await fetch(url, {
    method,
    headers: { ...SDK_HEADERS, ...options.headers },
    body: options.body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = {};
  }
  return { status: res.status, headers: res.headers, text, json: json as Reply['json'] };
}

/** Dataverse's error JSON: `{"error": {"code": "0x...", "message": "..."}}`. */
function expectDataverseError(reply: Reply, status: number, code?: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  const error = (reply.json as { error?: { code?: unknown; message?: unknown } }).error;
  expect(typeof error?.code).toBe('string');
  expect(typeof error?.message).toBe('string');
  if (code) expect(error?.code).toBe(code);
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const idFrom = (reply: Reply): string => GUID.exec(reply.headers.get('odata-entityid') ?? '')?.[0] ?? '';

async function newContact(lastname: string): Promise<string> {
  const created = await send('POST', 'contacts', { body: JSON.stringify({ lastname }) });
  expect(created.status).toBe(204);
  return idFrom(created);
}

describe('table metadata, as the SDK resolves and reads it', () => {
  test('entity set resolution: EntityDefinitions by LogicalName with EntitySetName and PrimaryIdAttribute', async () => {
    // data/_odata.py:751-759 (_entity_set_from_schema_name), params encoded by requests.
    const res = await send(
      'GET',
      `EntityDefinitions?${pyParams({
        $select: 'LogicalName,EntitySetName,PrimaryIdAttribute',
        $filter: "LogicalName eq 'new_partner'",
      })}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([
      expect.objectContaining({
        LogicalName: 'new_partner',
        EntitySetName: 'new_partners',
        PrimaryIdAttribute: 'new_partnerid',
      }),
    ]);
    // A plural passed by mistake resolves to nothing: an empty value, not an error (the SDK then raises).
    const plural = await send(
      'GET',
      `EntityDefinitions?${pyParams({
        $select: 'LogicalName,EntitySetName,PrimaryIdAttribute',
        $filter: "LogicalName eq 'contacts'",
      })}`,
    );
    expect(plural.status).toBe(200);
    expect(plural.json.value).toEqual([]);
  });

  test('table info: MetadataId, SchemaName and names, with Consistency: Strong', async () => {
    // data/_odata.py:800-808 (_get_entity_by_table_schema_name); the header from data/_odata.py:838.
    const res = await send(
      'GET',
      `EntityDefinitions?${pyParams({
        $select: 'MetadataId,LogicalName,SchemaName,EntitySetName,PrimaryNameAttribute,PrimaryIdAttribute',
        $filter: "LogicalName eq 'contact'",
      })}`,
      { headers: { Consistency: 'Strong' } },
    );
    expect(res.status).toBe(200);
    expect(res.json.value?.[0]).toMatchObject({
      LogicalName: 'contact',
      SchemaName: 'Contact',
      EntitySetName: 'contacts',
      PrimaryNameAttribute: 'fullname',
      PrimaryIdAttribute: 'contactid',
    });
    expect(res.json.value?.[0]?.MetadataId).toMatch(GUID);
  });

  test('list tables: IsPrivate eq false, with and without a caller filter in parentheses', async () => {
    // data/_odata_base.py:595-612 (_build_list_entities): the URL is built whole, so requests requotes it.
    const all = await send('GET', requote('EntityDefinitions?$filter=IsPrivate eq false'));
    expect(all.status).toBe(200);
    expect(all.json.value?.map((e) => e.LogicalName)).toEqual(
      expect.arrayContaining(['contact', 'email', 'new_partner']),
    );
    const one = await send(
      'GET',
      requote(
        "EntityDefinitions?$filter=IsPrivate eq false and (SchemaName eq 'Contact')&$select=LogicalName,SchemaName",
      ),
    );
    expect(one.status).toBe(200);
    expect(one.json.value).toEqual([
      expect.objectContaining({ LogicalName: 'contact', SchemaName: 'Contact' }),
    ]);
  });

  test('one column by MetadataId and LogicalName, with AttributeType; columns filtered by AttributeType', async () => {
    const table = await send(
      'GET',
      `EntityDefinitions?${pyParams({ $select: 'MetadataId', $filter: "LogicalName eq 'contact'" })}`,
    );
    const metadataId = table.json.value?.[0]?.MetadataId as string;
    // data/_odata.py:848-872 (_get_attribute_metadata, extra_select "@odata.type,AttributeType" from
    // data/_odata.py:1438: "@" pieces are dropped from $select).
    const column = await send(
      'GET',
      `EntityDefinitions(${metadataId})/Attributes?${pyParams({
        $select: 'MetadataId,LogicalName,SchemaName,AttributeType',
        $filter: "LogicalName eq 'emailaddress1'",
      })}`,
    );
    expect(column.status).toBe(200);
    expect(column.json.value).toEqual([
      expect.objectContaining({
        '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata',
        LogicalName: 'emailaddress1',
        AttributeType: 'String',
      }),
    ]);
    // data/_odata.py:919-925 (_list_columns) with the docstring's example filter.
    const strings = await send(
      'GET',
      `EntityDefinitions(${metadataId})/Attributes?${pyParams({
        $select: 'LogicalName,AttributeType',
        $filter: "AttributeType eq 'String'",
      })}`,
    );
    expect(strings.status).toBe(200);
    expect(strings.json.value?.every((a) => a.AttributeType === 'String')).toBe(true);
    expect(strings.json.value?.map((a) => a.LogicalName)).toContain('emailaddress1');
  });

  test('picklists: the PicklistAttributeMetadata cast with $expand=OptionSet($select=Options), labels in LocalizedLabels', async () => {
    // data/_odata.py:992-996 (_bulk_fetch_picklists), read at data/_odata.py:1000-1027.
    const res = await send(
      'GET',
      "EntityDefinitions(LogicalName='activityparty')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)",
    );
    expect(res.status).toBe(200);
    const mask = res.json.value?.find((a) => a.LogicalName === 'participationtypemask') as
      | { OptionSet: { Options: { Value: number; Label: { LocalizedLabels: { Label: string }[] } }[] } }
      | undefined;
    const labels = Object.fromEntries(
      (mask?.OptionSet.Options ?? []).map((o) => [o.Label.LocalizedLabels[0]?.Label, o.Value]),
    );
    expect(labels).toMatchObject({ Sender: 1, 'To Recipient': 2, 'CC Recipient': 3 });
    // statecode and statuscode are State and Status attributes, not Picklist ones.
    const contact = await send(
      'GET',
      "EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)",
    );
    expect(contact.status).toBe(200);
    expect(contact.json.value).toEqual([]);
  });

  test('the column-visibility probe: $top=1 with one column; an unknown column is a 400 the SDK retries on', async () => {
    // data/_odata.py:942-950 (_wait_for_attribute_visibility).
    expect((await send('GET', 'new_partners?$top=1&$select=new_emailaddress')).status).toBe(200);
    expectDataverseError(await send('GET', 'new_partners?$top=1&$select=new_notyet'), 400, '0x80060888');
  });
});

describe('records: create, read, update, delete', () => {
  test('create: POST /<set> answers 204 with the id in OData-EntityId', async () => {
    // data/_odata.py:1466-1482 (_build_create); the id read from OData-EntityId at data/_odata.py:217-226.
    const res = await send('POST', 'contacts', {
      body: JSON.stringify({ firstname: 'Py', lastname: 'Created', emailaddress1: 'py.created@example.com' }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('odata-entityid')).toMatch(new RegExp(`/contacts\\(${GUID.source}\\)$`, 'i'));
  });

  test('get: GET /<set>(<id>) with $select, $expand and Prefer odata.include-annotations', async () => {
    // data/_odata.py:1708-1730 (_build_get).
    const res = await send(
      'GET',
      `new_partners(${DEMO.partnerId})?$select=new_name,new_emailaddress,statecode&$expand=ownerid($select=fullname)`,
      { headers: { Prefer: 'odata.include-annotations="*"' } },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      new_partnerid: DEMO.partnerId,
      new_name: 'Tailspin Toys (partner)',
      new_emailaddress: DEMO.partnerAddress,
      statecode: 0,
      'statecode@OData.Community.Display.V1.FormattedValue': 'Active',
      ownerid: expect.objectContaining({ systemuserid: DEMO.me, fullname: 'Dana Park' }),
    });
    expect(res.json['@odata.etag']).toBe(res.headers.get('etag'));
  });

  test('update: PATCH with If-Match: * updates, and is 404 (never a create) when the row is missing', async () => {
    // data/_odata.py:1507-1533 (_build_update): If-Match: * ("Prevent create in upsert").
    const id = await newContact('BeforeUpdate');
    const res = await send('PATCH', `contacts(${id})`, {
      headers: { 'If-Match': '*' },
      body: JSON.stringify({ lastname: 'AfterUpdate' }),
    });
    expect(res.status).toBe(204);
    expect((await send('GET', `contacts(${id})?$select=lastname`)).json.lastname).toBe('AfterUpdate');
    const missing = randomUUID();
    expectDataverseError(
      await send('PATCH', `contacts(${missing})`, {
        headers: { 'If-Match': '*' },
        body: JSON.stringify({ lastname: 'Ghost' }),
      }),
      404,
      '0x80040217',
    );
    expect((await send('GET', `contacts(${missing})`)).status).toBe(404);
  });

  test('delete: DELETE with If-Match: * answers 204, then 404', async () => {
    // data/_odata.py:1643-1664 (_build_delete).
    const id = await newContact('ToDelete');
    expect((await send('DELETE', `contacts(${id})`, { headers: { 'If-Match': '*' } })).status).toBe(204);
    expectDataverseError(
      await send('DELETE', `contacts(${id})`, { headers: { 'If-Match': '*' } }),
      404,
      '0x80040217',
    );
  });

  test('list: $select/$filter/$orderby/$count with Prefer odata.maxpagesize and annotations, following @odata.nextLink', async () => {
    // data/_odata.py:1732-1771 (_build_list) and 553-618 (_get_multiple: Prefer parts joined by ",").
    const query = pyParams({
      $select: 'fullname',
      $filter: 'statecode eq 0',
      $orderby: 'fullname',
      $count: 'true',
    });
    const prefer =
      'odata.maxpagesize=3,odata.include-annotations="OData.Community.Display.V1.FormattedValue"';
    let page = await send('GET', `contacts?${query}`, { headers: { Prefer: prefer } });
    expect(page.status).toBe(200);
    const total = page.json['@odata.count'] as number;
    expect(total).toBeGreaterThan(3);
    const seen: string[] = [];
    for (let pages = 0; pages < 100; pages += 1) {
      expect(page.status).toBe(200);
      expect((page.json.value ?? []).length).toBeLessThanOrEqual(3);
      seen.push(...(page.json.value ?? []).map((r) => r.contactid as string));
      const next = page.json['@odata.nextLink'] as string | undefined;
      if (!next) break;
      page = await send('GET', next, { headers: { Prefer: prefer } });
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });
});

describe('bulk operation messages', () => {
  test('CreateMultiple: Targets with @odata.type, answered 200 with the CreateMultipleResponse Ids', async () => {
    // data/_odata.py:1484-1505 (_build_create_multiple; @odata.type stamped per target), Ids read at 251-260.
    const tag = randomUUID().slice(0, 8);
    const res = await send('POST', 'contacts/Microsoft.Dynamics.CRM.CreateMultiple', {
      body: JSON.stringify({
        Targets: [
          { lastname: `Bulk1-${tag}`, '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
          { lastname: `Bulk2-${tag}`, '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.json['@odata.context']).toBe(
      `${emu.url}/$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`,
    );
    const ids = res.json.Ids as string[];
    expect(ids).toHaveLength(2);
    for (const [i, id] of ids.entries()) {
      expect((await send('GET', `contacts(${id})?$select=lastname`)).json.lastname).toBe(
        `Bulk${i + 1}-${tag}`,
      );
    }
  });

  test('CreateMultiple is all or nothing: a target without @odata.type, or one that fails, creates none', async () => {
    const tag = randomUUID().slice(0, 8);
    const count = async (): Promise<number> =>
      Number(
        (await send('GET', `contacts/$count?$filter=${encodeURIComponent(`startswith(lastname,'${tag}')`)}`))
          .text,
      );
    expectDataverseError(
      await send('POST', 'contacts/Microsoft.Dynamics.CRM.CreateMultiple', {
        body: JSON.stringify({ Targets: [{ lastname: `${tag}-a` }] }),
      }),
      400,
    );
    expectDataverseError(
      await send('POST', 'contacts/Microsoft.Dynamics.CRM.CreateMultiple', {
        body: JSON.stringify({
          Targets: [
            { lastname: `${tag}-ok`, '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
            { lastname: `${tag}-${'x'.repeat(60)}`, '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
          ],
        }),
      }),
      400,
      '0x80044331',
    );
    expect(await count()).toBe(0);
  });

  test('UpdateMultiple: Targets carry their primary key; 204; a missing row fails the whole message', async () => {
    // data/_odata.py:1535-1559 (_build_update_multiple_from_records), 1561-1581 (ids + changes).
    const a = await newContact('UpdA');
    const b = await newContact('UpdB');
    const ok = await send('POST', 'contacts/Microsoft.Dynamics.CRM.UpdateMultiple', {
      body: JSON.stringify({
        Targets: [
          { contactid: a, jobtitle: 'Buyer', '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
          { contactid: b, jobtitle: 'Buyer', '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
        ],
      }),
    });
    expect(ok.status).toBe(204);
    expect((await send('GET', `contacts(${b})?$select=jobtitle`)).json.jobtitle).toBe('Buyer');
    expectDataverseError(
      await send('POST', 'contacts/Microsoft.Dynamics.CRM.UpdateMultiple', {
        body: JSON.stringify({
          Targets: [
            { contactid: a, jobtitle: 'Changed', '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
            { contactid: randomUUID(), jobtitle: 'Changed', '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
          ],
        }),
      }),
      404,
      '0x80040217',
    );
    expect((await send('GET', `contacts(${a})?$select=jobtitle`)).json.jobtitle).toBe('Buyer');
  });

  test('UpsertMultiple (alternate keys) and BulkDelete are not carried out: 404 with the error JSON', async () => {
    // data/_odata.py:1605-1641 (_build_upsert_multiple).
    expectDataverseError(
      await send('POST', 'contacts/Microsoft.Dynamics.CRM.UpsertMultiple', {
        body: JSON.stringify({
          Targets: [
            {
              lastname: 'Up',
              '@odata.type': 'Microsoft.Dynamics.CRM.contact',
              '@odata.id': "contacts(emailaddress1='up@example.com')",
            },
          ],
        }),
      }),
      404,
      '0x80060888',
    );
    // data/_odata.py:1666-1706 (_build_delete_multiple).
    expectDataverseError(
      await send('POST', 'BulkDelete', {
        body: JSON.stringify({ JobName: 'Bulk delete contact records', QuerySet: [] }),
      }),
      404,
      '0x80060888',
    );
  });
});

describe('alternate keys and SQL: refused with the error JSON, never answered as something else', () => {
  test('upsert by alternate key: PATCH /<set>(col=value) is a 400; the table lists no Keys', async () => {
    // data/_odata.py:1583-1603 (_build_upsert, no If-Match) and 282-307 (_upsert).
    const res = await send('PATCH', "contacts(emailaddress1='upsert.me@example.com')", {
      body: JSON.stringify({ lastname: 'Upserted' }),
    });
    expectDataverseError(res, 400, '0x80060888');
    // data/_odata.py:1221-1222 (_get_alternate_keys).
    const keys = await send('GET', "EntityDefinitions(LogicalName='contact')/Keys");
    expect(keys.status).toBe(200);
    expect(keys.json.value).toEqual([]);
    const none = await send(
      'GET',
      `contacts/$count?$filter=${encodeURIComponent("emailaddress1 eq 'upsert.me@example.com'")}`,
    );
    expect(none.text).toBe('0');
  });

  test('?sql= is 400, not every row of the table', async () => {
    // data/_odata.py:1773-1793 (_build_sql: quote(sql, safe='')).
    expectDataverseError(
      await send('GET', `contacts?sql=${encodeURIComponent('SELECT TOP 5 fullname FROM contact')}`),
      400,
      '0x80060888',
    );
  });
});

describe('FetchXML as the SDK sends it', () => {
  test('?fetchXml= on the entity set is answered: 200 with the rows in `value`', async () => {
    // models/fetchxml_query.py:101-123, Prefer from models/fetchxml_query.py:22-24.
    const res = await send(
      'GET',
      `contacts?${pyParams({ fetchXml: '<fetch><entity name="contact"/></fetch>' })}`,
      {
        headers: {
          Prefer:
            'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"',
        },
      },
    );
    expect(res.status).toBe(200);
    // The same rows an OData query of the table returns (the demo holds fewer than a page of 5,000).
    const odata = await send('GET', 'contacts?$select=contactid');
    const ids = (reply: Reply): unknown[] =>
      ((reply.json as { value?: Record<string, unknown>[] }).value ?? []).map((r) => r.contactid).sort();
    expect(ids(odata).length).toBeGreaterThan(0);
    expect(ids(res)).toEqual(ids(odata));
  });
});

describe('$batch as the SDK writes it', () => {
  test('quoted boundaries, absolute URLs, a changeset with Content-IDs and $1, a GET after it', async () => {
    // data/_batch.py:94-113 (headers and POST $batch), data/_batch_base.py:315-350 (parts).
    const CRLF = '\r\n';
    const batch = `batch_${randomUUID()}`;
    const changeset = `changeset_${randomUUID()}`;
    const tag = randomUUID().slice(0, 8);
    const part = (lines: string[]): string => lines.join(CRLF) + CRLF;
    const body =
      part([
        `--${batch}`,
        `Content-Type: multipart/mixed; boundary="${changeset}"`,
        '',
        `--${changeset}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 1',
        '',
        `POST ${emu.url}/contacts HTTP/1.1`,
        'Content-Type: application/json; type=entry',
        '',
        JSON.stringify({ lastname: `Batch-${tag}` }),
        `--${changeset}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 2',
        '',
        'PATCH $1 HTTP/1.1',
        'Content-Type: application/json; type=entry',
        'If-Match: *',
        '',
        JSON.stringify({ firstname: 'Py' }),
        `--${changeset}--`,
      ]) +
      part([
        `--${batch}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        `GET ${emu.url}/contacts?$select=fullname&$filter=lastname%20eq%20'Batch-${tag}' HTTP/1.1`,
        '',
        '',
      ]) +
      `--${batch}--${CRLF}`;
    const res = await send('POST', '$batch', {
      headers: { 'Content-Type': `multipart/mixed; boundary="${batch}"`, Prefer: 'odata.continue-on-error' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^multipart\/mixed; ?boundary=/);
    const statuses = [...res.text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
    expect(statuses).toEqual([204, 204, 200]);
    expect(res.text).toContain(`"fullname":"Py Batch-${tag}"`);
  });
});

describe('what the emulator does not hold: table and relationship definitions written, file columns', () => {
  test('POST EntityDefinitions and POST .../Keys (writes to definitions) answer 405 with the error JSON', async () => {
    // data/_odata_base.py:528-573 (_build_create_entity), data/_odata.py:1183-1190 (_create_alternate_key).
    expectDataverseError(
      await send('POST', 'EntityDefinitions', {
        body: JSON.stringify({
          '@odata.type': 'Microsoft.Dynamics.CRM.EntityMetadata',
          SchemaName: 'new_Py',
        }),
      }),
      405,
    );
    expectDataverseError(
      await send('POST', "EntityDefinitions(LogicalName='contact')/Keys", {
        body: JSON.stringify({ SchemaName: 'new_key', KeyAttributes: ['emailaddress1'] }),
      }),
      405,
    );
  });

  test('RelationshipDefinitions is not emulated: 404 with the error JSON', async () => {
    // data/_odata_base.py:724-730 (_build_get_relationship).
    expectDataverseError(
      await send('GET', requote("RelationshipDefinitions?$filter=SchemaName eq 'new_x'")),
      404,
      '0x80060888',
    );
  });

  test('file upload to a column the table does not have: a single PATCH and a chunked start, both 404 JSON', async () => {
    const id = await newContact('NoFiles');
    // data/_upload.py:104-114 (_upload_file_small).
    expectDataverseError(
      await send('PATCH', `contacts(${id})/new_document`, {
        headers: {
          'Content-Type': 'application/octet-stream',
          'x-ms-file-name': 'a.txt',
          'If-None-Match': 'null',
        },
        body: 'hello',
      }),
      404,
      '0x80060888',
    );
    // data/_upload.py:157-165 (_upload_file_chunk: the session-opening PATCH with an empty body).
    expectDataverseError(
      await send('PATCH', `contacts(${id})/new_document?x-ms-file-name=a.txt`, {
        headers: { 'x-ms-transfer-mode': 'chunked', 'If-None-Match': 'null' },
        body: '',
      }),
      404,
      '0x80060888',
    );
  });
});
