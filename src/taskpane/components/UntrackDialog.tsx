/**
 * Confirmation before untracking: the activity is deleted from the CRM. Focus starts on "Keep
 * tracked"; when the control that opened it is gone once it closes, the item card takes focus once
 * the action ends (ConfirmDialog says why the dialog is a native one).
 */
import { TRACKED_CATEGORY } from '../../rules/backgroundCycle';
import { ConfirmDialog } from './ConfirmDialog';

export interface UntrackDialogProps {
  readonly open: boolean;
  readonly subject: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function UntrackDialog({ open, subject, onConfirm, onCancel }: UntrackDialogProps) {
  return (
    <ConfirmDialog
      open={open}
      title="Untrack this email?"
      confirmLabel="Untrack"
      cancelLabel="Keep tracked"
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      “{subject.trim() === '' ? '(no subject)' : subject}” will be deleted from the CRM and the “
      {TRACKED_CATEGORY}” category removed from it in Outlook. You can track it again later.
    </ConfirmDialog>
  );
}
