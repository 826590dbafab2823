/**
 * The dialog page's one Office call: its answer to the page that opened it. Kept here so that
 * src/mailbox stays the only room that calls Office.js.
 */
export function messageParent(office: typeof Office, message: string): void {
  office.context.ui.messageParent(message);
}
