/**
 * The current Outlook item as plain facts for the pane. Components never see `Office`: they get a
 * CurrentItem (or null) through props.
 */
import { officeCall } from './officeAsync';

export interface Sender {
  readonly name: string | null;
  readonly address: string;
}

export interface CurrentItem {
  readonly mode: 'read' | 'compose';
  readonly subject: string;
  /** The From of the item; null when it has none (for example a draft before From is known). */
  readonly sender: Sender | null;
}

/** Thrown when the page runs outside Outlook (opened in a plain browser, or another Office app). */
export class NotInOutlookError extends Error {
  constructor() {
    super('This page runs inside Outlook only: open it from the Track in CRM button in Outlook.');
    this.name = 'NotInOutlookError';
  }
}

type ReadOrCompose = Office.MessageRead | Office.MessageCompose;

function mailbox(): Office.Mailbox {
  const box = typeof Office === 'undefined' ? undefined : Office.context?.mailbox;
  if (!box) throw new NotInOutlookError();
  return box;
}

function toSender(details: Office.EmailAddressDetails | null | undefined): Sender | null {
  if (!details?.emailAddress) return null;
  return { name: details.displayName ? details.displayName : null, address: details.emailAddress };
}

/** Read the current item, or null when no item is selected (a pinned pane between items). */
export async function readCurrentItem(): Promise<CurrentItem | null> {
  const item = mailbox().item as ReadOrCompose | null | undefined;
  if (!item) return null;
  if (typeof item.subject === 'string') {
    const read = item as Office.MessageRead;
    return { mode: 'read', subject: read.subject, sender: toSender(read.from ?? read.sender) };
  }
  const compose = item as Office.MessageCompose;
  const subject = await officeCall<string>('Reading the subject', (cb) => compose.subject.getAsync(cb));
  const from = await officeCall<Office.EmailAddressDetails>('Reading From', (cb) =>
    compose.from.getAsync(cb),
  );
  return { mode: 'compose', subject, sender: toSender(from) };
}

/**
 * Call `listener` each time the selected item changes (pinned pane, Mailbox 1.5).
 * Resolves once the handler is registered.
 */
export function onItemChanged(listener: () => void): Promise<void> {
  const box = mailbox();
  return officeCall<void>('Registering for item changes', (cb) =>
    box.addHandlerAsync(Office.EventType.ItemChanged, () => listener(), cb),
  );
}
