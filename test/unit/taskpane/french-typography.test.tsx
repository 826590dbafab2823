/**
 * Walk 13, item 8: French sets a space before ":" ("Compte : Fabrikam"). The colon after a record type
 * comes from the resource files, so each language punctuates it its own way; expected words come from
 * the resource files, never written out here.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import frBackground from '../../../src/i18n/resources/fr/background.json';
import frCommon from '../../../src/i18n/resources/fr/common.json';
import { loadPaneStrings } from '../../../src/i18n/surfaces';
import type { BackgroundTabActions, PaneActions } from '../../../src/taskpane/actions';
import { FolderTrackingEditor } from '../../../src/taskpane/components/FolderTrackingEditor';
import { EMPTY_FOLDER_TRACKING } from '../../../src/taskpane/controller/folderTrackingModel';
import { EMPTY_SEARCH, type FolderTrackingView } from '../../../src/taskpane/controller/types';
import { PaneStringsContext } from '../../../src/taskpane/strings';

const none = new Proxy({}, { get: () => () => undefined });

test('a folder rule names its record type with the French colon', async () => {
  const strings = await loadPaneStrings('fr-FR');
  const folders: FolderTrackingView = {
    ...EMPTY_FOLDER_TRACKING,
    status: 'ready',
    folders: [{ id: 'f-1', displayName: 'Projets', path: 'Projets', wellKnown: null, totalItemCount: 0 }],
    mappings: [
      {
        id: 'm-1',
        folderId: 'f-1',
        folderPath: 'Projets',
        regarding: { type: 'account', id: 'acc-1' },
        regardingName: 'Fabrikam',
      },
    ],
  };
  const html = renderToStaticMarkup(
    <PaneStringsContext.Provider value={strings}>
      <FluentProvider theme={webLightTheme}>
        <FolderTrackingEditor
          folders={folders}
          search={EMPTY_SEARCH}
          crmUrl="https://contoso.crm.dynamics.com"
          actions={none as PaneActions}
          tab={none as BackgroundTabActions}
        />
      </FluentProvider>
    </PaneStringsContext.Provider>,
  );
  const text = html.replace(/<[^>]+>/g, '');
  const label = frBackground.recordTypeLabel.replace('{type}', frCommon.typeAccount);
  expect(label).toMatch(/ :$/);
  expect(text).toContain(`${label} Fabrikam`);
});
