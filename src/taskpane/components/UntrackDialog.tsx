/**
 * Confirmation before untracking: the activity is deleted from the CRM. Focus starts on "Keep
 * tracked"; when the control that opened it is gone once it closes, the item card takes focus once
 * the action ends (ConfirmDialog says why the dialog is a native one).
 */
import { TRACKED_CATEGORY } from '../../rules/backgroundCycle';
import { usePaneStrings } from '../strings';
import { ConfirmDialog } from './ConfirmDialog';

export interface UntrackDialogProps {
  readonly open: boolean;
  readonly subject: string;
  /** A meeting is untracked as a CRM appointment, not an email. */
  readonly meeting?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function UntrackDialog({ open, subject, meeting = false, onConfirm, onCancel }: UntrackDialogProps) {
  const { t } = usePaneStrings();
  const words = {
    subject: subject.trim() === '' ? t('common.noSubject') : subject,
    category: TRACKED_CATEGORY,
  };
  return (
    <ConfirmDialog
      open={open}
      title={t(meeting ? 'item.untrackMeetingTitle' : 'item.untrackEmailTitle')}
      confirmLabel={t('item.untrack')}
      cancelLabel={t('item.keepTracked')}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {t(meeting ? 'item.untrackMeetingText' : 'item.untrackEmailText', words)}
    </ConfirmDialog>
  );
}
