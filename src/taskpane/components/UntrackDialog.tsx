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
  /** A meeting is untracked as a CRM appointment, not an email. */
  readonly meeting?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function UntrackDialog({ open, subject, meeting = false, onConfirm, onCancel }: UntrackDialogProps) {
  return (
    <ConfirmDialog
      open={open}
      title={meeting ? 'Untrack this meeting?' : 'Untrack this email?'}
      confirmLabel="Untrack"
      cancelLabel="Keep tracked"
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      “{subject.trim() === '' ? '(no subject)' : subject}” will be deleted from the CRM
      {meeting ? ' (its appointment there)' : ''} and the “{TRACKED_CATEGORY}” category removed from it in
      Outlook. You can track it again later.
    </ConfirmDialog>
  );
}
