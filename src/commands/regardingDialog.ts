/**
 * Opens the Set Regarding dialog (regarding.html, an Office dialog) and resolves with the record the
 * user chose, or null when the dialog was closed. The dialog searches the CRM itself; the CRM URL
 * and the recent records are passed in the dialog's address (no secrets; tokens are never passed).
 */
import type { DiagnosticsLog } from '../app/ports';
import { fromStoredRecent, RECENT_VERSION, toStoredRecent, type RecentRecord } from '../app/recentRecords';
import type { RecordRef } from '../rules/types';

/** The message regarding.html sends with messageParent. */
export interface RegardingChoice {
  readonly type: string;
  readonly id: string;
  readonly name: string;
}

/** The message regarding.html sends when the user pressed Escape: a dialog cannot close itself. */
export const DIALOG_CANCEL = JSON.stringify({ cancel: true });

/** The address parameter that carries the recent records to the dialog (it cannot read roaming settings). */
export const RECENT_PARAM = 'recent';
/**
 * The dialog's address stays within this many characters: the oldest recent records go first. Old
 * webviews refuse longer addresses (Internet Explorer's 2,083), and the list is only a convenience.
 */
export const DIALOG_URL_MAX = 2000;

/** The dialog's address: the CRM URL (no secret; tokens are never passed) and the recent records. */
export function dialogUrl(base: string, crmUrl: string, recent: readonly RecentRecord[]): string {
  const page = new URL('regarding.html', base);
  page.searchParams.set('crm', crmUrl);
  const rows = [...toStoredRecent(recent).r];
  while (rows.length > 0) {
    page.searchParams.set(RECENT_PARAM, JSON.stringify({ v: RECENT_VERSION, r: rows }));
    if (page.toString().length <= DIALOG_URL_MAX) return page.toString();
    rows.pop();
  }
  page.searchParams.delete(RECENT_PARAM);
  return page.toString();
}

/** The recent records the launcher put in the address; a list that cannot be read is none (logged). */
export function recentFromParam(param: string | null, log: DiagnosticsLog): RecentRecord[] {
  if (!param) return [];
  try {
    return fromStoredRecent(JSON.parse(param));
  } catch (error) {
    // Only a convenience: the search works without it, and the log keeps what came.
    log.log(`The Set Regarding dialog got recent records it cannot read: ${param.slice(0, 200)}`, error);
    return [];
  }
}

/** A chosen record, with the name the dialog showed (for the user's notification, never for the CRM). */
export type ChosenRecord = RecordRef & { readonly name: string | null };

/** Office's DialogEventReceived code when the user closed the dialog (the X): a choice of none. */
export const DIALOG_CLOSED_BY_USER = 12006;

export function parseRegardingChoice(message: string, log: DiagnosticsLog): ChosenRecord | null {
  try {
    const value = JSON.parse(message) as Partial<RegardingChoice> & { cancel?: unknown };
    if (value.cancel === true) return null; // Escape: the same as closing the dialog
    if (typeof value.type === 'string' && typeof value.id === 'string')
      return { type: value.type, id: value.id, name: typeof value.name === 'string' ? value.name : null };
    log.log(`The Set Regarding dialog sent a message without a record: ${message.slice(0, 200)}`);
    return null;
  } catch (error) {
    // Only our own page sends messages, so this is a bug; the user sees "no regarding record was
    // chosen" and can try again, which is the truth of what happened.
    log.log(`The Set Regarding dialog sent a message that is not JSON: ${message.slice(0, 200)}`, error);
    return null;
  }
}

/**
 * `recent`: the records chosen lately (newest first), offered before the user types; the caller
 * keeps the list and adds the choice to it (`rememberRecent`).
 */
export function chooseRegarding(
  office: typeof Office,
  crmUrl: string,
  log: DiagnosticsLog,
  recent: readonly RecentRecord[] = [],
): Promise<ChosenRecord | null> {
  const page = dialogUrl(window.location.href, crmUrl, recent);
  return new Promise((resolve, reject) => {
    office.context.ui.displayDialogAsync(page, { height: 60, width: 40, displayInIframe: true }, (result) => {
      if (result.status !== office.AsyncResultStatus.Succeeded) {
        reject(new Error(`The Set Regarding dialog could not open: ${result.error.message}`));
        return;
      }
      const dialog = result.value;
      dialog.addEventHandler(office.EventType.DialogMessageReceived, (arg) => {
        const message = (arg as { message?: string }).message ?? '';
        dialog.close();
        resolve(parseRegardingChoice(message, log));
      });
      dialog.addEventHandler(office.EventType.DialogEventReceived, (arg) => {
        const code = (arg as { error?: number }).error;
        // Closed by the user: no choice. Anything else (the page failed to load): no choice either,
        // which is what the user is told, and the log says why.
        if (code !== DIALOG_CLOSED_BY_USER)
          log.log(`The Set Regarding dialog ended with Office code ${code}.`);
        resolve(null);
      });
    });
  });
}
