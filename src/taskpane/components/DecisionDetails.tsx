/**
 * One background action's decision in full (tracking.md §6): the reason with its code, the
 * correlation, the regarding record, who the sender and recipients are in the CRM, and the trace of
 * the rules' steps. Every value comes from an email or the CRM: rendered as text only.
 */
import { Caption1, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import type { BackgroundActionRecord } from '../../app/backgroundStatus';
import type { CorrelationMethod } from '../../rules/correlation';
import { actionReasonText, type ReasonWords } from '../controller/backgroundWords';
import type { ComponentType } from 'react';
import type { PartyListProps } from './PartyList';
import type { RegardingLineProps } from './RegardingLine';
import { usePaneStrings, type PaneKey } from '../strings';

/**
 * The item card's parts a decision is shown with, handed in by the pane: this view is a chunk, and a
 * chunk importing a module of the pane's first JavaScript makes webpack keep that module apart there.
 */
export interface DecisionParts {
  readonly PartyList: ComponentType<PartyListProps>;
  readonly RegardingLine: ComponentType<RegardingLineProps>;
}

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowWrap: 'anywhere',
    minWidth: 0,
  },
  title: { ...typographyStyles.caption1Strong, margin: 0 },
  line: { margin: 0 },
  trace: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'grid', gap: '2px' },
});

const CORRELATION_KEYS: Readonly<Record<CorrelationMethod, PaneKey>> = {
  InReplyTo: 'diagnostics.decisionCorrelatedInReplyTo',
  TrackingToken: 'diagnostics.decisionCorrelatedTrackingToken',
  ConversationIndex: 'diagnostics.decisionCorrelatedConversationIndex',
  SmartMatching: 'diagnostics.decisionCorrelatedSmartMatching',
};

export interface DecisionDetailsProps {
  readonly action: BackgroundActionRecord;
  readonly crmUrl: string;
  readonly id: string;
  readonly reasonWords: ReasonWords;
  readonly parts: DecisionParts;
}

export function DecisionDetails({ action, crmUrl, id, reasonWords, parts }: DecisionDetailsProps) {
  const { PartyList, RegardingLine } = parts;
  const styles = useStyles();
  const { t } = usePaneStrings();
  const decision = action.decision;
  const reason = actionReasonText(action, reasonWords);
  return (
    <div
      className={styles.root}
      id={id}
      data-testid="background-decision"
      role="region"
      aria-label={t('diagnostics.decisionLabel')}
    >
      <Caption1 as="p" className={styles.line}>
        {action.code === null
          ? t('diagnostics.decisionReason', { reason, name: action.reason })
          : t('diagnostics.decisionReasonCode', { reason, name: action.reason, code: action.code })}
      </Caption1>
      {action.activityId && (
        <Caption1 as="p" className={styles.line}>
          {t('diagnostics.decisionActivity', { id: action.activityId })}
        </Caption1>
      )}
      {action.error && (
        <Caption1 as="p" className={styles.line}>
          {t('diagnostics.decisionFailed', { error: action.error })}
        </Caption1>
      )}
      {!decision ? (
        <Caption1 as="p" className={styles.line}>
          {t('diagnostics.decisionNotNeeded')}
        </Caption1>
      ) : (
        <>
          {decision.correlation && (
            <Caption1 as="p" className={styles.line}>
              {t(CORRELATION_KEYS[decision.correlation.method], { id: decision.correlation.activityId })}
            </Caption1>
          )}
          <RegardingLine regarding={decision.regarding} names={{}} crmUrl={crmUrl} />
          <PartyList decision={decision} names={{}} senderAddress={action.from} />
          {decision.trace.length > 0 && (
            <>
              <Caption1 as="h4" className={styles.title}>
                {t('diagnostics.decisionHow')}
              </Caption1>
              <ol className={styles.trace} aria-label={t('diagnostics.decisionHow')}>
                {decision.trace.map((line, i) => (
                  <li key={i}>
                    <Caption1>{line}</Caption1>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </div>
  );
}
