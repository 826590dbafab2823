/** The last run and the next one, as the status panels of the Synchronization and Background tabs show them. */
import { useStatusPanelStyles } from './statusPanelStyles';

export interface LastAndNextRunProps {
  readonly lastTerm: string;
  readonly lastText: string;
  readonly nextTerm: string;
  readonly nextText: string;
  /** `sync` or `background`: the test ids are `<prefix>-last` and `<prefix>-next`. */
  readonly testIdPrefix: string;
}

export function LastAndNextRun({
  lastTerm,
  lastText,
  nextTerm,
  nextText,
  testIdPrefix,
}: LastAndNextRunProps) {
  const styles = useStatusPanelStyles();
  return (
    <dl className={styles.facts}>
      <div>
        <dt className={styles.term}>{lastTerm}</dt>
        <dd className={styles.detail} data-testid={`${testIdPrefix}-last`}>
          {lastText}
        </dd>
      </div>
      <div>
        <dt className={styles.term}>{nextTerm}</dt>
        <dd className={styles.detail} data-testid={`${testIdPrefix}-next`}>
          {nextText}
        </dd>
      </div>
    </dl>
  );
}
