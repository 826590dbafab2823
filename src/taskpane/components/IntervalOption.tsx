/** An interval in minutes: locked with the reason, raised to the organization's minimum with a note. */
import { Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import type { LockReason } from '../../rules/effectiveSettings';
import { usePaneStrings } from '../strings';
import { LockHint } from './LockHint';

const useStyles = makeStyles({
  // Fluent greys the unit out with the input (#bdbdbd, under 2:1): a locked interval still says
  // what its number counts, in readable text (axe color-contrast).
  unit: { color: tokens.colorNeutralForeground3 },
});

export interface IntervalOptionProps {
  readonly label: string;
  readonly value: number;
  readonly lockReason: LockReason | null;
  /** Why the value in use differs (a clamp), or an input error. */
  readonly note: string | null;
  readonly error: string | null;
  readonly hint?: string;
  readonly disabled: boolean;
  readonly onChange: (value: number) => void;
}

export function IntervalOption({
  label,
  value,
  lockReason,
  note,
  error,
  hint,
  disabled,
  onChange,
}: IntervalOptionProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const locked = lockReason !== null;
  const message = error ?? note;
  return (
    <Field
      label={label}
      hint={locked ? <LockHint reason={lockReason} /> : hint}
      validationState={error ? 'error' : note ? 'warning' : 'none'}
      validationMessage={message ?? undefined}
    >
      <Input
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        value={Number.isFinite(value) ? String(value) : ''}
        disabled={disabled || locked}
        contentAfter={{ children: t('options.intervalUnit'), className: styles.unit }}
        onChange={(_, data) => onChange(data.value.trim() === '' ? Number.NaN : Number(data.value))}
      />
    </Field>
  );
}
