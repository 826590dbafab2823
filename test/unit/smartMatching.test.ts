import {
  DEFAULT_HASH_FILTER,
  addressSet,
  compileHashFilter,
  sharedAddressCount,
  subjectWords,
  subjectsMatch,
} from '../../src/rules/smartMatching';

describe('§3.4 smart matching: hashfilterkeywords', () => {
  test('§3.4 the default pattern is the spec default', () => {
    expect(DEFAULT_HASH_FILTER).toBe('^[\\s]*([\\w]+\\s?:[\\s]*)+');
  });

  test.each([
    ['RE: Quote for Contoso', ['quote', 'for', 'contoso']],
    ['RE: FW: Quote', ['quote']],
    ['  re :Quote', ['quote']],
    ['Quote', ['quote']],
    ['Quote: for you', ['for', 'you']],
    ['Quote for: you', ['quote', 'for:', 'you']],
    ['AW: WG: Angebot Nr. 5', ['angebot', 'nr.', '5']],
    ['回复: 你好 世界', ['你好', '世界']],
    ['Übersicht: Q3', ['q3']],
    ['', []],
    ['RE:', []],
  ])('§3.4 default filter: %j → %j', (subject, words) => {
    expect(subjectWords(subject, DEFAULT_HASH_FILTER, 20)).toEqual(words);
  });

  test('§3.4 null/undefined pattern means the default', () => {
    expect(subjectWords('RE: a b', null, 20)).toEqual(['a', 'b']);
    expect(subjectWords('RE: a b', undefined, 20)).toEqual(['a', 'b']);
    expect(compileHashFilter(null).error).toBeNull();
  });

  test('§3.4 a custom pattern removes every match', () => {
    expect(subjectWords('Quote [EXT] for [EXT] you', '\\[EXT\\]', 20)).toEqual(['quote', 'for', 'you']);
  });

  test('§3.4 an invalid pattern falls back to the default, and compileHashFilter reports it', () => {
    const f = compileHashFilter('([unclosed');
    expect(f.error).toMatch(/not a valid regular expression/);
    expect(subjectWords('RE: a b', f.regex, 20)).toEqual(['a', 'b']);
    expect(subjectWords('RE: a b', '([unclosed', 20)).toEqual(['a', 'b']);
  });

  test('§3.4 a .NET pattern valid only without the u flag still compiles (\\: identity escape)', () => {
    const f = compileHashFilter('^RE\\:\\s*');
    expect(f.error).toBeNull();
    expect(subjectWords('RE: a', f.regex, 20)).toEqual(['a']);
  });

  test('§3.4 \\w and \\d are Unicode-aware, as in .NET (chosen translation)', () => {
    expect(subjectWords('Ärger: x', '^\\w+:', 20)).toEqual(['x']);
    expect(subjectWords('x ٣٣ y', '\\d+', 20)).toEqual(['x', 'y']);
  });
});

describe('§3.4 smart matching: subject words', () => {
  test('§3.4 split on any white space, lower-case, drop empties', () => {
    expect(subjectWords('  A\tB\u00a0C\n\nD  ', DEFAULT_HASH_FILTER, 20)).toEqual(['a', 'b', 'c', 'd']);
  });
  test('§3.4 at most hashmaxcount words, the first ones, duplicates kept', () => {
    expect(subjectWords('a b c a b c', DEFAULT_HASH_FILTER, 4)).toEqual(['a', 'b', 'c', 'a']);
    expect(subjectWords('a b c', DEFAULT_HASH_FILTER, 0)).toEqual([]);
    expect(subjectWords('a b c', DEFAULT_HASH_FILTER, -1)).toEqual([]);
  });
  test('§3.4 lower-casing is locale-independent', () => {
    expect(subjectWords('İSTANBUL TITLE', DEFAULT_HASH_FILTER, 20)).toEqual(['i̇stanbul', 'title']);
  });
});

describe('§3.4 smart matching: address sets', () => {
  test('§3.4 distinct, trimmed, lower-cased, order kept', () => {
    expect(
      addressSet(
        [' Ann@Fabrikam.com', 'me@contoso.com', 'ann@fabrikam.com ', '', '  ', 'ME@contoso.com', 'b@x'],
        20,
      ),
    ).toEqual(['ann@fabrikam.com', 'me@contoso.com', 'b@x']);
  });
  test('§3.4 at most hashmaxcount addresses', () => {
    expect(addressSet(['a@x', 'b@x', 'a@x', 'c@x'], 2)).toEqual(['a@x', 'b@x']);
    expect(addressSet(['a@x'], 0)).toEqual([]);
  });
  test('§3.4 shared address count (distinct, case-insensitive)', () => {
    expect(sharedAddressCount(['a@x', 'b@x', 'c@x'], ['B@X', 'c@x', 'd@x'])).toBe(2);
    expect(sharedAddressCount(['a@x', 'a@x'], ['a@x'])).toBe(1);
    expect(sharedAddressCount([], ['a@x'])).toBe(0);
  });
});

describe('§3.4 smart matching: subjects match', () => {
  test.each([
    [['quote', 'for', 'you'], ['quote', 'for', 'you'], 0, true],
    [['quote', 'for', 'you'], ['you', 'quote', 'for'], 0, true],
    [['quote', 'for'], ['quote', 'for', 'you'], 0, false],
    [['quote', 'for'], ['quote', 'for', 'you'], 1, true],
    [['quote', 'for', 'you'], ['quote', 'for'], 1, true],
    [['quote', 'me'], ['quote', 'for', 'you'], 1, false],
    [['a', 'a'], ['a', 'b'], 0, false],
    [['a'], ['b'], 5, false],
    [[], [], 0, true],
    [[], ['a'], 1, true],
  ])('§3.4 %j vs %j, delta %d → %s', (a, b, delta, expected) => {
    expect(subjectsMatch(a, b, delta)).toBe(expected);
    expect(subjectsMatch(b, a, delta)).toBe(expected);
  });
});

describe('§3.4 hashfilterkeywords as .NET writes it', () => {
  test('§3.4: leading inline options such as (?i) become flags', () => {
    const { compileHashFilter: compile, subjectWords: words } = require('../../src/rules/smartMatching');
    expect(compile('(?i)^re:\\s*').error).toBeNull();
    expect(words('RE: Budget plan', '(?i)^re:\\s*', 20)).toEqual(['budget', 'plan']);
  });
});
