/**
 * The options' words that come from the rules: a lock's reason and a clamp's note. The rules
 * (rules/effectiveSettings.ts) give them in English for the `explain` command and the log; the pane
 * says them in the user's language, recognising each lock by the setting behind it. A lock this file
 * does not know is shown as the rules worded it: English is better than a lock without a reason.
 */
import type { Translate } from '../../i18n/messages';
import type { PaneKey } from '../../i18n/surfaces';
import type { EffectiveOption, LockReason } from '../../rules/effectiveSettings';
import type { IntervalKey } from './optionsModel';

type PaneTranslate = Translate<PaneKey>;

type LockPlace = 'systemSettingsOutlook' | 'orgDbOrgSettings' | 'environmentVariable';

/** Each lock by the setting the rules name first in `LockReason.setting`. */
const LOCKS: Readonly<
  Record<string, { readonly text: PaneKey; readonly place: LockPlace; readonly name: string }>
> = {
  allowoutlookscheduledsyncs: {
    text: 'options.lock.allowoutlookscheduledsyncs',
    place: 'systemSettingsOutlook',
    name: 'allowoutlookscheduledsyncs',
  },
  allowaddressbooksyncs: {
    text: 'options.lock.allowaddressbooksyncs',
    place: 'systemSettingsOutlook',
    name: 'allowaddressbooksyncs',
  },
  allowofflinescheduledsyncs: {
    text: 'options.lock.allowofflinescheduledsyncs',
    place: 'systemSettingsOutlook',
    name: 'allowofflinescheduledsyncs',
  },
  tic_promoteIncomingEmail: {
    text: 'options.lock.promoteIncomingEmail',
    place: 'environmentVariable',
    name: 'tic_promoteIncomingEmail',
  },
  HideEmailAutoTrackOptions: {
    text: 'options.lock.hideEmailAutoTrackOptions',
    place: 'orgDbOrgSettings',
    name: 'HideEmailAutoTrackOptions',
  },
  AutoCreateContactOnPromote: {
    text: 'options.lock.autoCreateContactOnPromote',
    place: 'orgDbOrgSettings',
    name: 'AutoCreateContactOnPromote',
  },
};

/** A lock's reason in the user's language; the setting's name stays as the CRM spells it. */
export function lockReasonIn(t: PaneTranslate, reason: LockReason): LockReason {
  const known = LOCKS[reason.setting.split(' ')[0] ?? ''];
  if (!known) return reason;
  return { text: t(known.text), setting: `${known.name} (${t(`options.lockPlace.${known.place}`)})` };
}

/** Why an interval in use differs from the user's choice (raised to the organization's minimum), or null. */
export function clampNoteIn(
  t: PaneTranslate,
  key: IntervalKey,
  state: EffectiveOption<unknown> | undefined,
): string | null {
  if (!state || state.note === null || typeof state.value !== 'number' || typeof state.chosen !== 'number')
    return null;
  return t(`options.raised.${key}`, { chosen: state.chosen, minimum: state.value });
}
