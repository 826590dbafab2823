/**
 * The item card's status: its words with a dot coloured by meaning before them. One element says the
 * status once (a separate badge repeated the heading: "Not tracked" twice); the words carry the
 * meaning, the colour only adds to it, and the words keep the text colour for contrast.
 */
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

export type BadgeTone = 'success' | 'warning' | 'danger' | 'informative' | 'subtle' | 'brand';

const useStyles = makeStyles({
  root: { display: 'inline-flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, minWidth: 0 },
  dot: {
    flexShrink: 0,
    width: '10px',
    height: '10px',
    borderRadius: tokens.borderRadiusCircular,
    border: `${tokens.strokeWidthThin} solid transparent`,
    boxSizing: 'border-box',
  },
  success: { backgroundColor: tokens.colorStatusSuccessBackground3 },
  warning: { backgroundColor: tokens.colorStatusWarningBackground3 },
  danger: { backgroundColor: tokens.colorStatusDangerBackground3 },
  informative: { backgroundColor: tokens.colorNeutralForeground3 },
  subtle: {
    backgroundColor: 'transparent',
    border: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStrokeAccessible}`,
  },
  brand: { backgroundColor: tokens.colorBrandBackground },
});

export function StatusBadge({ tone, children }: { readonly tone: BadgeTone; readonly children: string }) {
  const styles = useStyles();
  return (
    <span className={styles.root} data-tone={tone}>
      <span className={mergeClasses(styles.dot, styles[tone])} aria-hidden="true" />
      <span>{children}</span>
    </span>
  );
}
