/**
 * "Why?": the decision's trace step by step, each step a plain question with what the rules found.
 * The details come from the email and the CRM (ids, Message-IDs): rendered as text only.
 */
import { Body1, Button, Caption1, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import type { Decision } from '../../rules/decide';
import { whySteps } from '../controller/diagnosticsWhy';
import { usePaneStrings } from '../strings';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    overflowWrap: 'anywhere',
    minWidth: 0,
  },
  title: { ...typographyStyles.subtitle2, margin: 0 },
  steps: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    display: 'grid',
    gap: tokens.spacingVerticalS,
  },
  stepTitle: { ...typographyStyles.body1Strong, margin: 0 },
  details: { margin: 0, paddingInlineStart: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
  close: { alignSelf: 'flex-start' },
});

export interface WhyViewProps {
  readonly decision: Decision | null;
  readonly onClose: () => void;
}

export function WhyView({ decision, onClose }: WhyViewProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const steps = decision ? whySteps(decision.trace, t) : [];
  return (
    <section id="diagnostics-why" className={styles.root} aria-labelledby="why-title" data-testid="why-view">
      <h3 id="why-title" className={styles.title}>
        {t('diagnostics.whyTitle')}
      </h3>
      <Caption1 className={styles.muted}>
        {decision ? t('diagnostics.whyIntro') : t('diagnostics.whyNoDecision')}
      </Caption1>
      {steps.length > 0 && (
        <ol className={styles.steps}>
          {steps.map((step, i) => (
            <li key={i} data-testid="why-step" data-step={step.id}>
              <h4 className={styles.stepTitle}>{step.title}</h4>
              {step.rule && (
                <Caption1 className={styles.muted}>{t('diagnostics.whyRule', { rule: step.rule })}</Caption1>
              )}
              <ul className={styles.details}>
                {step.details.map((detail, j) => (
                  <li key={j}>
                    <Body1>{detail}</Body1>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      <Button className={styles.close} size="small" onClick={onClose}>
        {t('diagnostics.whyClose')}
      </Button>
    </section>
  );
}
