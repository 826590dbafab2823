/**
 * The pane's way to the admin page (admin.html): an Office dialog where the Dialog API is there, a
 * browser tab otherwise. Kept here so that src/mailbox stays the only room that calls Office.js.
 *
 * Not in an iframe (chosen): the page signs in with MSAL, whose popup an iframed dialog in Outlook on
 * the web may not open; a dialog window is a top-level page. Refused dialogs (12007: another one is
 * open; a host without the API) fall back to a tab, so the link always leads somewhere.
 */
export type AdminPageOpened = 'dialog' | 'window';

const DIALOG_API = 'DialogApi';

export function openAdminPage(
  office: typeof Office,
  url: string,
  openWindow: (url: string) => void = (address) => void window.open(address, '_blank', 'noopener'),
): Promise<AdminPageOpened> {
  const supported = office.context.requirements?.isSetSupported(DIALOG_API, '1.1') ?? false;
  if (!supported) {
    openWindow(url);
    return Promise.resolve('window');
  }
  return new Promise((resolve) => {
    // Percentages of the screen (Office's units); the page's tables need the room (chosen).
    office.context.ui.displayDialogAsync(url, { height: 80, width: 60, displayInIframe: false }, (result) => {
      if (result.status === office.AsyncResultStatus.Succeeded) {
        resolve('dialog');
        return;
      }
      openWindow(url);
      resolve('window');
    });
  });
}
