/** A yes/no personal option: disabled with the organization's reason when locked. */
import { Field, Switch } from '@fluentui/react-components';
import type { LockReason } from '../../rules/effectiveSettings';
import { LockHint } from './LockHint';

export interface SwitchOptionProps {
  readonly label: string;
  readonly checked: boolean;
  readonly lockReason: LockReason | null;
  readonly hint?: string;
  readonly disabled: boolean;
  readonly onChange: (checked: boolean) => void;
}

export function SwitchOption({ label, checked, lockReason, hint, disabled, onChange }: SwitchOptionProps) {
  const locked = lockReason !== null;
  return (
    <Field hint={locked ? <LockHint reason={lockReason} /> : hint}>
      <Switch
        label={label}
        checked={checked}
        disabled={disabled || locked}
        onChange={(_, data) => onChange(data.checked)}
      />
    </Field>
  );
}
