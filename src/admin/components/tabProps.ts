/** What every tab of the admin page is given: the state it shows and the actions it calls. */
import type { AdminActions } from '../adminController';
import type { AdminSnapshot, Draft } from '../adminModel';
import type { SettingProblem } from '../settingsCatalog';

export interface AdminView {
  readonly snapshot: AdminSnapshot;
  readonly draft: Draft;
  /** The draft as read, to mark what changed. */
  readonly stored: Draft;
  readonly problems: ReadonlyMap<string, SettingProblem>;
  readonly readOnly: boolean;
}

export interface TabProps {
  readonly view: AdminView;
  readonly actions: AdminActions;
}
