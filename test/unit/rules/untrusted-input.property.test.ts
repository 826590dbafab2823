/** Settings XML and explain cases come from outside: they get typed errors or decisions, never crashes. */
import fc from 'fast-check';
import { explain } from '../../../src/cli/explain';
import { OrgDbOrgSettingsXmlError, parseOrgDbOrgSettingsXml } from '../../../src/rules/orgDbOrgSettingsXml';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { baseCase, merge } from '../../support/cases';

const xmlish = fc.stringMatching(/^[<>/a-zA-Z0-9 &;#![\]CDATA?="'-]*$/, { maxLength: 200 });

describe('untrusted input (properties)', () => {
  test('§1.2: the orgdborgsettings reader returns settings or throws OrgDbOrgSettingsXmlError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), xmlish), (xml) => {
        try {
          parseOrgDbOrgSettingsXml(xml);
        } catch (error) {
          if (!(error instanceof OrgDbOrgSettingsXmlError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('§1.2: well-formed settings XML round-trips name and value', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,20}$/);
    const value = fc.string({ maxLength: 30 }).map((v) => v.trim());
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (settings) => {
        const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        const xml = `<OrgSettings>${Object.entries(settings)
          .map(([k, v]) => `<${k}>${escape(v)}</${k}>`)
          .join('')}</OrgSettings>`;
        expect(Object.fromEntries(parseOrgDbOrgSettingsXml(xml))).toEqual(settings);
      }),
    );
  });

  test('§1: any JSON values in the settings sections resolve to typed settings and issues, never a crash', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 })),
        fc.dictionary(
          fc.constantFrom(
            'incomingemailfilteringmethod',
            'backgroundTrackEmail',
            'trackingprefix',
            'hashmaxcount',
            'orgdborgsettings',
            'x',
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        (a, b) => {
          const { settings } = resolveSettings({ organization: { ...a, ...b }, user: b, client: a });
          expect([0, 1, 2, 3, 4]).toContain(settings.user.incomingemailfilteringmethod);
          expect(settings.organization.trackingprefix.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('§6: explain decides or reports every line of arbitrary text; it never throws', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.json(),
            fc.jsonValue().map((v) => JSON.stringify(merge(baseCase(), { email: { subject: v } }))),
          ),
          { maxLength: 5 },
        ),
        (lines) => {
          const result = explain(lines.join('\n'));
          expect(result.failures).toEqual([]); // a case undecided for a reason other than its input
          expect(result.decisions.length + result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect(error).toMatch(/^line \d+: /);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('§6: a case with arbitrary values in every email field is decided or named, never a crash', () => {
    const field = fc.constantFrom(
      'messageId',
      'subject',
      'from',
      'to',
      'inReplyTo',
      'references',
      'threadIndex',
      'receivedAt',
      'composeType',
      'headers',
      'folder',
    );
    fc.assert(
      fc.property(field, fc.jsonValue({ maxDepth: 2 }), (name, value) => {
        const { decisions, errors, failures } = explain(
          JSON.stringify(merge(baseCase(), { email: { [name]: value } })),
        );
        expect(failures).toEqual([]);
        expect(decisions.length + errors.length).toBe(1);
        if (errors.length) expect(errors[0]).toContain(`email.${name}`);
      }),
      { numRuns: 1000 },
    );
  });
});
