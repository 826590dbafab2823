/** Save, discard, and what the last save did, in words: a 403 names the privilege, a 412 offers to read again. */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import type { AdminActions, SaveOutcome } from '../adminController';
import { useAdminStrings } from '../strings';

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
