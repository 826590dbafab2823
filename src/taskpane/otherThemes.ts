/** The pane's themes other than light, as their own chunk (see theme.ts). */
export { teamsHighContrastTheme, webDarkTheme } from '@fluentui/react-components';
