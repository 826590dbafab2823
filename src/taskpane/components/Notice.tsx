/** A plain message strip (warning or error) for the pane's first screen, in Fluent's status colours. */
import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: {
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    wordBreak: 'break-word',
    overflowWrap: 'anywhere',
    margin: 0,
  },
  warning: {
    backgroundColor: tokens.colorStatusWarningBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusWarningBorder1}`,
    color: tokens.colorNeutralForeground1,
  },
  error: {
    backgroundColor: tokens.colorStatusDangerBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusDangerBorder1}`,
    color: tokens.colorNeutralForeground1,
  },
});

export function Notice({
  intent,
  children,
  testId,
}: {
  readonly intent: 'warning' | 'error';
  readonly children: ReactNode;
  readonly testId?: string;
}) {
  const styles = useStyles();
  return (
    <p className={mergeClasses(styles.root, styles[intent])} data-intent={intent} data-testid={testId}>
      {children}
    </p>
  );
}
