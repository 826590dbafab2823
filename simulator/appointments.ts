/**
 * Office-shaped calendar item views over a MailRecord with `appointment` set: `Office.AppointmentRead`
 * when the user is an attendee (the attendee surface), `Office.AppointmentCompose` when the user is the
 * organizer (Outlook opens the organizer's own meeting in its compose form, the organizer surface).
 * The fields follow @types/office-js: read mode has plain values (`subject`, `start`, `end`,
 * `location`, `organizer`, `requiredAttendees`, `optionalAttendees`), compose mode objects whose
 * getters are async and answer an AsyncResult (`Time`, `Location`, `Organizer`, `Recipients`).
 *
 * `isAllDayEvent` (Mailbox 1.13) is newer than the vendored @types/office-js, so it is typed here:
 * a boolean in read mode, an object with getAsync/setAsync in compose mode, as Microsoft documents it.
 */
import { ok, parseCommonArgs } from './async';
import { argumentError, argumentTypeError } from './errors';
import { MailboxEnums } from './enums';
import {
  bodyGetAsync,
  checkPermission,
  createCategories,
  createNotificationMessages,
  hostCall,
  loadCustomProperties,
  Permission,
} from './itemFeatures';
import { defineReadOnly, details, recipientsField, type ViewEnv } from './items';
import type { MailRecord, SimAppointment } from './model';
import { normalizeSubject } from './threading';

/** Outlook's item class of a calendar item (a meeting the user organizes or attends). */
const APPOINTMENT_CLASS = 'IPM.Appointment';

function appointmentOf(record: MailRecord): SimAppointment {
  if (!record.appointment) throw new TypeError(`the item ${record.id} is not a calendar item`);
  return record.appointment;
}

/** True when the mailbox owner organizes this meeting (Outlook then opens it in the compose form). */
export function organizedBy(record: MailRecord, userAddress: string): boolean {
  return record.from?.emailAddress.trim().toLowerCase() === userAddress.trim().toLowerCase();
}

export function createAppointmentItem(
  env: ViewEnv,
  record: MailRecord,
): Office.AppointmentRead | Office.AppointmentCompose {
  return organizedBy(record, env.userAddress.emailAddress)
    ? createAppointmentCompose(env)
    : createAppointmentRead(env, record);
}

// ---------------------------------------------------------------------------------------------
// Attendee: AppointmentRead

export function createAppointmentRead(env: ViewEnv, record: MailRecord): Office.AppointmentRead {
  const appointment = appointmentOf(record);
  const item: Record<string, unknown> = {};
  defineReadOnly(item, {
    itemType: MailboxEnums.ItemType.Appointment,
    itemClass: APPOINTMENT_CLASS,
    itemId: record.id,
    subject: record.subject,
    normalizedSubject: normalizeSubject(record.subject),
    start: new Date(appointment.start),
    end: new Date(appointment.end),
    location: appointment.location,
    organizer: record.from ? details(env, record.from) : undefined,
    requiredAttendees: record.to.map((a) => details(env, a)),
    optionalAttendees: record.cc.map((a) => details(env, a)),
    dateTimeCreated: new Date(record.created.getTime()),
    dateTimeModified: new Date(record.modified.getTime()),
    attachments: [],
    body: { getAsync: (coercionType: unknown, ...args: unknown[]) => bodyGetAsync(env, coercionType, args) },
    loadCustomPropertiesAsync: (...args: unknown[]) => loadCustomProperties(env, args),
  });
  if (env.supports('1.3')) defineReadOnly(item, { notificationMessages: createNotificationMessages(env) });
  if (env.supports('1.7')) defineReadOnly(item, { seriesId: null });
  if (env.supports('1.8')) defineReadOnly(item, { categories: createCategories(env) });
  if (env.supports('1.13')) defineReadOnly(item, { isAllDayEvent: appointment.isAllDayEvent });
  return item as unknown as Office.AppointmentRead;
}

// ---------------------------------------------------------------------------------------------
// Organizer: AppointmentCompose

/** Office.Time: getAsync answers a Date; setting the start keeps the duration, as Microsoft documents. */
function timeField(env: ViewEnv, which: 'start' | 'end'): Office.Time {
  return {
    getAsync: (...args: unknown[]) => {
      checkPermission(env, Permission.ReadItem, `${which}.getAsync`);
      hostCall<Date>(env, args, true, (r) => ok(new Date(appointmentOf(r)[which])));
    },
    setAsync: (dateTime: unknown, ...args: unknown[]) => {
      checkPermission(env, Permission.ReadWriteItem, `${which}.setAsync`);
      parseCommonArgs(args, false);
      if (!(dateTime instanceof Date)) throw argumentTypeError('dateTime', typeof dateTime, 'Date');
      if (Number.isNaN(dateTime.getTime())) throw argumentError('dateTime');
      hostCall<void>(env, args, false, (r) => {
        const appointment = appointmentOf(r);
        if (which === 'start') {
          const duration = Date.parse(appointment.end) - Date.parse(appointment.start);
          appointment.end = new Date(dateTime.getTime() + duration).toISOString();
        }
        appointment[which] = dateTime.toISOString();
        env.changed(r, 'compose');
        return ok(undefined);
      });
    },
  } as unknown as Office.Time;
}

export function createAppointmentCompose(env: ViewEnv): Office.AppointmentCompose {
  const item: Record<string, unknown> = {};
  defineReadOnly(item, {
    itemType: MailboxEnums.ItemType.Appointment,
    subject: {
      getAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'subject.getAsync');
        hostCall<string>(env, args, true, (r) => ok(r.subject));
      },
    },
    start: timeField(env, 'start'),
    end: timeField(env, 'end'),
    location: {
      getAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'location.getAsync');
        hostCall<string>(env, args, true, (r) => ok(appointmentOf(r).location));
      },
    },
    // Recipients over the meeting's To (required) and Cc (optional), as Exchange keeps them.
    requiredAttendees: recipientsField(env, 'to'),
    optionalAttendees: recipientsField(env, 'cc'),
    body: { getAsync: (coercionType: unknown, ...args: unknown[]) => bodyGetAsync(env, coercionType, args) },
    loadCustomPropertiesAsync: (...args: unknown[]) => loadCustomProperties(env, args),
    saveAsync: (...args: unknown[]) => {
      checkPermission(env, Permission.ReadWriteItem, 'item.saveAsync');
      hostCall<string>(env, args, false, (r) => ok(r.id));
    },
  });
  if (env.supports('1.3')) defineReadOnly(item, { notificationMessages: createNotificationMessages(env) });
  if (env.supports('1.7')) {
    defineReadOnly(item, {
      seriesId: null,
      organizer: {
        getAsync: (...args: unknown[]) => {
          checkPermission(env, Permission.ReadItem, 'organizer.getAsync');
          hostCall<Office.EmailAddressDetails>(env, args, true, (r) =>
            ok(details(env, r.from ?? env.userAddress)),
          );
        },
      },
    });
  }
  if (env.supports('1.8')) {
    defineReadOnly(item, {
      categories: createCategories(env),
      // A meeting in the calendar is saved: its id is known (a new, unsaved one would fail 9046).
      getItemIdAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'item.getItemIdAsync');
        hostCall<string>(env, args, true, (r) => ok(r.id));
      },
    });
  }
  if (env.supports('1.13')) {
    defineReadOnly(item, {
      isAllDayEvent: {
        getAsync: (...args: unknown[]) => {
          checkPermission(env, Permission.ReadItem, 'isAllDayEvent.getAsync');
          hostCall<boolean>(env, args, true, (r) => ok(appointmentOf(r).isAllDayEvent));
        },
      },
    });
  }
  return item as unknown as Office.AppointmentCompose;
}
