/**
 * "Deliver new mail": one round of realistic messages arriving in the demo mailbox, as a mail server
 * would put them there while the user works on something else. Each round is what the background
 * check must sort out without anyone opening the items (docs/spec/background-check.md):
 *
 * - replies to the three threads the demo CRM tracks (pricing, renewal with its tracking token, welcome),
 *   each carrying the parent's Message-ID in In-Reply-To and References and a child Thread-Index;
 * - a sender the CRM does not know;
 * - a known contact starting a new thread;
 * - one message whose Message-ID is in two folders (a server rule's copy into the "Fabrikam" folder).
 *
 * Message-IDs are new every round (the round's instant and a random part), so rounds never collide. A
 * reply whose parent is not in the mailbox (a mailbox that is not the demo one) is left out.
 */
import type { SimMailbox } from './mailbox';
import type { FolderId, SimAddress, SimItemSnapshot } from './model';
import type { Random } from './random';
import { DEMO_PEOPLE, DEMO_RULE_FOLDER, DEMO_TRACKING_TOKEN, type DemoPersonKey } from './demoMailbox';
import { childThreadIndex, newThreadIndex, normalizeSubject, replySubject } from './threading';

/**
 * The folder the duplicate copy goes to (created when missing, as a rule's target folder would be): the
 * demo CRM's folder tracking rule names it (emulator/seed.ts), so its mail is tracked regarding Fabrikam.
 */
export const NEW_MAIL_RULE_FOLDER: FolderId = DEMO_RULE_FOLDER;

/** An unknown sender (not in DEMO_PEOPLE, so not in the demo CRM). */
const NEWCOMER: SimAddress = { emailAddress: 'jordan.miles@northwind.example', displayName: 'Jordan Miles' };

export type NewMailKind = 'reply' | 'unknownSender' | 'knownContact' | 'duplicate';

export interface DeliveredMail {
  readonly kind: NewMailKind;
  readonly item: SimItemSnapshot;
}

const person = (key: DemoPersonKey): SimAddress => ({
  emailAddress: DEMO_PEOPLE[key].address,
  displayName: DEMO_PEOPLE[key].name,
});

/** Delivers one round at `now`; returns what arrived, in delivery order. */
export function deliverNewMail(mailbox: SimMailbox, now: Date, random: Random): DeliveredMail[] {
  const dana = person('dana');
  const stamp = `${now.getTime().toString(36)}.${random.hex(6)}`;
  const delivered: DeliveredMail[] = [];
  let minute = 0;
  // A minute apart, so the list shows them in the order they came, the last one a minute ago: mail
  // is received before anyone can see it, never in the future.
  const ROUND = 8;
  const nextDate = (): Date => new Date(now.getTime() - (ROUND - minute++) * 60_000);

  const reply = (parentMessageId: string, from: DemoPersonKey, bodyText: string): void => {
    const parent = mailbox.findByInternetMessageId(parentMessageId).find((p) => p.mode === 'read');
    if (!parent) return;
    const date = nextDate();
    const item = mailbox.deliver({
      subject: replySubject(parent.subject),
      from: person(from),
      to: [dana],
      cc: parent.cc.filter(
        (a) => a.emailAddress !== dana.emailAddress && a.emailAddress !== person(from).emailAddress,
      ),
      date,
      internetMessageId: `<re.${stamp}.${delivered.length}@${DEMO_PEOPLE[from].address.split('@')[1]}>`,
      inReplyTo: parent.internetMessageId,
      references: [...parent.references, ...(parent.internetMessageId ? [parent.internetMessageId] : [])],
      threadIndex: childThreadIndex(parent.threadIndex, date, random),
      threadTopic: normalizeSubject(parent.subject),
      bodyText,
    });
    delivered.push({ kind: 'reply', item });
  };

  reply(
    '<q3-pricing.0002@fabrikam.com>',
    'ann',
    'Hi Dana,\n\none more question on the proposal: can the volume discount apply from 400 seats?\n\nAnn',
  );
  reply(
    '<DM6PR11MB0002B27F3E2D1C0B9A8@DM6PR11MB0002.namprd11.prod.outlook.com>',
    'bob',
    `Hi Dana,\n\nlegal has signed off on the renewal (${DEMO_TRACKING_TOKEN}). I will send the paperwork on Monday.\n\nBob`,
  );
  reply(
    '<DM6PR11MB0003C37F3E2D1C0B9A8@DM6PR11MB0003.namprd11.prod.outlook.com>',
    'carla',
    'Hi Dana,\n\nour team has finished the first onboarding week. Thanks again for the warm welcome!\n\nCarla',
  );

  const unknownDate = nextDate();
  delivered.push({
    kind: 'unknownSender',
    item: mailbox.deliver({
      subject: 'Introduction: Northwind logistics services',
      from: NEWCOMER,
      to: [dana],
      date: unknownDate,
      internetMessageId: `<intro.${stamp}@northwind.example>`,
      threadIndex: newThreadIndex(unknownDate, random),
      bodyText:
        'Dear Dana,\n\nI lead partnerships at Northwind. Could we have a short call next week?\n\nJordan Miles',
    }),
  });

  const contactDate = nextDate();
  delivered.push({
    kind: 'knownContact',
    item: mailbox.deliver({
      subject: 'Site visit in December',
      from: person('bob'),
      to: [dana],
      cc: [person('ann')],
      date: contactDate,
      internetMessageId: `<visit.${stamp}@fabrikam.com>`,
      threadIndex: newThreadIndex(contactDate, random),
      bodyText: 'Hi Dana,\n\nwould you like to visit our plant in December? Ann will join us.\n\nBob',
    }),
  });

  // One message, two folders: the Inbox copy and a server rule's copy carry the same Message-ID.
  const duplicateDate = nextDate();
  const duplicate = {
    subject: 'Fabrikam product roadmap 2027',
    from: person('ann'),
    to: [dana],
    date: duplicateDate,
    internetMessageId: `<roadmap.${stamp}@fabrikam.com>`,
    threadIndex: newThreadIndex(duplicateDate, random),
    bodyText: 'Hi Dana,\n\nhere is our roadmap for next year, as promised.\n\nAnn',
  };
  delivered.push({ kind: 'duplicate', item: mailbox.deliver(duplicate, 'inbox') });
  delivered.push({ kind: 'duplicate', item: mailbox.deliver(duplicate, NEW_MAIL_RULE_FOLDER) });
  return delivered;
}
