/**
 * §3 on real email: the fixtures in test/fixtures/mail (their sources in test/fixtures/mail/SOURCES.md) are read
 * through the header parser exactly as the explain command reads `email.headers`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHeaderBlock } from '../../../src/mail/headers';
import { decideCase, merge, org, type Json } from '../../support/cases';

const dir = path.join(__dirname, '../../fixtures/mail');
const eml = (name: string): string => readFileSync(path.join(dir, 'eml', name), 'latin1');
const headersOf = (name: string) => parseHeaderBlock(readFileSync(path.join(dir, 'eml', name)));
const trackedAs = (activityId: string, messageId: string, extra: Json = {}): Json => ({
  activityId,
  messageId,
  subject: null,
  trackingToken: null,
  threadIndex: null,
  regarding: { type: 'account', id: `regarding-of-${activityId}` },
  addresses: [],
  trackedBy: 'u9',
  receivedAt: '2000-01-01T00:00:00Z',
  ...extra,
});
const correlate = (file: string, trackedEmails: Json[], patch: Json = {}) =>
  decideCase(
    merge(
      merge(
        {
          action: 'track',
          email: { headers: eml(file) },
          crm: { records: [], trackedEmails, folderMappings: [] },
        },
        patch,
      ),
      {},
    ),
  ).correlation;

describe('§3 correlation on real email', () => {
  test('§3.1: the RFC 5322 A.2 thread: a reply correlates to its parent by In-Reply-To', () => {
    expect(correlate('mikel-mail__example06.eml', [trackedAs('m1', '<1234@local.machine.example>')])).toEqual(
      { method: 'InReplyTo', activityId: 'm1' },
    );
  });

  test('§3.1: the reply to the reply correlates to its direct parent first', () => {
    const both = [trackedAs('m1', '<1234@local.machine.example>'), trackedAs('m2', '<3456@example.net>')];
    expect(correlate('mikel-mail__example07.eml', both)).toEqual({ method: 'InReplyTo', activityId: 'm2' });
  });

  test('§3.1: with only the thread root tracked, References (last to first) finds it', () => {
    expect(correlate('mikel-mail__example07.eml', [trackedAs('m1', '<1234@local.machine.example>')])).toEqual(
      { method: 'InReplyTo', activityId: 'm1' },
    );
  });

  test.each<[string, string]>([
    ['mikel-mail__raw_email_reply.eml', '<473FF3B8.9020707@xxx.org>'],
    [
      'webklex-php-imap__issue-412.eml',
      '<PAXP193MB236463D7319FE32F29EB5FF1BB469@PAXP193MB2364.EURP193.PROD.OUTLOOK.COM>',
    ],
    [
      'mimekit__issue358.eml',
      '<AM4PR01MB1444920F2AF5B6F4856FEA13F7290@AM4PR01MB1444.eurprd01.prod.exchangelabs.com>',
    ],
    ['flanker__from-encoding.eml', '<Pine.BSF.3.95q.970712135859.28530B-100000@valis.worldgate.com>'],
    ['php-mime-mail-parser__m0023.eml', '<CAEMnOreG=99=qx-ONib=g+32uBdSav5WP303BA@mail.gmail.com>'],
    ['webklex-php-imap__1366671050@github.com.eml', '<Webklex/php-imap/issues/349@github.com>'],
  ])('§3.1: %s correlates to its earlier thread message %s', (file, parentId) => {
    expect(correlate(file, [trackedAs('p', parentId)])).toEqual({ method: 'InReplyTo', activityId: 'p' });
  });

  test('§3.1: a valid References entry still correlates when another is malformed', () => {
    expect(
      correlate('mikel-mail__multiple_references_with_one_invalid.eml', [trackedAs('p', '<foo@bar.net>')]),
    ).toEqual({ method: 'InReplyTo', activityId: 'p' });
  });

  test('§3.1: an In-Reply-To written without angle brackets is compared like any Message-ID (trimmed)', () => {
    // bad_date_header.eml: "In-Reply-To: someone@yahoo.com". Nothing tracked has that id: no correlation…
    expect(correlate('mikel-mail__bad_date_header.eml', [trackedAs('p', '<other@yahoo.com>')])).toBeNull();
    // …but an id written without its brackets still finds its tracked email, as §3.1 compares trimmed ids.
    expect(correlate('mikel-mail__bad_date_header.eml', [trackedAs('p', '<someone@yahoo.com>')])).toEqual({
      method: 'InReplyTo',
      activityId: 'p',
    });
  });

  const noForwards = org({}, { DoNotCorrelateForwardedEmailsAsReplies: true });
  test.each<[string, string, boolean]>([
    ['"Fwd:" inline forward (Gmail)', 'mikel-mail__raw_email2.eml', false],
    ['"Fwd:" forward from Zimbra', 'php-mime-mail-parser__issue158a.eml', false],
    ['"R: R: R: I:" is a reply (first prefix R, Italian)', 'mimekit__issue358.eml', true],
    [
      'forward-as-attachment without a prefix is not a forward by §3.5',
      'imap-tools__attachment_8bit.eml',
      true,
    ],
    ['"RE: [EXTERNAL] Re:" (RFC 2047) is a reply', 'webklex-php-imap__issue-511.eml', true],
  ])('§3.5: DoNotCorrelateForwardedEmailsAsReplies on real email: %s', (_name, file, correlates) => {
    const facts = headersOf(file);
    const parent = facts.inReplyTo ?? facts.references?.[facts.references.length - 1] ?? '<none@x>';
    // issue-511 has no threading headers: give it one, the subject is what is under test.
    const patch = merge(
      noForwards,
      facts.inReplyTo || facts.references?.length ? {} : { email: { inReplyTo: parent } },
    );
    const result = correlate(file, [trackedAs('p', parent)], patch);
    expect(result !== null).toBe(correlates);
    // And every one of them correlates when the organization allows forwards to correlate.
    expect(
      correlate(
        file,
        [trackedAs('p', parent)],
        facts.inReplyTo || facts.references?.length ? {} : { email: { inReplyTo: parent } },
      ),
    ).not.toBeNull();
  });

  test('§3.5: "FW: Earn money" (ARF report) is a forward', () => {
    expect(
      decideCase({
        action: 'track',
        email: { headers: eml('postal-mime__arf.eml'), inReplyTo: '<p@x>' },
        settings: noForwards.settings as Json,
        crm: { records: [], trackedEmails: [trackedAs('p', '<p@x>')], folderMappings: [] },
      }).correlation,
    ).toBeNull();
  });

  test('§3.3: an Outlook reply (AQH layout, two child blocks) correlates to the tracked original by conversation index', () => {
    const outer = headersOf('webklex-php-imap__issue-412.eml').threadIndex as string;
    const bytes = Buffer.from(outer, 'base64');
    expect(bytes.length).toBe(32);
    const original = bytes.subarray(0, 22).toString('base64');
    const firstReply = bytes.subarray(0, 27).toString('base64');
    const ignoreHeaders = { email: { inReplyTo: null, references: [] } };
    expect(
      correlate(
        'webklex-php-imap__issue-412.eml',
        [trackedAs('orig', '<o@x>', { threadIndex: original })],
        ignoreHeaders,
      ),
    ).toEqual({ method: 'ConversationIndex', activityId: 'orig' });
    // The longest tracked ancestor wins.
    expect(
      correlate(
        'webklex-php-imap__issue-412.eml',
        [
          trackedAs('orig', '<o@x>', { threadIndex: original }),
          trackedAs('reply1', '<r@x>', { threadIndex: firstReply }),
        ],
        ignoreHeaders,
      ),
    ).toEqual({ method: 'ConversationIndex', activityId: 'reply1' });
  });

  test("§3.3: a Zimbra forward whose original's Thread-Index is its first 22 bytes correlates (the prefix test needs no layout)", () => {
    const outer = headersOf('php-mime-mail-parser__issue158a.eml').threadIndex as string;
    const original = Buffer.from(outer, 'base64').subarray(0, 22).toString('base64');
    expect(
      correlate(
        'php-mime-mail-parser__issue158a.eml',
        [trackedAs('orig', '<o@x>', { threadIndex: original })],
        { email: { inReplyTo: null, references: [] } },
      ),
    ).toEqual({
      method: 'ConversationIndex',
      activityId: 'orig',
    });
  });

  test('§3.3: the Ad-layout reply with 8 child blocks (issue358) correlates to any tracked ancestor, longest first', () => {
    const outer = Buffer.from(headersOf('mimekit__issue358.eml').threadIndex as string, 'base64');
    expect(outer.length).toBe(62);
    const ancestors = [22, 37, 52].map((n, i) =>
      trackedAs(`a${i}`, `<a${i}@x>`, { threadIndex: outer.subarray(0, n).toString('base64') }),
    );
    expect(
      correlate('mimekit__issue358.eml', ancestors, { email: { inReplyTo: null, references: [] } }),
    ).toEqual({ method: 'ConversationIndex', activityId: 'a2' });
  });
});

describe('§3.1 parent finding on the JWZ threading cases', () => {
  interface Message {
    messageId: string;
    references: string[];
    subject: string;
  }
  const cases = JSON.parse(readFileSync(path.join(dir, 'threading', 'jwz-cases.json'), 'utf8')) as {
    name: string;
    messages: Message[];
    expected: string;
  }[];
  const byReferences = cases.find((c) => c.name === 'TestThreadByReferences') as {
    messages: Message[];
    expected: string;
  };

  /** child subject → parent subject from the expected tree, for subjects that occur once. */
  function expectedParents(tree: string): Map<string, string | null> {
    const stack: string[] = [];
    const counts = new Map<string, number>();
    const parents = new Map<string, string | null>();
    for (const line of tree.split('\n').filter((l) => l.length > 0)) {
      const depth = (line.length - line.trimStart().length) / 3;
      const subject = line.trim();
      stack.length = depth;
      counts.set(subject, (counts.get(subject) ?? 0) + 1);
      parents.set(subject, depth === 0 ? null : (stack[depth - 1] as string));
      stack.push(subject);
    }
    for (const [subject, n] of counts) if (n > 1) parents.delete(subject);
    return parents;
  }

  test('§3.1: with every other message tracked, each reply correlates to the parent JWZ threading gives it', () => {
    const parents = expectedParents(byReferences.expected);
    const subjects = new Map(byReferences.messages.map((m) => [m.messageId, m.subject]));
    const subjectCount = new Map<string, number>();
    for (const m of byReferences.messages)
      subjectCount.set(m.subject, (subjectCount.get(m.subject) ?? 0) + 1);
    let checked = 0;
    for (const message of byReferences.messages) {
      const parent = parents.get(message.subject);
      // Only replies whose parent is a real message with a unique subject say something about parent finding.
      if (
        parent === undefined ||
        parent === null ||
        parent === 'dummy' ||
        subjectCount.get(message.subject) !== 1 ||
        subjectCount.get(parent) !== 1
      )
        continue;
      const trackedEmails = byReferences.messages
        .filter((m) => m !== message)
        .map((m) => trackedAs(m.messageId, m.messageId));
      const correlation = decideCase({
        action: 'track',
        email: {
          messageId: message.messageId,
          references: message.references,
          inReplyTo: null,
          subject: message.subject,
        },
        crm: { records: [], trackedEmails, folderMappings: [] },
      }).correlation;
      expect({
        message: message.subject,
        parent: correlation ? subjects.get(correlation.activityId) : null,
      }).toEqual({ message: message.subject, parent });
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  test('§3.1: References naming only missing messages correlate to nothing (JWZ: a dummy parent)', () => {
    const g = byReferences.messages.find((m) => m.subject === 'G') as Message;
    const trackedEmails = byReferences.messages
      .filter((m) => m !== g)
      .map((m) => trackedAs(m.messageId, m.messageId));
    expect(
      decideCase({
        action: 'track',
        email: { messageId: g.messageId, references: g.references, inReplyTo: null },
        crm: { records: [], trackedEmails, folderMappings: [] },
      }).correlation,
    ).toBeNull();
  });
});
