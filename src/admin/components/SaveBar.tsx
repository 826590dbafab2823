/** Save, discard, and what the last save did, in words: a 403 names the privilege, a 412 offers to read again. */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import type { AdminActions, SaveOutcome } from '../adminController';
import type { Difference } from '../adminModel';
import { crmFieldLabel, entityLabel } from '../fieldWords';
import { settingMessage, useAdminStrings, type AdminStrings } from '../strings';

/** A setting that is not as typed after a lost answer, by its label; a mapping by record type and field. */
function differenceText(t: AdminStrings['t'], difference: Difference): string {
  if (difference.kind === 'setting') return t(settingMessage('label', difference.definition.name));
  const { mapping } = difference;
  return t('admin.differenceMapping', {
    entity: entityLabel(t, mapping.entity),
    field: crmFieldLabel(t, mapping),
  });
}

export interface SaveBarProps {
  readonly changes: number;
  readonly saving: boolean;
  readonly outcome: SaveOutcome | null;
  readonly actions: AdminActions;
}

export function SaveBar({ changes, saving, outcome, actions }: SaveBarProps) {
  const { t } = useAdminStrings();
  const message = (() => {
    if (!outcome) return null;
    switch (outcome.kind) {
      case 'saved':
        return { intent: 'success' as const, text: t('admin.saved') };
      case 'savedAnswerLost':
        return { intent: 'success' as const, text: t('admin.savedAnswerLost') };
      case 'differsAnswerLost': {
        const settings = outcome.differences
          .map((d) => differenceText(t, d))
          .join(t('admin.differenceSeparator'));
        return {
          intent: 'warning' as const,
          text: t('admin.differsAnswerLost', { detail: outcome.detail, settings }),
        };
      }
      case 'unknownAnswerLost':
        // No "Read again" here: it would discard the draft; saving again settles it (a 412 is compared too).
        return { intent: 'warning' as const, text: t('admin.unknownAnswerLost', { detail: outcome.detail }) };
      case 'invalid':
        return { intent: 'error' as const, text: t('admin.invalid') };
      case 'forbidden':
        return { intent: 'error' as const, text: t('admin.forbidden', { detail: outcome.detail }) };
      case 'conflict':
        return { intent: 'warning' as const, text: t('admin.conflict'), reload: true };
      case 'refused':
        return { intent: 'error' as const, text: t('admin.refused', { detail: outcome.detail }) };
      case 'failed':
        return { intent: 'error' as const, text: t('admin.saveFailed', { detail: outcome.detail }) };
    }
  })();
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8, margin: '16px 0' }}>
      <div role="status" aria-live="polite" data-testid="admin-outcome">
        {message ? (
          <MessageBar intent={message.intent}>
            <MessageBarBody>{message.text}</MessageBarBody>
            {'reload' in message ? (
              <MessageBarActions>
                <Button onClick={() => void actions.reload()}>{t('admin.reload')}</Button>
              </MessageBarActions>
            ) : null}
          </MessageBar>
        ) : null}
      </div>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <Button appearance="primary" disabled={saving || changes === 0} onClick={() => void actions.save()}>
          {t(saving ? 'admin.saving' : 'admin.save')}
        </Button>
        <Button disabled={saving || changes === 0} onClick={() => actions.discard()}>
          {t('admin.discard')}
        </Button>
        <span data-testid="admin-unsaved">{changes > 0 ? t('admin.unsaved', { count: changes }) : null}</span>
      </div>
    </div>
  );
}
