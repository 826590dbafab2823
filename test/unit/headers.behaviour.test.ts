import fc from 'fast-check';
import {
  HeaderParseError,
  MAX_HEADER_BLOCK,
  MAX_WARNINGS,
  parseHeaderBlock,
  splitHeaderFields,
} from '../../src/mail/headers';

const block = [
  'Message-ID: <a@x>',
  'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from',
  '  the team',
  'From: "Ann Lee" <ann@fabrikam.com>',
  'To: me@contoso.com, Team: b@x.com, C <c@y.com>;',
  'Cc: ',
  "In-Reply-To: <b@y> (Ann's message)",
  'References: <b@y>',
  ' <c@y>',
  'Thread-Index: AcrlWyDl/uKE1VfYQne6tYX7',
  ' 1Lsr6QAAbz6Q',
  'Date: Sat, 10 Jan 2026 10:00:00 +0100',
];

describe('§6 email.headers: header block parsing', () => {
  const expected = {
    warnings: [],
    messageId: '<a@x>',
    subject: 'Grüße from the team',
    from: { address: 'ann@fabrikam.com', name: 'Ann Lee' },
    to: [
      { address: 'me@contoso.com', name: null },
      { address: 'b@x.com', name: null },
      { address: 'c@y.com', name: 'C' },
    ],
    cc: [],
    inReplyTo: '<b@y>',
    references: ['<b@y>', '<c@y>'],
    threadIndex: 'AcrlWyDl/uKE1VfYQne6tYX71Lsr6QAAbz6Q',
    receivedAt: '2026-01-10T09:00:00.000Z',
  };

  test('§6 LF header block', () => expect(parseHeaderBlock(block.join('\n'))).toEqual(expected));
  test('§6 CRLF header block', () => expect(parseHeaderBlock(block.join('\r\n'))).toEqual(expected));
  test('§6 whole message: the body is not read', () => {
    const msg = block.join('\r\n') + '\r\n\r\nSubject: not a header\r\nFrom: x@y\r\n';
    expect(parseHeaderBlock(msg)).toEqual(expected);
  });
  test('§6 the same as bytes', () =>
    expect(parseHeaderBlock(new TextEncoder().encode(block.join('\n') + '\n\nbody'))).toEqual(expected));
  test('§6 an empty Cc field gives cc: [] (the key is present, empty)', () => {
    expect(parseHeaderBlock('Cc:\n').cc).toEqual([]);
  });
  test('§6 groups are flattened; an empty group gives nothing', () => {
    expect(parseHeaderBlock('To: undisclosed-recipients:;').to).toEqual([]);
  });
  test('§6 a message starting with an empty line has an empty header block', () => {
    expect(parseHeaderBlock('\r\nSubject: x')).toEqual({ warnings: [] });
  });
  test('§6 absent headers → absent keys', () => {
    expect(parseHeaderBlock('X-Other: 1')).toEqual({ warnings: [] });
    expect(parseHeaderBlock('')).toEqual({ warnings: [] });
  });
  test('§6 From with two mailboxes: the first, with a warning', () => {
    const f = parseHeaderBlock('From: a@x, b@y');
    expect(f.from).toEqual({ address: 'a@x', name: null });
    expect(f.warnings).toContain('from: 2 mailboxes; the first is used');
  });
  test('§6 From with no address → from null, with a warning', () => {
    const f = parseHeaderBlock('From: John Doe');
    expect(f.from).toBeNull();
    expect(f.warnings).toContain('from: no address');
  });
  test('§6 a second Subject is ignored with a warning', () => {
    const f = parseHeaderBlock('Subject: one\nSubject: two');
    expect(f.subject).toBe('one');
    expect(f.warnings).toContain('subject: 2 fields; the first is used');
  });
  test('§6 an empty Message-ID → null with a warning; a non-msg-id Message-ID is kept as written', () => {
    expect(parseHeaderBlock('Message-ID:').messageId).toBeNull();
    const f = parseHeaderBlock('Message-ID: abc@def');
    expect(f.messageId).toBe('abc@def');
    expect(f.warnings[0]).toMatch(/not a msg-id/);
  });
  test('§6 old-style In-Reply-To with a phrase and a msg-id gives the msg-id', () => {
    expect(parseHeaderBlock('In-Reply-To: "Ann\'s message of Fri" <m@x>').inReplyTo).toBe('<m@x>');
  });
  test('§6 References: comments and commas skipped; bare and broken entries warned', () => {
    const f = parseHeaderBlock('References: <a@x>, (comment <no@x>) <b@x> bare@x <c d@x> <e@x');
    expect(f.references).toEqual(['<a@x>', '<b@x>']);
    expect(f.warnings).toEqual([
      'references: "bare@x" is not a msg-id; skipped',
      'references: "<c d@x>" is not a msg-id; skipped',
      'references: "<e@x" is not a msg-id; skipped',
    ]);
  });
  test('§6 an empty Thread-Index → null; a malformed one is kept with a warning', () => {
    expect(parseHeaderBlock('Thread-Index:').threadIndex).toBeNull();
    const f = parseHeaderBlock('Thread-Index: AQID');
    expect(f.threadIndex).toBe('AQID');
    expect(f.warnings).toContain('thread-index: not a well-formed Thread-Index (kept as written)');
  });
  test('§6 an mbox "From " first line is skipped', () => {
    const f = parseHeaderBlock('From someone Mon Aug 22 09:45:15 2011\nSubject: x');
    expect(f.subject).toBe('x');
    expect(f.from).toBeUndefined();
    expect(f.warnings).toEqual(['header line 1 is an mbox "From " line; skipped']);
  });
  test('§6 bytes: a line that is not UTF-8 reads as windows-1252, the others as UTF-8', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('From: "L'),
      0xfc,
      ...new TextEncoder().encode('tke" <l@x>\nSubject: Grüße\n'),
    ]);
    const f = parseHeaderBlock(bytes);
    expect(f.from).toEqual({ address: 'l@x', name: 'Lütke' });
    expect(f.subject).toBe('Grüße');
    // the fallback is said, for that line only (it was silent)
    expect(f.warnings).toEqual(['header line 1 is not UTF-8; read as windows-1252']);
  });
});

describe('§6 email.headers: unfolding', () => {
  test('a fold becomes one space; a white-space-only continuation line leaves no trace', () => {
    const fields = splitHeaderFields('Subject: a\r\n   \r\n\tb\r\n c');
    expect(fields).toEqual([{ name: 'subject', value: 'a b c' }]);
  });
  test('a continuation line before any field is skipped with a warning', () => {
    const warnings: string[] = [];
    expect(splitHeaderFields(' x\nSubject: y', warnings)).toEqual([{ name: 'subject', value: 'y' }]);
    expect(warnings).toHaveLength(1);
  });
  test('field names are case-insensitive; white space before the colon is tolerated', () => {
    expect(splitHeaderFields('SUBJECT : x')).toEqual([{ name: 'subject', value: 'x' }]);
  });
});

describe('§6 email.headers: the size limit is enforced loudly', () => {
  test(`a header block over ${MAX_HEADER_BLOCK} characters throws HeaderParseError too-large`, () => {
    const big = 'X-Pad: ' + 'a'.repeat(MAX_HEADER_BLOCK) + '\nSubject: x\n';
    expect(() => parseHeaderBlock(big)).toThrow(HeaderParseError);
    expect(() => parseHeaderBlock(big)).toThrow(expect.objectContaining({ code: 'too-large' }));
    expect(() => parseHeaderBlock(new TextEncoder().encode(big))).toThrow(HeaderParseError);
  });
  test('a large BODY is fine: only the header block counts', () => {
    const msg = 'Subject: x\n\n' + 'b'.repeat(MAX_HEADER_BLOCK * 2);
    expect(parseHeaderBlock(msg).subject).toBe('x');
  });
  test('a header block just under the limit parses', () => {
    const pad = 'X-Pad: ' + 'a'.repeat(MAX_HEADER_BLOCK - 100);
    expect(parseHeaderBlock(pad + '\nSubject: y\n').subject).toBe('y');
  });
});

describe('§6 email.headers: properties', () => {
  const headerish = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'Subject: ',
          'From: ',
          'To: ',
          'Cc: ',
          'Bcc: ',
          'Message-ID: ',
          'In-Reply-To: ',
          'References: ',
          'Thread-Index: ',
          'Date: ',
          ' ',
          '\t',
          '\r\n',
          '\n',
          '<',
          '>',
          '@',
          ',',
          ';',
          ':',
          '"',
          '(',
          ')',
          '=?utf-8?B?',
          '=?x-unknown?Q?',
          '?=',
          '=C3=BC',
          '[',
          ']',
        ),
        fc.string({ unit: 'binary', maxLength: 8 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  test('property: parseHeaderBlock never throws on arbitrary strings or bytes under the limit', () => {
    fc.assert(
      fc.property(fc.oneof(headerish, fc.string({ unit: 'binary' })), (raw) => {
        const f = parseHeaderBlock(raw);
        expect(Array.isArray(f.warnings)).toBe(true);
        if (f.references) for (const r of f.references) expect(r).toMatch(/^<[^\s<>]+>$/);
        if (f.inReplyTo) expect(f.inReplyTo).toMatch(/^<[^\s<>]+>$/);
        if (f.receivedAt) expect(Number.isNaN(Date.parse(f.receivedAt))).toBe(false);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Array.isArray(parseHeaderBlock(bytes).warnings)).toBe(true);
      }),
    );
  });

  test('property: CRLF and LF give the same facts', () => {
    fc.assert(
      fc.property(headerish, (raw) => {
        const lf = raw.replace(/\r\n/g, '\n').replace(/\r/g, '');
        expect(parseHeaderBlock(lf.replace(/\n/g, '\r\n'))).toEqual(parseHeaderBlock(lf));
      }),
      { numRuns: 300 },
    );
  });
});

describe('§6 email.headers: warnings are bounded', () => {
  test('thousands of bad References entries give at most MAX_WARNINGS + 1 warnings', () => {
    const f = parseHeaderBlock('References: ' + 'bad '.repeat(5000) + '<ok@x>');
    expect(f.references).toEqual(['<ok@x>']);
    expect(f.warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(f.warnings[MAX_WARNINGS]).toBe(`… and ${5000 - MAX_WARNINGS} more warnings`);
  });
});
