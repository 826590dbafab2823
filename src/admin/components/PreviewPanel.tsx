/** "With these settings, this email would…": a sample decided with the unsaved settings, its reason and its trace. */
import { Badge, Field, Select } from '@fluentui/react-components';
import { useMemo } from 'react';
import { traceSteps } from '../../app/traceWords';
import { useTraceWords } from '../../i18n/traceStrings';
import type { AdminActions } from '../adminController';
import { previewDecision, SAMPLE_IDS, type SampleId } from '../preview';
import { useAdminStrings, type AdminKey } from '../strings';
import type { AdminView } from './tabProps';

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

export function PreviewPanel({
  view,
  sample,
  actions,
}: {
  view: AdminView;
  sample: SampleId;
  actions: AdminActions;
}) {
  const { t, language } = useAdminStrings();
  // The trace words are a chunk of their own (traceStrings.ts), fetched when the preview first shows.
  const words = useTraceWords(language);
  const valid = view.problems.size === 0;
  const decision = useMemo(
    () => (valid ? previewDecision(sample, view.snapshot, view.draft) : null),
    [valid, sample, view.snapshot, view.draft],
  );
  return (
    <section aria-labelledby="preview-heading" data-testid="admin-preview">
      <h2 id="preview-heading">{t('admin.previewHeading')}</h2>
      <Field label={t('admin.previewSample')}>
        <Select value={sample} onChange={(_, data) => actions.chooseSample(data.value as SampleId)}>
          {SAMPLE_IDS.map((id) => (
            <option key={id} value={id}>
              {t(`admin.sample${capital(id)}` as AdminKey)}
            </option>
          ))}
        </Select>
      </Field>
      <p>{t('admin.previewIntro')}</p>
      {decision ? (
        <div data-testid="preview-result" data-track={String(decision.track)} data-reason={decision.reason}>
          <p>
            <Badge appearance="filled" color={decision.track ? 'success' : 'informative'}>
              {t(decision.track ? 'admin.previewTracked' : 'admin.previewNotTracked')}
            </Badge>{' '}
            {t(`admin.reason${decision.reason}` as AdminKey)}
          </p>
          <details>
            <summary>{t('admin.previewTrace')}</summary>
            {/* The pane's "Why?" words (traceWords.ts): the same plain steps in the page's language. */}
            {words.state === 'loading' && <p data-testid="preview-trace-loading">{t('common.loading')}</p>}
            {words.state === 'failed' && (
              <ol data-testid="preview-trace">
                {decision.trace.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ol>
            )}
            {words.state === 'ready' && (
              <ol data-testid="preview-trace">
                {traceSteps(decision.trace, words.strings.t).map((step, i) => (
                  <li key={i} data-step={step.step}>
                    <strong>{step.title}</strong>
                    <ul>
                      {step.sentences.map((sentence, j) => (
                        <li key={j} title={sentence.details}>
                          {sentence.text}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
          </details>
        </div>
      ) : (
        <p>{t('admin.previewWaits')}</p>
      )}
    </section>
  );
}
