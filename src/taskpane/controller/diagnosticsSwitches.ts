/**
 * The Diagnostics tab of the options (tracking.md §1.3): the four switches of the original Diagnostics
 * tool, each of them another view of an option on one of the other tabs. A view holds no value of its
 * own: it reads and edits the option it names, so the two can never disagree ("two views of one setting
 * share one stored value; changing either changes both"), a lock of the option locks both views with the
 * same reason, and a save writes the value under every name it is stored by (optionsSave.ts).
 */
import type { ClientSwitches } from '../../rules/settings';
import type { OptionKey, OptionValues } from './optionsModel';

export type DiagnosticsSwitchName = keyof ClientSwitches;

/** The options whose value is yes/no: the only ones a switch can be a view of. */
export type SwitchOptionKey = {
  [K in OptionKey]: OptionValues[K] extends boolean ? K : never;
}[OptionKey];

/** Where the other view of a switch is: the options tab it is on. */
export type OtherViewTab = 'sync' | 'email';

export interface DiagnosticsSwitch {
  readonly name: DiagnosticsSwitchName;
  /** The option this switch is a view of: the one value both show and edit. */
  readonly option: SwitchOptionKey;
  readonly otherViewTab: OtherViewTab;
}

/** In the original tool's order. */
export const DIAGNOSTICS_SWITCHES: readonly DiagnosticsSwitch[] = [
  // synchronization.md §1: the master switch is the Synchronization tab's first option.
  { name: 'outlookSynchronization', option: 'synchronizeWithOutlook', otherViewTab: 'sync' },
  { name: 'backgroundSendEmail', option: 'backgroundSendEmail', otherViewTab: 'email' },
  { name: 'backgroundTrackEmail', option: 'backgroundTrackEmail', otherViewTab: 'email' },
  { name: 'automaticEmailTagging', option: 'automaticEmailTagging', otherViewTab: 'email' },
];

/**
 * The names a changed option is stored under besides its own: the Diagnostics switch that is a view of
 * it, where that switch is stored by another name (outlookSynchronization for synchronizeWithOutlook).
 * The rules read both names (rules/synchronization.ts), so both are written with the one value.
 */
export function alsoStoredAs(option: OptionKey): readonly DiagnosticsSwitchName[] {
  return DIAGNOSTICS_SWITCHES.filter((view) => view.option === option && view.name !== option).map(
    (view) => view.name,
  );
}

/** The value a Diagnostics switch shows: its option's. */
export const switchValue = (draft: OptionValues, view: DiagnosticsSwitch): boolean => draft[view.option];
