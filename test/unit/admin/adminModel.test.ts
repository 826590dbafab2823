/** The admin page's change set: only what changed, in the shapes the port writes. */
import {
  changesFrom,
  draftProblems,
  editDirection,
  editValue,
  hasChanges,
  loadSnapshot,
  storedDraft,
  useEnvironmentDefault,
  type AdminSnapshot,
} from '../../../src/admin/adminModel';
import { definitionOf, settingKey, type SettingDefinition } from '../../../src/admin/settingsCatalog';
import { parseOrgDbOrgSettingsXml } from '../../../src/rules/orgDbOrgSettingsXml';
import { FakeAdminPort, MAPPINGS, organizationRow } from './fakeAdminPort';

const def = (source: SettingDefinition['source'], name: string): SettingDefinition =>
  definitionOf(settingKey({ source, name })) as SettingDefinition;

async function snapshot(port = new FakeAdminPort()): Promise<AdminSnapshot> {
  return loadSnapshot(port);
}

describe('admin model', () => {
  test('nothing edited: no change set', async () => {
    const s = await snapshot();
    expect(hasChanges(changesFrom(s, storedDraft(s)))).toBe(false);
  });

  test('a missing column reads as its §1.1 default', async () => {
    const s = await snapshot();
    expect(storedDraft(s).values[settingKey(def('organization', 'hashminaddresscount'))]).toBe('2');
  });

  test('a changed System Setting is the only column sent, typed, with the etag read', async () => {
    const s = await snapshot();
    const draft = editValue(storedDraft(s), def('organization', 'tagpollingperiod'), '5');
    expect(changesFrom(s, draft)).toEqual({
      organization: { organizationId: 'org-1', etag: 'W/"1"', columns: { tagpollingperiod: 5 } },
    });
  });

  test('typing a value back to what was read is no change', async () => {
    const s = await snapshot();
    const typed = editValue(storedDraft(s), def('organization', 'tagpollingperiod'), '5');
    expect(hasChanges(changesFrom(s, editValue(typed, def('organization', 'tagpollingperiod'), '10')))).toBe(
      false,
    );
  });

  test('an OrgDBOrgSetting change sends the whole XML with the unknown names kept', async () => {
    const s = await snapshot();
    const draft = editValue(storedDraft(s), def('orgDb', 'AllowPromoteDuplicates'), true);
    const xml = changesFrom(s, draft).organization?.orgdborgsettings as string;
    expect(Object.fromEntries(parseOrgDbOrgSettingsXml(xml))).toEqual({
      FutureSetting: 'keep me',
      AllowPromoteDuplicates: 'true',
    });
  });

  test('a 0/1 OrgDBOrgSetting is written as 0 or 1', async () => {
    const s = await snapshot();
    const draft = editValue(storedDraft(s), def('orgDb', 'VerboseErrorsOnPromoteToCRM'), '1');
    const xml = changesFrom(s, draft).organization?.orgdborgsettings as string;
    expect(parseOrgDbOrgSettingsXml(xml).get('VerboseErrorsOnPromoteToCRM')).toBe('1');
  });

  test('a stored XML the reader refuses is read as the defaults and never rewritten by a column change', async () => {
    const port = new FakeAdminPort();
    port.organization = organizationRow({ orgdborgsettings: '<OrgSettings><A>' });
    const s = await snapshot(port);
    expect(s.orgDb.ok).toBe(false);
    const draft = editValue(storedDraft(s), def('organization', 'tagpollingperiod'), '5');
    expect(changesFrom(s, draft).organization).not.toHaveProperty('orgdborgsettings');
  });

  test('a tic_ variable with no value row shows its default, and a value creates one', async () => {
    const s = await snapshot();
    const promote = def('environment', 'promoteIncomingEmail');
    expect(storedDraft(s).environmentDefaults.has('tic_promoteIncomingEmail')).toBe(true);
    const draft = editValue(storedDraft(s), promote, false);
    expect(changesFrom(s, draft).environmentVariables).toEqual([
      {
        schemaName: 'tic_promoteIncomingEmail',
        definitionId: 'def-promote',
        valueId: null,
        value: 'false',
        etag: null,
        type: 'boolean',
      },
    ]);
  });

  test('"use the default" removes a tic_ value row (value null)', async () => {
    const s = await snapshot();
    const draft = useEnvironmentDefault(storedDraft(s), s, def('environment', 'useTrackingToken'));
    expect(changesFrom(s, draft).environmentVariables).toEqual([
      {
        schemaName: 'tic_useTrackingToken',
        definitionId: 'def-token',
        valueId: 'value-token',
        value: null,
        etag: 'W/"7"',
        type: 'boolean',
      },
    ]);
  });

  test('a tic_ variable the organization has no definition for is created with the value', async () => {
    const s = await snapshot();
    const draft = editValue(storedDraft(s), def('environment', 'backgroundMaxItems'), '50');
    expect(changesFrom(s, draft).environmentVariables).toEqual([
      {
        schemaName: 'tic_backgroundMaxItems',
        definitionId: null,
        valueId: null,
        value: '50',
        etag: null,
        type: 'number',
      },
    ]);
  });

  test('a mapping direction within what it allows is sent; a Microsoft default keeps mappingId null', async () => {
    const s = await snapshot();
    const fullname = MAPPINGS[1] as (typeof MAPPINGS)[number];
    const draft = editDirection(storedDraft(s), fullname, 'none');
    expect(changesFrom(s, draft).syncMappings).toEqual([
      {
        entity: 'contact',
        crmAttribute: 'fullname',
        exchangeProperty: 'displayName',
        mappingId: null,
        direction: 'none',
        etag: null,
      },
    ]);
  });

  test('a direction the mapping does not allow is not taken', async () => {
    const s = await snapshot();
    const fullname = MAPPINGS[1] as (typeof MAPPINGS)[number];
    expect(hasChanges(changesFrom(s, editDirection(storedDraft(s), fullname, 'toCrm')))).toBe(false);
  });

  test('problems are those of the changed settings, by key', async () => {
    const s = await snapshot();
    const draft = editValue(storedDraft(s), def('organization', 'trackingprefix'), '');
    expect([...draftProblems(s, draft).keys()]).toEqual(['organization:trackingprefix']);
  });
});
