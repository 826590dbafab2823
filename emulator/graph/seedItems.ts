/**
 * The demo mailbox's contacts, calendar and To Do list: three Outlook contacts of the people its mail
 * comes from, one of whom (Nora Quinn) the user asked to track in the CRM, as the add-in marks it
 * (`tic-crm-link` = `{"crmId":null,"tracked":true}`, src/graph/syncPort.ts), one meeting next week and
 * one task. Ids and change keys are the same on every machine; the meeting's and the task's dates
 * follow the day the database is seeded (chosen: "next week" must stay ahead of the clock, so the
 * workbench's calendar shows it).
 *
 * Written through the same create functions clients reach over HTTP, so the seed obeys Graph's rules.
 */
import { createContact } from './contacts';
import type { GraphDb } from './db';
import { createEvent } from './events';
import { PS_PUBLIC_STRINGS } from './extendedProperties';
import { newItemId } from './itemStore';
import { newContext } from './protocol';
import { ME } from './mailboxOwner';
import { createTask } from './todo';

/** The property the add-in links an Outlook contact or event to its CRM record with (syncPort.ts). */
export const CRM_LINK_PROPERTY = `String ${PS_PUBLIC_STRINGS} Name tic-crm-link`;

export const DEMO_ITEM_IDS = {
  nora: newItemId('contact', 'demo:nora.quinn'),
  ann: newItemId('contact', 'demo:ann.smith'),
  lena: newItemId('contact', 'demo:lena.fischer'),
  meeting: newItemId('event', 'demo:renewal-review'),
  task: newItemId('task', 'demo:send-renewal'),
};

/** Midnight UTC of the Monday after `now`. */
function nextMonday(now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const untilMonday = (8 - day.getUTCDay()) % 7 || 7;
  return new Date(day.getTime() + untilMonday * 86_400_000);
}

const localDateTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '');

export function seedOutlookItems(db: GraphDb, now = new Date()): void {
  const ctx = newContext('', {});
  const json = (value: unknown): string => JSON.stringify(value);
  createContact(
    db,
    ctx,
    json({
      givenName: 'Nora',
      surname: 'Quinn',
      jobTitle: 'Procurement Lead',
      companyName: 'Fabrikam',
      emailAddresses: [{ name: 'Nora Quinn', address: 'nora.quinn@fabrikam.com' }],
      businessPhones: ['+1 425 555 0142'],
      businessAddress: {
        street: '1 Fabrikam Way',
        city: 'Redmond',
        state: 'WA',
        postalCode: '98052',
        countryOrRegion: 'USA',
      },
      singleValueExtendedProperties: [{ id: CRM_LINK_PROPERTY, value: '{"crmId":null,"tracked":true}' }],
    }),
    DEMO_ITEM_IDS.nora,
  );
  createContact(
    db,
    ctx,
    json({
      givenName: 'Ann',
      surname: 'Smith',
      jobTitle: 'Account Manager',
      companyName: 'Fabrikam',
      emailAddresses: [{ name: 'Ann Smith', address: 'ann@fabrikam.com' }],
      businessPhones: ['+1 425 555 0100'],
    }),
    DEMO_ITEM_IDS.ann,
  );
  createContact(
    db,
    ctx,
    json({
      givenName: 'Lena',
      surname: 'Fischer',
      companyName: 'Adventure Works',
      emailAddresses: [{ name: 'Lena Fischer', address: 'lena.fischer@adventure-works.com' }],
      mobilePhone: '+49 30 5550 1234',
    }),
    DEMO_ITEM_IDS.lena,
  );
  const monday = nextMonday(now);
  const tuesday10 = new Date(monday.getTime() + 86_400_000 + 10 * 3_600_000);
  createEvent(
    db,
    ctx,
    json({
      subject: 'Fabrikam renewal review',
      body: { contentType: 'text', content: 'Walk through the draft renewal with Ann and Nora.' },
      start: { dateTime: localDateTime(tuesday10), timeZone: 'UTC' },
      end: { dateTime: localDateTime(new Date(tuesday10.getTime() + 3_600_000)), timeZone: 'UTC' },
      location: { displayName: 'Teams' },
      attendees: [
        { type: 'required', emailAddress: { name: 'Ann Smith', address: 'ann@fabrikam.com' } },
        { type: 'optional', emailAddress: { name: 'Nora Quinn', address: 'nora.quinn@fabrikam.com' } },
      ],
      organizer: { emailAddress: { name: ME.name, address: ME.address } },
    }),
    {},
    DEMO_ITEM_IDS.meeting,
  );
  createTask(
    db,
    ctx,
    json({
      title: 'Send Fabrikam the signed renewal',
      importance: 'high',
      dueDateTime: { dateTime: localDateTime(new Date(monday.getTime() + 4 * 86_400_000)), timeZone: 'UTC' },
    }),
    {},
    DEMO_ITEM_IDS.task,
  );
}
