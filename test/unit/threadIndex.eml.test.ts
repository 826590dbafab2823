import { parseHeaderBlock } from '../../src/mail/headers';
import { decodeThreadIndex, fileTimeToIso } from '../../src/rules/threadIndex';
import { emlBytes, emlLatin1 } from './helpers/mailFixtures';

/** Thread-Index headers of the .eml fixtures, as SOURCES.md describes them. */
const cases = [
  {
    file: 'webklex-php-imap__issue-412.eml',
    prefix: 'AQH',
    layout: 'reserved-filetime40',
    bytes: 32,
    children: 2,
  },
  {
    file: 'msgreader__TestWithAttachmentsAndInlines.eml',
    prefix: 'AQH',
    layout: 'reserved-filetime40',
    bytes: 22,
    children: 0,
  },
  { file: 'mimekit__issue358.eml', prefix: 'Ad', layout: 'filetime48', bytes: 62, children: 8 },
  { file: 'webklex-php-imap__issue-275-2.eml', prefix: 'Ad', layout: 'filetime48', bytes: 22, children: 0 },
  { file: 'php-mime-mail-parser__m0020.eml', prefix: 'Ac', layout: 'filetime48', bytes: 27, children: 1 },
  {
    file: 'mikel-mail__header_fields_with_empty_values.eml',
    prefix: 'Ac',
    layout: 'filetime48',
    bytes: 22,
    children: 0,
  },
  { file: 'php-mime-mail-parser__issue158a.eml', prefix: 'BsIx', layout: 'unknown', bytes: 27, children: 1 },
] as const;

const ms = (iso: string): number => Date.parse(iso);

describe('§3.3 conversation index: Thread-Index headers of the .eml fixtures', () => {
  describe.each(cases.map((c) => [c.file, c] as const))('%s', (_f, c) => {
    const facts = parseHeaderBlock(emlBytes(c.file));
    const d = decodeThreadIndex(facts.threadIndex!);

    test(`§3.3 starts with ${c.prefix}, ${c.bytes} bytes, ${c.children} child block(s)`, () => {
      expect(facts.threadIndex!.startsWith(c.prefix)).toBe(true);
      expect(d.bytes.length).toBe(c.bytes);
      expect(d.children).toHaveLength(c.children);
      expect(d.children).toHaveLength((c.bytes - 22) / 5);
    });

    test(`§3.3 layout is ${c.layout}`, () => {
      expect(d.layout).toBe(c.layout);
    });

    if (c.layout === 'unknown') {
      test('§3.3 a non-Outlook (Zimbra) value gives no time and no GUID', () => {
        expect(d.headerTime).toBeNull();
        expect(d.headerFileTime).toBeNull();
        expect(d.guid).toBeNull();
      });
    } else {
      test('§3.3 the header time is a real date near the Date header, and a GUID is read', () => {
        expect(d.headerTime).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
        expect(d.guid).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
        const gap = ms(facts.receivedAt!) - ms(d.headerTime!);
        // The header holds the conversation's first message; a clock skew of a minute is tolerated.
        expect(gap).toBeGreaterThan(-60_000);
        expect(gap).toBeLessThan(16 * 24 * 3600_000);
      });
    }
  });

  test('§3.3 AQH (reserved-filetime40): header-only value decodes to at most 1 s before its Date header', () => {
    const facts = parseHeaderBlock(emlBytes('msgreader__TestWithAttachmentsAndInlines.eml'));
    const d = decodeThreadIndex(facts.threadIndex!);
    expect(d.headerTime).toBe('2025-02-07T09:44:17.6508928Z');
    expect(facts.receivedAt).toBe('2025-02-07T09:44:18.000Z');
    const gap = ms(facts.receivedAt!) - ms(d.headerTime!);
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(1000);
  });

  test('§3.3 AQH (reserved-filetime40) with 2 children: header (conversation start) before its Date header', () => {
    const facts = parseHeaderBlock(emlBytes('webklex-php-imap__issue-412.eml'));
    const d = decodeThreadIndex(facts.threadIndex!);
    expect(d.headerTime).toBe('2023-05-25T17:05:46.8040192Z');
    expect(facts.receivedAt).toBe('2023-05-31T16:50:03.000Z');
    expect(ms(d.headerTime!)).toBeLessThanOrEqual(ms(facts.receivedAt!));
  });

  test('§3.3 the 48-bit reading of an AQH value would be absurd (1829), which is why the layout differs', () => {
    const d = decodeThreadIndex(parseHeaderBlock(emlBytes('webklex-php-imap__issue-412.eml')).threadIndex!);
    const as48 = fileTimeToIso(BigInt('0x' + Buffer.from(d.bytes.subarray(0, 6)).toString('hex')) << 16n);
    expect(as48.startsWith('18')).toBe(true);
  });

  test('§3.3 Ac with one child (m0020): header + child delta lands within a second before the Date header', () => {
    const facts = parseHeaderBlock(emlBytes('php-mime-mail-parser__m0020.eml'));
    const d = decodeThreadIndex(facts.threadIndex!);
    const t = d.headerFileTime! + d.children[0]!.delta100ns;
    const gap = ms(facts.receivedAt!) - ms(fileTimeToIso(t));
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(1000);
  });

  test('§3.3 Ad with 8 children (issue358): the added-up deltas end shortly before the Date header', () => {
    const facts = parseHeaderBlock(emlBytes('mimekit__issue358.eml'));
    const d = decodeThreadIndex(facts.threadIndex!);
    const end = d.children.reduce((t, c) => t + c.delta100ns, d.headerFileTime!);
    const gap = ms(facts.receivedAt!) - ms(fileTimeToIso(end));
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(10 * 60_000);
  });

  test('§3.3 the Zimbra forward attaches its original, whose Thread-Index is the outer one minus its child', () => {
    const text = emlLatin1('php-mime-mail-parser__issue158a.eml');
    const at = text.indexOf('Content-Type: message/rfc822');
    const inner = text.slice(text.indexOf('\n\n', at) + 2);
    const outerIdx = decodeThreadIndex(parseHeaderBlock(text).threadIndex!);
    const innerIdx = decodeThreadIndex(parseHeaderBlock(inner).threadIndex!);
    expect(parseHeaderBlock(inner).subject).toBe('Test 5');
    expect(innerIdx.bytes.length).toBe(22);
    expect(innerIdx.layout).toBe('unknown');
    expect(Array.from(outerIdx.bytes.subarray(0, 22))).toEqual(Array.from(innerIdx.bytes));
  });
});
