/** The Synchronization tab and the save bar as rendered, in German: plain field names, no English, no "..". */
import { renderToStaticMarkup } from 'react-dom/server';
import { AdminController } from '../../../src/admin/adminController';
import { storedDraft } from '../../../src/admin/adminModel';
import { MappingsTab } from '../../../src/admin/components/MappingsTab';
import { SaveBar } from '../../../src/admin/components/SaveBar';
import { definitionOf, settingKey, type SettingDefinition } from '../../../src/admin/settingsCatalog';
import { AdminStringsContext } from '../../../src/admin/strings';
import { loadAdminStrings } from '../../../src/i18n/adminSurface';
import { FakeAdminPort } from './fakeAdminPort';

const polling = definitionOf(
  settingKey({ source: 'organization', name: 'tagpollingperiod' }),
) as SettingDefinition;

async function inGerman(element: JSX.Element): Promise<string> {
  const strings = await loadAdminStrings('de-DE');
  return renderToStaticMarkup(
    <AdminStringsContext.Provider value={strings}>{element}</AdminStringsContext.Provider>,
  );
}

async function mappingsTab(): Promise<string> {
  const controller = new AdminController(new FakeAdminPort());
  await controller.reload();
  const state = controller.getState();
  if (state.phase !== 'ready') throw new Error('not ready');
  const view = {
    snapshot: state.snapshot,
    draft: state.draft,
    stored: storedDraft(state.snapshot),
    problems: new Map(),
    readOnly: false,
  };
  return inGerman(<MappingsTab view={view} actions={controller} />);
}

describe('admin page words', () => {
  test("the Synchronization tab names a CRM field by its plain label in the page's language", async () => {
    const html = await mappingsTab();
    expect(html).toContain('Position');
    expect(html).not.toContain('<code>jobtitle</code>');
  });

  test("the Synchronization tab's headings and directions are the pane's (sync namespace)", async () => {
    const html = await mappingsTab();
    expect(html).toContain('CRM-Feld');
    expect(html).toContain('Kontakte');
  });

  test('a lost answer with a difference names the setting by its label, one full stop after the detail', async () => {
    const controller = new AdminController(new FakeAdminPort());
    const html = await inGerman(
      <SaveBar
        changes={1}
        saving={false}
        actions={controller}
        outcome={{
          kind: 'differsAnswerLost',
          detail: 'Das CRM war nicht erreichbar',
          differences: [{ kind: 'setting', definition: polling }],
        }}
      />,
    );
    const { t } = await loadAdminStrings('de-DE');
    expect(html).toContain('möglicherweise');
    expect(html).toContain(t('admin.labelTagpollingperiod'));
    expect(html).not.toMatch(/\.\./);
  });
});
