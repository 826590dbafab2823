/**
 * The `tic_` settings as Dataverse environment variables: each one's value, or "default (x)" when it has
 * no value row, with a button that goes back to the default. Variables of the organization the page does
 * not know are listed read-only: they are another version's, and kept as they are.
 */
import { Button } from '@fluentui/react-components';
import { environmentDefault, environmentName, environmentVariableOf } from '../adminModel';
import { settingKey, settingsOnTab, type DraftValue } from '../settingsCatalog';
import { useAdminStrings } from '../strings';
import { SettingField } from './SettingField';
import type { TabProps } from './tabProps';

export function EnvironmentTab({ view, actions }: TabProps) {
  const { t } = useAdminStrings();
  const settings = settingsOnTab('environment');
  const known = new Set(settings.map((s) => environmentName(s).toLowerCase()));
  const others = view.snapshot.environment.filter((v) => !known.has(v.schemaName.toLowerCase()));
  const shown = (value: DraftValue) =>
    typeof value === 'boolean' ? t(value ? 'admin.on' : 'admin.off') : String(value);
  return (
    <>
      <p>{t('admin.environmentIntro')}</p>
      {settings.map((definition) => {
        const key = settingKey(definition);
        const name = environmentName(definition);
        const usesDefault = view.draft.environmentDefaults.has(name);
        const defined = environmentVariableOf(view.snapshot, definition) !== undefined;
        const extra = (
          <span data-testid={`env-${name}`}>
            <code>{name}</code> ·{' '}
            {usesDefault
              ? t('admin.environmentDefault', { value: shown(environmentDefault(view.snapshot, definition)) })
              : shown(view.draft.values[key] ?? '')}
            {defined ? null : ` · ${t('admin.environmentNotCreated')}`}{' '}
            {!usesDefault && !view.readOnly ? (
              <Button size="small" appearance="subtle" onClick={() => actions.useDefault(definition)}>
                {t('admin.useDefault')}
              </Button>
            ) : null}
          </span>
        );
        return (
          <SettingField
            key={key}
            definition={definition}
            value={view.draft.values[key] ?? ''}
            changed={
              view.draft.values[key] !== view.stored.values[key] ||
              usesDefault !== view.stored.environmentDefaults.has(name)
            }
            problem={view.problems.get(key)}
            readOnly={view.readOnly}
            onChange={(value) => actions.edit(definition, value)}
            extra={extra}
          />
        );
      })}
      {others.length > 0 ? (
        <>
          <h3>{t('admin.environmentOther')}</h3>
          <ul>
            {others.map((v) => (
              <li key={v.schemaName}>
                <code>{v.schemaName}</code>:{' '}
                {v.value ?? t('admin.environmentDefault', { value: v.defaultValue ?? '' })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
