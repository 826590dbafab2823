/** A yes/no personal option: disabled with the organization's reason when locked. */
import { Field, Switch } from '@fluentui/react-components';

export interface SwitchOptionProps {
  readonly label: string;
  readonly checked: boolean;
  readonly lockReason: string | null;
  readonly hint?: string;
  readonly disabled: boolean;
  readonly onChange: (checked: boolean) => void;
}

export function SwitchOption({ label, checked, lockReason, hint, disabled, onChange }: SwitchOptionProps) {
  const locked = lockReason !== null;
  return (
    <Field hint={locked ? `Locked: ${lockReason}` : hint}>
      <Switch
        label={label}
        checked={checked}
        disabled={disabled || locked}
        onChange={(_, data) => onChange(data.checked)}
      />
    </Field>
  );
}
