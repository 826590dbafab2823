/** The settings of one System Settings tab (or the OrgDBOrgSettings tab), each with its control. */
import type { SettingDefinition } from '../settingsCatalog';
import { settingKey } from '../settingsCatalog';
import type { TabProps } from './tabProps';
import { SettingField } from './SettingField';

export function SettingsTab({
  settings,
  view,
  actions,
}: TabProps & { readonly settings: readonly SettingDefinition[] }) {
  return (
    <>
      {settings.map((definition) => {
        const key = settingKey(definition);
        return (
          <SettingField
            key={key}
            definition={definition}
            value={view.draft.values[key] ?? ''}
            changed={view.draft.values[key] !== view.stored.values[key]}
            problem={view.problems.get(key)}
            readOnly={view.readOnly || (definition.source === 'orgDb' && !view.snapshot.orgDb.ok)}
            onChange={(value) => actions.edit(definition, value)}
          />
        );
      })}
    </>
  );
}
