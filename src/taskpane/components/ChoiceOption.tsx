/** A personal option with a few values (native select: keyboard and screen readers for free). */
import { Field, Select, makeStyles } from '@fluentui/react-components';
import type { LockReason } from '../../rules/effectiveSettings';
import { LockHint } from './LockHint';

const useStyles = makeStyles({
  field: { minWidth: 0, maxWidth: '100%' },
  root: { minWidth: 0, maxWidth: '100%' },
  // A native select is as wide as its longest option: let it shrink to the pane (320 px) instead.
  select: { minWidth: 0, width: '100%', textOverflow: 'ellipsis' },
});

export interface ChoiceOptionProps {
  readonly label: string;
  readonly value: string;
  readonly choices: readonly { readonly value: string; readonly label: string }[];
  readonly lockReason: LockReason | null;
  readonly hint?: string;
  readonly disabled: boolean;
  readonly onChange: (value: string) => void;
}

export function ChoiceOption({
  label,
  value,
  choices,
  lockReason,
  hint,
  disabled,
  onChange,
}: ChoiceOptionProps) {
  const styles = useStyles();
  const locked = lockReason !== null;
  return (
    <Field className={styles.field} label={label} hint={locked ? <LockHint reason={lockReason} /> : hint}>
      <Select
        className={styles.root}
        select={{ className: styles.select }}
        value={value}
        disabled={disabled || locked}
        onChange={(_, data) => onChange(data.value)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}
