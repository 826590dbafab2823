/**
 * The pane's theme follows Outlook's: light or dark from Office's theme colours, and high contrast
 * when the system forces colours (Windows contrast themes: Office reports no high-contrast flag to
 * add-ins, but the browser control sees `forced-colors: active`). Fluent's Teams high-contrast
 * theme is the one v9 theme designed for it (black, white, yellow and cyan); webDarkTheme would only
 * be dark, not high contrast.
 */
import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import type { ThemeKind } from '../mailbox/host';

export type PaneTheme = ThemeKind | 'high-contrast';

export const FORCED_COLORS_QUERY = '(forced-colors: active)';

export function paneTheme(office: ThemeKind | null, forcedColors: boolean): PaneTheme {
  if (forcedColors) return 'high-contrast';
  return office ?? 'light';
}

export function fluentTheme(theme: PaneTheme): Theme {
  return theme === 'high-contrast' ? teamsHighContrastTheme : theme === 'dark' ? webDarkTheme : webLightTheme;
}
