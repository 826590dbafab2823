/**
 * What the pane watches on the selected item without asking the CRM: its categories and the
 * add-in's custom property. The ribbon command, the Set Regarding dialog, the event handlers and the
 * queue change these when they track or untrack the item, in another runtime; the pane reads them a
 * few times a second (local Office.js reads) and checks the item again only when they change.
 */
import { TRACKED_CATEGORY } from './categories';
import { CUSTOM_PROPERTY } from '../mail/marks';
import { officeCall } from './officeAsync';

/** A string that changes when the current read item's tags change; null when no read item is selected. */
export async function currentItemMarks(
  office: typeof Office,
): Promise<{ itemId: string; marks: string; tracked: boolean } | null> {
  const item = office.context.mailbox?.item as (Office.MessageRead & { itemId?: string }) | null | undefined;
  if (!item) return null;
  // A meeting is watched too, in either form; the organizer's has no itemId property but getItemIdAsync.
  const meeting = String((item as { itemType?: unknown }).itemType) === 'appointment';
  if (!meeting && typeof item.subject !== 'string') return null;
  const organizerForm = item as unknown as Partial<Office.AppointmentCompose>;
  const itemId =
    item.itemId ||
    (meeting && typeof organizerForm.getItemIdAsync === 'function'
      ? await officeCall<string>('Reading the meeting id', (cb) => organizerForm.getItemIdAsync!(cb))
      : '');
  if (!itemId) return null;
  const [categories, properties] = await Promise.all([
    officeCall<Office.CategoryDetails[] | null>('Reading the categories', (cb) =>
      item.categories.getAsync(cb),
    ),
    officeCall<Office.CustomProperties>("Reading the add-in's item data", (cb) =>
      item.loadCustomPropertiesAsync(cb),
    ),
  ]);
  const names = (categories ?? []).map((c) => c.displayName).sort();
  const tag: unknown = properties.get(CUSTOM_PROPERTY);
  return {
    itemId,
    marks: JSON.stringify([names, tag ?? null]),
    tracked: names.includes(TRACKED_CATEGORY),
  };
}

/**
 * The selection as the pane follows it: Outlook's ItemChanged registration, the selected item's id
 * and mode, and a draft's id. Here so that the pane's controller never reads `Office` itself.
 */
export class SelectionPort {
  constructor(private readonly office: typeof Office) {}

  /** Calls `onChange` whenever the user selects another item (the pinned pane's ItemChanged). */
  follow(onChange: () => void): Promise<void> {
    const mailbox = this.office.context.mailbox;
    return officeCall<void>('Following the selected email', (cb) =>
      mailbox.addHandlerAsync(this.office.EventType.ItemChanged, onChange, cb),
    );
  }

  /** Stops following; throws what Office throws (the caller logs it). */
  stop(): void {
    this.office.context.mailbox.removeHandlerAsync(this.office.EventType.ItemChanged);
  }

  /**
   * The selected item: its id ('' for an unsaved draft, and for the organizer's meeting form, whose id
   * only getItemIdAsync gives) and whether it is shown as a read item. A meeting is, in either form: it
   * is checked as an item is (a status, Track, Set Regarding), never marked as a draft.
   */
  current(): { itemId: string; read: boolean } | null {
    const item = this.office.context.mailbox?.item as
      (Office.MessageRead & { itemId?: string }) | null | undefined;
    if (!item) return null;
    const meeting = String((item as { itemType?: unknown }).itemType) === 'appointment';
    return { itemId: item.itemId ?? '', read: meeting || typeof item.subject === 'string' };
  }

  /** A draft has an id only once saved (Mailbox 1.8 getItemIdAsync); '' for a new, unsaved one. */
  async draftId(): Promise<string> {
    const item = this.office.context.mailbox?.item as Office.MessageCompose | null | undefined;
    if (!item || typeof item.getItemIdAsync !== 'function') return '';
    return officeCall<string>("Reading the draft's id", (cb) => item.getItemIdAsync(cb));
  }

  /** The signed-in mailbox's address ('' before Office knows it). */
  userAddress(): string {
    return this.office.context.mailbox?.userProfile?.emailAddress ?? '';
  }

  /** The selected item's tags, as `currentItemMarks` reads them. */
  marks(): ReturnType<typeof currentItemMarks> {
    return currentItemMarks(this.office);
  }
}
