/**
 * The personal options the pane lets the user edit (§1.3–§1.4) and how a session's options read as
 * them. Plain data: the controller and the options screen share it. Where each one is stored and the
 * checks before saving are optionsSave.ts's, in the Options screen's chunk (the pane's first bundle
 * has no room for what only the Options screen uses).
 *
 * Shown: every option that changes what this add-in does (checking incoming email, which messages,
 * records created from senders, address reconciliation, tagging), plus the interval and duplicate
 * preferences the CRM keeps on the user's usersettings row (other Dynamics 365 clients read them,
 * and the organization's locks and minimums apply to them), and synchronization's (synchronization.md
 * §1): "synchronize CRM items with Outlook" (roaming). "This device is the synchronization client" is
 * not one of these: it is a fact of the device, not of the user (src/host/syncDevice.ts), and the
 * Synchronization tab's switch applies it at once.
 *
 * The Diagnostics tab shows the §1.3 switches as the original Diagnostics tool had them; three of
 * them are another view of an option here (diagnosticsSwitches.ts), so they edit that option's value
 * rather than a value of their own: two views of one setting share one stored value.
 */
import type { EffectiveOption, EffectivePersonalOptions } from '../../rules/effectiveSettings';
import type { AutoCreateOption, FilteringMethod, RecipientReconciliation } from '../../rules/settings';

export interface OptionValues {
  readonly synchronizeWithOutlook: boolean;
  readonly synccontactcompany: boolean;
  readonly outlooksyncinterval: number;
  readonly recipientReconciliation: RecipientReconciliation;
  readonly addressbooksyncinterval: number;
  readonly offlinesyncinterval: number;
  readonly isduplicatedetectionenabledwhengoingonline: boolean;
  /** "Allow CRM to send email using this client", = the Diagnostics switch backgroundSendEmail. */
  readonly backgroundSendEmail: boolean;
  readonly backgroundTrackEmail: boolean;
  readonly incomingemailfilteringmethod: FilteringMethod;
  readonly autocreatecontactonpromote: AutoCreateOption;
  readonly automaticEmailTagging: boolean;
}

export type OptionKey = keyof OptionValues;

export type IntervalKey = 'outlooksyncinterval' | 'addressbooksyncinterval' | 'offlinesyncinterval';

/** The organization's minimum for each interval (minutes). */
export type IntervalMinimums = Readonly<Record<IntervalKey, number>>;

/** How each option applies now: locked (with why), clamped (with a note). Null for options the rules do not lock. */
export type OptionStates = Readonly<Partial<Record<OptionKey, EffectiveOption<unknown>>>>;

/**
 * The values the user chose, as the options screen starts from them. Synchronization runs only when
 * both the personal option and the Diagnostics switch outlookSynchronization are on
 * (rules/synchronization.ts), and the pane shows them as one switch (chosen): on only when both are,
 * and a save writes both (optionsSave.ts), so the two stay one value.
 */
export function optionValuesOf(
  options: EffectivePersonalOptions,
  automaticEmailTagging: boolean,
  outlookSynchronization = true,
): OptionValues {
  return {
    synchronizeWithOutlook: options.synchronizeWithOutlook.chosen && outlookSynchronization,
    synccontactcompany: options.synccontactcompany.chosen,
    outlooksyncinterval: options.outlooksyncinterval.chosen,
    recipientReconciliation: options.recipientReconciliation.chosen,
    addressbooksyncinterval: options.addressbooksyncinterval.chosen,
    offlinesyncinterval: options.offlinesyncinterval.chosen,
    isduplicatedetectionenabledwhengoingonline: options.isduplicatedetectionenabledwhengoingonline.chosen,
    backgroundSendEmail: options.backgroundSendEmail.chosen,
    backgroundTrackEmail: options.backgroundTrackEmail.chosen,
    incomingemailfilteringmethod: options.incomingemailfilteringmethod.chosen,
    autocreatecontactonpromote: options.autocreatecontactonpromote.chosen,
    automaticEmailTagging,
  };
}

export function optionStatesOf(options: EffectivePersonalOptions): OptionStates {
  const { isSynchronizationClient: _b, ...shown } = options;
  return shown;
}

/** Options whose value differs. */
export function changedKeys(base: OptionValues, draft: OptionValues): OptionKey[] {
  return (Object.keys(base) as OptionKey[]).filter((key) => base[key] !== draft[key]);
}
