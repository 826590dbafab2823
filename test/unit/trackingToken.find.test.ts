import fc from 'fast-check';
import {
  TrackingTokenError,
  findTrackingTokens,
  makeTrackingToken,
  trackingTokenDigits,
} from '../../src/rules/trackingToken';

const digitsOf = (subject: string, prefix = 'CRM:'): string[] =>
  findTrackingTokens(subject, prefix).map((t) => t.digits);

describe('§3.2 tracking token: recognition in a subject', () => {
  test('§3.2 the spec example: "RE: Quote CRM:0001234"', () => {
    expect(findTrackingTokens('RE: Quote CRM:0001234', 'CRM:')).toEqual([
      { token: 'CRM:0001234', digits: '0001234', index: 10 },
    ]);
  });

  test.each([
    ['CRM:0001234', ['0001234']],
    ['x CRM:0001234 y', ['0001234']],
    ['(CRM:0001234)', ['0001234']],
    ['[CRM:0001234]', ['0001234']],
    ['-CRM:0001234', ['0001234']],
    ['_CRM:0001234', ['0001234']],
    ['Quote:CRM:0001234', ['0001234']],
  ])('§3.2 %j: preceded by a non-letter, non-digit → token', (s, expected) => {
    expect(digitsOf(s)).toEqual(expected);
  });

  test.each([
    ['xCRM:0001234'],
    ['1CRM:0001234'],
    ['éCRM:0001234'],
    ['ßCRM:0001234'],
    ['日CRM:0001234'],
    ['e\u0301CRM:0001234'],
    ['٣CRM:0001234'],
  ])('§3.2 %j: preceded by a letter or digit (Unicode too) → not a token', (s) => {
    expect(digitsOf(s)).toEqual([]);
  });

  test.each([['crm:0001234'], ['Crm:0001234'], ['cRm:0001234']])(
    '§3.2 %j: the prefix is compared case-insensitively',
    (s) => {
      const [t] = findTrackingTokens(s, 'CRM:');
      expect(t?.digits).toBe('0001234');
      expect(t?.token).toBe(s);
    },
  );

  test.each([['CRM: 0001234'], ['CRM:'], ['CRM:x0001234'], ['CRM:٠١٢'], ['CRM：0001234']])(
    '§3.2 %j: the prefix must be followed at once by ASCII digits → no token',
    (s) => {
      expect(digitsOf(s)).toEqual([]);
    },
  );

  test('§3.2 the token takes the whole run of digits', () => {
    expect(digitsOf('CRM:000123456789x')).toEqual(['000123456789']);
    expect(findTrackingTokens('CRM:12 34', 'CRM:')[0]!.token).toBe('CRM:12');
  });

  test('§3.2 several tokens, left to right, with their index', () => {
    expect(findTrackingTokens('CRM:1 and crm:22; CRM:333', 'CRM:')).toEqual([
      { token: 'CRM:1', digits: '1', index: 0 },
      { token: 'crm:22', digits: '22', index: 10 },
      { token: 'CRM:333', digits: '333', index: 18 },
    ]);
  });

  test('§3.2 "CRM:CRM:01": the second prefix is preceded by ":" → token', () => {
    expect(findTrackingTokens('CRM:CRM:01', 'CRM:')).toEqual([{ token: 'CRM:01', digits: '01', index: 4 }]);
  });

  test.each([
    ['CRM[1]:', 'Re: x CRM[1]:0001234', ['0001234']],
    ['CRM[1]:', 'Re: x CRM1:0001234', []],
    ['#', 'Ticket #0001234', ['0001234']],
    ['#', 'Ticket a#0001234', []],
    ['.*', 'x .*42 y', ['42']],
    ['.*', 'x ab42 y', []],
    ['$(x)', 'a $(x)7', ['7']],
    ['a+b?', 'A+B?99', ['99']],
    ['a+b?', 'aab99', []],
    ['\\', 'x \\12', ['12']],
    ['|', 'x |3 y', ['3']],
    ['{1}', 'x {1}5', ['5']],
    ['^', 'x ^5', ['5']],
    ['/-', 'x /-5', ['5']],
    ['TRK', 'TRK0001234', ['0001234']],
    ['TRK', 'xTRK0001234', []],
  ])('§3.2 prefix %j with regex characters is literal: %j', (prefix, s, expected) => {
    expect(digitsOf(s, prefix)).toEqual(expected);
  });

  test('§3.2 an empty subject has no tokens', () => {
    expect(findTrackingTokens('', 'CRM:')).toEqual([]);
  });

  test('§3.2 a prefix of 0 or more than 20 characters throws TrackingTokenError bad-prefix', () => {
    for (const p of ['', 'x'.repeat(21)]) {
      expect(() => findTrackingTokens('x', p)).toThrow(TrackingTokenError);
      expect(() => findTrackingTokens('x', p)).toThrow(expect.objectContaining({ code: 'bad-prefix' }));
    }
    expect(findTrackingTokens('x', 'x'.repeat(20))).toEqual([]);
  });
});

describe('§3.2 tracking token: equality is on digits', () => {
  test('§3.2 trackingTokenDigits reads a stored token (whole string = prefix + digits)', () => {
    expect(trackingTokenDigits('CRM:0001234', 'CRM:')).toBe('0001234');
    expect(trackingTokenDigits(' crm:0001234 ', 'CRM:')).toBe('0001234');
    expect(trackingTokenDigits('CRM:0001234x', 'CRM:')).toBeNull();
    expect(trackingTokenDigits('Quote CRM:0001234', 'CRM:')).toBeNull();
    expect(trackingTokenDigits('', 'CRM:')).toBeNull();
  });
});

describe('§3.2 tracking token: properties', () => {
  const prefixArb = fc.string({ minLength: 1, maxLength: 20, unit: 'binary' });

  test('property: a made token is found again in any subject, with equal digits', () => {
    fc.assert(
      fc.property(
        prefixArb,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 99999 }),
        fc.nat(),
        fc.string(),
        fc.string(),
        (prefix, idDigits, idBase, userNumber, max, c, before, after) => {
          const counter = c % (max + 1);
          const token = makeTrackingToken({
            prefix,
            idDigits,
            idBase,
            userNumber,
            maxTrackingNumber: max,
            counter,
          });
          // separated by spaces so the text around cannot extend the prefix or the digits
          const subject = `${before} ${token} ${after}`;
          const found = findTrackingTokens(subject, prefix);
          const expectedDigits = token.slice(prefix.length);
          expect(found.some((t) => t.digits === expectedDigits && t.index === before.length + 1)).toBe(true);
        },
      ),
    );
  });

  test('property: every found token is prefix (case-insensitive) + ASCII digits, at its index', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 5 }), (subject, prefix) => {
        for (const t of findTrackingTokens(subject, prefix)) {
          expect(subject.slice(t.index, t.index + t.token.length)).toBe(t.token);
          expect(t.token.endsWith(t.digits)).toBe(true);
          expect(/^[0-9]+$/.test(t.digits)).toBe(true);
          expect(/[0-9]/.test(subject.charAt(t.index + t.token.length))).toBe(false);
        }
      }),
    );
  });
});
