/** Every setting, choice, sample and reason the admin page names has its words in the `admin` namespace. */
import en from '../../../src/i18n/resources/en/admin.json';
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
});
