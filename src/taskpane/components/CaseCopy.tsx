/**
 * "Copy as a case": the current item as a case `track-in-crm explain` reads, addresses masked unless
 * the user turns that off. The clipboard may refuse (no permission, an Outlook host that blocks it):
 * then the case is shown in a text area to copy by hand, so the user is never left without it.
 */
import { useRef, useState } from 'react';
import { Button, Caption1, Checkbox, makeStyles, tokens } from '@fluentui/react-components';
import type { Session } from '../../app/session';
import type { Decision } from '../../rules/decide';
import { caseText, currentItemCase } from '../controller/diagnosticsCase';
import { useDiagnosticsPanelStyles } from './diagnosticsPanelStyles';
import { usePaneStrings } from '../strings';

const useStyles = makeStyles({
  text: {
    width: '100%',
    minHeight: '8em',
    boxSizing: 'border-box',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
  },
  button: { alignSelf: 'flex-start' },
});

type Outcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'building' }
  | { readonly kind: 'copied' }
  | { readonly kind: 'refused'; readonly text: string }
  | { readonly kind: 'failed'; readonly error: string };

export interface CaseCopyProps {
  readonly state: { readonly decision: Decision; readonly activityId: string | null };
  readonly session: () => Session | null;
  /** The clipboard (tests give their own); navigator.clipboard by default. */
  readonly clipboard?: Pick<Clipboard, 'writeText'> | null;
}

const defaultClipboard = (): Pick<Clipboard, 'writeText'> | null =>
  typeof navigator !== 'undefined' && navigator.clipboard ? navigator.clipboard : null;

export function CaseCopy({ state, session, clipboard = defaultClipboard() }: CaseCopyProps) {
  const styles = useStyles();
  const panel = useDiagnosticsPanelStyles();
  const { t } = usePaneStrings();
  const [mask, setMask] = useState(true);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const area = useRef<HTMLTextAreaElement>(null);

  const copy = async () => {
    const open = session();
    if (!open) return;
    setOutcome({ kind: 'building' });
    let text: string;
    try {
      text = caseText(await currentItemCase(open, state, { mask }));
    } catch (error) {
      setOutcome({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
      return;
    }
    try {
      if (!clipboard) throw new Error('no clipboard');
      await clipboard.writeText(text);
      setOutcome({ kind: 'copied' });
    } catch {
      setOutcome({ kind: 'refused', text });
      // Selected, so Ctrl+C is all that is left to do.
      setTimeout(() => area.current?.select(), 0);
    }
  };

  return (
    <section
      id="diagnostics-case"
      className={panel.root}
      aria-labelledby="case-title"
      data-testid="case-copy"
    >
      <h3 id="case-title" className={panel.title}>
        {t('diagnostics.caseButton')}
      </h3>
      <Checkbox
        checked={mask}
        onChange={(_event, data) => setMask(data.checked === true)}
        label={t('diagnostics.caseMask')}
        data-testid="case-mask"
      />
      <Caption1 className={panel.muted}>{t('diagnostics.caseMaskHint')}</Caption1>
      <Button
        className={styles.button}
        appearance="primary"
        size="small"
        disabled={outcome.kind === 'building'}
        onClick={() => void copy()}
        data-testid="case-copy-button"
      >
        {t('diagnostics.caseButton')}
      </Button>
      <div role="status" data-testid="case-status">
        {outcome.kind === 'building' && t('diagnostics.caseBuilding')}
        {outcome.kind === 'copied' && t('diagnostics.caseCopied')}
        {outcome.kind === 'refused' && t('diagnostics.caseRefused')}
        {outcome.kind === 'failed' && t('diagnostics.caseFailed', { error: outcome.error })}
      </div>
      {outcome.kind === 'refused' && (
        <label>
          <Caption1>{t('diagnostics.caseText')}</Caption1>
          <textarea
            ref={area}
            className={styles.text}
            readOnly
            value={outcome.text}
            data-testid="case-text"
          />
        </label>
      )}
    </section>
  );
}
