/** The OrgDBOrgSettings writer the admin page saves with: the stored XML with the changes, nothing else. */
import fc from 'fast-check';
import { OrgDbOrgSettingsXmlError, parseOrgDbOrgSettingsXml } from '../../../src/rules/orgDbOrgSettingsXml';
import { writeOrgDbOrgSettingsXml } from '../../../src/rules/orgDbOrgSettingsWriter';

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,20}$/);
const value = fc.string({ maxLength: 30 }).map((v) => v.trim());
const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Stored XML as Dataverse may hold it: settings with escaped text or CDATA, comments between them. */
const storedXml = fc
  .array(
    fc
      .tuple(name, value, fc.constantFrom('text', 'cdata', 'comment-before'))
      .map(([n, v, form]) =>
        form === 'cdata' && !v.includes(']]>')
          ? `<${n}><![CDATA[${v}]]></${n}>`
          : `${form === 'comment-before' ? '<!-- kept? -->' : ''}<${n}>${escape(v)}</${n}>`,
      ),
    { maxLength: 8 },
  )
  .map((elements) => `<?xml version="1.0"?><OrgSettings>${elements.join('\n')}</OrgSettings>`);

describe('writeOrgDbOrgSettingsXml', () => {
  test('parse(write(xml, changes)) is parse(xml) with the changes over it, every other name untouched', () => {
    fc.assert(
      fc.property(storedXml, fc.dictionary(name, value, { maxKeys: 6 }), (xml, changes) => {
        const expected = new Map(parseOrgDbOrgSettingsXml(xml));
        for (const [n, v] of Object.entries(changes)) expected.set(n, v);
        expect([...parseOrgDbOrgSettingsXml(writeOrgDbOrgSettingsXml(xml, changes))].sort()).toEqual(
          [...expected].sort(),
        );
      }),
      { numRuns: 500 },
    );
  });

  test('an unknown name keeps its place and its value next to a changed known one', () => {
    const xml =
      '<OrgSettings><FutureSetting>a &amp; b</FutureSetting><AllowPromoteDuplicates>false</AllowPromoteDuplicates></OrgSettings>';
    const written = writeOrgDbOrgSettingsXml(xml, {
      AllowPromoteDuplicates: 'true',
      DisableSmartMatching: 'true',
    });
    expect([...parseOrgDbOrgSettingsXml(written)]).toEqual([
      ['FutureSetting', 'a & b'],
      ['AllowPromoteDuplicates', 'true'],
      ['DisableSmartMatching', 'true'],
    ]);
  });

  test('an empty stored XML becomes a well-formed document holding only the changes', () => {
    expect([
      ...parseOrgDbOrgSettingsXml(writeOrgDbOrgSettingsXml('', { TrackCategorizedItems: 'false' })),
    ]).toEqual([['TrackCategorizedItems', 'false']]);
  });

  test('a stored XML the reader refuses is refused, not overwritten', () => {
    expect(() => writeOrgDbOrgSettingsXml('<OrgSettings><A>1</B></OrgSettings>', { A: '2' })).toThrow(
      OrgDbOrgSettingsXmlError,
    );
  });

  test('a change whose name is not an element name is refused', () => {
    expect(() => writeOrgDbOrgSettingsXml('', { 'not a name': '1' })).toThrow(OrgDbOrgSettingsXmlError);
  });
});
