/**
 * The hint of an option the organization locks: the reason in plain words, then, smaller, the setting
 * behind it (for an administrator). Both are in the hint the control is described by.
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import type { LockReason } from '../../rules/effectiveSettings';
import { usePaneStrings } from '../strings';

const useStyles = makeStyles({
  setting: {
    display: 'block',
    fontSize: tokens.fontSizeBase100,
    lineHeight: tokens.lineHeightBase100,
    color: tokens.colorNeutralForeground3,
    // Setting names are long single words (allowofflinescheduledsyncs): break them in a 320 px pane.
    overflowWrap: 'anywhere',
  },
});

export function LockHint({ reason }: { readonly reason: LockReason }) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  return (
    <>
      <span>{t('common.locked', { reason: reason.text })}</span>
      <span className={styles.setting} data-testid="lock-setting">
        {t('common.setting', { setting: reason.setting })}
      </span>
    </>
  );
}
