/**
 * "This device is the synchronization client" (synchronization.md §1). Not a personal option saved
 * with the others: it is this device's, kept on it (src/host/syncDevice.ts), so the switch applies at
 * once and the next synchronization follows it. Turning it on here turns it off on the user's other
 * devices (the roaming settings name one device).
 */
import { useEffect, useState } from 'react';
import { Field, Switch } from '@fluentui/react-components';
import type { PaneSyncControl } from '../controller/syncAccess';

export interface SyncClientSwitchProps {
  /** Null where the pane does not synchronize (the switch is then shown off and disabled). */
  readonly control: PaneSyncControl | null;
  readonly disabled: boolean;
}

const HINT = 'Applies at once, to this device only: turning it on here turns it off on your other devices.';

export function SyncClientSwitch({ control, disabled }: SyncClientSwitchProps) {
  const [checked, setChecked] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let shown = true;
    control?.isSyncClient().then(
      (value) => shown && setChecked(value),
      () =>
        shown &&
        setProblem('Whether this device synchronizes could not be read (see the Synchronization tab).'),
    );
    return () => {
      shown = false;
    };
  }, [control]);
  const choose = (value: boolean) => {
    if (!control) return;
    setChecked(value);
    setProblem(null);
    control.chooseSyncClient(value).catch((error: unknown) => {
      setChecked(!value);
      setProblem(
        `Not changed: Outlook did not save it (${error instanceof Error ? error.message : String(error)}). Try again.`,
      );
    });
  };
  return (
    <Field
      hint={control ? HINT : 'This Outlook does not synchronize (see the Synchronization tab).'}
      validationState={problem ? 'error' : 'none'}
      validationMessage={problem ?? undefined}
    >
      <Switch
        label="This device is the synchronization client"
        checked={checked ?? false}
        disabled={disabled || !control || checked === null}
        onChange={(_, data) => choose(data.checked)}
      />
    </Field>
  );
}
