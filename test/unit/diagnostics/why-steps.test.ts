/** "Why?": each trace line of the rules under its step of tracking.md §2–§3, with a plain title. */
import fc from 'fast-check';
import { readCase } from '../../../src/cli/caseInput';
import { explainCase } from '../../../src/cli/explain';
import { englishPaneStrings } from '../../../src/i18n/surfaces';
import { stepOfLine, whySteps } from '../../../src/taskpane/controller/diagnosticsWhy';
import { caseArbitrary } from './caseArbitrary';

const { t } = englishPaneStrings;

test.each([
  [
    '§2.1 step 1: no tracked email has Message-ID <a@x>',
    'incoming1',
    '§2.1 step 1',
    'no tracked email has Message-ID <a@x>',
  ],
  [
    '§2.1 step 10: regarding opportunity o1, from e1',
    'incoming10',
    '§2.1 step 10',
    'regarding opportunity o1, from e1',
  ],
  ['§2.2 step 2: a regarding record is required', 'track2', '§2.2 step 2', 'a regarding record is required'],
  ['§2.3 step 1: tracking replies is off', 'compose1', '§2.3 step 1', 'tracking replies is off'],
  [
    '§3: correlation is off for the organization',
    'correlation',
    '§3',
    'correlation is off for the organization',
  ],
  [
    '§3.2: token CRM:0001234 matches no tracked email; going on',
    'correlation2',
    '§3.2',
    'token CRM:0001234 matches no tracked email; going on',
  ],
  [
    '§2.5: the sender matches no record; a contact is created',
    'create',
    '§2.5',
    'the sender matches no record; a contact is created',
  ],
  [
    'settings: settings.organization.bogus: unknown setting, ignored',
    'settings',
    null,
    'settings.organization.bogus: unknown setting, ignored',
  ],
  ['headers: read From from the raw header block', 'headers', null, 'read From from the raw header block'],
  ['decision: track (CorrelationMatch)', 'decision', null, 'track (CorrelationMatch)'],
  ['something the rules may say one day', 'other', null, 'something the rules may say one day'],
  [
    '§2.1 step 11: a step the spec does not have',
    'other',
    '§2.1 step 11',
    '§2.1 step 11: a step the spec does not have',
  ],
])('%s is under step %s', (line, id, rule, detail) => {
  expect(stepOfLine(line)).toEqual({ id, rule, detail });
});

test('consecutive lines of one step are one step of the view', () => {
  const steps = whySteps(['settings: a', 'settings: b', '§2.1 step 1: c', 'decision: track (AcceptAll)'], t);
  expect(steps.map((s) => [s.id, s.details])).toEqual([
    ['settings', ['a', 'b']],
    ['incoming1', ['c']],
    ['decision', ['track (AcceptAll)']],
  ]);
});

test('a step is titled in plain words, not by its rule number', () => {
  const [step] = whySteps(['§2.1 step 1: no tracked email has Message-ID <a@x>'], t);
  expect(step!.title).toBe(t('diagnostics.stepIncoming1'));
  expect(step!.title).not.toMatch(/§|diagnostics\./);
});

test('the titles follow the language of the strings', () => {
  const german = (key: string) => (key === 'diagnostics.stepDecision' ? 'Die Entscheidung' : key);
  expect(whySteps(['decision: track (AcceptAll)'], german as typeof t)[0]!.title).toBe('Die Entscheidung');
});

/** Real traces: every line the rules write, over the paths caseArbitrary walks, is under a titled step. */
test('every line of real traces falls under a titled step', () => {
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      const { trace } = explainCase(readCase(c));
      expect(trace.filter((line) => stepOfLine(line).id === 'other')).toEqual([]);
      for (const step of whySteps(trace, t)) expect(step.title).not.toMatch(/^diagnostics\./);
    }),
    { numRuns: 300 },
  );
});
