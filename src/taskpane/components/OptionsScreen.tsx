/**
 * Personal options, on the tabs of the original client. Shown: the options that change what this
 * add-in does, and the interval and duplicate preferences the CRM keeps for the user (see
 * controller/optionsModel.ts for what is left out and why). Locked options are disabled with the
 * organization's reason; intervals below the organization's minimum carry a note. The
 * Synchronization tab is the legacy client's (seed: "Synchronization tab"): its switches, the
 * interval, duplicate detection and the read-only table of the synchronized fields.
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
import type { LockReason } from '../../rules/effectiveSettings';
import type { AutoCreateOption, FilteringMethod, RecipientReconciliation } from '../../rules/settings';
import type { PaneActions } from '../actions';
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
import { TabBar, panelId, tabId } from './TabBar';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
});

export type OptionsTab = 'sync' | 'addressbook' | 'localdata' | 'email';

const TABS: readonly [OptionsTab, string][] = [
  ['sync', 'Synchronization'],
  ['addressbook', 'Address Book'],
  ['localdata', 'Local Data'],
  ['email', 'Email'],
];

// A native select cannot wrap: every choice fits a 320 px pane (about 30 characters), the field's
// label says the rest ("Which messages to track"; the spec's words, §1.4).
export const FILTERING_CHOICES = [
  { value: '0', label: 'All email messages' },
  { value: '1', label: 'Responses to CRM email' },
  { value: '2', label: 'From leads, contacts, accounts' },
  { value: '3', label: 'From email-enabled records' },
  { value: '4', label: 'No email messages' },
] as const;

const AUTOCREATE_CHOICES = [
  { value: '0', label: 'None' },
  { value: '1', label: 'Contacts' },
  { value: '2', label: 'Leads' },
] as const;

const RECONCILIATION_CHOICES = [
  { value: 'all-matches', label: 'Any of a record’s addresses' },
  { value: 'primary-email-only', label: 'Only a record’s primary address' },
] as const;

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
export function intervalNote(value: number, minimum: number): string | null {
  return Number.isFinite(value) && value < minimum
    ? `Below your organization's minimum: ${minimum} minutes will be used.`
    : null;
}

/** "Synchronize CRM items with Outlook" as a save would write it, or null when it would not write it. */
export function syncSwitchToSave({ base, draft, states }: OptionsView): boolean | null {
  if (!base || !draft || isLocked(states, 'synchronizeWithOutlook')) return null;
  return base.synchronizeWithOutlook !== draft.synchronizeWithOutlook ? draft.synchronizeWithOutlook : null;
}

const STORED_HINT = 'Kept in your CRM user settings for the Dynamics 365 clients that synchronize.';

export interface OptionsScreenProps {
  readonly options: OptionsView;
  readonly actions: PaneActions;
  readonly initialTab?: OptionsTab;
}

export function OptionsScreen({ options, actions, initialTab = 'email' }: OptionsScreenProps) {
  const styles = useStyles();
  const [tab, setTab] = useState<OptionsTab>(initialTab);
  const { draft, states, minimums } = options;
  const saving = options.status === 'saving';
  const errors = draft ? optionErrors(draft) : {};
  const lockOf = (key: OptionKey) => lockReasonOf(states, key);
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
  const interval = (key: IntervalKey, label: string, hint = STORED_HINT) =>
    draft && (
      <IntervalOption
        label={label}
        value={draft[key]}
        lockReason={lockOf(key)}
        note={
          options.base && draft[key] !== options.base[key]
            ? intervalNote(draft[key], minimums?.[key] ?? 1)
            : (states[key]?.note ?? null)
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
        tabs={TABS}
        selected={tab}
        onSelect={setTab}
        label="Option groups"
        idPrefix="options"
        size="small"
      />
      {!draft ? (
        <Body1 role="tabpanel" id={panelId('options')} aria-labelledby={tabId('options', tab)}>
          Your options are read from the CRM: they appear here once Track in CRM is connected (see
          Connection).
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
              <SwitchOption
                label="Synchronize CRM items with Outlook"
                checked={draft.synchronizeWithOutlook}
                lockReason={lockOf('synchronizeWithOutlook')}
                hint="Your contacts, appointments and tasks in the CRM's synchronization filters, kept in step with Outlook."
                disabled={saving}
                onChange={(value) => actions.editOption('synchronizeWithOutlook', value)}
              />
              <SyncClientSwitch control={syncControl} disabled={saving} />
              {interval(
                'outlooksyncinterval',
                'Schedule automatic synchronization every',
                "Kept in your CRM user settings; your organization's minimum applies.",
              )}
              <SwitchOption
                label="Update the company field for Outlook contacts"
                checked={draft.synccontactcompany}
                lockReason={lockOf('synccontactcompany')}
                hint="From the contact's parent account in the CRM."
                disabled={saving}
                onChange={(value) => actions.editOption('synccontactcompany', value)}
              />
              <SwitchOption
                label="Check for duplicates when synchronizing"
                checked={draft.isduplicatedetectionenabledwhengoingonline}
                lockReason={lockOf('isduplicatedetectionenabledwhengoingonline')}
                hint="A contact tracked in Outlook is linked to the CRM contact with the same email address instead of creating another."
                disabled={saving}
                onChange={(value) => actions.editOption('isduplicatedetectionenabledwhengoingonline', value)}
              />
              <SyncFieldTable
                {...(syncControl ? { fieldMappings: syncControl.fieldMappings } : {})}
                companySynced={draft.synccontactcompany}
              />
            </>
          )}
          {tab === 'addressbook' && (
            <>
              <ChoiceOption
                label="How email addresses are matched to CRM records"
                value={draft.recipientReconciliation}
                choices={RECONCILIATION_CHOICES}
                lockReason={lockOf('recipientReconciliation')}
                hint="Used when deciding who the sender and recipients are."
                disabled={saving}
                onChange={(value) =>
                  actions.editOption('recipientReconciliation', value as RecipientReconciliation)
                }
              />
              {interval('addressbooksyncinterval', 'Refresh the local record cache every')}
            </>
          )}
          {tab === 'localdata' && interval('offlinesyncinterval', 'Update local data every')}
          {tab === 'email' && (
            <>
              <SwitchOption
                label="Check incoming email and decide whether to track it"
                checked={shownValue(states, draft, 'backgroundTrackEmail')}
                lockReason={lockOf('backgroundTrackEmail')}
                disabled={saving}
                onChange={(value) => actions.editOption('backgroundTrackEmail', value)}
              />
              <ChoiceOption
                label="Which messages to track"
                value={String(shownValue(states, draft, 'incomingemailfilteringmethod'))}
                choices={FILTERING_CHOICES}
                lockReason={lockOf('incomingemailfilteringmethod')}
                disabled={saving}
                onChange={(value) =>
                  actions.editOption('incomingemailfilteringmethod', Number(value) as FilteringMethod)
                }
              />
              <ChoiceOption
                label="Automatically create records from unknown senders"
                value={String(shownValue(states, draft, 'autocreatecontactonpromote'))}
                choices={AUTOCREATE_CHOICES}
                lockReason={lockOf('autocreatecontactonpromote')}
                hint="When an email is tracked and its sender is in no CRM record."
                disabled={saving}
                onChange={(value) =>
                  actions.editOption('autocreatecontactonpromote', Number(value) as AutoCreateOption)
                }
              />
              <SwitchOption
                label={`Tag emails found tracked in the CRM with the “${TRACKED_CATEGORY}” category`}
                checked={draft.automaticEmailTagging}
                lockReason={null}
                disabled={saving}
                onChange={(value) => actions.editOption('automaticEmailTagging', value)}
              />
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
          Save
        </Button>
        <Button disabled={!draft || saving || !options.dirty} onClick={() => actions.discardOptions()}>
          Discard changes
        </Button>
        {saving && options.slow && <Spinner size="tiny" label="Saving…" />}
      </div>
    </div>
  );
}
