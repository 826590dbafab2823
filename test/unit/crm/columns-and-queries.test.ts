/** Column lengths (columns.ts) and what one item asks the CRM for (app/lookupQuery.ts, §3). */
import fc from 'fast-check';
import { lookupQueryFor, threadIdsNewestFirst, tokenForms } from '../../../src/app/lookupQuery';
import { fit, MAX_LENGTH, storedMessageId } from '../../../src/crm/columns';
import { normalizeMessageId } from '../../../src/rules/messageId';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { subjectsMatch, subjectWords } from '../../../src/rules/smartMatching';
import type { EmailFacts } from '../../../src/rules/types';

describe('column lengths', () => {
  test('fit cuts to the length and never splits a surrogate pair', () => {
    expect(fit('abc', 5)).toBe('abc');
    expect(fit('abcdef', 3)).toBe('abc');
    expect(fit('ab😀', 3)).toBe('ab'); // the emoji is two UTF-16 units
  });

  test('a Message-ID that fits is stored as it is; a longer one in one deterministic form that fits', () => {
    const short = `<${'a'.repeat(300)}@x>`;
    expect(storedMessageId(short)).toBe(short);
    fc.assert(
      fc.property(fc.string({ minLength: 319, maxLength: 2000, unit: 'binary' }), (body) => {
        const id = `<${body}@x.example>`;
        const stored = storedMessageId(id);
        expect(stored.length).toBeLessThanOrEqual(MAX_LENGTH.messageid);
        expect(storedMessageId(id)).toBe(stored); // deterministic: the lookup asks for the same
        expect(storedMessageId(` ${id} `)).toBe(stored);
        expect(stored).toMatch(/^<[\s\S]*~[0-9a-f]{16}>$/);
      }),
    );
  });

  const bareOf = (n: number) => `${'i'.repeat(n - 2)}@x`;
  test.each([
    // [bare length, written with brackets?, stored as]
    [318, true, 'as written'],
    [318, false, 'as written'],
    [319, true, 'bare'],
    [319, false, 'as written'],
    [320, true, 'bare'],
    [320, false, 'as written'],
    [321, true, 'shortened'],
    [321, false, 'shortened'],
  ] as const)(
    'one rule for bracketed and bare ids: bare length %i, brackets %s → stored %s',
    (length, bracketed, form) => {
      const bare = bareOf(length);
      const written = bracketed ? `<${bare}>` : bare;
      const stored = storedMessageId(written);
      expect(stored.length).toBeLessThanOrEqual(MAX_LENGTH.messageid);
      if (form === 'as written') expect(stored).toBe(written);
      if (form === 'bare') expect(stored).toBe(bare);
      if (form === 'shortened') expect(stored).toMatch(/^<i{300}~[0-9a-f]{16}>$/);
      // Both forms of one id are stored, and so found, as one.
      expect(normalizeMessageId(stored)).toBe(
        normalizeMessageId(storedMessageId(bracketed ? bare : `<${bare}>`)),
      );
    },
  );

  test('any id and its bracketed form store as one (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), fc.integer({ min: 0, max: 400 }), (s, pad) => {
        const bare = `${'a'.repeat(pad)}${s.replace(/[<>\s]/g, '')}@x`;
        expect(normalizeMessageId(storedMessageId(`<${bare}>`))).toBe(
          normalizeMessageId(storedMessageId(bare)),
        );
      }),
    );
  });

  test('two long ids that differ only after the kept part are stored differently', () => {
    const head = 'x'.repeat(400);
    expect(storedMessageId(`<${head}1@a>`)).not.toBe(storedMessageId(`<${head}2@a>`));
  });
});

const facts = (extra: Partial<EmailFacts> = {}): EmailFacts => ({
  messageId: '<m@x>',
  subject: 'RE: Quote for the spring order CRM:0001234',
  direction: 'incoming',
  folder: 'inbox',
  from: { address: 'ann@fabrikam.com', name: 'Ann' },
  to: [{ address: 'me@contoso.com', name: null }],
  cc: [],
  bcc: [],
  inReplyTo: '<r60@x>',
  references: Array.from({ length: 60 }, (_, i) => `<r${i + 1}@x>`),
  threadIndex: null,
  receivedAt: '2026-01-01T00:00:00Z',
  composeType: null,
  ...extra,
});

describe('the item lookup asks for what the rules (and explain) use', () => {
  test('References newest first: In-Reply-To, then References from last to first, no repeats', () => {
    const ids = threadIdsNewestFirst('<r60@x>', facts().references);
    expect(ids.slice(0, 3)).toEqual(['<r60@x>', '<r59@x>', '<r58@x>']);
    expect(ids).toHaveLength(60);
    expect(ids.at(-1)).toBe('<r1@x>'); // the oldest is the first one a bounded query leaves out
  });

  test('tracking tokens go as whole tokens, prefix in any case, never as digits alone', () => {
    const forms = tokenForms('RE: Quote crm:0001234', 'CRM:');
    expect(forms).toEqual(expect.arrayContaining(['crm:0001234', 'CRM:0001234']));
    expect(forms).not.toContain('0001234');
    const { settings } = resolveSettings({ organization: {} });
    expect(lookupQueryFor(facts(), settings).trackingTokens).not.toContain('0001234');
  });

  test('smart-matching words are the rules’ own reduction, custom hashfilterkeywords and hashmaxcount included', () => {
    const { settings } = resolveSettings({
      organization: { enablesmartmatching: true, hashfilterkeywords: '\\[ext\\]', hashmaxcount: 3 },
    });
    const query = lookupQueryFor(facts({ subject: '[EXT] Quote for the spring order' }), settings);
    expect(query.subjectWords).toEqual(subjectWords('[EXT] Quote for the spring order', '\\[ext\\]', 3));
    const { settings: off } = resolveSettings({ organization: {} });
    expect(lookupQueryFor(facts(), off).subjectWords).toBeNull();
  });

  test('a subject that can match shares a word with the query: the candidates are a superset (property)', () => {
    const word = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.nat(3),
        (a, b, delta) => {
          const mine = subjectWords(a.join(' '), null, 20);
          const theirs = subjectWords(b.join(' '), null, 20);
          if (subjectsMatch(mine, theirs, delta)) {
            // The adapter asks for subjects containing ANY of my words.
            expect(mine.some((w) => b.join(' ').includes(w))).toBe(true);
          }
        },
      ),
    );
  });
});
