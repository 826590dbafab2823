/**
 * The look the status panels of the Synchronization and Background tabs share (a heading, the last and
 * next run, a table of counts, the run-now button), so the two tabs read alike. The table cells' padding
 * stays each panel's own: the synchronization table has three columns to fit in a 320 px pane.
 */
import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';

export const useStatusPanelStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { ...typographyStyles.subtitle2, margin: 0 },
  facts: { margin: 0, display: 'grid', gap: tokens.spacingVerticalXS, overflowWrap: 'anywhere' },
  term: { fontWeight: tokens.fontWeightSemibold },
  detail: { margin: 0 },
  table: { borderCollapse: 'collapse', fontFamily: tokens.fontFamilyBase, fontSize: tokens.fontSizeBase200 },
  label: {
    textAlign: 'start',
    fontWeight: tokens.fontWeightRegular,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
});
