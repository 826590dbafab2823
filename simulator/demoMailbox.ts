/**
 * The deterministic demo mailbox for the workbench: Dana Park's mailbox at Contoso, with mail from
 * the people of the demo CRM organization. DEMO_PEOPLE is the ONE list of those people: the CRM
 * emulator's demo seed should be aligned with it (same names, addresses and record types).
 */
import type { SimMailbox } from './mailbox';
import type { SimAddress } from './model';
import { seededRandom } from './random';
import { childThreadIndex, newThreadIndex } from './threading';

export type DemoCrmRole = 'systemuser' | 'contact' | 'lead';

export interface DemoPerson {
  readonly name: string;
  readonly address: string;
  /** What this address is in the demo CRM organization ([] = unknown to the CRM). */
  readonly crm: readonly DemoCrmRole[];
  /** The account (company) of a contact, or the company name of a lead. */
  readonly company?: string;
}

export const DEMO_PEOPLE = {
  /** The mailbox owner (a CRM user). */
  dana: { name: 'Dana Park', address: 'dana@contoso.com', crm: ['systemuser'], company: 'Contoso' },
  /** A colleague (a CRM user too). */
  sam: { name: 'Sam Lee', address: 'sam@contoso.com', crm: ['systemuser'], company: 'Contoso' },
  ann: { name: 'Ann Lee', address: 'ann@fabrikam.com', crm: ['contact'], company: 'Fabrikam' },
  bob: { name: 'Bob Kim', address: 'bob@fabrikam.com', crm: ['contact'], company: 'Fabrikam' },
  carla: {
    name: 'Carla Diaz',
    address: 'carla@adventure-works.com',
    crm: ['contact'],
    company: 'Adventure Works',
  },
  evan: { name: 'Evan Wright', address: 'evan@wingtiptoys.com', crm: ['lead'], company: 'Wingtip Toys' },
  /** One address on a contact AND a lead: a duplicate the rules must resolve. */
  shared: {
    name: 'Fabrikam Accounts',
    address: 'shared@fabrikam.com',
    crm: ['contact', 'lead'],
    company: 'Fabrikam',
  },
  /** Not in the CRM at all. */
  stranger: { name: 'Alex Stranger', address: 'stranger@example.org', crm: [] },
} as const satisfies Record<string, DemoPerson>;

export type DemoPersonKey = keyof typeof DEMO_PEOPLE;

/** The tracking token carried in a demo subject (the CRM's tracking token format). */
export const DEMO_TRACKING_TOKEN = 'CRM:0001001';

export const DEMO_MASTER_CATEGORIES: readonly Office.CategoryDetails[] = [
  { displayName: 'Important', color: 'Preset0' as unknown as Office.MailboxEnums.CategoryColor },
  { displayName: 'Follow up', color: 'Preset3' as unknown as Office.MailboxEnums.CategoryColor },
];

const addr = (key: DemoPersonKey): SimAddress => ({
  emailAddress: DEMO_PEOPLE[key].address,
  displayName: DEMO_PEOPLE[key].name,
});

/** Keys of the demo items, for tests and the workbench. */
export type DemoItemKey =
  | 'pricing'
  | 'pricingReplySent'
  | 'pricingReply2'
  | 'renewalSent'
  | 'renewalReply'
  | 'onboarding'
  | 'welcomeSent'
  | 'welcomeReply'
  | 'demoRequest'
  | 'demoFollowUpSent'
  | 'demoForward'
  | 'partnership'
  | 'invoice'
  | 'lunch'
  | 'wingtipPricing'
  | 'kickoffNotes';

/** 2026-11-02 08:00 UTC plus `hours`. */
const at = (hours: number) => new Date(Date.UTC(2026, 10, 2, 8, 0, 0) + hours * 3600_000);

/**
 * Fill a mailbox with the demo items (12 in the Inbox, 4 in Sent Items) and the demo master
 * categories. Returns the item id of each demo item.
 */
/** A minimal one-page PDF, base64. */
const DEMO_PDF_BASE64 =
  'JVBERi0xLjQKMSAwIG9iago8PC9UeXBlL0NhdGFsb2cvUGFnZXMgMiAwIFI+PgplbmRvYmoKMiAwIG9iago8PC9UeXBlL1BhZ2VzL0tpZHNbMyAwIFJdL0NvdW50IDE+PgplbmRvYmoKMyAwIG9iago8PC9UeXBlL1BhZ2UvUGFyZW50IDIgMCBSL01lZGlhQm94WzAgMCAyMDAgMjAwXT4+CmVuZG9iagp0cmFpbGVyCjw8L1Jvb3QgMSAwIFI+PgolJUVPRgo=';

/** The folder the demo CRM's folder tracking rule names (emulator/seed.ts); Deliver new mail files a copy there. */
export const DEMO_RULE_FOLDER = 'Inbox/Projects/Fabrikam';

export function loadDemoMailbox(mailbox: SimMailbox): Record<DemoItemKey, string> {
  const random = seededRandom(20261102);
  const ids = {} as Record<DemoItemKey, string>;
  mailbox.setMasterCategories(DEMO_MASTER_CATEGORIES);
  // The folder of the demo CRM's folder tracking rule (emulator/seed.ts), empty until mail is filed there.
  mailbox.createFolder(DEMO_RULE_FOLDER);
  const dana = addr('dana');

  // A reply thread: Ann → Dana, Dana's reply (sent), Ann's reply to that.
  const pricingIdx = newThreadIndex(at(0), random);
  const pricing = mailbox.deliver({
    subject: 'Q3 pricing proposal',
    from: addr('ann'),
    to: [dana],
    cc: [addr('bob')],
    date: at(0),
    internetMessageId: '<q3-pricing.0001@fabrikam.com>',
    threadIndex: pricingIdx,
    bodyText: 'Hi Dana,\n\nAttached is our proposal for Q3 pricing. Could you review it by Friday?\n\nAnn',
    // Attachments: a file the CRM takes, one whose extension the default blocked list refuses, and a
    // cloud link (not a file).
    attachments: [
      { name: 'Q3 pricing.pdf', contentType: 'application/pdf', content: DEMO_PDF_BASE64 },
      { name: 'price-calculator.js', contentType: 'text/javascript', content: 'Y29uc29sZS5sb2coMSk7' },
      {
        name: 'Volume discounts.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        kind: 'cloud',
        content: 'https://fabrikam-my.sharepoint.com/personal/ann/Volume%20discounts.xlsx',
        size: 18_432,
      },
    ],
  });
  ids.pricing = pricing.id;
  const pricingReplyIdx = childThreadIndex(pricingIdx, at(2), random);
  ids.pricingReplySent = mailbox.deliver(
    {
      subject: 'RE: Q3 pricing proposal',
      from: dana,
      to: [addr('ann')],
      cc: [addr('bob')],
      date: at(2),
      internetMessageId: '<DM6PR11MB0001A17F3E2D1C0B9A8@DM6PR11MB0001.namprd11.prod.outlook.com>',
      inReplyTo: pricing.internetMessageId,
      references: [pricing.internetMessageId ?? ''],
      threadIndex: pricingReplyIdx,
      threadTopic: 'Q3 pricing proposal',
      bodyText: 'Thanks Ann, I will review it this week.\n\nDana',
    },
    'sentitems',
  ).id;
  const pricingReplySent = mailbox.getItem(ids.pricingReplySent);
  ids.pricingReply2 = mailbox.deliver({
    subject: 'RE: Q3 pricing proposal',
    from: addr('ann'),
    to: [dana],
    cc: [addr('bob')],
    date: at(5),
    internetMessageId: '<q3-pricing.0002@fabrikam.com>',
    inReplyTo: pricingReplySent.internetMessageId,
    references: [pricing.internetMessageId ?? '', pricingReplySent.internetMessageId ?? ''],
    threadIndex: childThreadIndex(pricingReplyIdx, at(5), random),
    threadTopic: 'Q3 pricing proposal',
    bodyText: 'Great, thank you. One more detail: the volume discount starts at 500 seats.\n\nAnn',
  }).id;

  // A tracked email with a tracking token in its subject, and the answer to it.
  const renewalIdx = newThreadIndex(at(6), random);
  const renewal = mailbox.deliver(
    {
      subject: `Contract renewal ${DEMO_TRACKING_TOKEN}`,
      from: dana,
      to: [addr('bob')],
      date: at(6),
      internetMessageId: '<DM6PR11MB0002B27F3E2D1C0B9A8@DM6PR11MB0002.namprd11.prod.outlook.com>',
      threadIndex: renewalIdx,
      bodyText: 'Hi Bob,\n\nYour contract is up for renewal next month. Shall we set up a call?\n\nDana',
    },
    'sentitems',
  );
  ids.renewalSent = renewal.id;
  ids.renewalReply = mailbox.deliver({
    subject: `RE: Contract renewal ${DEMO_TRACKING_TOKEN}`,
    from: addr('bob'),
    to: [dana],
    date: at(9),
    internetMessageId: '<renewal.0001@fabrikam.com>',
    inReplyTo: renewal.internetMessageId,
    references: [renewal.internetMessageId ?? ''],
    threadIndex: childThreadIndex(renewalIdx, at(9), random),
    threadTopic: `Contract renewal ${DEMO_TRACKING_TOKEN}`,
    bodyText: 'Hi Dana, yes please. Tuesday afternoon works for me.\n\nBob',
  }).id;

  ids.onboarding = mailbox.deliver({
    subject: 'Adventure Works onboarding questions',
    from: addr('carla'),
    to: [dana],
    date: at(10),
    internetMessageId: '<onboarding.77@adventure-works.com>',
    bodyText: 'Hello Dana,\n\nWe have a few questions about the onboarding schedule.\n\nCarla',
  }).id;

  const welcomeIdx = newThreadIndex(at(11), random);
  const welcome = mailbox.deliver(
    {
      subject: 'Welcome to Contoso',
      from: dana,
      to: [addr('carla')],
      date: at(11),
      internetMessageId: '<DM6PR11MB0003C37F3E2D1C0B9A8@DM6PR11MB0003.namprd11.prod.outlook.com>',
      threadIndex: welcomeIdx,
      bodyText: 'Welcome aboard, Carla! Let me know if you need anything.\n\nDana',
    },
    'sentitems',
  );
  ids.welcomeSent = welcome.id;
  ids.welcomeReply = mailbox.deliver({
    subject: 'RE: Welcome to Contoso',
    from: addr('carla'),
    to: [dana],
    date: at(13),
    internetMessageId: '<welcome-reply.78@adventure-works.com>',
    inReplyTo: welcome.internetMessageId,
    references: [welcome.internetMessageId ?? ''],
    threadIndex: childThreadIndex(welcomeIdx, at(13), random),
    threadTopic: 'Welcome to Contoso',
    bodyText: 'Thank you, Dana!\n\nCarla',
  }).id;

  // A lead asks for a demo; Dana follows up; Sam forwards the request to Dana.
  const demoIdx = newThreadIndex(at(14), random);
  const demoRequest = mailbox.deliver({
    subject: 'Interested in a demo',
    from: addr('evan'),
    to: [dana],
    date: at(14),
    internetMessageId: '<demo-request.5@wingtiptoys.com>',
    threadIndex: demoIdx,
    bodyText:
      'Hi,\n\nWe would like to see a demo of your product for our 40 stores.\n\nEvan Wright\nWingtip Toys',
  });
  ids.demoRequest = demoRequest.id;
  ids.demoFollowUpSent = mailbox.deliver(
    {
      subject: 'RE: Interested in a demo',
      from: dana,
      to: [addr('evan')],
      date: at(15),
      internetMessageId: '<DM6PR11MB0004D47F3E2D1C0B9A8@DM6PR11MB0004.namprd11.prod.outlook.com>',
      inReplyTo: demoRequest.internetMessageId,
      references: [demoRequest.internetMessageId ?? ''],
      threadIndex: childThreadIndex(demoIdx, at(15), random),
      threadTopic: 'Interested in a demo',
      bodyText: 'Hi Evan, happy to. Does Thursday at 10:00 work?\n\nDana',
    },
    'sentitems',
  ).id;
  ids.demoForward = mailbox.deliver({
    subject: 'FW: Interested in a demo',
    from: addr('sam'),
    to: [dana],
    date: at(16),
    internetMessageId: '<SN6PR11MB0005E57F3E2D1C0B9A8@SN6PR11MB0005.namprd11.prod.outlook.com>',
    inReplyTo: demoRequest.internetMessageId,
    references: [demoRequest.internetMessageId ?? ''],
    threadIndex: childThreadIndex(demoIdx, at(16), random),
    threadTopic: 'Interested in a demo',
    bodyText:
      'Dana, this one is for you.\n\nSam\n\n-----Original Message-----\nFrom: Evan Wright <evan@wingtiptoys.com>\nSubject: Interested in a demo',
  }).id;

  ids.partnership = mailbox.deliver({
    subject: 'Partnership opportunity',
    from: addr('stranger'),
    to: [dana],
    date: at(18),
    internetMessageId: '<partner.991@example.org>',
    bodyText: 'Dear Dana,\n\nI would like to discuss a partnership.\n\nAlex',
  }).id;

  ids.invoice = mailbox.deliver({
    subject: 'Invoice 4471 from Fabrikam',
    from: addr('shared'),
    to: [dana],
    date: at(20),
    internetMessageId: '<invoice-4471@fabrikam.com>',
    bodyText: 'Please find invoice 4471 attached. Payment is due in 30 days.\n\nFabrikam Accounts',
  }).id;

  ids.lunch = mailbox.deliver({
    subject: 'Lunch next week?',
    from: addr('bob'),
    to: [dana],
    cc: [addr('sam')],
    date: at(24),
    internetMessageId: '<lunch.0003@fabrikam.com>',
    bodyText: 'Dana, Sam: lunch next Wednesday?\n\nBob',
  }).id;

  ids.wingtipPricing = mailbox.deliver({
    subject: 'Pricing question about the Wingtip rollout',
    from: addr('evan'),
    to: [dana],
    date: at(26),
    internetMessageId: '<pricing-question.6@wingtiptoys.com>',
    bodyText: 'Dana, what would the price be for 40 stores?\n\nEvan',
  }).id;

  ids.kickoffNotes = mailbox.deliver({
    subject: 'Meeting notes: kickoff',
    from: addr('ann'),
    to: [dana, addr('bob')],
    cc: [addr('sam')],
    date: at(28),
    internetMessageId: '<kickoff-notes.0004@fabrikam.com>',
    bodyText: 'Notes from today’s kickoff are below.\n\n1. Scope agreed\n2. Next meeting in two weeks\n\nAnn',
  }).id;

  return ids;
}

/** Keys of the demo calendar's meetings. */
export type DemoAppointmentKey = 'fabrikamReview' | 'adventureWorksDemo' | 'fabrikamSiteVisit';

/**
 * Dana's calendar: a meeting she organizes with a CRM contact (Ann), an address the CRM does not know
 * (Alex) and a colleague (Sam, optional); one she attends, organized by a CRM contact (Carla), with a
 * lead as an optional attendee; and an all-day visit she organizes. Kept apart from loadDemoMailbox,
 * whose items are mail only.
 */
export function loadDemoCalendar(mailbox: SimMailbox): Record<DemoAppointmentKey, string> {
  const dana = addr('dana');
  const day = (offsetDays: number) => new Date(Date.UTC(2026, 10, 9 + offsetDays));
  return {
    fabrikamReview: mailbox.addAppointment({
      subject: 'Q3 pricing review',
      organizer: dana,
      requiredAttendees: [addr('ann'), addr('stranger')],
      optionalAttendees: [addr('sam')],
      start: at(7 * 24 + 6),
      end: at(7 * 24 + 7),
      location: 'Teams meeting',
      bodyText: 'Agenda:\n1. The Q3 proposal\n2. Volume discounts\n\nDana',
    }).id,
    adventureWorksDemo: mailbox.addAppointment({
      subject: 'Adventure Works product demo',
      organizer: addr('carla'),
      requiredAttendees: [dana],
      optionalAttendees: [addr('evan')],
      start: at(8 * 24 + 2),
      end: at(8 * 24 + 3),
      location: 'Adventure Works, room 4',
      bodyText: 'A demo of the new catalog for Contoso.\n\nCarla',
    }).id,
    fabrikamSiteVisit: mailbox.addAppointment({
      subject: 'Fabrikam site visit',
      organizer: dana,
      requiredAttendees: [addr('bob')],
      start: day(3),
      end: day(4),
      isAllDayEvent: true,
      location: 'Fabrikam HQ',
    }).id,
  };
}
