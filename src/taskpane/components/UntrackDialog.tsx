/** Confirmation before untracking: the activity is deleted from the CRM. */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';

export interface UntrackDialogProps {
  readonly open: boolean;
  readonly subject: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function UntrackDialog({ open, subject, onConfirm, onCancel }: UntrackDialogProps) {
  return (
    <Dialog open={open} onOpenChange={(_, data) => !data.open && onCancel()} modalType="modal">
      <DialogSurface aria-describedby="untrack-text">
        <DialogBody>
          <DialogTitle>Untrack this email?</DialogTitle>
          <DialogContent id="untrack-text">
            “{subject.trim() === '' ? '(no subject)' : subject}” will be deleted from the CRM and its Tracked
            category removed in Outlook. You can track it again later.
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm}>
              Untrack
            </Button>
            <Button appearance="secondary" onClick={onCancel}>
              Keep tracked
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
