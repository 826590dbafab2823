/**
 * FetchXML on entity sets (`GET /<set>?fetchXml=…`), held to "Use FetchXml to query data", its
 * reference (fetch, entity, attribute, order, filter, condition operators, link-entity) and "Page
 * results using FetchXml". Spoken to with plain fetch and with a client we did not write
 * (dynamics-web-api's fetch/fetchAll). Each test makes its own rows, tagged so that no other test's
 * rows (nor the seed's) can match.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DynamicsWebApi } from 'dynamics-web-api';
import type { Emulator } from '../../emulator/server';
import { DEMO, seedId } from '../../emulator/seed';
import { parseFetchXml } from '../../emulator/fetchXml/parse';
import { ODataError } from '../../emulator/protocol';
import { dataverseCall, dynamicsWebApiOn } from '../support/dataverseClients';
import { startDemoEmulator } from '../support/demoEmulator';

let emu: Emulator;
let api: DynamicsWebApi;

beforeAll(async () => {
  emu = await startDemoEmulator('fetchxml');
  api = dynamicsWebApiOn(emu);
});

afterAll(async () => {
  await emu?.close();
});

type Row = Record<string, unknown>;
interface Reply {
  status: number;
  json: Row & { value?: Row[]; error?: { code: string; message: string } };
}

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const ALL_ANNOTATIONS = { Prefer: 'odata.include-annotations="*"' };
const OTHER_USER = seedId('user:lee');

function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return dataverseCall<Reply['json']>(emu, method, path, body, headers);
}

function fetchXml(set: string, xml: string, headers: Record<string, string> = {}): Promise<Reply> {
  return call('GET', `${set}?fetchXml=${encodeURIComponent(xml)}`, undefined, headers);
}

/** A fresh tag: rows made by one test only. */
const newTag = (): string => `Fx${randomUUID().slice(0, 8)}`;

async function createContact(data: Row, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${emu.url}/contacts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(data),
  });
  expect(res.status).toBe(204);
  return /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('OData-EntityId') ?? '')?.[1] as string;
}

/** Contacts whose lastname begins with the tag, plus `conditions` (FetchXML condition elements). */
const tagged = (
  tag: string,
  conditions = '',
  attributes = '<attribute name="lastname" />',
  extra = '',
): string =>
  `<fetch><entity name="contact">${attributes}<filter type="and"><condition attribute="lastname" operator="begins-with" value="${tag}" />${conditions}</filter>${extra}</entity></fetch>`;

const lastnames = (reply: Reply): string[] =>
  (reply.json.value ?? []).map((r) => r.lastname as string).sort();

describe('the response (Use FetchXml with the Web API)', () => {
  test('returns the attributes asked and the primary key, and leaves null values out', async () => {
    const tag = newTag();
    const id = await createContact({ lastname: `${tag}a`, jobtitle: null });
    const reply = await fetchXml(
      'contacts',
      tagged(tag, '', '<attribute name="lastname" /><attribute name="jobtitle" />'),
    );
    expect(reply.status).toBe(200);
    expect(reply.json.value).toEqual([
      { '@odata.etag': expect.any(String), contactid: id, lastname: `${tag}a` },
    ]);
  });

  test('no attribute element returns every non-null column of the root table', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}a`, firstname: 'Ada', telephone1: '+1 555 0100' });
    const reply = await fetchXml('contacts', tagged(tag, '', ''));
    expect(reply.json.value?.[0]).toMatchObject({
      firstname: 'Ada',
      telephone1: '+1 555 0100',
      fullname: `Ada ${tag}a`,
    });
  });

  test('a lookup attribute is returned as _x_value with its formatted value when annotations are asked', async () => {
    const tag = newTag();
    const account = seedId('account:fabrikam.com');
    await createContact({
      lastname: `${tag}a`,
      'parentcustomerid_account@odata.bind': `/accounts(${account})`,
    });
    const reply = await fetchXml(
      'contacts',
      tagged(tag, '', '<attribute name="parentcustomerid" /><attribute name="statecode" />'),
      ALL_ANNOTATIONS,
    );
    expect(reply.json.value?.[0]).toMatchObject({
      _parentcustomerid_value: account,
      [`_parentcustomerid_value@${FORMATTED}`]: 'Fabrikam',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      statecode: 0,
      [`statecode@${FORMATTED}`]: 'Active',
    });
  });

  test('no formatted values without the Prefer header', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}a` });
    const reply = await fetchXml('contacts', tagged(tag, '', '<attribute name="statecode" />'));
    expect(Object.keys(reply.json.value?.[0] ?? {}).some((k) => k.includes('@OData'))).toBe(false);
  });
});

describe('condition operators', () => {
  test('eq and ne', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}a`, jobtitle: 'Buyer' });
    await createContact({ lastname: `${tag}b`, jobtitle: 'Engineer' });
    expect(
      lastnames(
        await fetchXml(
          'contacts',
          tagged(tag, '<condition attribute="jobtitle" operator="eq" value="buyer" />'),
        ),
      ),
    ).toEqual([`${tag}a`]);
    expect(
      lastnames(
        await fetchXml(
          'contacts',
          tagged(tag, '<condition attribute="jobtitle" operator="ne" value="Buyer" />'),
        ),
      ),
    ).toEqual([`${tag}b`]);
  });

  test('in takes its values from <value> children', async () => {
    const tag = newTag();
    for (const s of ['a', 'b', 'c']) await createContact({ lastname: `${tag}${s}` });
    const xml = tagged(
      tag,
      `<condition attribute="lastname" operator="in"><value>${tag}a</value><value>${tag}c</value></condition>`,
    );
    expect(lastnames(await fetchXml('contacts', xml))).toEqual([`${tag}a`, `${tag}c`]);
  });

  test('null and not-null', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}a`, jobtitle: 'Buyer' });
    await createContact({ lastname: `${tag}b` });
    expect(
      lastnames(
        await fetchXml('contacts', tagged(tag, '<condition attribute="jobtitle" operator="null" />')),
      ),
    ).toEqual([`${tag}b`]);
    expect(
      lastnames(
        await fetchXml('contacts', tagged(tag, '<condition attribute="jobtitle" operator="not-null" />')),
      ),
    ).toEqual([`${tag}a`]);
  });

  test('like matches % (any run) and _ (one character)', async () => {
    const tag = newTag();
    for (const s of ['-ab', '-axb', '-b']) await createContact({ lastname: `${tag}${s}` });
    expect(
      lastnames(
        await fetchXml(
          'contacts',
          tagged(tag, `<condition attribute="lastname" operator="like" value="${tag}-a%" />`),
        ),
      ),
    ).toEqual([`${tag}-ab`, `${tag}-axb`]);
    expect(
      lastnames(
        await fetchXml(
          'contacts',
          tagged(tag, `<condition attribute="lastname" operator="like" value="${tag}-a_b" />`),
        ),
      ),
    ).toEqual([`${tag}-axb`]);
  });

  test('like reads [] as a set and a bracketed wildcard as itself, as Dataverse documents', async () => {
    const tag = newTag();
    for (const s of ['-a_b', '-axb', '-ayb']) await createContact({ lastname: `${tag}${s}` });
    const like = async (pattern: string) =>
      lastnames(
        await fetchXml(
          'contacts',
          tagged(tag, `<condition attribute="lastname" operator="like" value="${tag}${pattern}" />`),
        ),
      );
    expect(await like('-a[_]b')).toEqual([`${tag}-a_b`]);
    expect(await like('-a[xy]b')).toEqual([`${tag}-axb`, `${tag}-ayb`]);
    expect(await like('-a[^x_]b')).toEqual([`${tag}-ayb`]);
  });

  test('eq-userid keeps the rows the caller owns; ne-userid the others', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}mine` });
    await createContact({ lastname: `${tag}theirs` }, { 'X-Emulator-User': OTHER_USER });
    expect(
      lastnames(
        await fetchXml('contacts', tagged(tag, '<condition attribute="ownerid" operator="eq-userid" />')),
      ),
    ).toEqual([`${tag}mine`]);
    expect(
      lastnames(
        await fetchXml('contacts', tagged(tag, '<condition attribute="ownerid" operator="ne-userid" />')),
      ),
    ).toEqual([`${tag}theirs`]);
  });

  test('eq-userid is the calling user, not the default one', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}mine` });
    await createContact({ lastname: `${tag}theirs` }, { 'X-Emulator-User': OTHER_USER });
    const reply = await fetchXml(
      'contacts',
      tagged(tag, '<condition attribute="ownerid" operator="eq-userid" />'),
      { 'X-Emulator-User': OTHER_USER },
    );
    expect(lastnames(reply)).toEqual([`${tag}theirs`]);
  });

  test('eq-useroremployee is the caller (no employee hierarchy is emulated)', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}mine` });
    await createContact({ lastname: `${tag}theirs` }, { 'X-Emulator-User': OTHER_USER });
    expect(
      lastnames(
        await fetchXml(
          'contacts',
          tagged(tag, '<condition attribute="ownerid" operator="eq-useroremployee" />'),
        ),
      ),
    ).toEqual([`${tag}mine`]);
  });

  describe('dates', () => {
    const day = (offset: number, hour = 12): string => {
      const now = new Date();
      return new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset, hour),
      ).toISOString();
    };
    const dayOnly = (offset: number): string => day(offset).slice(0, 10);
    async function appointments(tag: string, offsets: readonly number[]): Promise<void> {
      for (const offset of offsets) {
        const reply = await call('POST', 'appointments', {
          subject: `${tag}${offset}`,
          scheduledstart: day(offset),
          scheduledend: day(offset, 13),
        });
        expect(reply.status).toBe(204);
      }
    }
    const subjects = async (tag: string, condition: string): Promise<string[]> => {
      const xml = `<fetch><entity name="appointment"><attribute name="subject" /><filter><condition attribute="subject" operator="begins-with" value="${tag}" />${condition}</filter></entity></fetch>`;
      const reply = await fetchXml('appointments', xml);
      expect(reply.status).toBe(200);
      return (reply.json.value ?? []).map((r) => r.subject as string).sort();
    };

    test('on-or-after includes the whole day named', async () => {
      const tag = newTag();
      await appointments(tag, [-2, 0, 2]);
      expect(
        await subjects(
          tag,
          `<condition attribute="scheduledstart" operator="on-or-after" value="${dayOnly(0)}" />`,
        ),
      ).toEqual([`${tag}0`, `${tag}2`]);
    });

    test('on-or-before includes the whole day named', async () => {
      const tag = newTag();
      await appointments(tag, [-2, 0, 2]);
      expect(
        await subjects(
          tag,
          `<condition attribute="scheduledstart" operator="on-or-before" value="${dayOnly(0)}" />`,
        ),
      ).toEqual([`${tag}-2`, `${tag}0`]);
    });

    test('last-x-days: from the start of the day X days ago until now', async () => {
      const tag = newTag();
      await appointments(tag, [-40, -5, 3]);
      expect(
        await subjects(tag, '<condition attribute="scheduledstart" operator="last-x-days" value="30" />'),
      ).toEqual([`${tag}-5`]);
    });

    test('next-x-days: from now until the end of the day X days ahead', async () => {
      const tag = newTag();
      await appointments(tag, [-5, 3, 40]);
      expect(
        await subjects(tag, '<condition attribute="scheduledstart" operator="next-x-days" value="7" />'),
      ).toEqual([`${tag}3`]);
    });

    test('a date operator on a column that is not a date is a 400', async () => {
      const reply = await fetchXml(
        'contacts',
        tagged(newTag(), '<condition attribute="lastname" operator="last-x-days" value="3" />'),
      );
      expect(reply.status).toBe(400);
    });
  });

  test('an unknown operator is a 400', async () => {
    const reply = await fetchXml(
      'contacts',
      tagged(newTag(), '<condition attribute="lastname" operator="sounds-like" value="x" />'),
    );
    expect(reply.status).toBe(400);
  });
});

describe('filters, order, top, distinct', () => {
  test('a nested or-filter inside an and-filter', async () => {
    const tag = newTag();
    await createContact({ lastname: `${tag}a`, jobtitle: 'Buyer' });
    await createContact({ lastname: `${tag}b`, jobtitle: 'Engineer' });
    await createContact({ lastname: `${tag}c`, jobtitle: 'CEO' });
    const xml = tagged(
      tag,
      '<filter type="or"><condition attribute="jobtitle" operator="eq" value="Buyer" /><condition attribute="jobtitle" operator="eq" value="CEO" /></filter>',
    );
    expect(lastnames(await fetchXml('contacts', xml))).toEqual([`${tag}a`, `${tag}c`]);
  });

  test('order descending', async () => {
    const tag = newTag();
    for (const s of ['b', 'c', 'a']) await createContact({ lastname: `${tag}${s}` });
    const reply = await fetchXml(
      'contacts',
      tagged(tag, '', '<attribute name="lastname" /><order attribute="lastname" descending="true" />'),
    );
    expect((reply.json.value ?? []).map((r) => r.lastname)).toEqual([`${tag}c`, `${tag}b`, `${tag}a`]);
  });

  test('top limits the rows and says nothing of more records', async () => {
    const tag = newTag();
    for (const s of ['a', 'b', 'c']) await createContact({ lastname: `${tag}${s}` });
    const xml = tagged(tag, '', '<attribute name="lastname" /><order attribute="lastname" />').replace(
      '<fetch>',
      '<fetch top="2">',
    );
    const reply = await fetchXml('contacts', xml, ALL_ANNOTATIONS);
    expect((reply.json.value ?? []).map((r) => r.lastname)).toEqual([`${tag}a`, `${tag}b`]);
    expect(reply.json['@Microsoft.Dynamics.CRM.morerecords']).toBe(false);
  });

  test('distinct returns each combination of the attributes asked once', async () => {
    const tag = newTag();
    for (const s of ['a', 'b', 'c'])
      await createContact({ lastname: `${tag}${s}`, jobtitle: s === 'c' ? 'CEO' : 'Buyer' });
    const xml = tagged(tag, '', '<attribute name="jobtitle" /><order attribute="jobtitle" />').replace(
      '<fetch>',
      '<fetch distinct="true">',
    );
    expect((await fetchXml('contacts', xml)).json.value).toEqual([
      { jobtitle: 'Buyer' },
      { jobtitle: 'CEO' },
    ]);
  });
});

describe('link-entity', () => {
  const withAccount = (tag: string, linkType: string, linkFilter = ''): string =>
    tagged(
      tag,
      '',
      '<attribute name="lastname" /><order attribute="lastname" />',
      `<link-entity name="account" from="accountid" to="parentcustomerid" alias="acct" link-type="${linkType}"><attribute name="name" /><attribute name="accountnumber" />${linkFilter}</link-entity>`,
    );

  test('an outer join keeps rows without a match and names linked columns alias.attr', async () => {
    const tag = newTag();
    await createContact({
      lastname: `${tag}a`,
      'parentcustomerid_account@odata.bind': `/accounts(${seedId('account:litware.com')})`,
    });
    await createContact({ lastname: `${tag}b` });
    const rows = (await fetchXml('contacts', withAccount(tag, 'outer'))).json.value ?? [];
    expect(rows.map((r) => [r.lastname, r['acct.name'] ?? null])).toEqual([
      [`${tag}a`, 'Litware'],
      [`${tag}b`, null],
    ]);
  });

  test('an inner join drops rows without a match', async () => {
    const tag = newTag();
    await createContact({
      lastname: `${tag}a`,
      'parentcustomerid_account@odata.bind': `/accounts(${seedId('account:litware.com')})`,
    });
    await createContact({ lastname: `${tag}b` });
    expect(lastnames(await fetchXml('contacts', withAccount(tag, 'inner')))).toEqual([`${tag}a`]);
  });

  test("a link-entity's filter on an outer join restricts the linked rows, not the root rows", async () => {
    const tag = newTag();
    await createContact({
      lastname: `${tag}a`,
      'parentcustomerid_account@odata.bind': `/accounts(${seedId('account:litware.com')})`,
    });
    await createContact({
      lastname: `${tag}b`,
      'parentcustomerid_account@odata.bind': `/accounts(${seedId('account:fabrikam.com')})`,
    });
    const rows =
      (
        await fetchXml(
          'contacts',
          withAccount(
            tag,
            'outer',
            '<filter><condition attribute="name" operator="eq" value="Fabrikam" /></filter>',
          ),
        )
      ).json.value ?? [];
    expect(rows.map((r) => [r.lastname, r['acct.name'] ?? null])).toEqual([
      [`${tag}a`, null],
      [`${tag}b`, 'Fabrikam'],
    ]);
  });

  test("a condition's entityname filters root rows on a linked column", async () => {
    const tag = newTag();
    await createContact({
      lastname: `${tag}a`,
      'parentcustomerid_account@odata.bind': `/accounts(${seedId('account:litware.com')})`,
    });
    await createContact({ lastname: `${tag}b` });
    const xml = tagged(
      tag,
      '<condition entityname="acct" attribute="accountid" operator="null" />',
      '<attribute name="lastname" />',
      '<link-entity name="account" from="accountid" to="parentcustomerid" alias="acct" link-type="outer" />',
    );
    expect(lastnames(await fetchXml('contacts', xml))).toEqual([`${tag}b`]);
  });

  test('linked columns carry formatted values under alias.attr', async () => {
    const tag = newTag();
    await createContact({
      lastname: `${tag}a`,
      'parentcustomerid_account@odata.bind': `/accounts(${seedId('account:litware.com')})`,
    });
    const xml = tagged(
      tag,
      '',
      '<attribute name="lastname" />',
      '<link-entity name="account" from="accountid" to="parentcustomerid" alias="acct"><attribute name="statecode" /></link-entity>',
    );
    const row = (await fetchXml('contacts', xml, ALL_ANNOTATIONS)).json.value?.[0];
    expect(row).toMatchObject({ 'acct.statecode': 0, [`acct.statecode@${FORMATTED}`]: 'Active' });
  });
});

describe('paging (Page results using FetchXml)', () => {
  const PAGING = {
    Prefer:
      'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"',
  };

  async function fiveContacts(tag: string): Promise<void> {
    for (const s of ['a', 'b', 'c', 'd', 'e']) await createContact({ lastname: `${tag}${s}` });
  }

  test('a page with more rows after it carries morerecords and a paging cookie for the next page', async () => {
    const tag = newTag();
    await fiveContacts(tag);
    const xml = tagged(tag, '', '<attribute name="lastname" /><order attribute="lastname" />').replace(
      '<fetch>',
      '<fetch count="2" page="1">',
    );
    const reply = await fetchXml('contacts', xml, PAGING);
    expect(reply.json['@Microsoft.Dynamics.CRM.morerecords']).toBe(true);
    const cookie = reply.json['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'] as string;
    expect(cookie).toMatch(/^<cookie pagenumber="2" pagingcookie="[^"]+" istracking="False" \/>$/);
    expect(decodeURIComponent(decodeURIComponent(/pagingcookie="([^"]+)"/.exec(cookie)?.[1] ?? ''))).toMatch(
      /^<cookie page="1"><contactid last="\{[0-9A-F-]{36}\}" first="\{[0-9A-F-]{36}\}" \/><\/cookie>$/,
    );
  });

  test('the paging cookie leads through every page, each row once, the last page without a cookie', async () => {
    const tag = newTag();
    await fiveContacts(tag);
    const seen: string[] = [];
    let page = 1;
    let cookie: string | null = null;
    for (;;) {
      const attrs: string = `count="2" page="${page}"${cookie === null ? '' : ` paging-cookie="${cookie.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}"`}`;
      const xml = tagged(tag, '', '<attribute name="lastname" /><order attribute="lastname" />').replace(
        '<fetch>',
        `<fetch ${attrs}>`,
      );
      const reply = await fetchXml('contacts', xml, PAGING);
      expect(reply.status).toBe(200);
      seen.push(...(reply.json.value ?? []).map((r) => r.lastname as string));
      const annotation = reply.json['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'] as string | undefined;
      if (!reply.json['@Microsoft.Dynamics.CRM.morerecords']) {
        expect(annotation).toBeUndefined();
        break;
      }
      cookie = decodeURIComponent(
        decodeURIComponent(/pagingcookie="([^"]+)"/.exec(annotation ?? '')?.[1] ?? ''),
      );
      page += 1;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((s) => `${tag}${s}`));
    expect(page).toBe(3);
  });

  test('dynamics-web-api fetchAll follows the paging cookie to the last page', async () => {
    const tag = newTag();
    await fiveContacts(tag);
    const xml = tagged(tag, '', '<attribute name="lastname" /><order attribute="lastname" />').replace(
      '<fetch>',
      '<fetch count="2">',
    );
    const all = await api.fetchAll<Row>({
      collection: 'contacts',
      fetchXml: xml,
      includeAnnotations: 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie',
    });
    expect(all.value.map((r) => r.lastname)).toEqual(['a', 'b', 'c', 'd', 'e'].map((s) => `${tag}${s}`));
  });

  test('dynamics-web-api fetch reads formatted values of a FetchXML page', async () => {
    const tag = newTag();
    await createContact({
      lastname: `${tag}a`,
      'parentcustomerid_account@odata.bind': `/accounts(${seedId('account:fabrikam.com')})`,
    });
    const page = await api.fetch<Row>({
      collection: 'contacts',
      fetchXml: tagged(tag, '', '<attribute name="parentcustomerid" />'),
      includeAnnotations: FORMATTED,
    });
    expect(page.value[0]?.[`_parentcustomerid_value@${FORMATTED}`]).toBe('Fabrikam');
  });

  test('without a count, a result under 5,000 rows is one page with no more records', async () => {
    const reply = await fetchXml(
      'contacts',
      '<fetch><entity name="contact"><attribute name="contactid" /></entity></fetch>',
      PAGING,
    );
    expect(reply.json['@Microsoft.Dynamics.CRM.morerecords']).toBe(false);
    expect((reply.json.value ?? []).length).toBeGreaterThan(2);
  });
});

describe('errors (Dataverse answers 400 with its error code)', () => {
  test('malformed XML is 400 0x80040201', async () => {
    const reply = await fetchXml('contacts', '<fetch><entity name="contact"></fetch>');
    expect(reply.status).toBe(400);
    expect(reply.json.error?.code).toBe('0x80040201');
  });

  test('a fetch without an entity is 400 0x80041102', async () => {
    const reply = await fetchXml('contacts', '<fetch count="2"></fetch>');
    expect(reply.status).toBe(400);
    expect(reply.json.error?.code).toBe('0x80041102');
  });

  test('an attribute the table does not have is 400 0x80041103', async () => {
    const reply = await fetchXml(
      'contacts',
      '<fetch><entity name="contact"><attribute name="nosuchcolumn" /></entity></fetch>',
    );
    expect(reply.status).toBe(400);
    expect(reply.json.error?.code).toBe('0x80041103');
  });

  test('a fetch entity that is not the table of the entity set is a 400', async () => {
    const reply = await fetchXml('accounts', '<fetch><entity name="contact" /></fetch>');
    expect(reply.status).toBe(400);
  });

  test('a value of the wrong type for its column is a 400', async () => {
    const reply = await fetchXml(
      'contacts',
      tagged(newTag(), '<condition attribute="statecode" operator="eq" value="active" />'),
    );
    expect(reply.status).toBe(400);
  });

  test('the parser turns any text into a query or a 400, never another exception', () => {
    const xmlish = fc.stringMatching(/^[<>/="' a-z\-&;!?[\]]{0,60}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), xmlish), (text) => {
        try {
          parseFetchXml(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ODataError);
          expect((error as ODataError).status).toBe(400);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('the whole query path answers arbitrary fetch-like text with 200 or 400', async () => {
    const fragments = fc.array(
      fc.constantFrom(
        '<fetch>',
        '</fetch>',
        '<entity name="contact">',
        '</entity>',
        '<attribute name="lastname"/>',
        '<filter>',
        '</filter>',
        '<condition attribute="lastname" operator="eq" value="x"/>',
        '<link-entity name="account" from="accountid" to="parentcustomerid">',
        '</link-entity>',
        '<order attribute="lastname"/>',
        '<fetch count="x">',
        '&',
        '<',
      ),
      { maxLength: 10 },
    );
    await fc.assert(
      fc.asyncProperty(fragments, async (parts) => {
        const reply = await fetchXml('contacts', parts.join(''));
        expect([200, 400]).toContain(reply.status);
      }),
      { numRuns: 60 },
    );
  });
});

test('the demo user is the caller of eq-userid by default', async () => {
  const xml = `<fetch top="1"><entity name="systemuser"><attribute name="systemuserid" /><filter><condition attribute="systemuserid" operator="eq-userid" /></filter></entity></fetch>`;
  expect((await fetchXml('systemusers', xml)).json.value?.[0]?.systemuserid).toBe(DEMO.me);
});
