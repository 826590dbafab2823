/**
 * Confirmation before an action that loses something (untracking an email, removing a folder
 * tracking rule).
 *
 * A native modal <dialog>, not Fluent's Dialog. The browser makes the rest of the pane inert while it is
 * open and lifts that as soon as it closes or leaves the page. Fluent's Dialog hides the pane with
 * aria-hidden through Tabster instead, and the pane renders this dialog only while confirming: removed
 * while open, the last Tabster user disposes Tabster before its delayed un-hide runs, and the whole pane
 * stayed aria-hidden after the dialog was gone (microsoft/tabster#530). It also saves the pane's
 * chunks the Tabster and motion code.
 *
 * Focus starts on the cancel button (the action that loses nothing) and goes back to the control that
 * opened the dialog when it closes; when that control is gone or disabled (the action is running),
 * the caller moves focus once the action ends.
 */
import { useId, useLayoutEffect, useRef, type ReactNode, type SyntheticEvent } from 'react';
import { Button, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';

const useStyles = makeStyles({
  dialog: {
    boxSizing: 'border-box',
    width: `min(420px, calc(100vw - 2 * ${tokens.spacingHorizontalL}))`,
    maxWidth: '100vw',
    padding: tokens.spacingHorizontalXL,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
    borderRadius: tokens.borderRadiusXLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    boxShadow: tokens.shadow64,
    fontFamily: tokens.fontFamilyBase,
    overflowWrap: 'anywhere',
    // ::backdrop does not see the provider's CSS variables in every browser: Fluent's overlay colour.
    '::backdrop': { backgroundColor: 'rgba(0, 0, 0, 0.4)' },
  },
  title: { ...typographyStyles.subtitle1, margin: `0 0 ${tokens.spacingVerticalS}` },
  text: { ...typographyStyles.body1, margin: `0 0 ${tokens.spacingVerticalL}` },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, justifyContent: 'flex-end' },
});

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  /** What the action does, in a sentence (untrusted text inside it rendered as text by the caller). */
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly cancelLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/** Focus back on `opener` when the closing dialog held it or it fell to the page. */
function restoreFocus(dialog: HTMLDialogElement, opener: HTMLElement | null): void {
  const active = dialog.ownerDocument.activeElement;
  const lost = !active || active === dialog.ownerDocument.body || dialog.contains(active);
  if (lost && opener?.isConnected) opener.focus();
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const styles = useStyles();
  const titleId = useId();
  const textId = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  // The dialog is modal from the commit that shows it, before the browser paints or a key is pressed.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return undefined;
    const active = dialog.ownerDocument.activeElement;
    const opener = active instanceof HTMLElement && active !== dialog.ownerDocument.body ? active : null;
    if (!dialog.open) dialog.showModal();
    keep.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      restoreFocus(dialog, opener);
    };
  }, [open]);
  if (!open) return null;
  // Escape: the pane's state decides, so the browser does not close the dialog behind React's back.
  const onEscape = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault();
    onCancel();
  };
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={onEscape}
      onClose={() => onCancel()}
    >
      <h2 id={titleId} className={styles.title}>
        {title}
      </h2>
      <p id={textId} className={styles.text}>
        {children}
      </p>
      <div className={styles.actions}>
        <Button appearance="primary" onClick={onConfirm}>
          {confirmLabel}
        </Button>
        <Button appearance="secondary" ref={keep} onClick={onCancel}>
          {cancelLabel}
        </Button>
      </div>
    </dialog>
  );
}
