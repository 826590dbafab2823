/**
 * "Why?": the decision's trace step by step, each step a plain question with what the rules found in
 * plain sentences (traceWords.ts). The lines as the rules wrote them (ids, Message-IDs) stay in a
 * collapsed "Details for support" list at the end. Everything comes from the email and the CRM: text only.
 * The trace words are a chunk of their own (traceStrings.ts): "Loading…" until they come; if even
 * English cannot load, the lines as written, which still answer the question for support.
 */
import {
  Body1,
  Button,
  Caption1,
  makeStyles,
  mergeClasses,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { traceSteps, type RecordNames } from '../../app/traceWords';
import { useTraceWords } from '../../i18n/traceStrings';
import type { Decision } from '../../rules/decide';
import { useDiagnosticsPanelStyles } from './diagnosticsPanelStyles';
import { usePaneStrings } from '../strings';

const useStyles = makeStyles({
  // Record names and Message-IDs are long unbroken text.
  wrap: { overflowWrap: 'anywhere' },
  steps: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    display: 'grid',
    gap: tokens.spacingVerticalS,
  },
  stepTitle: { ...typographyStyles.body1Strong, margin: 0 },
  sentences: { margin: 0, paddingInlineStart: tokens.spacingHorizontalM },
  support: { marginBlockStart: tokens.spacingVerticalXXS },
  close: { alignSelf: 'flex-start' },
});

export interface WhyViewProps {
  readonly decision: Decision | null;
  /** Names of the records the decision mentions, by `type:id` (ItemState.names). */
  readonly names?: RecordNames;
  readonly onClose: () => void;
}

export function WhyView({ decision, names = {}, onClose }: WhyViewProps) {
  const styles = useStyles();
  const panel = useDiagnosticsPanelStyles();
  const { t, language } = usePaneStrings();
  const words = useTraceWords(language);
  const steps = decision && words.state === 'ready' ? traceSteps(decision.trace, words.strings.t, names) : [];
  return (
    <section
      id="diagnostics-why"
      className={mergeClasses(panel.root, styles.wrap)}
      aria-labelledby="why-title"
      data-testid="why-view"
    >
      <h3 id="why-title" className={panel.title}>
        {t('diagnostics.whyTitle')}
      </h3>
      <Caption1 className={panel.muted}>
        {decision ? t('diagnostics.whyIntro') : t('diagnostics.whyNoDecision')}
      </Caption1>
      {decision && words.state === 'loading' && (
        <Body1 data-testid="why-loading">{t('common.loading')}</Body1>
      )}
      {decision && words.state === 'failed' && (
        <ol className={styles.sentences} data-testid="why-details">
          {decision.trace.map((line, i) => (
            <li key={i}>
              <Body1>{line}</Body1>
            </li>
          ))}
        </ol>
      )}
      {steps.length > 0 && (
        <ol className={styles.steps}>
          {steps.map((step, i) => (
            <li key={i} data-testid="why-step" data-step={step.step}>
              <h4 className={styles.stepTitle}>{step.title}</h4>
              <ul className={styles.sentences}>
                {step.sentences.map((sentence, j) => (
                  <li key={j} data-testid="why-sentence" data-recognised={String(sentence.recognised)}>
                    <Body1>{sentence.text}</Body1>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {steps.length > 0 && words.state === 'ready' && (
        <details className={styles.support}>
          <summary>
            <Caption1 className={panel.muted}>{words.strings.t('trace.details')}</Caption1>
          </summary>
          <ol className={styles.sentences} data-testid="why-details">
            {steps
              .flatMap((step) => step.sentences)
              .map((sentence, i) => (
                <li key={i}>
                  <Caption1 className={panel.muted}>{sentence.details}</Caption1>
                </li>
              ))}
          </ol>
        </details>
      )}
      <Button className={styles.close} size="small" onClick={onClose}>
        {t('diagnostics.whyClose')}
      </Button>
    </section>
  );
}
