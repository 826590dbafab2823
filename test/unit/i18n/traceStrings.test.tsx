/** The trace words are a chunk of their own: loaded on first use, English when German or French cannot load. */
import { renderToStaticMarkup } from 'react-dom/server';
import { englishPaneStrings } from '../../../src/i18n/surfaces';
import { decisionWith } from '../../support/decisions';

type TraceModule = typeof import('../../../src/i18n/traceStrings');
type WhyModule = typeof import('../../../src/taskpane/components/WhyView');

afterEach(() => {
  jest.restoreAllMocks();
  jest.resetModules();
});

test('"Why?" says Loading… in the pane\'s words until the trace words have come, never a blank', () => {
  const { WhyView } = jest.requireActual<WhyModule>('../../../src/taskpane/components/WhyView');
  const html = renderToStaticMarkup(
    <WhyView decision={decisionWith({ trace: ['decision: track (AcceptAll)'] })} onClose={() => undefined} />,
  );
  expect(html).toContain(englishPaneStrings.t('common.loading'));
});

test('German trace words that cannot load fall back to English, logged', async () => {
  jest.doMock('../../../src/i18n/resources/de/trace.json', () => {
    throw new Error('chunk failed');
  });
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const { loadTraceWords } = jest.requireActual<TraceModule>('../../../src/i18n/traceStrings');
  const english = (await import('../../../src/i18n/resources/en/trace.json')).default;
  const strings = await loadTraceWords('de-DE');
  expect(strings.language).toBe('en');
  expect(strings.t('trace.stepDecision')).toBe(english.stepDecision);
  expect(logged).toHaveBeenCalled();
});

test('a language loaded once is kept: the next "Why?" paints at once', async () => {
  const { loadTraceWords, loadedTraceWords } = jest.requireActual<TraceModule>(
    '../../../src/i18n/traceStrings',
  );
  expect(loadedTraceWords('fr-FR')).toBeUndefined();
  const strings = await loadTraceWords('fr-FR');
  expect(loadedTraceWords('fr-CA')).toBe(strings);
});
