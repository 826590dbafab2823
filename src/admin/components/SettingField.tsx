/** One setting: its name, what it does, its default, and the control its type calls for. */
import { Field, Input, Radio, RadioGroup, Switch, Text } from '@fluentui/react-components';
import type { DraftValue, SettingDefinition, SettingProblem } from '../settingsCatalog';
import { settingMessage, useAdminStrings } from '../strings';

export interface SettingFieldProps {
  readonly definition: SettingDefinition;
  readonly value: DraftValue;
  readonly changed: boolean;
  readonly problem: SettingProblem | undefined;
  readonly readOnly: boolean;
  readonly onChange: (value: DraftValue) => void;
  /** A `tic_` variable's "default (x)" line and its button, when shown on the Environment variables tab. */
  readonly extra?: React.ReactNode;
}

export function SettingField({
  definition,
  value,
  changed,
  problem,
  readOnly,
  onChange,
  extra,
}: SettingFieldProps) {
  const { t } = useAdminStrings();
  const { type, name } = definition;
  const label = t(settingMessage('label', name));
  const defaultText = (() => {
    const d = definition.defaultValue;
    if (type.kind === 'boolean') return t(d === true ? 'admin.on' : 'admin.off');
    if (type.kind === 'choice01') return t(`admin.choice${d === 1 ? 1 : 0}${name}` as never);
    return String(d);
  })();
  const hint = `${t(settingMessage('effect', name))} ${t('admin.defaultIs', { value: defaultText })}${changed ? ` · ${t('admin.changed')}` : ''}`;
  const validation = problem ? t(problem.message, problem.params) : undefined;
  const id = `setting-${definition.source}-${name}`;

  const control = (() => {
    switch (type.kind) {
      case 'boolean':
        return (
          <Switch
            id={id}
            checked={value === true}
            disabled={readOnly}
            label={t(value === true ? 'admin.on' : 'admin.off')}
            onChange={(_, data) => onChange(data.checked)}
          />
        );
      case 'choice01':
        return (
          <RadioGroup
            layout="horizontal"
            value={String(value)}
            disabled={readOnly}
            onChange={(_, data) => onChange(data.value)}
          >
            <Radio value="0" label={t(`admin.choice0${name}` as never)} />
            <Radio value="1" label={t(`admin.choice1${name}` as never)} />
          </RadioGroup>
        );
      default:
        return (
          <Input
            id={id}
            value={String(value)}
            readOnly={readOnly}
            inputMode={type.kind === 'integer' ? 'numeric' : 'text'}
            onChange={(_, data) => onChange(data.value)}
          />
        );
    }
  })();

  return (
    <div style={{ marginBottom: 16 }} data-setting={name}>
      <Field
        label={label}
        hint={hint}
        validationMessage={validation}
        validationState={validation ? 'error' : 'none'}
      >
        {control}
      </Field>
      {extra ? <Text size={200}>{extra}</Text> : null}
    </div>
  );
}
