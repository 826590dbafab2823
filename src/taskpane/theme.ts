/**
 * The pane's theme follows Outlook's: light or dark from Office's theme colours, and high contrast
 * when the system forces colours (Windows contrast themes: Office reports no high-contrast flag to
 * add-ins, but the browser control sees `forced-colors: active`). Fluent's Teams high-contrast
 * theme is the one v9 theme designed for it (black, white, yellow and cyan); webDarkTheme would only
 * be dark, not high contrast.
 *
 * Only the light theme is in the pane's first bundle: the dark and high-contrast token sets are a
 * chunk (≈2.5 KB gz) fetched before the first render when Outlook is dark or colours are forced, and
 * when either changes while the pane is open. The pane's initial JavaScript is held to 120 KB gz.
 */
import { webLightTheme, type Theme } from '@fluentui/react-components';
import type { ThemeKind } from '../mailbox/host';

export type PaneTheme = ThemeKind | 'high-contrast';

export const FORCED_COLORS_QUERY = '(forced-colors: active)';

export function paneTheme(office: ThemeKind | null, forcedColors: boolean): PaneTheme {
  if (forcedColors) return 'high-contrast';
  return office ?? 'light';
}

interface OtherThemes {
  readonly dark: Theme;
  readonly 'high-contrast': Theme;
}
let others: OtherThemes | null = null;
let loading: Promise<OtherThemes> | null = null;

/** The Fluent theme for `theme` if it is at hand now (light always is), else null: load it first. */
export function fluentTheme(theme: PaneTheme): Theme | null {
  if (theme === 'light') return webLightTheme;
  return others ? others[theme] : null;
}

/** Loads the theme's tokens (once; a failed load is tried again on the next call). */
export function loadFluentTheme(theme: PaneTheme): Promise<Theme> {
  if (theme === 'light') return Promise.resolve(webLightTheme);
  const load = (loading ??= import(/* webpackChunkName: "pane-themes" */ './otherThemes').then(
    (themes): OtherThemes =>
      (others = { dark: themes.webDarkTheme, 'high-contrast': themes.teamsHighContrastTheme }),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  ));
  return load.then((loaded) => loaded[theme]);
}
