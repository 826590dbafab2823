/**
 * The log's decision line says the outcome with the words of "Why?"'s last step. The log carries its
 * own copy (diagnostics namespace) so the trace table stays out of the pane's first JavaScript; this
 * holds the copy equal to the trace's final line in every language, for every reason.
 */
import { traceSentence } from '../../../src/app/traceWords';
import { LANGUAGES } from '../../../src/i18n/language';
import { loadPaneStrings } from '../../../src/i18n/surfaces';
import { loadTraceWords } from '../../../src/i18n/traceStrings';
import { REASONS } from '../../../src/rules/reasons';
import { outcomeWords } from '../../../src/taskpane/controller/diagnosticsWords';

describe.each(LANGUAGES)('in %s', (language) => {
  test.each([true, false])('the log says an outcome (track: %s) as "Why?" ends', async (track) => {
    const pane = await loadPaneStrings(language);
    const trace = await loadTraceWords(language);
    for (const reason of REASONS) {
      const finalLine = `decision: ${track ? 'track' : 'do not track'} (${reason})`;
      expect(outcomeWords(track, reason, pane.t)).toBe(traceSentence(finalLine, trace.t).text);
    }
  });
});

test('a reason the log does not know is shown as logged', () => {
  const t = (key: string, params?: Readonly<Record<string, string | number>>) =>
    `${key} ${String(params?.reason)}`;
  expect(outcomeWords(true, 'SomethingNew', t)).toBe('diagnostics.logOutcomeTracked SomethingNew');
});
