/** The OrgDBOrgSettings of §1.2; a stored XML the reader refuses is said, and its settings are not editable. */
import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { settingsOnTab } from '../settingsCatalog';
import { useAdminStrings } from '../strings';
import { SettingsTab } from './SettingsTab';
import type { TabProps } from './tabProps';

export function OrgDbTab({ view, actions }: TabProps) {
  const { t } = useAdminStrings();
  const settings = settingsOnTab('orgDb');
  const orgDb = view.snapshot.orgDb;
  const known = new Set(settings.map((s) => s.name));
  const unknown = orgDb.ok ? [...orgDb.settings.keys()].filter((name) => !known.has(name)) : [];
  return (
    <>
      {!orgDb.ok ? (
        <MessageBar intent="warning" style={{ marginBottom: 12 }}>
          <MessageBarBody>{t('admin.orgDbUnreadable', { detail: orgDb.error })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {unknown.length > 0 ? (
        <p data-testid="orgdb-unknown">{t('admin.orgDbUnknownKept', { names: unknown.join(', ') })}</p>
      ) : null}
      <SettingsTab settings={settings} view={view} actions={actions} />
    </>
  );
}
