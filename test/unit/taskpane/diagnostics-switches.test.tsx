/**
 * The Diagnostics switches (tracking.md §1.3) in the options: "two views of one setting share one stored
 * value; changing either changes both". Each switch is checked against the option it is a view of, in the
 * model (what a save writes and what is read back), rendered (the same value and the same lock in both
 * views, in English and German) and through the controller (saved to roaming settings, read back).
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { loadPaneStrings, type PaneStrings } from '../../../src/i18n/surfaces';
import { effectivePersonalOptions } from '../../../src/rules/effectiveSettings';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/rules/settings';
import type { PaneActions } from '../../../src/taskpane/actions';
import { OptionsScreen, type OptionsTab } from '../../../src/taskpane/components/OptionsScreen';
import {
  DIAGNOSTICS_SWITCHES,
  type DiagnosticsSwitch,
} from '../../../src/taskpane/controller/diagnosticsSwitches';
import {
  optionStatesOf,
  optionValuesOf,
  type OptionValues,
} from '../../../src/taskpane/controller/optionsModel';
import { OPTION_STORE, splitChanges } from '../../../src/taskpane/controller/optionsSave';
import type { OptionsView } from '../../../src/taskpane/controller/types';
import { PaneStringsContext } from '../../../src/taskpane/strings';
import { settledOn, until, useRig, type Rig } from './harness';

jest.setTimeout(60_000);

const noActions = new Proxy({}, { get: () => () => undefined }) as PaneActions;

/** The label each switch's other view has, in English (the Email or Synchronization tab). */
const OTHER_VIEW_LABEL: Readonly<Record<DiagnosticsSwitch['name'], string>> = {
  outlookSynchronization: 'Synchronize CRM items with Outlook',
  backgroundSendEmail: 'Allow CRM to send email using this client',
  backgroundTrackEmail: 'Check incoming email and decide whether to track it',
  automaticEmailTagging: 'Tag emails found tracked in the CRM with the “Tracked to CRM” category',
};

const DIAGNOSTICS_LABEL: Readonly<Record<DiagnosticsSwitch['name'], string>> = {
  outlookSynchronization: 'Outlook synchronization',
  backgroundSendEmail: 'Background email sending',
  backgroundTrackEmail: 'Background email tracking',
  automaticEmailTagging: 'Automatic email tagging',
};

const CASES = DIAGNOSTICS_SWITCHES.map((view) => [view.name, view] as const);

function viewOf(settings: Settings, edit: Partial<OptionValues> = {}): OptionsView {
  const effective = effectivePersonalOptions(settings);
  const base = optionValuesOf(
    effective,
    settings.client.automaticEmailTagging,
    settings.client.outlookSynchronization,
  );
  return {
    base,
    draft: { ...base, ...edit },
    states: optionStatesOf(effective),
    minimums: {
      outlooksyncinterval: settings.organization.minoutlooksyncinterval,
      addressbooksyncinterval: settings.organization.minaddressbooksyncinterval,
      offlinesyncinterval: settings.organization.minofflinesyncinterval,
    },
    dirty: Object.keys(edit).length > 0,
    status: 'idle',
    message: null,
    slow: false,
  };
}

const render = (ui: ReactElement, strings?: PaneStrings) =>
  renderToStaticMarkup(
    <FluentProvider theme={webLightTheme}>
      {strings ? <PaneStringsContext.Provider value={strings}>{ui}</PaneStringsContext.Provider> : ui}
    </FluentProvider>,
  );

const screen = (view: OptionsView, tab: OptionsTab, strings?: PaneStrings) =>
  render(<OptionsScreen options={view} actions={noActions} initialTab={tab} />, strings);

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A switch's input in the static HTML, found by its label's `for`. */
function switchInput(html: string, label: string): string {
  const labelled = new RegExp(`<label[^>]*for="([^"]+)"[^>]*>${escapeRegex(label)}</label>`).exec(html);
  if (!labelled) throw new Error(`No switch labelled "${label}"`);
  const input = new RegExp(`<input[^>]*id="${escapeRegex(labelled[1] ?? '')}"[^>]*>`).exec(html);
  if (!input) throw new Error(`No input for "${label}"`);
  return input[0];
}
const isOn = (html: string, label: string) => /\schecked=""/.test(switchInput(html, label));
const isDisabled = (html: string, label: string) => /\sdisabled=""/.test(switchInput(html, label));

/** Settings as a save leaves them: the roaming client switches and personal options merged in. */
function afterSave(settings: Settings, view: OptionsView): Settings {
  const changes = splitChanges(view.base!, view.draft!, view.states);
  return {
    ...settings,
    client: { ...settings.client, ...changes.client },
    user: { ...settings.user, ...changes.user, ...(changes.crm as Partial<Settings['user']>) },
  };
}

describe('two views of one setting share one stored value', () => {
  test.each(CASES)(
    '%s: changed in the Diagnostics view, saved under its name and read back in both views',
    (name, view) => {
      const edited = viewOf(DEFAULT_SETTINGS, { [view.option]: false });
      const changes = splitChanges(edited.base!, edited.draft!, edited.states);
      expect(changes.client[name]).toBe(false);
      const saved = afterSave(DEFAULT_SETTINGS, edited);
      const reopened = viewOf(saved);
      expect(reopened.draft![view.option]).toBe(false);
      const diagnostics = screen(reopened, 'diagnostics');
      const other = screen(reopened, view.otherViewTab);
      expect([isOn(diagnostics, DIAGNOSTICS_LABEL[name]), isOn(other, OTHER_VIEW_LABEL[name])]).toEqual([
        false,
        false,
      ]);
    },
  );

  test.each(CASES)(
    '%s: a change in the other view shows in the Diagnostics view before it is saved',
    (name, view) => {
      const edited = viewOf(DEFAULT_SETTINGS, { [view.option]: false });
      expect(isOn(screen(viewOf(DEFAULT_SETTINGS), 'diagnostics'), DIAGNOSTICS_LABEL[name])).toBe(true);
      expect(isOn(screen(edited, 'diagnostics'), DIAGNOSTICS_LABEL[name])).toBe(false);
      expect(isOn(screen(edited, view.otherViewTab), OTHER_VIEW_LABEL[name])).toBe(false);
    },
  );

  test('outlookSynchronization is the Synchronization tab’s master switch: a save writes both names', () => {
    const edited = viewOf(DEFAULT_SETTINGS, { synchronizeWithOutlook: false });
    const changes = splitChanges(edited.base!, edited.draft!, edited.states);
    expect(OPTION_STORE.synchronizeWithOutlook).toBe('user');
    expect({ user: changes.user, client: changes.client }).toEqual({
      user: { synchronizeWithOutlook: false },
      client: { outlookSynchronization: false },
    });
  });

  test('a master switch stored off under either name shows off in both views', () => {
    const off = {
      ...DEFAULT_SETTINGS,
      client: { ...DEFAULT_SETTINGS.client, outlookSynchronization: false },
    };
    const view = viewOf(off);
    expect(isOn(screen(view, 'diagnostics'), DIAGNOSTICS_LABEL.outlookSynchronization)).toBe(false);
    expect(isOn(screen(view, 'sync'), OTHER_VIEW_LABEL.outlookSynchronization)).toBe(false);
  });
});

describe('an organization lock applies in both views, with its reason', () => {
  const noPromotion: Settings = {
    ...DEFAULT_SETTINGS,
    organization: { ...DEFAULT_SETTINGS.organization, promoteIncomingEmail: false },
  };
  const reason = 'Your organization has turned off checking incoming email for everyone.';

  test.each([
    ['the Diagnostics view', 'diagnostics', DIAGNOSTICS_LABEL.backgroundTrackEmail],
    ['the Email tab', 'email', OTHER_VIEW_LABEL.backgroundTrackEmail],
  ] as const)('backgroundTrackEmail in %s: disabled, off, and the reason given', (_, tab, label) => {
    const html = screen(viewOf(noPromotion), tab);
    expect(isDisabled(html, label)).toBe(true);
    expect(isOn(html, label)).toBe(false);
    expect(html).toContain(reason);
  });

  test('a locked switch is not written, whichever view changed it', () => {
    const edited = viewOf(noPromotion, { backgroundTrackEmail: true });
    expect(splitChanges(edited.base!, edited.draft!, edited.states).count).toBe(0);
  });
});

describe('the Diagnostics tab in the user’s language', () => {
  test('German: the tab, the switches and the lock’s reason are German', async () => {
    const german = await loadPaneStrings('de-DE');
    const noPromotion: Settings = {
      ...DEFAULT_SETTINGS,
      organization: { ...DEFAULT_SETTINGS.organization, promoteIncomingEmail: false },
    };
    const html = screen(viewOf(noPromotion), 'diagnostics', german);
    expect(html).toMatch(/role="tab"[^>]*>Diagnose<\/button>/);
    expect(isDisabled(html, german.t('options.diagnostics.backgroundTrackEmail'))).toBe(true);
    expect(html).toContain(german.t('options.lock.promoteIncomingEmail'));
    expect(html).not.toContain('Your organization');
  });
});

describe('through the pane controller', () => {
  const holder = useRig();
  let rig: Rig;
  beforeEach(() => {
    rig = holder.current;
  });

  test.each(CASES)(
    '%s: edited, saved to roaming settings, and the session reopened shows it off',
    async (name, view) => {
      await rig.sim.mailbox.select(rig.ids.partnership);
      const pane = rig.make();
      await pane.start();
      await until(pane, settledOn(rig.ids.partnership));
      pane.editOption(view.option, false);
      await pane.saveOptions();
      expect(pane.getState().options.status).toBe('saved');
      expect(rig.roaming.read().client).toMatchObject({ [name]: false });
      expect(pane.session?.settings.client[name]).toBe(false);
      expect(pane.getState().options.draft?.[view.option]).toBe(false);
    },
  );
});
