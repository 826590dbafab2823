import {
  FORWARD_PREFIXES,
  REPLY_PREFIXES,
  foldPrefix,
  isForward,
  parseSubject,
  prefixKind,
  subjectKind,
} from '../../src/rules/subjects';

const replies = ['RE', 'AW', 'SV', 'VS', 'R', 'RIF', 'ODP', 'ATB', 'ANTW', 'YNT', '回复', '答复', '返信'];
const forwards = ['FW', 'FWD', 'WG', 'TR', 'RV', 'I', 'ENC', 'VB', 'PD', 'İLT', 'Doorst', '转发', '転送'];

const lower = (s: string): string => s.toLowerCase();
const title = (s: string): string => s.charAt(0) + s.slice(1).toLowerCase();

describe('§3.5 prefixes: the lists', () => {
  test('§3.5 the exported lists are the spec lists', () => {
    expect([...REPLY_PREFIXES]).toEqual(replies);
    expect([...FORWARD_PREFIXES]).toEqual(forwards);
  });

  test('§3.5 VS counts as a reply (chosen, Finnish reply / Norwegian forward)', () => {
    expect(prefixKind('VS')).toBe('reply');
    expect(subjectKind('VS: x')).toBe('reply');
  });
});

describe.each([
  ...replies.map((p) => [p, 'reply'] as const),
  ...forwards.map((p) => [p, 'forward'] as const),
])('§3.5 prefixes: %s is a %s prefix', (p, kind) => {
  test.each([
    [`${p}: x`],
    [`${lower(p)}: x`],
    [`${title(p)}: x`],
    [`${p}：x`],
    [`${p}:x`],
    [`${p}[2]: x`],
    [`${p}(3): x`],
    [`  ${p}:   x  `],
    [`${p} : x`],
  ])('§3.5 %j', (subject) => {
    const parsed = parseSubject(subject);
    expect(parsed.prefixes).toHaveLength(1);
    expect(parsed.prefixes[0]!.kind).toBe(kind);
    expect(parsed.base).toBe('x');
    expect(subjectKind(subject)).toBe(kind);
    expect(isForward(subject, null)).toBe(kind === 'forward');
  });

  test(`§3.5 "${p}x: y" (the prefix is not the whole word) is no prefix`, () => {
    expect(parseSubject(`${p}x: y`).prefixes).toEqual([]);
    expect(subjectKind(`${p}x: y`)).toBeNull();
  });

  test(`§3.5 "${p} x" (no colon) is no prefix`, () => {
    expect(subjectKind(`${p} x`)).toBeNull();
  });
});

describe('§3.5 prefixes: counts', () => {
  test.each([
    ['RE[2]: x', 2, 'RE[2]:'],
    ['AW(3): x', 3, 'AW(3):'],
    ['Re[10]：x', 10, 'Re[10]：'],
    ['Re: x', 1, 'Re:'],
  ])('§3.5 %j has count %d', (subject, count, raw) => {
    const p = parseSubject(subject).prefixes[0]!;
    expect(p.count).toBe(count);
    expect(p.raw).toBe(raw);
    expect(parseSubject(subject).replyDepth).toBe(count);
  });

  test('§3.5 a malformed count is no prefix: "RE[x]: y", "RE[]: y", "RE[2: y", "RE [2]: y"', () => {
    for (const s of ['RE[x]: y', 'RE[]: y', 'RE[2: y', 'RE [2]: y'])
      expect(parseSubject(s).prefixes).toEqual([]);
  });
});

describe('§3.5 prefixes: one-letter prefixes R and I versus words', () => {
  test.each([
    ['I: x', 'forward'],
    ['i: x', 'forward'],
    ['R: x', 'reply'],
    ['r: x', 'reply'],
    ['Invoice: x', null],
    ['Re-sent: x', null],
    ['Info: I: x', null],
    ['Rif: x', 'reply'],
    ['Rechnung: x', null],
    ['R2: x', null],
    ['I am here: x', null],
    ['R: R: R: I: FR-selca LA selcaE', 'reply'],
  ])('§3.5 %j → %s', (subject, kind) => {
    expect(subjectKind(subject)).toBe(kind);
  });
});

describe('§3.5 prefixes: the first (leftmost) prefix decides', () => {
  test("§3.5 prefixes: 'RE: FW: x' is a reply", () => {
    expect(subjectKind('RE: FW: x')).toBe('reply');
    expect(isForward('RE: FW: x', null)).toBe(false);
  });
  test("§3.5 prefixes: 'FW: RE: x' is a forward", () => {
    expect(subjectKind('FW: RE: x')).toBe('forward');
    expect(isForward('FW: RE: x', null)).toBe(true);
  });
  test("§3.5 'R: R: R: I: x' (Italian, fixture mimekit issue358) is a reply with 4 prefixes", () => {
    const p = parseSubject('R: R: R: I: FR-selca LA selcaE');
    expect(p.prefixes.map((x) => x.kind)).toEqual(['reply', 'reply', 'reply', 'forward']);
    expect(p.base).toBe('FR-selca LA selcaE');
  });
  test("§3.5 '[EXTERNAL] FW: RE: x': a tag is not a prefix, the first prefix token decides", () => {
    expect(subjectKind('[EXTERNAL] FW: RE: x')).toBe('forward');
    expect(parseSubject('[EXTERNAL] FW: RE: x').base).toBe('x');
  });
  test('§3.5 no prefix → null, not a forward', () => {
    expect(subjectKind('Quote CRM:0001234')).toBeNull();
    expect(isForward('Quote', null)).toBe(false);
  });
});

describe('§3.5 isForward: compose type forward, or the first prefix is a forward prefix', () => {
  test.each([
    ['x', 'forward', true],
    ['RE: x', 'forward', true],
    ['x', 'reply', false],
    ['FW: x', 'reply', true],
    ['FW: x', 'newMail', true],
    ['RE: FW: x', null, false],
    ['Fwd: Test 5', null, true],
    ['WG: AW: x', 'reply', true],
  ] as const)('§3.5 isForward(%j, %s) = %s', (subject, composeType, expected) => {
    expect(isForward(subject, composeType)).toBe(expected);
  });
});

describe('§3.5 prefixes: Turkish İLT and the dotted/dotless I (locale-independent fold, chosen)', () => {
  test.each(['İLT: x', 'ilt: x', 'İlt: x', 'ILT: x', 'Ilt: x', 'ılt: x', 'I\u0307LT: x'])(
    '%j is a forward',
    (s) => {
      expect(subjectKind(s)).toBe('forward');
    },
  );
  test('foldPrefix makes İLT, ilt and İlt equal', () => {
    expect(new Set(['İLT', 'ilt', 'İlt', 'ILT'].map(foldPrefix)).size).toBe(1);
  });
  test('a Turkish "İ:" folds to "i", the Italian forward I (consequence of the fold)', () => {
    expect(subjectKind('İ: x')).toBe('forward');
  });
  test('full-width Latin letters fold too: "ＲＥ：x" is a reply', () => {
    expect(subjectKind('ＲＥ：x')).toBe('reply');
  });
});

describe('§3.5 prefixes: CJK prefixes with full-width colon', () => {
  test.each([
    ['回复：你好', 'reply', '你好'],
    ['答复: 你好', 'reply', '你好'],
    ['返信：こんにちは', 'reply', 'こんにちは'],
    ['转发：你好', 'forward', '你好'],
    ['転送: こんにちは', 'forward', 'こんにちは'],
    ['回复你好：x', null, '回复你好：x'],
  ])('%j', (s, kind, base) => {
    expect(subjectKind(s)).toBe(kind);
    expect(parseSubject(s).base).toBe(base);
  });
});

describe('§3.5 prefixes: subjects of the .eml fixtures', () => {
  test.each([
    ['RE: TEST MESSAGE', 'reply', 'TEST MESSAGE'],
    ['Fwd: Test 5', 'forward', 'Test 5'],
    ['FW: Earn money', 'forward', 'Earn money'],
    ['Fwd: Signed email causes file attachments', 'forward', 'Signed email causes file attachments'],
    [
      'Re: running server as root (Was: Re: PUT method)',
      'reply',
      'running server as root (Was: Re: PUT method)',
    ],
    [
      'Re: [Webklex/php-imap] Read all folders? (Issue #349)',
      'reply',
      '[Webklex/php-imap] Read all folders? (Issue #349)',
    ],
    ['RE: [EXTERNAL] Re: Lorem Ipsum /40 one', 'reply', 'Lorem Ipsum /40 one'],
    ['RE: 회원님께 Ersi님이 메시지를 보냈습니다.', 'reply', '회원님께 Ersi님이 메시지를 보냈습니다.'],
    ['Automatyczna odpowiedź: Piotrze, test', null, 'Automatyczna odpowiedź: Piotrze, test'],
    ['S19 IZM A7-342', null, 'S19 IZM A7-342'],
  ])('%j → %s, base %j', (s, kind, base) => {
    expect(subjectKind(s)).toBe(kind);
    expect(parseSubject(s).base).toBe(base);
  });
});
