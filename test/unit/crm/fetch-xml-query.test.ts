/**
 * A synchronization filter's FetchXML made into one page of recordsInScope's query
 * (src/crm/fetchXmlQuery.ts): what makes the scope is kept, what it shows is replaced, the paging
 * cookie stays data.
 */
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import {
  FetchXmlError,
  nextPagingCookie,
  rewriteFetchXml,
  type FetchPage,
} from '../../../src/crm/fetchXmlQuery';

const FIRST: FetchPage = { count: 5000, page: 1, pagingCookie: null };

/** The test's own reading of the XML: the same ordered shape, independent of the module's walk. */
type Node = Record<string, unknown>;
const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
});
const tag = (n: Node): string => Object.keys(n).find((k) => k !== ':@') as string;
const kids = (n: Node): Node[] => n[tag(n)] as Node[];
const attrs = (n: Node): Record<string, string> => (n[':@'] as Record<string, string>) ?? {};
function fetchOf(xml: string): { fetch: Node; entity: Node } {
  const fetch = (reader.parse(xml) as Node[]).find((n) => tag(n) === 'fetch') as Node;
  return { fetch, entity: kids(fetch).find((n) => tag(n) === 'entity') as Node };
}
const columns = (xml: string): string[] =>
  kids(fetchOf(xml).entity)
    .filter((n) => tag(n) === 'attribute')
    .map((n) => attrs(n).name as string);
const scopeParts = (xml: string): Node[] =>
  kids(fetchOf(xml).entity).filter((n) => tag(n) !== 'attribute' && tag(n) !== 'all-attributes');

// ---- generators: well-formed filters written as a user's FetchXML may be (either quote, any text) ----

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const escape = (text: string): string => [...text].map((c) => ENTITY[c] ?? c).join('');
const dataText = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', "'", '"', '<', '>', '&', 'é', '€', '{', '}', '%', '=', ';', '/'),
  maxLength: 12,
});
const name = fc.constantFrom('lastname', 'statecode', 'ownerid', 'emailaddress1', 'createdon', 'name');
const quote = fc.constantFrom('"', "'");
const attr = (q: string, key: string, value: string): string => ` ${key}=${q}${escape(value)}${q}`;

const condition = fc
  .record({
    attribute: name,
    operator: fc.constantFrom('eq', 'ne', 'like', 'in'),
    value: dataText,
    values: fc.array(dataText, { minLength: 1, maxLength: 3 }),
    q: quote,
  })
  .map(({ attribute, operator, value, values, q }) =>
    operator === 'in'
      ? `<condition${attr(q, 'attribute', attribute)}${attr(q, 'operator', 'in')}>${values.map((v) => `<value>${escape(v)}</value>`).join('')}</condition>`
      : `<condition${attr(q, 'attribute', attribute)}${attr(q, 'operator', operator)}${attr(q, 'value', value)}/>`,
  );
const { filter } = fc.letrec((tie) => ({
  filter: fc
    .record({
      type: fc.constantFrom('and', 'or'),
      parts: fc.array(
        fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          condition,
          tie('filter') as fc.Arbitrary<string>,
        ),
        { minLength: 1, maxLength: 3 },
      ),
      q: quote,
    })
    .map(({ type, parts, q }) => `<filter${attr(q, 'type', type)}>${parts.join('')}</filter>`),
}));
const order = fc
  .record({ attribute: name, descending: fc.boolean(), q: quote })
  .map(
    ({ attribute, descending, q }) =>
      `<order${attr(q, 'attribute', attribute)}${attr(q, 'descending', String(descending))}/>`,
  );
const linkEntity = fc
  .record({
    alias: fc.constantFrom('a', 'owner', 'x1'),
    type: fc.constantFrom('inner', 'outer'),
    inner: fc.option(filter, { nil: undefined }),
    column: fc.boolean(),
  })
  .map(
    ({ alias, type, inner, column }) =>
      `<link-entity name="account" from="accountid" to="parentcustomerid" alias="${alias}" link-type="${type}">${column ? '<attribute name="name"/>' : ''}${inner ?? ''}</link-entity>`,
  );
const shown = fc.oneof(
  name.map((n) => `<attribute name="${n}"/>`),
  fc.constant('<all-attributes/>'),
);
const wellFormedFilter = fc
  .record({
    parts: fc.array(fc.oneof(filter, order, linkEntity, shown), { maxLength: 6 }),
    top: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  })
  .map(
    ({ parts, top }) =>
      `<fetch version="1.0" mapping="logical"${top ? ` top="${top}"` : ''}><entity name="contact">${parts.join('')}</entity></fetch>`,
  );
const cookieText = fc.string({
  unit: fc.constantFrom(
    '<',
    '>',
    '"',
    "'",
    '&',
    ' ',
    '=',
    '{',
    '}',
    '-',
    'c',
    'o',
    'k',
    'i',
    'e',
    '1',
    '/',
    '%',
  ),
  maxLength: 60,
});
const asked = fc.uniqueArray(
  fc.constantFrom('firstname', 'lastname', 'emailaddress1', 'jobtitle', 'contactid'),
  { maxLength: 5 },
);

describe('rewriteFetchXml (properties)', () => {
  test('any well-formed filter keeps its filters, link-entities and orders, in their order', () => {
    fc.assert(
      fc.property(wellFormedFilter, asked, (xml, attributes) => {
        const out = rewriteFetchXml(xml, { entity: 'contact', attributes, page: FIRST });
        expect(scopeParts(out)).toEqual(scopeParts(xml));
      }),
    );
  });

  test("the top entity's columns are exactly the ones asked, each once, in the order asked", () => {
    fc.assert(
      fc.property(wellFormedFilter, asked, (xml, attributes) => {
        const out = rewriteFetchXml(xml, {
          entity: 'contact',
          attributes: [...attributes, ...attributes],
          page: FIRST,
        });
        expect(columns(out)).toEqual(attributes);
        expect(kids(fetchOf(out).entity).some((n) => tag(n) === 'all-attributes')).toBe(false);
      }),
    );
  });

  test('any paging cookie is data: it reads back as the same text from the paging-cookie attribute', () => {
    fc.assert(
      fc.property(wellFormedFilter, cookieText, fc.integer({ min: 2, max: 99 }), (xml, cookie, page) => {
        const out = rewriteFetchXml(xml, {
          entity: 'contact',
          attributes: ['contactid'],
          page: { count: 250, page, pagingCookie: cookie },
        });
        const fetch = attrs(fetchOf(out).fetch);
        expect(fetch['paging-cookie']).toBe(cookie);
        expect(fetch.page).toBe(String(page));
        expect(fetch.count).toBe('250');
      }),
    );
  });
});

describe('rewriteFetchXml', () => {
  test('a filter with top is paged instead: top is dropped (Dataverse refuses it with count and page)', () => {
    const out = rewriteFetchXml('<fetch top="10"><entity name="contact"/></fetch>', {
      entity: 'contact',
      attributes: ['contactid'],
      page: FIRST,
    });
    expect(attrs(fetchOf(out).fetch).top).toBeUndefined();
  });

  test('the first page carries no paging-cookie attribute', () => {
    const out = rewriteFetchXml('<fetch><entity name="contact"/></fetch>', {
      entity: 'contact',
      attributes: ['contactid'],
      page: FIRST,
    });
    expect(attrs(fetchOf(out).fetch)['paging-cookie']).toBeUndefined();
  });

  test('a filter of another table is refused with FetchXmlError', () => {
    expect(() =>
      rewriteFetchXml('<fetch><entity name="account"/></fetch>', {
        entity: 'contact',
        attributes: ['contactid'],
        page: FIRST,
      }),
    ).toThrow(FetchXmlError);
  });

  test('text that is not well-formed XML is refused with FetchXmlError', () => {
    expect(() =>
      rewriteFetchXml('<fetch><entity name="contact"></fetch>', {
        entity: 'contact',
        attributes: ['contactid'],
        page: FIRST,
      }),
    ).toThrow(FetchXmlError);
  });

  test('a count above 5,000 is refused (Dataverse pages at most 5,000 records)', () => {
    expect(() =>
      rewriteFetchXml('<fetch><entity name="contact"/></fetch>', {
        entity: 'contact',
        attributes: ['contactid'],
        page: { count: 5001, page: 1, pagingCookie: null },
      }),
    ).toThrow(RangeError);
  });
});

describe('nextPagingCookie', () => {
  test("the annotation's pagingcookie attribute is URL-decoded twice (Dataverse encodes it twice)", () => {
    const cookie = '<cookie page="1"><contactid last="{A}" first="{B}" /></cookie>';
    const annotation = `<cookie pagenumber="2" pagingcookie="${encodeURIComponent(encodeURIComponent(cookie))}" istracking="False" />`;
    expect(nextPagingCookie(annotation)).toBe(cookie);
  });

  test('no annotation, or one without a cookie, gives null (the next page goes by number alone)', () => {
    expect(nextPagingCookie(undefined)).toBeNull();
    expect(nextPagingCookie('<cookie pagenumber="2" istracking="False" />')).toBeNull();
  });

  test('an annotation that is not XML gives null, not an exception', () => {
    expect(nextPagingCookie('<cookie pagingcookie="x"')).toBeNull();
  });
});
