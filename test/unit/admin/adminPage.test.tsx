/** The admin page as rendered: its tabs, the read-only explanation before anyone types, and German. */
import { renderToStaticMarkup } from 'react-dom/server';
import { AdminController } from '../../../src/admin/adminController';
import { AdminPage } from '../../../src/admin/components/AdminPage';
import { AdminStringsContext } from '../../../src/admin/strings';
import { loadAdminStrings } from '../../../src/i18n/adminSurface';
import { FakeAdminPort } from './fakeAdminPort';

async function render(port: FakeAdminPort, language = 'en-US'): Promise<string> {
  const controller = new AdminController(port);
  await controller.reload();
  const strings = await loadAdminStrings(language);
  return renderToStaticMarkup(
    <AdminStringsContext.Provider value={strings}>
      <AdminPage store={controller} actions={controller} />
    </AdminStringsContext.Provider>,
  );
}

describe('admin page', () => {
  test('the tabs of the original System Settings, then OrgDBOrgSettings and the environment variables', async () => {
    const html = await render(new FakeAdminPort());
    const tabs = [...html.matchAll(/role="tab"[^>]*>(?:<[^>]*>)*([^<]+)</g)].map((m) => m[1]);
    expect(tabs).toEqual([
      'Email',
      'Outlook',
      'Synchronization',
      'OrgDBOrgSettings',
      'Environment variables',
    ]);
  });

  test('without prvWriteOrganization the page says so and offers no Save', async () => {
    const port = new FakeAdminPort();
    port.access = { canWriteOrganization: false };
    const html = await render(port);
    expect(html).toContain('prvWriteOrganization');
    expect(html).not.toContain('>Save<');
  });

  test('an administrator gets Save', async () => {
    expect(await render(new FakeAdminPort())).toContain('>Save<');
  });

  test('the page reads German for a German Outlook', async () => {
    expect(await render(new FakeAdminPort(), 'de-DE')).toContain('Verwaltung von Track in CRM');
  });

  test('the preview shows the stored settings decision of the first sample', async () => {
    expect(await render(new FakeAdminPort())).toContain('data-reason="CorrelationMatch"');
  });
});
