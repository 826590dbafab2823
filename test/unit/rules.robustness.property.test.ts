import fc from 'fast-check';
import { addressSet, compileHashFilter, subjectWords, subjectsMatch } from '../../src/rules/smartMatching';
import { isForward, parseSubject, subjectKind } from '../../src/rules/subjects';
import {
  ThreadIndexError,
  decodeBase64,
  decodeThreadIndex,
  isThreadIndexAncestor,
  threadIndexAncestorKeys,
  threadIndexKey,
} from '../../src/rules/threadIndex';
import { TrackingTokenError, findTrackingTokens } from '../../src/rules/trackingToken';

const anyString = fc.string({ unit: 'binary', maxLength: 200 });
const subjectish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'RE',
        'Re',
        'FW',
        'I',
        'R',
        'İLT',
        'ilt',
        '回复',
        '转发',
        ':',
        '：',
        ' ',
        '[2]',
        '(3)',
        '[',
        ']',
        'x',
        'Invoice',
        '[EXTERNAL]',
        '\t',
        'CRM:',
        '0001234',
      ),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { maxLength: 30 },
  )
  .map((p) => p.join(''));

describe('robustness: no function throws on arbitrary input except its documented typed error', () => {
  test('§3.5 parseSubject / subjectKind / isForward never throw; base is trimmed; depth = sum of counts', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, subjectish), (s) => {
        const p = parseSubject(s);
        expect(p.base).toBe(p.base.trim());
        expect(p.replyDepth).toBe(p.prefixes.reduce((n, x) => n + x.count, 0));
        expect(subjectKind(s)).toBe(p.prefixes[0]?.kind ?? null);
        expect(typeof isForward(s, null)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  test('§3.5 property: adding a known prefix in front makes it the first prefix', () => {
    fc.assert(
      fc.property(fc.constantFrom('RE', 'FW', 'AW', 'WG', 'I', 'R', '回复', '转发'), subjectish, (p, s) => {
        const parsed = parseSubject(`${p}: ${s}`);
        expect(parsed.prefixes[0]?.text).toBe(p);
      }),
    );
  });

  test('§3.2 findTrackingTokens throws only TrackingTokenError (bad prefix)', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, subjectish),
        fc.string({ unit: 'binary', maxLength: 25 }),
        (s, prefix) => {
          try {
            findTrackingTokens(s, prefix);
          } catch (e) {
            expect(e).toBeInstanceOf(TrackingTokenError);
            expect((e as TrackingTokenError).code).toBe('bad-prefix');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('§3.3 decodeBase64 never throws; decodeThreadIndex throws only ThreadIndexError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyString,
          fc.base64String({ maxLength: 120 }),
          fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('base64')),
        ),
        (s) => {
          const bytes = decodeBase64(s);
          if (bytes !== null && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0) {
            expect(Array.from(bytes)).toEqual(Array.from(Buffer.from(s, 'base64')));
          }
          try {
            const d = decodeThreadIndex(s);
            expect(d.bytes.length).toBeGreaterThanOrEqual(22);
            expect(d.children).toHaveLength((d.bytes.length - 22) / 5);
            expect(threadIndexKey(s)).not.toBeNull();
          } catch (e) {
            expect(e).toBeInstanceOf(ThreadIndexError);
            expect(threadIndexKey(s)).toBeNull();
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('§3.3 decodeThreadIndex on arbitrary bytes: typed error or a decoded index', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), (a, b) => {
        try {
          const d = decodeThreadIndex(a);
          if (d.layout === 'unknown') expect(d.headerTime).toBeNull();
          else expect(d.headerTime).toMatch(/^(199\d|20\d\d)-/);
        } catch (e) {
          expect(e).toBeInstanceOf(ThreadIndexError);
        }
        expect(typeof isThreadIndexAncestor(a, b)).toBe('boolean');
        expect(Array.isArray(threadIndexAncestorKeys(a))).toBe(true);
      }),
    );
  });

  test('§3.4 subjectWords / addressSet / compileHashFilter never throw on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, subjectish),
        anyString,
        fc.integer({ min: -5, max: 50 }),
        (s, pattern, max) => {
          const f = compileHashFilter(pattern);
          expect(f.regex).toBeInstanceOf(RegExp);
          const words = subjectWords(s, pattern, max);
          expect(words.length).toBeLessThanOrEqual(Math.max(0, max));
          for (const w of words) {
            expect(w).not.toBe('');
            expect(/\s/u.test(w)).toBe(false);
          }
          const set = addressSet([s, pattern, s.toUpperCase()], max);
          expect(new Set(set).size).toBe(set.length);
          expect(typeof subjectsMatch(words, words, 0)).toBe('boolean');
          expect(subjectsMatch(words, words, 0)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
