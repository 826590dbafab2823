import fc from 'fast-check';
import {
  collectionPath,
  contains,
  entityPath,
  guid,
  isIn,
  jsonArray,
  literal,
  query,
  endsWith,
  likeText,
  startsWith,
} from '../../../src/crm/odata';

describe('OData literals are escaped in one place', () => {
  test.each([
    ["o'brien@x.com", "'o''brien@x.com'"],
    ["''", "''''''"],
    ['plain', "'plain'"],
  ])('literal(%p) is %p', (value, expected) => {
    expect(literal(value)).toBe(expected);
  });

  test('any string survives as one literal (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const text = literal(value);
        expect(text.startsWith("'") && text.endsWith("'")).toBe(true);
        const inner = text.slice(1, -1);
        // No lone quote inside: every quote is doubled, so the literal cannot end early.
        expect(inner.replace(/''/g, '')).not.toContain("'");
        expect(inner.replace(/''/g, "'")).toBe(value);
      }),
    );
  });

  test('contains and startswith quote their text as a literal', () => {
    expect(startsWith('schemaname', "tic_'x")).toBe("startswith(schemaname,'tic[_]''x')");
    expect(contains('name', "o'b")).toBe("contains(name,'o''b')");
  });

  test('the text functions bracket Dataverse wildcards so typed text matches as typed', () => {
    expect(startsWith('schemaname', 'tic_')).toBe("startswith(schemaname,'tic[_]')");
    expect(contains('name', '50%')).toBe("contains(name,'50[%]')");
    expect(endsWith('name', '[x]')).toBe("endswith(name,'[[]x]')");
  });

  test('any text survives likeText: every % _ [ is bracketed, nothing else changes (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const pattern = likeText(value);
        expect(pattern.replace(/\[([%_[])\]/g, '$1')).toBe(value);
        expect(pattern.replace(/\[[%_[]\]/g, '')).not.toMatch(/[%_[]/);
      }),
    );
  });

  test('In(...) takes a JSON array: double quotes, JSON escapes, an apostrophe as it is', () => {
    expect(isIn('emailaddress1', ["o'brien@x.com", 'a"b\\c@x.com'])).toBe(
      'Microsoft.Dynamics.CRM.In(PropertyName=\'emailaddress1\',PropertyValues=["o\'brien@x.com","a\\"b\\\\c@x.com"])',
    );
  });

  test('any list of strings round-trips through the JSON array, and the query text is URL-safe (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme-composite' })),
        fc.array(fc.string({ unit: 'binary' })),
        (a, b) => {
          const values = [...a, ...b];
          const text = jsonArray(values);
          expect(JSON.parse(text)).toEqual(values);
          const filter = isIn('emailaddress1', values);
          const q = query({ filter });
          // Only unreserved characters and percent escapes reach the URL: no '&', '#', '+', space or quote.
          expect(q.slice('$filter='.length)).toMatch(/^[A-Za-z0-9\-_.!~*'()%]*$/);
          expect(decodeURIComponent(q.slice('$filter='.length))).toBe(filter);
          const inner = /PropertyValues=(.*)\)$/s.exec(filter)?.[1] as string;
          expect(JSON.parse(inner)).toEqual(values);
        },
      ),
    );
  });

  test('keys must be GUIDs: anything else is refused, never quoted into a path', () => {
    expect(entityPath('contacts', 'C1A5F1E2-0000-4000-8000-000000000001')).toBe(
      'contacts(c1a5f1e2-0000-4000-8000-000000000001)',
    );
    expect(() => guid("x') or (1 eq 1")).toThrow(TypeError);
  });

  test('query values are percent-encoded', () => {
    const path = collectionPath('contacts', {
      select: ['contactid'],
      filter: "emailaddress1 eq 'a&b@x.com'",
      top: 5,
    });
    expect(path).toBe("contacts?$select=contactid&$filter=emailaddress1%20eq%20'a%26b%40x.com'&$top=5");
    expect(decodeURIComponent(path.split('$filter=')[1]!.split('&')[0]!)).toBe(
      "emailaddress1 eq 'a&b@x.com'",
    );
  });
});
