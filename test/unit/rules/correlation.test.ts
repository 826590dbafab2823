import { ANN, ME, contact, decideCase, merge, org, tracked, type Json } from '../../support/cases';

const all = (...patches: Json[]): Json => patches.reduce((a, p) => merge(a, p), {});
const withTracked = (...trackedEmails: Json[]): Json => ({
  crm: { records: [contact('c1', [ANN.address])], trackedEmails, folderMappings: [] },
});
const email = (e: Json): Json => ({ email: e });
const correlationOf = (patch: Json): unknown => decideCase(all({ action: 'track' }, patch)).correlation;

// Thread-Index values: a 22-byte header, and the same with one and with two 5-byte child blocks.
const bytes = (n: number, fill: number): number[] =>
  Array.from({ length: n }, (_, i) => (i * 7 + fill) & 0xff);
const b64 = (b: number[]): string => Buffer.from(b).toString('base64');
const root = [1, ...bytes(21, 3)];
const child1 = [...root, ...bytes(5, 11)];
const child2 = [...child1, ...bytes(5, 29)];
const otherRoot = [1, ...bytes(21, 5)];

describe('§3 correlation', () => {
  test('§3: nothing correlates when emailcorrelationenabled is false', () => {
    expect(
      correlationOf(
        all(
          org({ emailcorrelationenabled: false }),
          email({ inReplyTo: '<e1@crm>' }),
          withTracked(tracked('e1')),
        ),
      ),
    ).toBeNull();
  });

  test.each<[string, Json, unknown]>([
    [
      'In-Reply-To equals a tracked Message-ID',
      email({ inReplyTo: '<e1@crm>' }),
      { method: 'InReplyTo', activityId: 'e1' },
    ],
    [
      'compared after trimming white space and angle brackets',
      email({ inReplyTo: ' e1@crm ' }),
      { method: 'InReplyTo', activityId: 'e1' },
    ],
    ['compared case-sensitively', email({ inReplyTo: '<E1@CRM>' }), null],
    [
      'In-Reply-To before References',
      email({ inReplyTo: '<e1@crm>', references: ['<e2@crm>'] }),
      { method: 'InReplyTo', activityId: 'e1' },
    ],
    [
      'References from last to first',
      email({ inReplyTo: '<unknown@x>', references: ['<e1@crm>', '<e2@crm>', '<nope@x>'] }),
      { method: 'InReplyTo', activityId: 'e2' },
    ],
    [
      'IgnoreConversationIndexAndInReplyToForCorrelation skips it',
      all(
        email({ inReplyTo: '<e1@crm>' }),
        org({}, { IgnoreConversationIndexAndInReplyToForCorrelation: true }),
      ),
      null,
    ],
  ])('§3.1 In-Reply-To: %s', (_name, patch, expected) => {
    expect(correlationOf(all(withTracked(tracked('e1'), tracked('e2')), patch))).toEqual(expected);
  });

  const tokened = tracked('t1', {
    messageId: '<t1@crm>',
    trackingToken: 'CRM:0001234',
    subject: 'Quote CRM:0001234',
  });
  test.each<[string, Json, unknown]>([
    [
      "a token in the subject equals a tracked email's token",
      email({ subject: 'RE: Quote CRM:0001234' }),
      { method: 'TrackingToken', activityId: 't1' },
    ],
    [
      'the prefix is compared case-insensitively',
      email({ subject: 'RE: Quote crm:0001234' }),
      { method: 'TrackingToken', activityId: 't1' },
    ],
    ['a prefix preceded by a letter is not a token', email({ subject: 'RE: QuoteCRM:0001234' }), null],
    ['a prefix preceded by a digit is not a token', email({ subject: 'RE: 7CRM:0001234' }), null],
    ['a prefix not followed at once by digits is not a token', email({ subject: 'RE: CRM: 0001234' }), null],
    ['the whole run of digits is the token', email({ subject: 'RE: CRM:00012345' }), null],
    [
      'a token that matches nothing does not stop later tokens',
      email({ subject: 'CRM:0009999 and CRM:0001234' }),
      { method: 'TrackingToken', activityId: 't1' },
    ],
    [
      // In-Reply-To (step 1, before the token) has nothing to match, so only step 3 can correlate
      'a token that matches nothing does not stop later steps (conversation index, §3.3)',
      all(email({ subject: 'RE: CRM:0009999', inReplyTo: null, references: [], threadIndex: b64(child1) }), {
        crm: { trackedEmails: [tokened, tracked('ci-root', { threadIndex: b64(root) })] },
      }),
      { method: 'ConversationIndex', activityId: 'ci-root' },
    ],
    [
      'useTrackingToken false skips it',
      all(email({ subject: 'RE: Quote CRM:0001234' }), org({ useTrackingToken: false })),
      null,
    ],
    [
      'a configured prefix is used, in any case, on the stored token too',
      all(email({ subject: 'RE: Quote TKN#0001234' }), org({ trackingprefix: 'TKN#' }), {
        crm: { trackedEmails: [tracked('t2', { messageId: '<t2@crm>', trackingToken: 'tkn#0001234' })] },
      }),
      { method: 'TrackingToken', activityId: 't2' },
    ],
    [
      'a stored token under another prefix is no token',
      all(email({ subject: 'RE: Quote TKN#0001234' }), org({ trackingprefix: 'TKN#' })),
      null,
    ],
    [
      'a stored value of digits alone is no token',
      all(email({ subject: 'RE: Quote CRM:0001234' }), {
        crm: { trackedEmails: [tracked('t3', { messageId: '<t3@crm>', trackingToken: '0001234' })] },
      }),
      null,
    ],
    [
      'tokens are equal when their digits are equal, the prefix is the configured one',
      all(email({ subject: 'RE: Quote CRM:0001234' }), org({ trackingprefix: 'TKN#' })),
      null,
    ],
  ])('§3.2 tracking token: %s', (_name, patch, expected) => {
    expect(correlationOf(all(withTracked(tokened, tracked('e1')), patch))).toEqual(expected);
  });

  test('§3.2: In-Reply-To is tried before the token', () => {
    expect(
      correlationOf(
        all(
          withTracked(tokened, tracked('e1')),
          email({ subject: 'RE: CRM:0001234', inReplyTo: '<e1@crm>' }),
        ),
      ),
    ).toEqual({ method: 'InReplyTo', activityId: 'e1' });
  });

  test.each<[string, string, unknown]>([
    [
      'a tracked header is a proper prefix (one child)',
      b64(child1),
      { method: 'ConversationIndex', activityId: 'ci-root' },
    ],
    ['the longest such prefix wins', b64(child2), { method: 'ConversationIndex', activityId: 'ci-child1' }],
    ['an equal index is not a proper prefix', b64(root), null],
    ['another conversation does not match', b64([...otherRoot, ...bytes(5, 1)]), null],
    ['an invalid Thread-Index is skipped', 'AQHZ…', null],
  ])('§3.3 conversation index: %s', (_name, threadIndex, expected) => {
    const trackedEmails = [
      tracked('ci-root', { threadIndex: b64(root) }),
      tracked('ci-child1', { threadIndex: b64(child1) }),
    ];
    expect(correlationOf(all(withTracked(...trackedEmails), email({ threadIndex })))).toEqual(expected);
  });

  test('§3.3: IgnoreConversationIndexAndInReplyToForCorrelation skips it', () => {
    const patch = all(
      withTracked(tracked('ci-root', { threadIndex: b64(root) })),
      email({ threadIndex: b64(child1) }),
      org({}, { IgnoreConversationIndexAndInReplyToForCorrelation: true }),
    );
    expect(correlationOf(patch)).toBeNull();
  });

  const smart = (extra: Json = {}, orgDb: Record<string, boolean> = {}): Json =>
    org({ enablesmartmatching: true, ...extra }, orgDb);
  const sm = (id: string, subject: string, addresses: string[], receivedAt: string): Json =>
    tracked(id, { messageId: `<${id}@x>`, subject, addresses, receivedAt });
  test.each<[string, Json, Json, unknown]>([
    [
      'same words and two shared addresses',
      smart(),
      email({ subject: 'RE: FW: Pricing for Q3' }),
      { method: 'SmartMatching', activityId: 's2' },
    ],
    [
      'the latest receivedAt wins',
      smart(),
      email({ subject: 'Pricing for Q3' }),
      { method: 'SmartMatching', activityId: 's2' },
    ],
    ['off unless enablesmartmatching', {}, email({ subject: 'Pricing for Q3' }), null],
    [
      'DisableSmartMatching wins over enablesmartmatching',
      smart({}, { DisableSmartMatching: true }),
      email({ subject: 'Pricing for Q3' }),
      null,
    ],
    [
      'a missing word does not match with hashdeltasubjectcount 0',
      smart(),
      email({ subject: 'Pricing for Q3 draft' }),
      null,
    ],
    [
      'hashdeltasubjectcount 1 allows one more word',
      smart({ hashdeltasubjectcount: 1 }),
      email({ subject: 'Pricing for Q3 draft' }),
      { method: 'SmartMatching', activityId: 's2' },
    ],
    [
      'fewer shared addresses than hashminaddresscount',
      smart({ hashminaddresscount: 3 }),
      email({ subject: 'Pricing for Q3' }),
      null,
    ],
    [
      'hashminaddresscount 1 with one shared address',
      smart({ hashminaddresscount: 1 }),
      email({ subject: 'Pricing for Q3', from: { address: 'x@y.com' }, to: [{ address: ANN.address }] }),
      { method: 'SmartMatching', activityId: 's2' },
    ],
    [
      'hashmaxcount limits the words compared',
      smart({ hashmaxcount: 2 }),
      email({ subject: 'Pricing for something else' }),
      { method: 'SmartMatching', activityId: 's2' },
    ],
    [
      'words compared lower-cased',
      smart(),
      email({ subject: 'PRICING FOR q3' }),
      { method: 'SmartMatching', activityId: 's2' },
    ],
    [
      'hashfilterkeywords replaces the default (RE: is no longer removed)',
      smart({ hashfilterkeywords: '\\[EXT\\]\\s*' }),
      email({ subject: '[EXT] Pricing for Q3' }),
      { method: 'SmartMatching', activityId: 's1' },
    ],
  ])('§3.4 smart matching: %s', (_name, settings, patch, expected) => {
    const trackedEmails = [
      sm('s1', 'Pricing for Q3', [ANN.address, ME.address], '2026-01-01T00:00:00Z'),
      sm('s2', 'RE: Pricing for Q3', [ANN.address, ME.address], '2026-01-05T00:00:00Z'),
    ];
    expect(correlationOf(all(withTracked(...trackedEmails), settings, patch))).toEqual(expected);
  });

  test.each<[string, Json, unknown]>([
    [
      'compose type forward is not correlated',
      email({ composeType: 'forward', subject: 'Quote', inReplyTo: '<e1@crm>' }),
      null,
    ],
    ['"FW: RE: x" is a forward', email({ subject: 'FW: RE: Quote', inReplyTo: '<e1@crm>' }), null],
    [
      '"RE: FW: x" is a reply',
      email({ subject: 'RE: FW: Quote', inReplyTo: '<e1@crm>' }),
      { method: 'InReplyTo', activityId: 'e1' },
    ],
    [
      'localized forward prefixes: WG, TR, RV, I, ENC, VB, PD, İLT, Doorst, 转发, 転送',
      email({ subject: 'WG: Quote', inReplyTo: '<e1@crm>' }),
      null,
    ],
    [
      'VS counts as a reply',
      email({ subject: 'VS: Quote', inReplyTo: '<e1@crm>' }),
      { method: 'InReplyTo', activityId: 'e1' },
    ],
  ])('§3.5 forwards with DoNotCorrelateForwardedEmailsAsReplies: %s', (_name, patch, expected) => {
    expect(
      correlationOf(
        all(withTracked(tracked('e1')), org({}, { DoNotCorrelateForwardedEmailsAsReplies: true }), patch),
      ),
    ).toEqual(expected);
  });

  test('§3.5: without DoNotCorrelateForwardedEmailsAsReplies a forward correlates', () => {
    expect(
      correlationOf(all(withTracked(tracked('e1')), email({ subject: 'FW: Quote', inReplyTo: '<e1@crm>' }))),
    ).toEqual({ method: 'InReplyTo', activityId: 'e1' });
  });

  test.each(['FW', 'FWD', 'WG', 'TR', 'RV', 'I', 'ENC', 'VB', 'PD', 'İLT', 'Doorst', '转发', '転送'])(
    '§3.5: "%s:" is a forward prefix',
    (prefix) => {
      expect(
        correlationOf(
          all(
            withTracked(tracked('e1')),
            org({}, { DoNotCorrelateForwardedEmailsAsReplies: true }),
            email({ subject: `${prefix}: Quote`, inReplyTo: '<e1@crm>' }),
          ),
        ),
      ).toBeNull();
    },
  );
});
