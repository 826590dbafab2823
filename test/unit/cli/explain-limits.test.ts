/**
 * Spec §6: "A value over a limit of the reader (e.g. a header block over its size limit) is malformed
 * input of that line, never a crash": exit 2, standard error names the line and the field, nothing is
 * printed on standard output for that line, and the other lines are still decided.
 *
 * The readers' limits: the raw header block (MAX_HEADER_BLOCK), the orgdborgsettings XML
 * (MAX_ORGDB_XML_LENGTH), the tracking prefix (1–20 characters), the hash filter keywords (at most
 * 2,000), the token id digits (1–9) and whole-number settings (safe integers). Addresses, References, subjects, header lines and Thread-Index values have no limit of their
 * own (only the block that holds them): large ones are decided.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { explain } from '../../../src/cli/explain';
import { MAX_HEADER_BLOCK } from '../../../src/mail/headers';
import { MAX_ORGDB_XML_LENGTH } from '../../../src/rules/orgDbOrgSettingsXml';
import { baseCase, merge, type Json } from '../../support/cases';

// Each test starts the built command (a process each, on a machine that may be busy).
jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'track-in-crm.cjs');
const run = (input: string) =>
  spawnSync(process.execPath, [bin, 'explain', '-'], {
    input,
    encoding: 'utf8',
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });

const line = (patch: Json) => JSON.stringify(merge(baseCase(), patch));
const good = line({});
/** A header block one character over the reader's limit, whose fields would otherwise be read. */
const overHeaders = `Subject: read me\nX-Pad: ${'a'.repeat(MAX_HEADER_BLOCK)}\n`;
const overXml = `<OrgSettings><X>${'a'.repeat(MAX_ORGDB_XML_LENGTH)}</X></OrgSettings>`;

/** Every stack trace Node prints has lines starting "    at ". */
const STACK_LINE = /^\s+at /m;

/** The values over a reader's limit, each with the field its error must name. */
const OVER_LIMIT: ReadonlyArray<[string, Json, string]> = [
  ['a header block over MAX_HEADER_BLOCK', { email: { headers: overHeaders } }, 'email.headers'],
  [
    'an orgdborgsettings XML over MAX_ORGDB_XML_LENGTH',
    { settings: { organization: { orgdborgsettings: overXml } } },
    'settings.organization.orgdborgsettings',
  ],
  [
    'a tracking prefix over 20 characters',
    { settings: { organization: { trackingprefix: 'P'.repeat(21) } } },
    'settings.organization.trackingprefix',
  ],
  [
    'a tracking token id digit count over 9',
    { settings: { organization: { trackingtokeniddigits: 10 } } },
    'settings.organization.trackingtokeniddigits',
  ],
  [
    'a tracking number past the largest safe integer',
    { settings: { organization: { maximumtrackingnumber: 1e20 } } },
    'settings.organization.maximumtrackingnumber',
  ],
  [
    'hash filter keywords over 2,000 characters',
    { settings: { organization: { hashfilterkeywords: 'k '.repeat(1001) } } },
    'settings.organization.hashfilterkeywords',
  ],
];

describe('§6 explain: a value over a limit of a reader is malformed input of its line', () => {
  test('the reported case: an email.headers block over its limit on line 3 of 4 → exit 2, line 3 named, lines 1, 2, 4 decided', () => {
    const bad = line({ email: { headers: overHeaders } });
    const result = run([good, good, bad, good].join('\n'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `track-in-crm explain: line 3: field email.headers: header block is ${overHeaders.length} characters, over the ${MAX_HEADER_BLOCK} limit\n`,
    );
    const decisions = result.stdout.trimEnd().split('\n');
    expect(decisions).toHaveLength(3);
    for (const d of decisions) expect(JSON.parse(d).reason).toBe('NoCorrelationMatch');
  });

  test.each(OVER_LIMIT)(
    '%s: exit 2, "line 2: field …" on standard error, lines 1 and 3 decided',
    (_name, patch, field) => {
      const result = run([good, line(patch), good].join('\n'));
      expect(result.status).toBe(2);
      expect(result.stderr).not.toMatch(STACK_LINE);
      const messages = result.stderr.trimEnd().split('\n');
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        new RegExp(`^track-in-crm explain: line 2: field ${field.replace(/\./g, '\\.')}: `),
      );
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(2);
    },
  );

  test('at the limits, the same values are read and decided (exit 0)', () => {
    // The header block at exactly MAX_HEADER_BLOCK characters (its Subject is read from it), and an
    // orgdborgsettings XML at exactly MAX_ORGDB_XML_LENGTH (well-formed, so it is applied).
    const headers = `Subject: read me\nX-Pad: ${'a'.repeat(MAX_HEADER_BLOCK - 'Subject: read me\nX-Pad: \n'.length)}\n`;
    expect(headers.length).toBe(MAX_HEADER_BLOCK);
    const xmlHead = '<OrgSettings><AllowPromoteDuplicates>true</AllowPromoteDuplicates><X>';
    const xmlTail = '</X></OrgSettings>';
    const xml = `${xmlHead}${'a'.repeat(MAX_ORGDB_XML_LENGTH - xmlHead.length - xmlTail.length)}${xmlTail}`;
    expect(xml.length).toBe(MAX_ORGDB_XML_LENGTH);
    const result = run(
      [
        line({ email: { headers } }),
        line({
          settings: { organization: { orgdborgsettings: xml } },
          // tracked by another user: AllowPromoteDuplicates (read from the XML) lets this one through
          crm: { trackedEmails: [{ activityId: 'e9', messageId: '<new@fabrikam.com>', trackedBy: 'u2' }] },
        }),
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [fromHeaders, fromXml] = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(fromHeaders.trace.join('\n')).toMatch(/headers: read subject/);
    expect(fromXml.reason).not.toBe('Duplicate');
    expect(fromXml.trace.join('\n')).toMatch(/AllowPromoteDuplicates lets this user track it again/);
  });

  test('values with no limit of their own are decided, however large: addresses, References, subject, Thread-Index, header lines', () => {
    const addresses = Array.from({ length: 40_000 }, (_, i) => `u${i}@fabrikam.com`);
    const cases = [
      // a To header of 8,000 addresses and one 900,000-character header line, under the block limit
      line({ email: { headers: `To: ${addresses.slice(0, 8_000).join(', ')}\n` } }),
      line({ email: { headers: `Subject: ${'x'.repeat(900_000)}\n` } }),
      line({ email: { to: addresses.map((address) => ({ address })) } }),
      line({ email: { references: addresses.map((a) => `<${a}>`) } }),
      line({ email: { subject: 'word '.repeat(1_000_000) } }),
      line({ email: { threadIndex: 'A'.repeat(4_000_000) } }),
    ];
    const result = run(cases.join('\n'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const decisions = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(decisions).toHaveLength(cases.length);
    expect(decisions[0].parties).toHaveLength(8_000);
    expect(decisions[2].parties).toHaveLength(40_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: explain never crashes on arbitrary JSON Lines

/** A dotted path into a case, and where a value can go. */
const CASE_PATHS = [
  'action',
  'email',
  'email.messageId',
  'email.subject',
  'email.direction',
  'email.folder',
  'email.from',
  'email.from.address',
  'email.from.name',
  'email.to',
  'email.cc',
  'email.inReplyTo',
  'email.references',
  'email.threadIndex',
  'email.receivedAt',
  'email.composeType',
  'email.headers',
  'regarding',
  'user',
  'user.id',
  'user.mailboxApproved',
  'settings',
  'settings.organization',
  'settings.organization.orgdborgsettings',
  'settings.organization.trackingprefix',
  'settings.organization.emailcorrelationenabled',
  'settings.user.incomingemailfilteringmethod',
  'settings.client.backgroundTrackEmail',
  'crm',
  'crm.records',
  'crm.trackedEmails',
  'crm.folderMappings',
] as const;

function setPath(value: Json, dotted: string, leaf: unknown): Json {
  const [head, ...rest] = dotted.split('.') as [string, ...string[]];
  const inner = value[head];
  return {
    ...value,
    [head]:
      rest.length === 0
        ? leaf
        : setPath(
            typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Json) : {},
            rest.join('.'),
            leaf,
          ),
  };
}

const headerish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'Subject: ',
        'To: ',
        'From: ',
        'References: ',
        'Thread-Index: ',
        'Date: ',
        'Message-ID: ',
      ),
      fc.constantFrom(
        '<a@b>',
        'ann@fabrikam.com',
        '=?utf-8?q?x?=',
        '(',
        ')',
        '"',
        ',',
        ':',
        '\n',
        '\r\n',
        '\n ',
        '\t',
      ),
      fc.string({ maxLength: 10 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

/** A value for a field: any JSON, text shaped like its field, or a value over a reader's limit. */
const anyLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: headerish },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(overHeaders, overXml, 'P'.repeat(21), [{ address: 'a@b' }], {
      type: 't',
      id: 'i',
    }),
  },
);

/** A case mutated at a few paths. */
const mutatedCase = fc
  .array(fc.tuple(fc.constantFrom(...CASE_PATHS), anyLeaf), { minLength: 1, maxLength: 3 })
  .map((edits) => edits.reduce((c, [p, v]) => setPath(c, p, v), baseCase()));

/** One line of JSON Lines: any JSON value, a mutated case, or a line that is not JSON at all. */
const jsonLine = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 4, arbitrary: mutatedCase.map((c) => JSON.stringify(c)) },
);
const anyLine = fc.oneof(
  { weight: 5, arbitrary: jsonLine },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ')) },
);
/** JSON Lines: the first line is JSON (so the input is read line by line, §6), the rest anything. */
const jsonLines = fc
  .tuple(jsonLine, fc.array(anyLine, { maxLength: 5 }))
  .map(([first, rest]) => [first, ...rest]);

/** `line N: field F: …`, `line N: not JSON: …`: the only messages malformed input gives. */
const MESSAGE = /^line (\d+): (?:field \S.*?: |not JSON: )/;
// eslint-disable-next-line no-control-regex -- a message must not carry control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('§6 explain never crashes (properties)', () => {
  test('every line of arbitrary JSON Lines is decided or named once, with its line and field; nothing throws', () => {
    fc.assert(
      fc.property(jsonLines, (lines) => {
        const result = explain(lines.join('\n'));
        // a failure is a case the command could not decide for a reason other than its input: a bug
        expect(result.failures).toEqual([]);
        const named = result.errors.map((e) => {
          expect(e).toMatch(MESSAGE);
          expect(e).not.toMatch(CONTROL);
          return Number(MESSAGE.exec(e)?.[1]);
        });
        const nonBlank = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));
        expect(new Set(named).size).toBe(named.length);
        for (const n of named) expect(nonBlank).toContain(n);
        expect(result.decisions.length + named.length).toBe(nonBlank.length);
        for (const d of result.decisions) expect(Object.keys(JSON.parse(d))).toContain('reason');
      }),
      { numRuns: 400 },
    );
  });

  test('a line holding a value over a reader limit is an error naming that line and that field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OVER_LIMIT),
        fc.nat({ max: 4 }),
        fc.nat({ max: 4 }),
        ([, patch, field], before, after) => {
          const lines = [
            ...Array<string>(before).fill(good),
            line(patch),
            ...Array<string>(after).fill(good),
          ];
          const result = explain(lines.join('\n'));
          expect(result.failures).toEqual([]);
          expect(result.errors).toHaveLength(1);
          expect(result.errors[0]?.startsWith(`line ${before + 1}: field ${field}: `)).toBe(true);
          expect(result.decisions).toHaveLength(before + after);
        },
      ),
      { numRuns: 30 },
    );
  });

  test('the command itself: arbitrary JSON Lines exit 0 or 2, never 1, never a stack trace; one outcome per line', () => {
    fc.assert(
      fc.property(jsonLines, (lines) => {
        const result = run(lines.join('\n'));
        expect([0, 2]).toContain(result.status);
        expect(result.stderr).not.toMatch(STACK_LINE);
        const messages = result.stderr === '' ? [] : result.stderr.trimEnd().split('\n');
        for (const m of messages) expect(m.replace(/^track-in-crm explain: /, '')).toMatch(MESSAGE);
        expect(result.status).toBe(messages.length > 0 ? 2 : 0);
        const decisions = result.stdout === '' ? [] : result.stdout.trimEnd().split('\n');
        const nonBlank = lines.filter((l) => l.trim() !== '').length;
        expect(decisions.length + messages.length).toBe(nonBlank);
      }),
      // each run starts a process: few runs, the in-process property above covers breadth
      { numRuns: 20 },
    );
  });
});
