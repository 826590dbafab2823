/**
 * Admin page entry: wait for Office when the page runs in it (a dialog of the add-in), read the display
 * language, load the strings, read the organization, render. Outside Office (an administrator's
 * browser tab, or office.js blocked) the page starts anyway (chosen): nothing here needs a mailbox.
 */
import { createRoot } from 'react-dom/client';
import { loadAdminStrings } from '../i18n/adminSurface';
import { AdminController } from './adminController';
import { adminPortFor } from './adminHost';
import { AdminPage } from './components/AdminPage';
import { AdminStringsContext } from './strings';

/** The page's entry reads Office as the pane's entry does: Office's display language, and nothing else. */
async function officeLanguage(): Promise<string | null> {
  if (typeof Office === 'undefined') return null;
  try {
    await Office.onReady();
    return Office.context?.displayLanguage || null;
  } catch (error) {
    console.warn('[Track in CRM] Office did not start; the admin page runs without it', error);
    return null;
  }
}

const container = document.getElementById('root');
if (!container) throw new Error('admin.html has no #root element');

void (async () => {
  const params = new URL(window.location.href).searchParams;
  const language = (await officeLanguage()) ?? params.get('lang') ?? navigator.language;
  const strings = await loadAdminStrings(language);
  document.documentElement.lang = strings.language;
  document.title = strings.t('admin.pageTitle');
  const controller = new AdminController(adminPortFor(params));
  void controller.reload();
  createRoot(container).render(
    <AdminStringsContext.Provider value={strings}>
      <AdminPage store={controller} actions={controller} />
    </AdminStringsContext.Provider>,
  );
})();
