/**
 * The MailboxPort over Office.js: the current item read into the rules' facts, the tags (categories
 * and custom property), the draft mark, and notifications. Every Office call goes through
 * officeCall, so a Failed AsyncResult is an OfficeCallError with Office's name and code.
 */
import type {
  AppointmentMailboxPort,
  AppointmentSnapshot,
  PendingAppointmentStore,
} from '../app/appointmentPorts';
import type {
  AttachmentInfo,
  ComposeSnapshot,
  DiagnosticsLog,
  DraftMark,
  ItemSnapshot,
  MailboxPort,
  Notice,
  TrackTag,
} from '../app/ports';
import type { HeaderFacts } from '../mail/headers';
import { mergeHeaderFacts } from '../mail/mergeFacts';
import { factsFromOfficeFields, toAddress, toAddresses } from '../mail/officeFacts';
import type { EmailFacts } from '../rules/types';
import { TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY } from './categories';
import {
  CUSTOM_PROPERTY,
  DRAFT_OPTED_OUT,
  DRAFT_PROPERTY,
  decodeTag,
  DRAFT_HEADER,
  decodeDraftMark,
  encodeDraftHeader,
  encodeDraftMark,
  encodeTag,
  MAX_CUSTOM_PROPERTIES,
} from '../mail/marks';
import type { MeetingReader } from './meetingReader';
import { officeCall } from './officeAsync';
import { RoamingStore } from './roamingStore';

/** Outlook's notification limits: at most 5 per item, keys ≤ 32 characters, text ≤ 150. */
export const NOTIFICATION_KEY = 'trackInCrmStatus';
export const MAX_NOTIFICATION_TEXT = 150;

/**
 * Office.js says nothing of the folder an item is in. This hook can (Microsoft Graph's
 * parentFolderId, or the simulator); without it received mail counts as Inbox and mail from the
 * user as Sent Items, which is where the pinned pane sees them almost always.
 */
export type FolderLookup = (itemId: string) => Promise<string | null>;

/** The tag operations act on the current item only: Office.js writes categories on `mailbox.item`. */
export class ItemNotCurrentError extends Error {
  override readonly name = 'ItemNotCurrentError';
  constructor(itemId: string) {
    super(
      `The item ${itemId} is no longer selected in Outlook; its tags will be written when it is opened again.`,
    );
  }
}

const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  [TRACKED_CATEGORY]: 'Preset4', // green
  [UNDELIVERABLE_CATEGORY]: 'Preset0', // red
};

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Parses a raw header block (src/mail/headers.ts); injected so the event bundle can leave it out. */
export type HeaderParser = (raw: string) => HeaderFacts;

export interface OutlookMailboxOptions {
  readonly folderLookup?: FolderLookup | null;
  /**
   * Without a parser, read items give only Office.js's structured fields (no In-Reply-To,
   * References or Thread-Index). The event runtime reads drafts only and leaves it out: postal-mime
   * needs TextEncoder, which classic Outlook's JavaScript-only runtime may not have.
   */
  readonly parseHeaders?: HeaderParser | null;
  /** Where what the adapter deliberately works around (a field Outlook would not give) is recorded. */
  readonly log: DiagnosticsLog;
  /**
   * How to get the meeting code (meetingReader.ts), loaded when a meeting is first selected. Without
   * it a meeting is not read (no AppointmentSnapshot, no item): the event runtime leaves it out, as
   * its handlers see drafts only.
   */
  readonly meetings?: (() => Promise<MeetingReader>) | null;
}

/** A calendar item in either form, as Office.js gives it. */
export type CalendarItem = Office.AppointmentRead | Office.AppointmentCompose;

/** An item the tags and notices can be written on: a read message or a calendar item. */
type TaggableItem = Office.MessageRead | CalendarItem;

/** Office.js's itemType of a calendar item ('appointment'); a message is 'message'. */
export function isCalendarItem(item: unknown): item is CalendarItem {
  return String((item as { itemType?: unknown } | null | undefined)?.itemType) === 'appointment';
}

export class OutlookMailbox implements MailboxPort, AppointmentMailboxPort {
  private readonly folderLookup: FolderLookup | null;
  /**
   * The organizer's form (AppointmentCompose) has no `itemId` property: its id comes from
   * getItemIdAsync. The last one read is kept with the item object it belongs to, so that the tags
   * can be written on that item while it is still the one Outlook shows.
   */
  private calendarId: { readonly item: object; readonly id: string } | null = null;
  private readonly parseHeaders: HeaderParser | null;
  private readonly log: DiagnosticsLog;
  private readonly loadMeetings: (() => Promise<MeetingReader>) | null;
  /** The meeting code once loaded (meetingOf reads the items it gave out). */
  private meetings: MeetingReader | null = null;

  constructor(
    private readonly mailbox: Office.Mailbox,
    options: OutlookMailboxOptions,
  ) {
    this.folderLookup = options.folderLookup ?? null;
    this.parseHeaders = options.parseHeaders ?? null;
    this.log = options.log;
    this.loadMeetings = options.meetings ?? null;
  }

  userAddress(): string {
    return this.mailbox.userProfile.emailAddress;
  }

  private readItem(): Office.MessageRead | null {
    const item = this.mailbox.item as (Office.MessageRead & { itemType?: unknown }) | null | undefined;
    // In compose mode `subject` is an object with getAsync; in read mode it is the string. An
    // attendee's meeting has a string subject too: it is not mail.
    if (!item || typeof item.subject !== 'string' || isCalendarItem(item)) return null;
    return item;
  }

  /** The message, or the calendar item, Outlook shows now, when it is the item `itemId`. */
  private current(itemId: string): TaggableItem {
    const item = this.mailbox.item as unknown;
    if (isCalendarItem(item)) {
      const id = 'itemId' in item && typeof item.itemId === 'string' ? item.itemId : null;
      if (id === itemId || (this.calendarId?.item === item && this.calendarId.id === itemId)) return item;
      throw new ItemNotCurrentError(itemId);
    }
    const read = this.readItem();
    if (!read || read.itemId !== itemId) throw new ItemNotCurrentError(itemId);
    return read;
  }

  private currentMessage(itemId: string): Office.MessageRead {
    const item = this.current(itemId);
    if (isCalendarItem(item)) throw new ItemNotCurrentError(itemId);
    return item;
  }

  /**
   * The selected meeting, read by the `meetings` option's code (meetingReader.ts); null when Outlook
   * shows something else, or in a runtime given no meeting reader (events.js: compose events only).
   */
  async currentAppointment(): Promise<AppointmentSnapshot | null> {
    const item = this.mailbox.item as unknown;
    if (!isCalendarItem(item) || !this.loadMeetings) return null;
    const reader = (this.meetings ??= await this.loadMeetings());
    const meeting = await reader.read(item, this.log);
    // The organizer's form has no `itemId` property: the id read is what `current` knows it by.
    if (meeting.form === 'organizer') this.calendarId = { item, id: meeting.itemId };
    return meeting;
  }

  meetingOf(item: ItemSnapshot): AppointmentSnapshot | null {
    // No reader loaded yet: no meeting item has been given out, so this one is an email.
    return this.meetings?.behind(item) ?? null;
  }

  /** Roaming settings, as the rest of the add-in's state: Office's own, like every call here. */
  appointmentRetries(): PendingAppointmentStore {
    return new RoamingStore(Office.context.roamingSettings).appointmentPending();
  }

  async appointmentBody(itemId: string): Promise<string | null> {
    const item = this.current(itemId);
    const body = await officeCall<string>('Reading the body', (cb) =>
      item.body.getAsync(Office.CoercionType.Text, cb),
    );
    return body || null;
  }

  async currentItem(): Promise<ItemSnapshot | null> {
    // A meeting goes through the item seams as what it is (appointmentItems.ts), never as mail.
    if (isCalendarItem(this.mailbox.item)) {
      const meeting = await this.currentAppointment();
      return meeting && this.meetings ? this.meetings.asItem(meeting) : null;
    }
    const item = this.readItem();
    if (!item) return null;
    const office = factsFromOfficeFields({
      internetMessageId: item.internetMessageId,
      subject: item.subject,
      from: item.from ?? item.sender,
      to: item.to,
      cc: item.cc,
      dateTimeCreated: item.dateTimeCreated,
    });
    const outgoing = office.from?.address.toLowerCase() === this.userAddress().toLowerCase();
    const [categories, properties, headers, folder] = await Promise.all([
      // Some Outlook versions answer null, not [], for an item without categories.
      officeCall<Office.CategoryDetails[] | null>('Reading the categories', (cb) =>
        item.categories.getAsync(cb),
      ),
      officeCall<Office.CustomProperties>("Reading the add-in's item data", (cb) =>
        item.loadCustomPropertiesAsync(cb),
      ),
      officeCall<string>('Reading the internet headers', (cb) => item.getAllInternetHeadersAsync(cb)),
      this.folderLookup ? this.folderLookup(item.itemId) : Promise.resolve(null),
    ]);
    const structured: EmailFacts = {
      messageId: office.messageId ?? null,
      subject: office.subject ?? '',
      direction: outgoing ? 'outgoing' : 'incoming',
      folder: folder ?? (outgoing ? 'sentitems' : 'inbox'),
      from: office.from ?? null,
      to: office.to ?? [],
      cc: office.cc ?? [],
      bcc: [],
      inReplyTo: null,
      references: [],
      threadIndex: null,
      receivedAt: office.receivedAt ?? null,
      composeType: null,
    };
    // The raw headers hold what Office.js does not expose (In-Reply-To, References, Thread-Index)
    // and win over the structured fields, as in the explain command (§6).
    const facts =
      headers && this.parseHeaders ? mergeHeaderFacts(structured, this.parseHeaders(headers)) : structured;
    return {
      itemId: item.itemId,
      conversationId: item.conversationId ?? null,
      facts: { ...facts, direction: structured.direction, folder: structured.folder },
      categories: (categories ?? []).map((c) => c.displayName),
      tag: decodeTag(properties.get(CUSTOM_PROPERTY), this.log),
      // Outlook gives a sent item no internet headers, but keeps the draft's custom properties.
      // Only from the custom property, which only this add-in can write: anyone can put an
      // X-Track-In-CRM header on mail they send us, and a forged one must not link to our activities.
      draftMark: decodeDraftMark(properties.get(DRAFT_PROPERTY) as string | undefined),
    };
  }

  async itemBody(itemId: string): Promise<string | null> {
    const item = this.currentMessage(itemId);
    const body = await officeCall<string>('Reading the body', (cb) =>
      item.body.getAsync(Office.CoercionType.Text, cb),
    );
    return body || null;
  }

  /** `item.attachments` (AttachmentDetails): details only; no content is read here. */
  async itemAttachments(itemId: string): Promise<readonly AttachmentInfo[]> {
    const item = this.currentMessage(itemId);
    return (item.attachments ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      contentType: a.contentType ?? '',
      size: a.size,
      isInline: a.isInline,
      kind:
        String(a.attachmentType) === 'cloud'
          ? 'cloud'
          : String(a.attachmentType) === 'item'
            ? 'item'
            : 'file',
    }));
  }

  /**
   * One file's content (`getAttachmentContentAsync`, Mailbox 1.8). A file attachment answers in
   * `Office.MailboxEnums.AttachmentContentFormat.Base64`; any other format (`Eml`, `ICalendar`, `Url`)
   * is not a file and is refused here.
   */
  async attachmentContent(itemId: string, attachmentId: string): Promise<string> {
    const item = this.currentMessage(itemId);
    const content = await officeCall<Office.AttachmentContent>('Reading an attachment', (cb) =>
      item.getAttachmentContentAsync(attachmentId, cb),
    );
    if (content.format !== Office.MailboxEnums.AttachmentContentFormat.Base64)
      throw new Error(`The attachment ${attachmentId} is not a file (format ${String(content.format)}).`);
    return content.content;
  }

  private async ensureMasterCategory(name: string): Promise<void> {
    const master = await officeCall<Office.CategoryDetails[]>('Reading the category list', (cb) =>
      this.mailbox.masterCategories.getAsync(cb),
    );
    if (master.some((c) => c.displayName === name)) return;
    const color = (
      Office.MailboxEnums.CategoryColor as unknown as Record<string, Office.MailboxEnums.CategoryColor>
    )[CATEGORY_COLORS[name] ?? 'Preset4'] as Office.MailboxEnums.CategoryColor;
    try {
      await officeCall<void>('Adding the category to the list', (cb) =>
        this.mailbox.masterCategories.addAsync([{ displayName: name, color }], cb),
      );
    } catch (error) {
      if ((error as { officeName?: string }).officeName !== 'DuplicateCategory') throw error;
      // Another Outlook view added it meanwhile: that is what we wanted.
      this.log.log(
        `The category "${name}" was already in the master list (added meanwhile elsewhere).`,
        error,
      );
    }
  }

  async tagTracked(itemId: string, tag: TrackTag): Promise<void> {
    const item = this.current(itemId);
    const value = encodeTag(tag);
    if (value.length + CUSTOM_PROPERTY.length > MAX_CUSTOM_PROPERTIES)
      throw new RangeError(`The item data (${value.length} characters) exceeds Outlook's 2,500.`);
    await this.ensureMasterCategory(TRACKED_CATEGORY);
    const properties = await officeCall<Office.CustomProperties>("Reading the add-in's item data", (cb) =>
      item.loadCustomPropertiesAsync(cb),
    );
    properties.set(CUSTOM_PROPERTY, value);
    await officeCall<void>("Saving the add-in's item data", (cb) => properties.saveAsync(cb));
    await officeCall<void>('Removing the Undeliverable category', (cb) =>
      item.categories.removeAsync([UNDELIVERABLE_CATEGORY], cb),
    ).catch((error: unknown) => {
      // The item is tracked and about to say so: a stale red category is cosmetic, and the next
      // tag or untrack removes it. Not worth failing a track that reached the CRM.
      this.log.log(`Could not remove the Undeliverable category from ${itemId}.`, error);
    });
    await officeCall<void>('Adding the Tracked to CRM category', (cb) =>
      item.categories.addAsync([TRACKED_CATEGORY], cb),
    );
  }

  async tagUndeliverable(itemId: string): Promise<void> {
    const item = this.current(itemId);
    await this.ensureMasterCategory(UNDELIVERABLE_CATEGORY);
    await officeCall<void>('Adding the Undeliverable category', (cb) =>
      item.categories.addAsync([UNDELIVERABLE_CATEGORY], cb),
    );
  }

  async removeTags(itemId: string): Promise<void> {
    const item = this.current(itemId);
    const present = (
      await officeCall<Office.CategoryDetails[]>('Reading the categories', (cb) =>
        item.categories.getAsync(cb),
      )
    )
      .map((c) => c.displayName)
      .filter((name) => name === TRACKED_CATEGORY || name === UNDELIVERABLE_CATEGORY);
    if (present.length)
      await officeCall<void>('Removing the categories', (cb) => item.categories.removeAsync(present, cb));
    const properties = await officeCall<Office.CustomProperties>("Reading the add-in's item data", (cb) =>
      item.loadCustomPropertiesAsync(cb),
    );
    properties.remove(CUSTOM_PROPERTY);
    await officeCall<void>("Saving the add-in's item data", (cb) => properties.saveAsync(cb));
  }

  async notify(itemId: string | null, notice: Notice): Promise<void> {
    const item = itemId === null ? this.mailbox.item : this.current(itemId);
    if (!item) return;
    const message = truncate(notice.text, MAX_NOTIFICATION_TEXT);
    // One key for every status of ours: replacing keeps us far below Outlook's five per item.
    const details: Office.NotificationMessageDetails =
      notice.kind === 'failed'
        ? { type: Office.MailboxEnums.ItemNotificationMessageType.ErrorMessage, message }
        : {
            type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
            message,
            icon: 'Icon.16x16',
            persistent: false,
          };
    await officeCall<void>('Showing a notification', (cb) =>
      item.notificationMessages.replaceAsync(NOTIFICATION_KEY, details, cb),
    );
  }

  private composeItem(): Office.MessageCompose | null {
    const item = this.mailbox.item as Office.MessageCompose | null | undefined;
    // The organizer's meeting opens in a compose form too: it is not a draft.
    if (!item || isCalendarItem(item)) return null;
    return typeof (item as unknown as Office.MessageRead).subject !== 'string' ? item : null;
  }

  async currentDraft(): Promise<ComposeSnapshot | null> {
    const item = this.composeItem();
    if (!item) return null;
    const [subject, to, cc, bcc, from, compose, index, header] = await Promise.all([
      officeCall<string>('Reading the subject', (cb) => item.subject.getAsync(cb)),
      officeCall<Office.EmailAddressDetails[]>('Reading To', (cb) => item.to.getAsync(cb)),
      officeCall<Office.EmailAddressDetails[]>('Reading Cc', (cb) => item.cc.getAsync(cb)),
      officeCall<Office.EmailAddressDetails[]>('Reading Bcc', (cb) => item.bcc.getAsync(cb)),
      officeCall<Office.EmailAddressDetails>('Reading From', (cb) => item.from.getAsync(cb)).catch(
        (error: unknown) => {
          // Some clients refuse From on a draft (no shared mailbox in use): the user is the sender.
          this.log.log('Could not read From on the draft; the user is taken as the sender.', error);
          return null;
        },
      ),
      officeCall<{ composeType: string }>('Reading the compose type', (cb) => item.getComposeTypeAsync(cb)),
      officeCall<string>('Reading the conversation index', (cb) => item.getConversationIndexAsync(cb)).catch(
        (error: unknown) => {
          // Older clients lack it: correlation goes on without §3.3, by In-Reply-To, token and subject.
          this.log.log('Could not read the conversation index of the draft.', error);
          return '';
        },
      ),
      officeCall<Record<string, string>>("Reading the draft's headers", (cb) =>
        item.internetHeaders.getAsync([DRAFT_HEADER], cb),
      ),
    ]);
    const inReplyTo = (item as unknown as { inReplyTo?: string }).inReplyTo || null;
    const composeType =
      compose.composeType === 'reply' || compose.composeType === 'forward' ? compose.composeType : 'newMail';
    const facts: EmailFacts = {
      messageId: null,
      subject,
      direction: 'outgoing',
      folder: 'drafts',
      from: toAddress(from) ?? {
        address: this.userAddress(),
        name: this.mailbox.userProfile.displayName || null,
      },
      to: toAddresses(to),
      cc: toAddresses(cc),
      bcc: toAddresses(bcc),
      inReplyTo,
      references: inReplyTo ? [inReplyTo] : [],
      threadIndex: index || null,
      receivedAt: null,
      composeType,
    };
    const properties = await officeCall<Office.CustomProperties>("Reading the draft's add-in data", (cb) =>
      item.loadCustomPropertiesAsync(cb),
    );
    const stored = properties.get(DRAFT_PROPERTY) as string | undefined;
    const optedOut = stored === DRAFT_OPTED_OUT;
    const mark: DraftMark | null = optedOut
      ? null
      : (decodeDraftMark(stored) ?? decodeDraftMark(header[DRAFT_HEADER] ?? null));
    return { facts, subject, mark, optedOut };
  }

  async markDraft(mark: DraftMark, subject: string | null): Promise<void> {
    const item = this.composeItem();
    if (!item) throw new Error('No draft is open to mark.');
    // The header travels with the message; the custom property stays on the sent item, where
    // Outlook shows no internet headers: that is how the sent item is found again.
    await officeCall<void>('Marking the draft', (cb) =>
      // The header travels to every recipient: it carries the random id only, no CRM ids.
      item.internetHeaders.setAsync({ [DRAFT_HEADER]: encodeDraftHeader(mark) }, cb),
    );
    await this.setDraftProperty(item, encodeDraftMark(mark));
    if (subject !== null)
      await officeCall<void>('Setting the subject', (cb) => item.subject.setAsync(subject, cb));
  }

  async unmarkDraft(subject: string | null = null): Promise<void> {
    const item = this.composeItem();
    if (!item) return;
    await officeCall<void>("Removing the draft's mark", (cb) =>
      item.internetHeaders.removeAsync([DRAFT_HEADER], cb),
    );
    await this.setDraftProperty(item, DRAFT_OPTED_OUT);
    if (subject !== null)
      await officeCall<void>('Setting the subject', (cb) => item.subject.setAsync(subject, cb));
  }

  private async setDraftProperty(item: Office.MessageCompose, value: string | null): Promise<void> {
    const properties = await officeCall<Office.CustomProperties>("Reading the draft's add-in data", (cb) =>
      item.loadCustomPropertiesAsync(cb),
    );
    if (value === null) properties.remove(DRAFT_PROPERTY);
    else properties.set(DRAFT_PROPERTY, value);
    await officeCall<void>("Saving the draft's add-in data", (cb) => properties.saveAsync(cb));
  }
}
