/** Every setting, choice, sample and reason the admin page names has its words in the `admin` namespace. */
import de from '../../../src/i18n/resources/de/admin.json';
import en from '../../../src/i18n/resources/en/admin.json';
import fr from '../../../src/i18n/resources/fr/admin.json';
import { adminNamespaces } from '../../../src/i18n/resources/en/admin';
import { flatten } from '../../../src/i18n/strings';
import { SYNC_FIELDS } from '../../../src/rules/syncFieldCatalog';
import { SAMPLE_IDS } from '../../../src/admin/preview';
import { SETTINGS } from '../../../src/admin/settingsCatalog';
import { settingMessage } from '../../../src/admin/strings';
import { REASONS } from '../../../src/rules/reasons';

const keys = new Set(Object.keys(en).map((k) => `admin.${k}`));
const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

describe('admin strings', () => {
  test('every catalog setting has a name and an effect', () => {
    const missing = SETTINGS.flatMap((s) => [
      settingMessage('label', s.name),
      settingMessage('effect', s.name),
    ]).filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });

  test('every 0/1 choice has words for both values', () => {
    const missing = SETTINGS.filter((s) => s.type.kind === 'choice01')
      .flatMap((s) => [`admin.choice0${s.name}`, `admin.choice1${s.name}`])
      .filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });

  test('every reason of the rules and every sample has words for the preview', () => {
    const wanted = [
      ...REASONS.map((r) => `admin.reason${r}`),
      ...SAMPLE_IDS.map((id) => `admin.sample${capital(id)}`),
    ];
    expect(wanted.filter((k) => !keys.has(k))).toEqual([]);
  });

  test.each([
    ['en', en],
    ['de', de],
    ['fr', fr],
  ])(
    '%s: no message has a double full stop, nor one after {detail} (a detail is another text’s sentence)',
    (_, messages) => {
      const doubled = Object.entries(messages).filter(([, text]) =>
        /\.\.|\{detail\}\./.test(text.replace(/…/g, '')),
      );
      expect(doubled).toEqual([]);
    },
  );

  test('every field of the sync catalog has its plain labels in the namespaces the admin page loads', () => {
    const loaded = new Set(Object.keys(flatten(adminNamespaces)));
    const wanted = Object.entries(SYNC_FIELDS).flatMap(([entity, fields]) =>
      fields.flatMap((f) => [`sync.field.${entity}.${f.crm}`, `sync.outlookField.${entity}.${f.outlook}`]),
    );
    expect(wanted.filter((k) => !loaded.has(k))).toEqual([]);
  });

  test('every reason of the preview is a whole sentence of its own', () => {
    for (const messages of [en, de, fr] as Record<string, string>[]) {
      const fragments = REASONS.map((r) => messages[`reason${r}`] ?? '').filter(
        (text) => !/^\p{Lu}/u.test(text) || !/[.!]$/.test(text),
      );
      expect(fragments).toEqual([]);
    }
  });
});
