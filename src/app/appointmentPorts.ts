/**
 * What tracking an appointment needs from Outlook, beside the email's MailboxPort: the calendar item as
 * the add-in sees it, its body, and the same tags (category and custom property) and notices as mail.
 * src/mailbox/outlookMailbox.ts implements it over Office.js; tests pass fakes.
 */
import type { RecordRef, MailAddress } from '../rules/types';
import type { ItemSnapshot, Notice, TrackTag } from './ports';

/** One calendar item, in either form: the organizer's (AppointmentCompose) or an attendee's (AppointmentRead). */
export interface AppointmentSnapshot {
  /** Outlook's id of the calendar item (the organizer's form asks getItemIdAsync for it). */
  readonly itemId: string;
  /** The form Outlook opened: the organizer edits the meeting, an attendee reads it. */
  readonly form: 'organizer' | 'attendee';
  readonly subject: string;
  /** ISO 8601 instants. */
  readonly start: string;
  readonly end: string;
  readonly isAllDayEvent: boolean;
  readonly location: string;
  readonly organizer: MailAddress | null;
  readonly requiredAttendees: readonly MailAddress[];
  readonly optionalAttendees: readonly MailAddress[];
  readonly categories: readonly string[];
  /** The add-in's custom property, as on a tracked email. */
  readonly tag: TrackTag | null;
}

export interface AppointmentMailboxPort {
  /** The selected calendar item, or null when Outlook shows something else (mail, nothing). */
  currentAppointment(): Promise<AppointmentSnapshot | null>;
  /** The meeting's plain-text body, for the appointment's description; read only when it is tracked. */
  appointmentBody(itemId: string): Promise<string | null>;
  tagTracked(itemId: string, tag: TrackTag): Promise<void>;
  /** Removes both categories and the custom property. */
  removeTags(itemId: string): Promise<void>;
  notify(itemId: string | null, notice: Notice): Promise<void>;
  /**
   * The meeting an ItemSnapshot from `currentItem` stands for (the pane's item seams carry meetings as
   * items, appointmentItems.ts); null for an email.
   */
  meetingOf(item: ItemSnapshot): AppointmentSnapshot | null;
  /** Where appointment tracks kept for retry live (roaming settings in Outlook). */
  appointmentRetries(): PendingAppointmentStore;
}

/**
 * A track of an appointment the CRM could not take: kept (roaming settings) and tried again the next
 * time the meeting is opened with the pane or tracked from the ribbon. The meeting itself is read
 * again then, so a change made meanwhile (a new attendee) is what reaches the CRM.
 */
export interface PendingAppointment {
  readonly itemId: string;
  readonly regarding: RecordRef | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface PendingAppointmentStore {
  load(): Promise<PendingAppointment[]>;
  save(list: readonly PendingAppointment[]): Promise<void>;
}
