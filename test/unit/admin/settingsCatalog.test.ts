/** The admin page's settings catalog: every §1.1/§1.2 setting on its tab, and one test per validation rule. */
import {
  SETTINGS,
  definitionOf,
  settingKey,
  settingsOnTab,
  storedValue,
  toDraft,
  validateSetting,
  type SettingDefinition,
} from '../../../src/admin/settingsCatalog';
import { DEFAULT_ORGANIZATION_SETTINGS, DEFAULT_ORGDB_SETTINGS } from '../../../src/rules/settings';

const setting = (source: SettingDefinition['source'], name: string): SettingDefinition => {
  const definition = definitionOf(settingKey({ source, name }));
  if (!definition) throw new Error(`no ${source}:${name} in the catalog`);
  return definition;
};
const check = (source: SettingDefinition['source'], name: string, value: boolean | string) =>
  validateSetting(setting(source, name).type, value);

describe('settings catalog', () => {
  test('every §1.2 OrgDBOrgSettings name is on the OrgDBOrgSettings tab with the spec default', () => {
    const onTab = settingsOnTab('orgDb');
    expect(onTab.map((s) => s.name).sort()).toEqual(Object.keys(DEFAULT_ORGDB_SETTINGS).sort());
    for (const s of onTab)
      expect(s.defaultValue).toBe(DEFAULT_ORGDB_SETTINGS[s.name as keyof typeof DEFAULT_ORGDB_SETTINGS]);
  });

  test('every §1.1 organization setting the rules read is on the Email or the Outlook tab', () => {
    const notEdited = new Set([
      'orgdborgsettings',
      'maxuploadfilesize',
      'blockedattachments',
      'backgroundLookbackDays',
      'backgroundMaxItems',
    ]);
    const expected = Object.keys(DEFAULT_ORGANIZATION_SETTINGS).filter((n) => !notEdited.has(n));
    const shown = [...settingsOnTab('email'), ...settingsOnTab('outlook')].map((s) => s.name);
    expect(shown.sort()).toEqual(expected.sort());
  });

  test('the tic_ settings are environment variables, all listed on the Environment variables tab', () => {
    const environment = SETTINGS.filter((s) => s.source === 'environment').map((s) => s.name);
    expect(settingsOnTab('environment').map((s) => s.name)).toEqual(environment);
    expect(environment).toEqual(expect.arrayContaining(['promoteIncomingEmail', 'useTrackingToken']));
  });

  test('0/1 OrgDBOrgSettings are choices, not switches, and true/false ones are switches', () => {
    expect(setting('orgDb', 'VerboseErrorsOnPromoteToCRM').type.kind).toBe('choice01');
    expect(setting('orgDb', 'AllowPromoteDuplicates').type.kind).toBe('boolean');
  });

  test('trackingprefix: 1 to 20 characters', () => {
    expect(check('organization', 'trackingprefix', '')).toMatchObject({ message: 'admin.errorLength' });
    expect(check('organization', 'trackingprefix', 'x'.repeat(21))).toMatchObject({
      params: { min: 1, max: 20 },
    });
    expect(check('organization', 'trackingprefix', 'x'.repeat(20))).toBeNull();
  });

  test('trackingtokeniddigits: a whole number from 1 to 9', () => {
    expect(check('organization', 'trackingtokeniddigits', '0')).toMatchObject({ params: { min: 1, max: 9 } });
    expect(check('organization', 'trackingtokeniddigits', '10')).not.toBeNull();
    expect(check('organization', 'trackingtokeniddigits', '2.5')).toMatchObject({
      message: 'admin.errorWholeNumber',
    });
    expect(check('organization', 'trackingtokeniddigits', '9')).toBeNull();
  });

  test('intervals are whole minutes of at least 1', () => {
    for (const name of [
      'tagpollingperiod',
      'minoutlooksyncinterval',
      'minofflinesyncinterval',
      'minaddressbooksyncinterval',
    ]) {
      expect(check('organization', name, '0')).toMatchObject({ params: { min: 1 } });
      expect(check('organization', name, '1')).toBeNull();
    }
  });

  test('tagmaxaggressivecycles may be 0 ("Perform checks as new email is received: No")', () => {
    expect(check('organization', 'tagmaxaggressivecycles', '0')).toBeNull();
    expect(check('organization', 'tagmaxaggressivecycles', '-1')).not.toBeNull();
  });

  test('a whole number must fit a Dataverse Int32 column', () => {
    expect(check('organization', 'maximumtrackingnumber', '2147483648')).not.toBeNull();
    expect(check('organization', 'maximumtrackingnumber', '2147483647')).toBeNull();
  });

  test('a whole number is digits, not text that happens to convert', () => {
    expect(check('organization', 'hashmaxcount', '')).not.toBeNull();
    expect(check('organization', 'hashmaxcount', '1e2')).not.toBeNull();
  });

  test('hashfilterkeywords: a pattern the rules can compile', () => {
    expect(check('organization', 'hashfilterkeywords', '([a-z')).toMatchObject({
      message: 'admin.errorRegex',
    });
    expect(
      check('organization', 'hashfilterkeywords', String(DEFAULT_ORGANIZATION_SETTINGS.hashfilterkeywords)),
    ).toBeNull();
  });

  test("hashfilterkeywords: the refusal carries no compiler text (English, and its 'the default is used' is not what the page does)", () => {
    expect(check('organization', 'hashfilterkeywords', '([a-z')).toEqual({
      message: 'admin.errorRegex',
      params: {},
    });
  });

  test('hashfilterkeywords: too long is said with the limit', () => {
    const definition = SETTINGS.find((s) => s.name === 'hashfilterkeywords');
    const max = definition?.type.kind === 'regex' ? definition.type.maxLength : 0;
    expect(check('organization', 'hashfilterkeywords', 'a'.repeat(max + 1))).toEqual({
      message: 'admin.errorRegexTooLong',
      params: { max },
    });
  });

  test('hashfilterkeywords takes .NET inline options as the rules do', () => {
    expect(check('organization', 'hashfilterkeywords', '(?i)^re:')).toBeNull();
  });

  test('the tic_ day and item limits are at least 1', () => {
    expect(check('environment', 'backgroundLookbackDays', '0')).not.toBeNull();
    expect(check('environment', 'backgroundMaxItems', '1')).toBeNull();
  });

  test('a 0/1 choice takes nothing else', () => {
    expect(check('orgDb', 'SendEmailSynchronously', '2')).toMatchObject({ message: 'admin.errorChoice' });
  });

  test('stored values: typed for organizations columns, text for the XML and the variables', () => {
    expect(storedValue(setting('organization', 'hashmaxcount'), ' 25 ')).toBe(25);
    expect(storedValue(setting('organization', 'enablesmartmatching'), true)).toBe(true);
    expect(storedValue(setting('orgDb', 'AllowPromoteDuplicates'), true)).toBe('true');
    expect(storedValue(setting('orgDb', 'VerboseErrorsOnPromoteToCRM'), '1')).toBe('1');
    expect(storedValue(setting('environment', 'useTrackingToken'), false)).toBe('false');
  });

  test('drafts read the XML spellings of a switch ("1", "true") and of a choice', () => {
    expect(toDraft({ kind: 'boolean' }, '1')).toBe(true);
    expect(toDraft({ kind: 'boolean' }, 'false')).toBe(false);
    expect(toDraft({ kind: 'choice01' }, 'true')).toBe('1');
    expect(toDraft({ kind: 'integer', min: 0, max: 9 }, 3)).toBe('3');
  });
});
