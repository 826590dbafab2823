import { parseSubject } from '../../src/rules/subjects';
import { threadableSubjectCases } from './helpers/mailFixtures';

describe('§3.5 prefixes: MailKit threadable-subject cases (base subject and reply depth)', () => {
  const cases = threadableSubjectCases();
  test('five cases', () => expect(cases).toHaveLength(5));
  test.each(cases.map((c) => [c.input, c] as const))('%j', (_input, c) => {
    const parsed = parseSubject(c.input);
    expect(parsed.base).toBe(c.expectedSubject);
    expect(parsed.replyDepth).toBe(c.expectedReplyDepth);
  });

  test("list tags between prefixes are skipped and reported: 'Re: [Mailing-List] Re[4]: simple subject'", () => {
    const parsed = parseSubject('Re: [Mailing-List] Re[4]: simple subject  ');
    expect(parsed.tags).toEqual(['[Mailing-List]']);
    expect(parsed.prefixes.map((p) => [p.kind, p.text, p.count])).toEqual([
      ['reply', 'Re', 1],
      ['reply', 'Re', 4],
    ]);
  });

  test('forwards count toward the depth too (chosen, as MailKit)', () => {
    expect(parseSubject('Fwd: Re: Re[2]: x').replyDepth).toBe(4);
  });

  test('white space in the base is collapsed', () => {
    expect(parseSubject('Re:  a \t b\n c ').base).toBe('a b c');
  });

  test('a subject that is only prefixes has an empty base', () => {
    expect(parseSubject('RE: FW: ')).toEqual({
      prefixes: [
        { kind: 'reply', text: 'RE', raw: 'RE:', count: 1 },
        { kind: 'forward', text: 'FW', raw: 'FW:', count: 1 },
      ],
      tags: [],
      base: '',
      replyDepth: 2,
    });
  });
});
