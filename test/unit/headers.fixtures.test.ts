import { parseHeaderBlock, type HeaderFacts } from '../../src/mail/headers';
import { emlBytes, emlNames, emlUtf8 } from './helpers/mailFixtures';

const parse = (name: string): HeaderFacts => parseHeaderBlock(emlBytes(name));
const a = (address: string, name: string | null = null) => ({ address, name });

describe('§6 email.headers: every .eml fixture parses without throwing', () => {
  test('26 fixtures', () => expect(emlNames()).toHaveLength(26));
  test.each(emlNames())('%s', (name) => {
    const facts = parseHeaderBlock(emlBytes(name));
    expect(Array.isArray(facts.warnings)).toBe(true);
    // the string form (UTF-8 read) gives the same facts except for raw 8-bit bytes
    if (name !== 'flanker__from-encoding.eml') expect(parseHeaderBlock(emlUtf8(name))).toEqual(facts);
  });
});

describe('§6 email.headers: RFC 2047 subjects', () => {
  test.each([
    ['webklex-php-imap__ks_c_5601-1987_headers.eml', 'RE: 회원님께 Ersi님이 메시지를 보냈습니다.'],
    ['mikel-mail__example14.eml', 'Re: TEST テストテスト'],
    [
      'spamscope-mail-parser__mail_test_9.eml',
      '我把镜头拉近些，你们看看这个是什么屄，这种场合自然少不了内射',
    ],
    [
      'webklex-php-imap__undefined_charset_header.eml',
      'Submit your tax refund | Australian Taxation Office.',
    ],
    ['php-mime-mail-parser__m0023.eml', 'If you can read this you understand the example.'],
    ['webklex-php-imap__issue-511.eml', 'RE: [EXTERNAL] Re: Lorem Ipsum /40 one'],
    [
      'php-mime-mail-parser__issue212.eml',
      'Automatyczna odpowiedź: Piotrze, test z 6 miesięcy nauki ciągle na Ciebie czeka',
    ],
    ['mimekit__issue358.eml', 'R: R: R: I: FR-selca LA selcaE'],
    ['webklex-php-imap__1366671050@github.com.eml', 'Re: [Webklex/php-imap] Read all folders? (Issue #349)'],
    ['mikel-mail__bad_date_header.eml', 'You may_be Eligible for Legitimate_Cash from_GovAgencies!'],
  ])('§6 %s → %j', (name, subject) => {
    expect(parse(name).subject).toBe(subject);
  });

  test('ks_c_5601-1987: the RE: prefix sits inside a B encoded-word split over two words', () => {
    expect(parse('webklex-php-imap__ks_c_5601-1987_headers.eml').from).toEqual(
      a('from@there.com', '김 현진'),
    );
  });
  test('gb2312 label with GBK-only bytes decodes (no U+FFFD)', () => {
    expect(parse('spamscope-mail-parser__mail_test_9.eml').subject).not.toContain('\ufffd');
  });
  test('X-IAS-German (unknown charset) falls back and decodes the ASCII payload, in From too', () => {
    expect(parse('webklex-php-imap__undefined_charset_header.eml').from).toEqual(a('info@bla.bla', 'myGov'));
  });
});

describe('§6 email.headers: addresses', () => {
  test('double fields: To x3 (one empty), Cc x2, Bcc x2 are merged, empty field ignored', () => {
    const f = parse('imap-tools__double_fields.eml');
    expect(f.to).toEqual([a('aa@aa.ru'), a('bb@aa.ru')]);
    expect(f.cc).toEqual([a('cc@aa.ru'), a('dd@aa.ru')]);
    expect(f.bcc).toEqual([a('zz1@aa.ru'), a('zz2@aa.ru')]);
    expect(f.from).toEqual(a('kaukinvk@yandex.ru', 'Каукин Владимир'));
  });
  test('21 addresses in one folded To header', () => {
    const f = parse('spamscope-mail-parser__mail_test_9.eml');
    expect(f.to).toHaveLength(21);
    expect(f.to![0]).toEqual(a('webmaster@khaleejtimes.com'));
    expect(f.to![20]).toEqual(a('sale@taida-hk.net'));
  });
  test('encoded display names (ISO-8859-1, US-ASCII, Windows-1252, ISO-8859-2, UTF-8)', () => {
    const m = parse('php-mime-mail-parser__m0023.eml');
    expect(m.from).toEqual(a('moore@cs.utk.edu', 'Keith Moore'));
    expect(m.to).toEqual([a('keld@dkuug.dk', 'Keld Jørn Simonsen')]);
    expect(m.cc).toEqual([a('PIRARD@vm1.ulg.ac.be', 'André Pirard')]);
    expect(parse('msgreader__TestWithAttachmentsAndInlines.eml').cc).toEqual([
      a('Peter.Mueller@domain.ch', 'Müller Peter'),
    ]);
    expect(parse('webklex-php-imap__issue-511.eml').from).toEqual(
      a('sender@sender_domain.tld', 'COMPANYNAME | usługi'),
    );
    const t = parse('imap-tools__attachment_8bit.eml');
    expect(t.bcc).toEqual([a('hello@yandex-team.ru', 'Команда Яндекс.Почты')]);
    expect(t.cc).toEqual([a('aa@com.ru'), a('mm@com.ru')]);
  });
  test('raw 8-bit ISO-8859-1 display name (bytes input) reads as windows-1252', () => {
    expect(parse('flanker__from-encoding.eml').from).toEqual(a('ingo@blank.pages.de', 'Ingo Lütkebohle'));
  });
  test('quoted display name containing ":" is not a group', () => {
    expect(parse('mikel-mail__example07.eml').to).toEqual([
      a('smith@home.example', 'Mary Smith: Personal Account'),
    ]);
  });
});

describe('§2.1 step 1 / §3.1 email.headers: Message-ID, In-Reply-To, References', () => {
  test('folded Message-ID (value on the next line)', () => {
    expect(parse('webklex-php-imap__issue-275-2.eml').messageId).toBe(
      '<AS1PR02MB791721260DE0273A15AFEC3EB5C79@AS1PR02MB7917.eurprd02.prod.outlook.com>',
    );
    expect(parse('msgreader__TestWithAttachmentsAndInlines.eml').messageId).toBe(
      '<GVAP278MB0198D05D58CEAFAF320C57649EF12@GVAP278MB0198.CHEP278.PROD.OUTLOOK.COM>',
    );
  });
  test('"Message-Id" spelled in another case', () => {
    expect(parse('mikel-mail__example14.eml').messageId).toBe('<0CC5E11ED2C1D@example.com>');
  });
  test('no Message-ID field → no messageId key', () => {
    for (const n of [
      'postal-mime__arf.eml',
      'mikel-mail__bad_date_header.eml',
      'webklex-php-imap__issue-511.eml',
    ]) {
      expect('messageId' in parse(n)).toBe(false);
    }
  });
  test('two References fields are merged in order; the invalid folded entry is skipped with a warning', () => {
    const f = parse('mikel-mail__multiple_references_with_one_invalid.eml');
    expect(f.references).toEqual(['<foo@bar.net>', '<baz@bar.net>']);
    expect(f.warnings.some((w) => /references: .*invalid\..*not a msg-id/.test(w))).toBe(true);
    expect('inReplyTo' in f).toBe(false);
  });
  test('In-Reply-To without angle brackets is read as the id (§3.1 compares trimmed ids), with a warning', () => {
    const f = parse('mikel-mail__bad_date_header.eml');
    expect(f.inReplyTo).toBe('someone@yahoo.com');
    expect(f.warnings.some((w) => w.startsWith('in-reply-to:') && w.includes('someone@yahoo.com'))).toBe(
      true,
    );
  });
  test('In-Reply-To + References (RFC 5322 A.2 thread)', () => {
    const f = parse('mikel-mail__example07.eml');
    expect(f.messageId).toBe('<abcd.1234@local.machine.tld>');
    expect(f.inReplyTo).toBe('<3456@example.net>');
    expect(f.references).toEqual(['<1234@local.machine.example>', '<3456@example.net>']);
  });
  test('folded multi-line References (Exchange Online)', () => {
    const f = parse('webklex-php-imap__issue-412.eml');
    expect(f.references).toEqual([
      '<PAXP193MB236463D7319FE32F29EB5FF1BB469@PAXP193MB2364.EURP193.PROD.OUTLOOK.COM>',
      '<944a7d16fcb607628f358cdd0f5ba8c0@tonymarston.co.uk>',
    ]);
    expect(f.inReplyTo).toBe('<944a7d16fcb607628f358cdd0f5ba8c0@tonymarston.co.uk>');
  });
  test('References without In-Reply-To', () => {
    const f = parse('flanker__from-encoding.eml');
    expect(f.references).toEqual(['<Pine.BSF.3.95q.970712135859.28530B-100000@valis.worldgate.com>']);
    expect('inReplyTo' in f).toBe(false);
  });
  test('msg-ids with "/" (GitHub) are kept', () => {
    expect(parse('webklex-php-imap__1366671050@github.com.eml').inReplyTo).toBe(
      '<Webklex/php-imap/issues/349@github.com>',
    );
  });
});

describe('§6 email.headers: Thread-Index and Date', () => {
  test('Thread-Index is read as written (white space removed)', () => {
    expect(parse('webklex-php-imap__issue-412.eml').threadIndex).toBe(
      'AQHZjysmbQn8p2cYOEawNV6ywnFmN690oIyAgAAA5rw=',
    );
    expect(parse('php-mime-mail-parser__issue158a.eml').threadIndex).toBe(
      'BsIxD6EDQhVNqaTfcPN/d36x7UYGq6dRLyIX',
    );
    expect('threadIndex' in parse('mikel-mail__example05.eml')).toBe(false);
  });
  test.each([
    ['mikel-mail__example05.eml', '1997-11-21T15:55:06.000Z'],
    ['php-mime-mail-parser__issue158a.eml', '2017-03-06T14:56:51.000Z'],
    ['postal-mime__arf.eml', '2005-03-08T21:40:36.000Z'],
    ['webklex-php-imap__undefined_charset_header.eml', '2017-02-27T03:51:29.000Z'],
    ['mikel-mail__example14.eml', '2011-08-19T01:47:17.000Z'],
    ['imap-tools__double_fields.eml', '2019-05-01T12:20:00.000Z'],
  ])('Date of %s → %s', (name, iso) => {
    expect(parse(name).receivedAt).toBe(iso);
  });
  test('Date without a zone (double_fields) reads as UTC with a warning', () => {
    expect(parse('imap-tools__double_fields.eml').warnings.some((w) => w.includes('no time zone'))).toBe(
      true,
    );
  });
  test('unparseable Date → receivedAt null with a warning', () => {
    const f = parse('mikel-mail__bad_date_header.eml');
    expect(f.receivedAt).toBeNull();
    expect(f.warnings.some((w) => w.startsWith('date:'))).toBe(true);
  });
  test('no Date field → no receivedAt key', () => {
    expect('receivedAt' in parse('webklex-php-imap__issue-511.eml')).toBe(false);
  });
});

describe('§6 email.headers: only the fields present become keys', () => {
  test('a trimmed header block (Subject only) gives subject and warnings only', () => {
    const f = parse('php-mime-mail-parser__issue212.eml');
    expect(Object.keys(f).sort()).toEqual(['subject', 'warnings']);
  });
  test('example05: no threading headers → no inReplyTo/references/threadIndex keys', () => {
    expect(Object.keys(parse('mikel-mail__example05.eml')).sort()).toEqual([
      'from',
      'messageId',
      'receivedAt',
      'subject',
      'to',
      'warnings',
    ]);
  });
});
