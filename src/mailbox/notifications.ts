/** Notification bar messages on the current item (Mailbox 1.3). */
import { officeCall } from './officeAsync';

/** Outlook's limits: a key of at most 32 characters, a message of at most 150. */
export const MAX_KEY_LENGTH = 32;
export const MAX_MESSAGE_LENGTH = 150;
/** The icon resource the manifest declares for informational messages. */
export const NOTIFICATION_ICON = 'Icon.16x16';

/** Show (or replace) an informational message on the current item. */
export async function showInformation(key: string, message: string): Promise<void> {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new RangeError(`Notification key must be 1 to ${MAX_KEY_LENGTH} characters: "${key}"`);
  }
  if (message.length === 0 || message.length > MAX_MESSAGE_LENGTH) {
    throw new RangeError(
      `Notification message must be 1 to ${MAX_MESSAGE_LENGTH} characters (got ${message.length})`,
    );
  }
  const item = typeof Office === 'undefined' ? undefined : Office.context?.mailbox?.item;
  if (!item) throw new Error('No current item to show a notification on.');
  await officeCall<void>('Showing a notification', (cb) =>
    item.notificationMessages.replaceAsync(
      key,
      {
        type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
        message,
        icon: NOTIFICATION_ICON,
        persistent: false,
      },
      cb,
    ),
  );
}
