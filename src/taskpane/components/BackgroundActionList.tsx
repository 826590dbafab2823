/**
 * This session's background actions, newest first: the email (subject, sender, folder), what was
 * done and how it came out, and the reason in the item card's words. Each row opens its decision
 * below it (a disclosure button). Subjects and names come from email: rendered as text only.
 */
import { useState } from 'react';
import {
  Caption1,
  Caption1Strong,
  makeStyles,
  mergeClasses,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import type { BackgroundActionRecord } from '../../app/backgroundStatus';
import { actionReasonText, actionText, folderText, type ReasonWords } from '../controller/backgroundWords';
import { usePaneStrings } from '../strings';
import { DecisionDetails, type DecisionParts } from './DecisionDetails';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { ...typographyStyles.subtitle2, margin: 0 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  row: {
    appearance: 'none',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'stretch',
    width: '100%',
    textAlign: 'start',
    gap: '2px',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
    cursor: 'pointer',
    overflowWrap: 'anywhere',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '-2px',
    },
  },
  open: { border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}` },
  subject: { ...typographyStyles.body1Strong },
  muted: { color: tokens.colorNeutralForeground3 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

export interface BackgroundActionListProps {
  readonly actions: readonly BackgroundActionRecord[];
  readonly crmUrl: string;
  /** The item card's words for a decision's reason. */
  readonly reasonWords: ReasonWords;
  /** The item card's parts the decision is shown with. */
  readonly decisionParts: DecisionParts;
  /** The row open at first, by `backgroundRowKey` (tests render it without a click). */
  readonly initialOpen?: string;
}

/** One cycle gives an item one action: its time and the item name the row across new cycles. */
export const backgroundRowKey = (action: Pick<BackgroundActionRecord, 'at' | 'itemId'>): string =>
  `${action.at}:${action.itemId}`;

export function BackgroundActionList({
  actions,
  crmUrl,
  reasonWords,
  decisionParts,
  initialOpen,
}: BackgroundActionListProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  // The item card's words in the user's language, for the rows and their decisions alike.
  const reasonsInLanguage: ReasonWords = (decision) => reasonWords(decision, t);
  // Which row is open, by its key: a new cycle's rows come in above without closing it.
  const [open, setOpen] = useState<string | null>(initialOpen ?? null);
  return (
    <section className={styles.root} aria-labelledby="background-actions-heading">
      <h2 id="background-actions-heading" className={styles.heading}>
        {t('background.actionsHeading')}
      </h2>
      {actions.length === 0 ? (
        <Caption1 className={styles.muted}>{t('background.noActions')}</Caption1>
      ) : (
        <ul className={styles.list} data-testid="background-actions">
          {actions.map((action, i) => {
            const key = backgroundRowKey(action);
            const isOpen = open === key;
            const detailsId = `background-decision-${i}`;
            return (
              <li key={key} data-do={action.do} data-outcome={action.outcome}>
                <button
                  type="button"
                  className={mergeClasses(styles.row, isOpen && styles.open)}
                  aria-expanded={isOpen}
                  aria-controls={isOpen ? detailsId : undefined}
                  onClick={() => setOpen(isOpen ? null : key)}
                >
                  <span className={styles.subject}>
                    {action.subject.trim() === '' ? t('background.noSubject') : action.subject}
                  </span>
                  <Caption1 className={styles.muted}>
                    {action.from
                      ? t('background.fromLine', { from: action.from, folder: folderText(action.folder, t) })
                      : folderText(action.folder, t)}
                  </Caption1>
                  {/* What was done, then why on a line of its own: the reason's words often start
                      with the same word ("Tracked: it belongs to…") and read twice on one line. */}
                  <Caption1Strong
                    className={action.outcome === 'done' || action.error === null ? undefined : styles.failed}
                  >
                    {actionText(action.do, action.outcome, action.error, t)}
                  </Caption1Strong>
                  <Caption1>{actionReasonText(action, reasonsInLanguage, t)}</Caption1>
                </button>
                {isOpen && (
                  <DecisionDetails
                    action={action}
                    crmUrl={crmUrl}
                    id={detailsId}
                    reasonWords={reasonsInLanguage}
                    parts={decisionParts}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
