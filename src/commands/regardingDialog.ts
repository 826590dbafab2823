/**
 * Opens the Set Regarding dialog (regarding.html, an Office dialog) and resolves with the record the
 * user chose, or null when the dialog was closed. The dialog searches the CRM itself; the CRM URL
 * is passed in the dialog's address (it is no secret; tokens are never passed).
 */
import type { RecordRef } from '../rules/types';

/** The message regarding.html sends with messageParent. */
export interface RegardingChoice {
  readonly type: string;
  readonly id: string;
  readonly name: string;
}

export function parseRegardingChoice(message: string): RecordRef | null {
  try {
    const value = JSON.parse(message) as Partial<RegardingChoice>;
    return typeof value.type === 'string' && typeof value.id === 'string'
      ? { type: value.type, id: value.id }
      : null;
  } catch {
    return null;
  }
}

export function chooseRegarding(office: typeof Office, crmUrl: string): Promise<RecordRef | null> {
  const page = new URL('regarding.html', window.location.href);
  page.searchParams.set('crm', crmUrl);
  return new Promise((resolve, reject) => {
    office.context.ui.displayDialogAsync(
      page.toString(),
      { height: 60, width: 40, displayInIframe: true },
      (result) => {
        if (result.status !== office.AsyncResultStatus.Succeeded) {
          reject(new Error(`The Set Regarding dialog could not open: ${result.error.message}`));
          return;
        }
        const dialog = result.value;
        dialog.addEventHandler(office.EventType.DialogMessageReceived, (arg) => {
          const message = (arg as { message?: string }).message ?? '';
          dialog.close();
          resolve(parseRegardingChoice(message));
        });
        // Closed by the user (12006) or failed to load: no choice.
        dialog.addEventHandler(office.EventType.DialogEventReceived, () => resolve(null));
      },
    );
  });
}
