/**
 * Walk 13, item 6: the synchronized fields in the user's language. The catalog's labels stay English
 * for the rules (explain, the log); the pane words every catalog field, on both sides, by its key in
 * the `sync` namespace. Expected words come from the resource files, never written out here.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import de from '../../../src/i18n/resources/de/sync.json';
import en from '../../../src/i18n/resources/en/sync.json';
import fr from '../../../src/i18n/resources/fr/sync.json';
import { loadPaneStrings } from '../../../src/i18n/surfaces';
import { SYNC_FIELDS } from '../../../src/rules/syncFieldCatalog';
import type { SyncEntity } from '../../../src/rules/syncTypes';
import { SyncFieldTable } from '../../../src/taskpane/components/SyncFieldTable';
import { fieldLabel, outlookFieldText } from '../../../src/taskpane/controller/syncWords';
import { PaneStringsContext } from '../../../src/taskpane/strings';

const ENTITIES: readonly SyncEntity[] = ['contact', 'appointment', 'task'];
const catalog = ENTITIES.flatMap((entity) => SYNC_FIELDS[entity].map((field) => ({ entity, field })));
const tables = { en, de, fr } as Record<string, Record<string, string>>;

describe('every catalog field has its words in en, de and fr', () => {
  test.each(Object.keys(tables))('%s: both sides of every field', (language) => {
    const table = tables[language] ?? {};
    const missing = catalog.flatMap(({ entity, field }) =>
      [`field.${entity}.${field.crm}`, `outlookField.${entity}.${field.outlook}`].filter(
        (key) => !table[key],
      ),
    );
    expect(missing).toEqual([]);
  });

  test('English words a field as the catalog labels it (one truth for the explain command and the pane)', () => {
    const differing = catalog.filter(({ entity, field }) => fieldLabel(entity, field.crm) !== field.label);
    expect(differing).toEqual([]);
  });
});

describe('the field table in German', () => {
  test('CRM and Outlook columns in German, none of the catalog’s English labels', async () => {
    const strings = await loadPaneStrings('de-DE');
    const html = renderToStaticMarkup(
      <PaneStringsContext.Provider value={strings}>
        <FluentProvider theme={webLightTheme}>
          <SyncFieldTable companySynced={false} />
        </FluentProvider>
      </PaneStringsContext.Provider>,
    );
    const text = html.replace(/<[^>]+>/g, '|').replace(/&#x27;/g, "'");
    for (const field of SYNC_FIELDS.contact) {
      expect(text).toContain(`|${de[`field.contact.${field.crm}` as keyof typeof de]}|`);
      expect(text).toContain(`|${de[`outlookField.contact.${field.outlook}` as keyof typeof de]}|`);
    }
    const english = SYNC_FIELDS.contact.filter(
      (field) =>
        field.label !== de[`field.contact.${field.crm}` as keyof typeof de] &&
        text.includes(`|${field.label}|`),
    );
    expect(english.map((field) => field.label)).toEqual([]);
  });

  test('a field the catalog does not have keeps its own name (an organization’s mapping)', async () => {
    const { t } = await loadPaneStrings('de-DE');
    expect(fieldLabel('contact', 'new_customfield', t)).toBe('new_customfield');
    expect(outlookFieldText('contact', 'businessFax', t)).toBe('Business fax');
  });
});
