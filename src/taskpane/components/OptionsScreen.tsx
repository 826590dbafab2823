/**
 * Personal options, on the tabs of the original client. Shown: the options that change what this
 * add-in does, and the interval and duplicate preferences the CRM keeps for the user (see
 * controller/optionsModel.ts for what is left out and why). Locked options are disabled with the
 * organization's reason; intervals below the organization's minimum carry a note. The
 * Synchronization tab is the legacy client's (seed: "Synchronization tab"): its switches, the
 * interval, duplicate detection and the read-only table of the synchronized fields. The Diagnostics
 * tab is the original Diagnostics tool's switches (tracking.md §1.3), each a second view of an option
 * on another tab (controller/diagnosticsSwitches.ts): both views edit the one value.
 */
import { useEffect, useRef, useState } from 'react';
import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { TRACKED_CATEGORY } from '../../rules/backgroundCycle';
import type { Translate } from '../../i18n/messages';
import type { LockReason } from '../../rules/effectiveSettings';
import type { AutoCreateOption, FilteringMethod, RecipientReconciliation } from '../../rules/settings';
import type { PaneActions } from '../actions';
import { DIAGNOSTICS_SWITCHES, type SwitchOptionKey } from '../controller/diagnosticsSwitches';
import { clampNoteIn, lockReasonIn } from '../controller/optionWords';
import type { IntervalKey, OptionKey, OptionStates, OptionValues } from '../controller/optionsModel';
import { isLocked, optionErrors } from '../controller/optionsSave';
import type { OptionsView } from '../controller/types';
import { ChoiceOption } from './ChoiceOption';
import { IntervalOption } from './IntervalOption';
import { syncAccessOf } from '../controller/syncAccess';
import { syncControlOf } from '../controller/syncControl';
import { syncSwitchNoticeOf } from '../controller/syncSwitchNotice';
import { SwitchOption } from './SwitchOption';
import { SyncClientSwitch } from './SyncClientSwitch';
import { SyncFieldTable } from './SyncFieldTable';
import { usePaneStrings, type PaneKey } from '../strings';
import { TabBar, panelId, tabId } from './TabBar';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
});

type PaneTranslate = Translate<PaneKey>;

export type OptionsTab = 'sync' | 'addressbook' | 'localdata' | 'email' | 'diagnostics';

const TAB_ORDER: readonly OptionsTab[] = ['sync', 'addressbook', 'localdata', 'email', 'diagnostics'];

const tabsIn = (t: PaneTranslate): readonly [OptionsTab, string][] =>
  TAB_ORDER.map((tab) => [tab, t(`options.tab.${tab}`)]);

// A native select cannot wrap: every choice fits a 320 px pane (about 30 characters), the field's
// label says the rest ("Which messages to track"; the spec's words, §1.4).
export const filteringChoicesIn = (t: PaneTranslate) =>
  (['0', '1', '2', '3', '4'] as const).map((value) => ({
    value,
    label: t(`options.choice.incomingemailfilteringmethod.${value}`),
  }));

const autoCreateChoicesIn = (t: PaneTranslate) =>
  (['0', '1', '2'] as const).map((value) => ({
    value,
    label: t(`options.choice.autocreatecontactonpromote.${value}`),
  }));

const reconciliationChoicesIn = (t: PaneTranslate) => [
  { value: 'all-matches', label: t('options.choice.recipientReconciliation.allMatches') },
  { value: 'primary-email-only', label: t('options.choice.recipientReconciliation.primaryEmailOnly') },
];

/** An option's label, by the setting's name: the admin page shows a setting by the same words. */
export function settingLabel(t: PaneTranslate, key: OptionKey): string {
  return key === 'automaticEmailTagging'
    ? t('options.setting.automaticEmailTagging', { category: TRACKED_CATEGORY })
    : t(`options.setting.${key}`);
}

/** Why the organization keeps an option from being changed; null when the user may change it. */
export const lockReasonOf = (states: OptionStates, key: OptionKey): LockReason | null =>
  states[key]?.lockReason ?? null;

/** What an option shows: the value the organization imposes when locked, else the user's draft. */
export function shownValue<K extends OptionKey>(
  states: OptionStates,
  draft: OptionValues,
  key: K,
): OptionValues[K] {
  const state = states[key];
  return state?.locked ? (state.value as OptionValues[K]) : draft[key];
}

/** The note an interval gets once saved: raised to the organization's minimum. */
export function intervalNote(value: number, minimum: number, t: PaneTranslate): string | null {
  return Number.isFinite(value) && value < minimum ? t('options.intervalBelowMinimum', { minimum }) : null;
}

/** "Synchronize CRM items with Outlook" as a save would write it, or null when it would not write it. */
export function syncSwitchToSave({ base, draft, states }: OptionsView): boolean | null {
  if (!base || !draft || isLocked(states, 'synchronizeWithOutlook')) return null;
  return base.synchronizeWithOutlook !== draft.synchronizeWithOutlook ? draft.synchronizeWithOutlook : null;
}

export interface OptionsScreenProps {
  readonly options: OptionsView;
  readonly actions: PaneActions;
  readonly initialTab?: OptionsTab;
}

export function OptionsScreen({ options, actions, initialTab = 'email' }: OptionsScreenProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const [tab, setTab] = useState<OptionsTab>(initialTab);
  const { draft, states, minimums } = options;
  const saving = options.status === 'saving';
  const errors = draft ? optionErrors(draft, t) : {};
  const lockOf = (key: OptionKey) => {
    const reason = lockReasonOf(states, key);
    return reason && lockReasonIn(t, reason);
  };
  const syncControl = syncControlOf(syncAccessOf(actions));
  const syncNotice = syncControl ? syncSwitchNoticeOf(syncControl) : null;
  // "Synchronize CRM items with Outlook" as being saved: once saved, the Synchronization tab says it at
  // once (syncSwitchNotice.ts) instead of its old phase until the next run reads it.
  const switchSaving = useRef<boolean | null>(null);
  useEffect(() => {
    if (options.status === 'saved' && switchSaving.current !== null)
      syncNotice?.record(switchSaving.current, Date.now());
    if (options.status !== 'saving') switchSaving.current = null;
  }, [options.status, syncNotice]);
  const save = () => {
    switchSaving.current = syncSwitchToSave(options);
    actions.saveOptions();
  };
  const toggle = (key: SwitchOptionKey, hint?: string) =>
    draft && (
      <SwitchOption
        label={settingLabel(t, key)}
        checked={shownValue(states, draft, key)}
        lockReason={lockOf(key)}
        {...(hint ? { hint } : {})}
        disabled={saving}
        onChange={(value) => actions.editOption(key, value)}
      />
    );
  const interval = (key: IntervalKey, hint = t('options.hint.storedInCrm')) =>
    draft && (
      <IntervalOption
        label={settingLabel(t, key)}
        value={draft[key]}
        lockReason={lockOf(key)}
        note={
          options.base && draft[key] !== options.base[key]
            ? intervalNote(draft[key], minimums?.[key] ?? 1, t)
            : clampNoteIn(t, key, states[key])
        }
        error={errors[key] ?? null}
        hint={hint}
        disabled={saving}
        onChange={(value) => actions.editOption(key, value)}
      />
    );

  return (
    <div className={styles.root}>
      <TabBar
        tabs={tabsIn(t)}
        selected={tab}
        onSelect={setTab}
        label={t('options.tabs')}
        idPrefix="options"
        size="small"
      />
      {!draft ? (
        <Body1 role="tabpanel" id={panelId('options')} aria-labelledby={tabId('options', tab)}>
          {t('options.notConnected')}
        </Body1>
      ) : (
        <div
          className={styles.panel}
          role="tabpanel"
          id={panelId('options')}
          aria-labelledby={tabId('options', tab)}
        >
          {tab === 'sync' && (
            <>
              {toggle('synchronizeWithOutlook', t('options.hint.synchronizeWithOutlook'))}
              <SyncClientSwitch control={syncControl} disabled={saving} />
              {interval('outlooksyncinterval', t('options.hint.outlooksyncinterval'))}
              {toggle('synccontactcompany', t('options.hint.synccontactcompany'))}
              {toggle(
                'isduplicatedetectionenabledwhengoingonline',
                t('options.hint.isduplicatedetectionenabledwhengoingonline'),
              )}
              <SyncFieldTable
                {...(syncControl ? { fieldMappings: syncControl.fieldMappings } : {})}
                companySynced={draft.synccontactcompany}
              />
            </>
          )}
          {tab === 'addressbook' && (
            <>
              <ChoiceOption
                label={settingLabel(t, 'recipientReconciliation')}
                value={draft.recipientReconciliation}
                choices={reconciliationChoicesIn(t)}
                lockReason={lockOf('recipientReconciliation')}
                hint={t('options.hint.recipientReconciliation')}
                disabled={saving}
                onChange={(value) =>
                  actions.editOption('recipientReconciliation', value as RecipientReconciliation)
                }
              />
              {interval('addressbooksyncinterval')}
            </>
          )}
          {tab === 'localdata' && interval('offlinesyncinterval')}
          {tab === 'email' && (
            <>
              {toggle('backgroundSendEmail', t('options.hint.backgroundSendEmail'))}
              {toggle('backgroundTrackEmail')}
              <ChoiceOption
                label={settingLabel(t, 'incomingemailfilteringmethod')}
                value={String(shownValue(states, draft, 'incomingemailfilteringmethod'))}
                choices={filteringChoicesIn(t)}
                lockReason={lockOf('incomingemailfilteringmethod')}
                disabled={saving}
                onChange={(value) =>
                  actions.editOption('incomingemailfilteringmethod', Number(value) as FilteringMethod)
                }
              />
              <ChoiceOption
                label={settingLabel(t, 'autocreatecontactonpromote')}
                value={String(shownValue(states, draft, 'autocreatecontactonpromote'))}
                choices={autoCreateChoicesIn(t)}
                lockReason={lockOf('autocreatecontactonpromote')}
                hint={t('options.hint.autocreatecontactonpromote')}
                disabled={saving}
                onChange={(value) =>
                  actions.editOption('autocreatecontactonpromote', Number(value) as AutoCreateOption)
                }
              />
              {toggle('automaticEmailTagging')}
            </>
          )}
          {tab === 'diagnostics' && (
            <>
              <Body1 className={styles.muted}>{t('options.diagnostics.intro')}</Body1>
              {DIAGNOSTICS_SWITCHES.map((view) => (
                <SwitchOption
                  key={view.name}
                  label={t(`options.diagnostics.${view.name}`)}
                  checked={shownValue(states, draft, view.option)}
                  lockReason={lockOf(view.option)}
                  hint={t('options.diagnostics.sameAs', {
                    tab: t(`options.tab.${view.otherViewTab}`),
                    option: settingLabel(t, view.option),
                  })}
                  disabled={saving}
                  onChange={(value) => actions.editOption(view.option, value)}
                />
              ))}
            </>
          )}
        </div>
      )}
      {options.message && (
        <MessageBar
          intent={options.status === 'failed' ? 'error' : options.status === 'saved' ? 'success' : 'info'}
          aria-live="off"
          layout="multiline"
        >
          <MessageBarBody>{options.message}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button appearance="primary" disabled={!draft || saving || !options.dirty} onClick={save}>
          {t('options.save')}
        </Button>
        <Button disabled={!draft || saving || !options.dirty} onClick={() => actions.discardOptions()}>
          {t('options.discard')}
        </Button>
        {saving && options.slow && <Spinner size="tiny" label={t('options.saving')} />}
      </div>
    </div>
  );
}
