/**
 * The CRM's appointments (issue 12, "Tracking appointments"): the CrmAppointmentPort over the
 * `appointments` table, built over a DataverseAdapter (its `appointments` option) by the runtimes that
 * show meetings, the pane and the ribbon command. Apart from the adapter so that events.js, whose
 * compose handlers never see a meeting, does not carry it (its 40 KB gz budget).
 */
import type { RecordRef } from '../rules/types';
import { fit, MAX_LENGTH } from './columns';
import {
  DUPLICATE_KEY_CODE,
  lookupRef,
  regardingSet,
  rows,
  str,
  type DataverseAccess,
  type Row,
} from './dataverseAdapter';
import { batchPartError } from './dataverseHttp';
import { APPOINTMENT_PARTICIPATION, entity, ENTITIES, idFromEntityUrl } from './entities';
import { protocolError } from './errors';
import { collectionPath, entityPath, guid } from './odata';
import type {
  AppointmentParty,
  AppointmentToTrack,
  AttendeeRole,
  CrmAppointmentPort,
  TrackedAppointment,
} from './port';
import { loadNameUuid } from './trackIds';

/** The appointments over the adapter `crm` (its DataverseAdapterOptions.appointments). */
export const dataverseAppointments = (crm: DataverseAccess): CrmAppointmentPort =>
  new DataverseAppointments(crm);

export class DataverseAppointments implements CrmAppointmentPort {
  constructor(private readonly crm: DataverseAccess) {}

  /**
   * Check, then create under the derived key (appointmentKey): one GET, then one changeset (the
   * appointment with its parties by deep insert, then its state set to Scheduled/Busy, the state of a
   * meeting Outlook tracked). A create refused on the duplicate key (another runtime's track landed
   * meanwhile, or an earlier send whose answer was lost) is that appointment: reported as existing.
   */
  async trackAppointment(
    userId: string,
    appointment: AppointmentToTrack,
  ): Promise<{ readonly activityId: string; readonly existed: boolean }> {
    const key = appointmentKey(await loadNameUuid(), userId, appointment.itemKey);
    if (await this.findAppointment(key)) return { activityId: key, existed: true };
    const [response] = await this.crm.http.batch(
      [
        {
          kind: 'changeset',
          requests: [
            {
              method: 'POST',
              path: 'appointments',
              body: appointmentBody(key, appointment, this.crm.customPartySets()),
            },
            // Scheduled (3) / Busy (5): what a tracked Outlook meeting is in Dataverse (chosen: shown
            // busy, as Outlook shows a meeting by default).
            { method: 'PATCH', path: '$1', body: { statecode: 3, statuscode: 5 } },
          ],
        },
      ],
      { continueOnError: true },
    );
    if (response && !Array.isArray(response)) {
      const error =
        batchPartError(response, 'POST appointments') ??
        protocolError('a changeset answered with one part', 'POST $batch');
      if (error.detail.code !== DUPLICATE_KEY_CODE) throw error;
      this.crm.log(`trackAppointment: ${key} was already created (duplicate key)`, error);
      return { activityId: key, existed: true };
    }
    const created = Array.isArray(response)
      ? idFromEntityUrl(response[0]?.headers.get('odata-entityid'))
      : null;
    if (!created)
      throw protocolError('the appointment create answered without OData-EntityId', 'POST appointments');
    return { activityId: created, existed: false };
  }

  /** The appointment with its parties (their records' names as annotations), in one GET; null when absent. */
  async findAppointment(activityId: string): Promise<TrackedAppointment | null> {
    const [response] = await this.crm.getBatch([
      collectionPath('appointments', {
        select: ['activityid', 'subject', '_regardingobjectid_value'],
        filter: `activityid eq ${guid(activityId)}`,
        expand: 'appointment_activity_parties($select=addressused,participationtypemask,_partyid_value)',
      }),
    ]);
    const row = rows(response)[0];
    return row ? toTrackedAppointment(row) : null;
  }

  async setAppointmentRegarding(activityId: string, regarding: RecordRef | null): Promise<void> {
    const body: Row = {};
    if (regarding)
      body[`regardingobjectid_${regarding.type}_appointment@odata.bind`] =
        `/${entityPath(regardingSet(regarding.type), regarding.id)}`;
    else
      for (const [type, info] of Object.entries(ENTITIES))
        if (info.regarding) body[`regardingobjectid_${type}_appointment@odata.bind`] = null;
    await this.crm.http.send('PATCH', entityPath('appointments', activityId), { body, idempotent: false });
  }

  async untrackAppointment(activityId: string): Promise<void> {
    await this.crm.http.send('DELETE', entityPath('appointments', activityId), { idempotent: false });
  }
}

/** This add-in's namespace for appointment keys (fixed: changing it changes every key). */
const APPOINTMENT_NAMESPACE = 'b5f3d0e2-7a41-4c8e-9d16-0e2c5a7f3b81';

/** Appointment columns (Appointment table reference, MaxLength): subject 200, location 200. */
const APPOINTMENT_MAX_LENGTH = { subject: 200, location: 200 } as const;

/**
 * The key of the appointment `userId` tracks from the Outlook item `itemKey`: the same in every runtime
 * and every try, so a second create fails on the duplicate key instead of making a second appointment.
 */
export function appointmentKey(
  nameUuid: (namespace: string, name: string) => string,
  userId: string,
  itemKey: string,
): string {
  return nameUuid(APPOINTMENT_NAMESPACE, `${userId.toLowerCase()}\n${itemKey}`);
}

/**
 * The appointment row with its activity parties (deep insert through appointment_activity_parties): one
 * party per record an address resolved to, or one with `addressused` alone when it stayed unresolved.
 */
export function appointmentBody(
  key: string,
  appointment: AppointmentToTrack,
  custom: ReadonlyMap<string, string> = new Map(),
): Row {
  const setOf = (type: string): string | null =>
    ENTITIES[type]?.party ? entity(type).set : (custom.get(type) ?? null);
  const parties: Row[] = [];
  for (const attendee of appointment.attendees) {
    const mask = APPOINTMENT_PARTICIPATION[attendee.role];
    const addressused = fit(attendee.address, MAX_LENGTH.addressused);
    const bindable = attendee.records.filter((r) => setOf(r.type) !== null);
    if (bindable.length === 0) parties.push({ participationtypemask: mask, addressused });
    for (const record of bindable)
      parties.push({
        participationtypemask: mask,
        addressused,
        [`partyid_${record.type}@odata.bind`]: `/${entityPath(setOf(record.type) as string, record.id)}`,
      });
  }
  const body: Row = {
    activityid: key,
    subject: fit(appointment.subject, APPOINTMENT_MAX_LENGTH.subject),
    scheduledstart: appointment.start,
    scheduledend: appointment.end,
    isalldayevent: appointment.isAllDayEvent,
    appointment_activity_parties: parties,
  };
  if (appointment.location) body.location = fit(appointment.location, APPOINTMENT_MAX_LENGTH.location);
  if (appointment.body !== null) body.description = appointment.body;
  if (appointment.regarding)
    body[`regardingobjectid_${appointment.regarding.type}_appointment@odata.bind`] =
      `/${entityPath(regardingSet(appointment.regarding.type), appointment.regarding.id)}`;
  return body;
}

const ROLE_OF_MASK: Readonly<Record<number, AttendeeRole>> = Object.fromEntries(
  Object.entries(APPOINTMENT_PARTICIPATION).map(([role, mask]) => [mask, role as AttendeeRole]),
);

function toTrackedAppointment(row: Row): TrackedAppointment | null {
  const id = str(row, 'activityid');
  if (!id) return null;
  const partyRows = Array.isArray(row.appointment_activity_parties)
    ? (row.appointment_activity_parties as Row[])
    : [];
  const parties: AppointmentParty[] = [];
  for (const party of partyRows) {
    const role = ROLE_OF_MASK[Number(party.participationtypemask)];
    if (!role) continue;
    parties.push({
      role,
      address: str(party, 'addressused'),
      record: lookupRef(party, 'partyid'),
      name: str(party, '_partyid_value@OData.Community.Display.V1.FormattedValue'),
    });
  }
  return {
    activityId: id.toLowerCase(),
    subject: str(row, 'subject'),
    regarding: lookupRef(row, 'regardingobjectid'),
    regardingName: str(row, '_regardingobjectid_value@OData.Community.Display.V1.FormattedValue'),
    parties,
  };
}
