/**
 * "This device is the synchronization client" (synchronization.md §1). Not a personal option saved
 * with the others: it is this device's, kept on it (src/host/syncDevice.ts), so the switch applies at
 * once and the next synchronization follows it. Turning it on here turns it off on the user's other
 * devices (the roaming settings name one device).
 */
import { useEffect, useState } from 'react';
import { Field, Switch } from '@fluentui/react-components';
import type { PaneSyncControl } from '../controller/syncAccess';
import { usePaneStrings } from '../strings';

export interface SyncClientSwitchProps {
  /** Null where the pane does not synchronize (the switch is then shown off and disabled). */
  readonly control: PaneSyncControl | null;
  readonly disabled: boolean;
}

export function SyncClientSwitch({ control, disabled }: SyncClientSwitchProps) {
  const { t } = usePaneStrings();
  const [checked, setChecked] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let shown = true;
    control?.isSyncClient().then(
      (value) => shown && setChecked(value),
      () => shown && setProblem(t('sync.clientSwitchUnread')),
    );
    return () => {
      shown = false;
    };
  }, [control, t]);
  const choose = (value: boolean) => {
    if (!control) return;
    setChecked(value);
    setProblem(null);
    control.chooseSyncClient(value).catch((error: unknown) => {
      setChecked(!value);
      setProblem(
        t('sync.clientSwitchNotChanged', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  };
  return (
    <Field
      hint={control ? t('sync.clientSwitchHint') : t('sync.clientSwitchNoSync')}
      validationState={problem ? 'error' : 'none'}
      validationMessage={problem ?? undefined}
    >
      <Switch
        label={t('sync.clientSwitch')}
        checked={checked ?? false}
        disabled={disabled || !control || checked === null}
        onChange={(_, data) => choose(data.checked)}
      />
    </Field>
  );
}
