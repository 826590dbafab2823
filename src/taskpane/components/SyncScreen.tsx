/**
 * The Synchronization tab (issue 12): synchronization's status and "Synchronize now", and the log of
 * the last runs; or, where this pane cannot synchronize, why (the rest of the pane works). Loaded as
 * a chunk of its own with its store (syncTabModel.ts), which lives while the tab is shown.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { Body1, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import type { PaneSyncAccess } from '../controller/syncAccess';
import { syncControlOf } from '../controller/syncControl';
import { SyncTabModel } from '../controller/syncTabModel';
import { syncUnavailableText } from '../controller/syncWords';
import { usePaneStrings } from '../strings';
import { SyncRunLog } from './SyncRunLog';
import { SyncStatusPanel } from './SyncStatusPanel';
import { useVisuallyHidden } from './visuallyHidden';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  heading: { ...typographyStyles.subtitle2, margin: 0 },
  detail: { margin: 0 },
});

export interface SyncScreenProps {
  /** Null: this pane was started without synchronization (an older host page). */
  readonly access: PaneSyncAccess | null;
  /** Tests: a fixed time of day and a fixed now. */
  readonly timeOfDay?: (at: number) => string;
  readonly now?: number;
}

function SyncTab({
  model,
  timeOfDay,
  now,
}: {
  readonly model: SyncTabModel;
  readonly timeOfDay?: (at: number) => string;
  readonly now?: number;
}) {
  const styles = useStyles();
  const hidden = useVisuallyHidden();
  const state = useSyncExternalStore(model.subscribe, model.getState, model.getState);
  return (
    <div className={styles.root} data-testid="sync-screen">
      <SyncStatusPanel
        state={state}
        onSynchronizeNow={() => void model.synchronizeNow()}
        {...(timeOfDay ? { timeOfDay } : {})}
        {...(now !== undefined ? { now } : {})}
      />
      <SyncRunLog runs={state.status.runs} {...(timeOfDay ? { timeOfDay } : {})} />
      {/* The tab's own live region: the pane's announcer is the controller's, which does not carry synchronization. */}
      <div
        className={hidden.hidden}
        role="status"
        aria-live="polite"
        aria-atomic="true"
        data-testid="sync-announcer"
      >
        {state.announcement.text}
      </div>
    </div>
  );
}

export function SyncScreen({ access, timeOfDay, now }: SyncScreenProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const control = syncControlOf(access);
  const model = useMemo(
    () => (control ? new SyncTabModel(control, undefined, undefined, t) : null),
    [control, t],
  );
  if (!model)
    return (
      <section aria-labelledby="sync-heading" data-testid="sync-status">
        <h2 id="sync-heading" className={styles.heading}>
          {t('sync.heading')}
        </h2>
        <Body1 as="p" block className={styles.detail} data-testid="sync-unavailable">
          {t('sync.unavailable.intro', {
            reason: access?.unavailable
              ? syncUnavailableText(access.unavailable, t)
              : t('sync.unavailable.noSync'),
          })}
        </Body1>
      </section>
    );
  return (
    <SyncTab model={model} {...(timeOfDay ? { timeOfDay } : {})} {...(now !== undefined ? { now } : {})} />
  );
}
