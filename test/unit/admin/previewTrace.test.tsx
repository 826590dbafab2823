/** The admin preview's steps are the pane's "Why?" words (traceWords.ts), in the page's language. */
import { renderToStaticMarkup } from 'react-dom/server';
import { AdminController } from '../../../src/admin/adminController';
import { AdminPage } from '../../../src/admin/components/AdminPage';
import { AdminStringsContext } from '../../../src/admin/strings';
import { loadAdminStrings } from '../../../src/i18n/adminSurface';
import { loadTraceWords } from '../../../src/i18n/traceStrings';
import { FakeAdminPort } from './fakeAdminPort';

/**
 * The text (no markup, no attributes) of the preview's steps, rendered in `language` once its trace
 * words are loaded (a static render paints what is loaded: the page shows "Loading…" before).
 */
async function previewSteps(language: string): Promise<string> {
  const controller = new AdminController(new FakeAdminPort());
  await controller.reload();
  const strings = await loadAdminStrings(language);
  await loadTraceWords(language);
  const html = renderToStaticMarkup(
    <AdminStringsContext.Provider value={strings}>
      <AdminPage store={controller} actions={controller} />
    </AdminStringsContext.Provider>,
  );
  const list = /<ol data-testid="preview-trace">(.*?)<\/ol>/.exec(html)?.[1] ?? '';
  return list.replace(/<[^>]*>/g, ' ');
}

test('the preview shows the plain steps in German on a German page', async () => {
  const { t } = await loadTraceWords('de-DE');
  const text = await previewSteps('de-DE');
  expect(text).toContain(t('trace.stepIncoming1'));
  expect(text).toContain(t('trace.stepDecision'));
  expect(text).toMatch(/Nachverfolgt: /);
});

test('the preview steps carry no rule numbers or raw trace in their text', async () => {
  const text = await previewSteps('fr-FR');
  expect(text).not.toMatch(/§|decision:|do not track/);
});
