/**
 * The demo mailbox of me@contoso.com, the same on every machine: the standard folders, a child folder
 * Inbox/Projects/Fabrikam, and a few dozen messages over the three days before 2026-01-10T09:00Z
 * (the spec's example `now`): threads with replies both ways, unknown senders, a tracking token in a
 * subject, drafts, junk, and one Message-ID present in two folders (a rule's copy); and, from
 * seedItems.ts, three contacts, a meeting next week and a To Do task.
 */
import { graphId, type GraphDb, type Recipient } from './db';
import { deliverMessage, messageIdFor, threadIndexFor, type MessageSpec } from './mail';
import { ME } from './mailboxOwner';
import { seedOutlookItems } from './seedItems';

export { ME, MAILBOX } from './mailboxOwner';

/**
 * `demo`: folders, messages, contacts, a meeting and a task; `empty`: folders only; `workbench`: folders
 * and the contacts, meeting and task but no messages (the workbench mirrors its own mail in, and its
 * Outlook panel shows what synchronization does to the rest).
 */
export type GraphSeedKind = 'demo' | 'empty' | 'workbench';

/** Well-known name → display name; `msgfolderroot` is the parent of the others. */
const STANDARD_FOLDERS: readonly (readonly [string, string])[] = [
  ['inbox', 'Inbox'],
  ['sentitems', 'Sent Items'],
  ['drafts', 'Drafts'],
  ['deleteditems', 'Deleted Items'],
  ['junkemail', 'Junk Email'],
  ['outbox', 'Outbox'],
  ['archive', 'Archive'],
];

export const DEMO_FOLDERS = {
  root: graphId('folder', 'msgfolderroot'),
  inbox: graphId('folder', 'inbox'),
  projects: graphId('folder', 'Inbox/Projects'),
  fabrikam: graphId('folder', 'Inbox/Projects/Fabrikam'),
};

const ANN: Recipient = { name: 'Ann Smith', address: 'ann@fabrikam.com' };
const RAJ: Recipient = { name: 'Raj Patel', address: 'raj.patel@fabrikam.com' };
const BOB: Recipient = { name: 'Bob Kelly', address: 'bob@contoso.com' };
const LENA: Recipient = { name: 'Lena Fischer', address: 'lena.fischer@adventure-works.com' };
const STRANGERS: readonly Recipient[] = [
  { name: 'Priya Nair', address: 'priya@northwind-traders.example' },
  { name: 'Tom Wu', address: 'tom.wu@gmail.com' },
  { name: 'Carla Mendes', address: 'carla@unknown-startup.io' },
  { name: '', address: 'noreply@tailspintoys.com' },
];

const BASE = Date.parse('2026-01-10T09:00:00Z');
/** An instant `hours` before the demo's "now". */
function hoursAgo(hours: number): string {
  return new Date(BASE - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A reply to `parent`, carrying its Message-ID, References and Thread-Index. */
function replyTo(parent: MessageSpec, parentReferences: readonly string[] = []): MessageSpec['replyTo'] {
  return {
    messageId: messageIdFor(parent),
    references: parentReferences,
    threadIndex: threadIndexFor(parent),
  };
}

function demoMessages(): MessageSpec[] {
  const list: MessageSpec[] = [];
  // A Fabrikam contract thread: Ann writes, I answer, Ann answers again.
  const contract: MessageSpec = {
    key: 'contract-1',
    folder: 'inbox',
    subject: 'Fabrikam renewal: draft contract',
    from: ANN,
    to: [ME],
    cc: [RAJ],
    receivedAt: hoursAgo(60),
    body: 'Hi Megan,\n\nattached is the draft renewal for next year. Can we talk on Thursday?\n\nAnn',
  };
  const contractReply: MessageSpec = {
    key: 'contract-2',
    folder: 'sentitems',
    subject: 'RE: Fabrikam renewal: draft contract',
    from: ME,
    to: [ANN],
    cc: [RAJ],
    receivedAt: hoursAgo(58),
    replyTo: replyTo(contract),
    isRead: true,
  };
  const contractAgain: MessageSpec = {
    key: 'contract-3',
    folder: 'inbox',
    subject: 'RE: Fabrikam renewal: draft contract',
    from: ANN,
    to: [ME],
    cc: [RAJ],
    receivedAt: hoursAgo(40),
    replyTo: replyTo(contractReply, [messageIdFor(contract)]),
  };
  list.push(contract, contractReply, contractAgain);

  // Fabrikam project mail filed by a rule; the kickoff note is also kept in the Inbox (same Message-ID).
  const kickoff: MessageSpec = {
    key: 'fabrikam-kickoff',
    folder: DEMO_FOLDERS.fabrikam,
    subject: 'Project Phoenix kickoff notes',
    from: RAJ,
    to: [ME, BOB],
    receivedAt: hoursAgo(50),
  };
  list.push(kickoff, {
    ...kickoff,
    key: 'fabrikam-kickoff-inbox-copy',
    folder: 'inbox',
    messageId: messageIdFor(kickoff),
  });
  for (let i = 1; i <= 4; i += 1) {
    list.push({
      key: `fabrikam-status-${i}`,
      folder: DEMO_FOLDERS.fabrikam,
      subject: `Project Phoenix status, week ${i}`,
      from: RAJ,
      to: [ME],
      receivedAt: hoursAgo(48 - i * 6),
      replyTo: i > 1 ? replyTo(kickoff) : undefined,
    });
  }

  // A case with the CRM's tracking token in the subject.
  list.push({
    key: 'token-case',
    folder: 'inbox',
    subject: 'RE: Delivery delayed CRM:0001001',
    from: LENA,
    to: [ME],
    receivedAt: hoursAgo(30),
  });

  // Colleagues, and a thread I started (sent, then answered).
  const question: MessageSpec = {
    key: 'bob-question',
    folder: 'sentitems',
    subject: 'Adventure Works pricing question',
    from: ME,
    to: [BOB],
    receivedAt: hoursAgo(26),
    isRead: true,
  };
  list.push(question, {
    key: 'bob-answer',
    folder: 'inbox',
    subject: 'RE: Adventure Works pricing question',
    from: BOB,
    to: [ME],
    receivedAt: hoursAgo(25),
    replyTo: replyTo(question),
  });
  for (let i = 1; i <= 6; i += 1) {
    list.push({
      key: `internal-${i}`,
      folder: 'inbox',
      subject: ['Team lunch', 'Quarterly numbers', 'Holiday rota', 'Desk move', 'Training', 'Expenses'][
        i - 1
      ] as string,
      from: BOB,
      to: [ME],
      receivedAt: hoursAgo(70 - i * 9),
      isRead: i % 2 === 0,
    });
  }

  // Unknown senders: no contact, lead or account in the CRM.
  STRANGERS.forEach((stranger, i) => {
    for (let j = 0; j < 2; j += 1) {
      list.push({
        key: `stranger-${i}-${j}`,
        folder: 'inbox',
        subject: j === 0 ? `Introduction from ${stranger.name || 'Tailspin Toys'}` : 'Following up',
        from: stranger,
        to: [ME],
        receivedAt: hoursAgo(20 - i * 4 - j * 1.5),
        extraHeaders: stranger.address.startsWith('noreply')
          ? [{ name: 'List-Unsubscribe', value: '<mailto:unsubscribe@tailspintoys.com>' }]
          : [],
      });
    }
  });
  list.push({
    key: 'lena-meeting',
    folder: 'inbox',
    subject: 'Meeting next week',
    from: LENA,
    to: [ME],
    cc: [BOB],
    receivedAt: hoursAgo(2),
    categories: ['Blue category'],
  });

  // Sent items with no answer yet.
  list.push({
    key: 'sent-lena',
    folder: 'sentitems',
    subject: 'Proposal for Adventure Works',
    from: ME,
    to: [LENA],
    receivedAt: hoursAgo(12),
    isRead: true,
  });

  // Drafts (no Message-ID, no headers yet), junk, deleted.
  list.push(
    {
      key: 'draft-1',
      folder: 'drafts',
      subject: 'RE: Meeting next week',
      from: ME,
      to: [LENA],
      receivedAt: hoursAgo(1),
      isDraft: true,
    },
    {
      key: 'draft-2',
      folder: 'drafts',
      subject: 'Notes',
      from: ME,
      to: [],
      receivedAt: hoursAgo(5),
      isDraft: true,
    },
    {
      key: 'junk-1',
      folder: 'junkemail',
      subject: 'You have won a prize',
      from: { name: 'Prize Desk', address: 'win@prize.example' },
      to: [ME],
      receivedAt: hoursAgo(15),
    },
    {
      key: 'junk-2',
      folder: 'junkemail',
      subject: 'Invoice overdue!!!',
      from: { name: '', address: 'billing@suspicious.example' },
      to: [ME],
      receivedAt: hoursAgo(9),
    },
    {
      key: 'deleted-1',
      folder: 'deleteditems',
      subject: 'Webinar reminder',
      from: STRANGERS[3] as Recipient,
      to: [ME],
      receivedAt: hoursAgo(44),
      isRead: true,
    },
    {
      key: 'deleted-2',
      folder: 'deleteditems',
      subject: 'Old thread',
      from: BOB,
      to: [ME],
      receivedAt: hoursAgo(66),
      isRead: true,
    },
  );
  return list;
}

const DEMO_CATEGORIES: readonly (readonly [string, string])[] = [
  ['Red category', 'preset0'],
  ['Orange category', 'preset1'],
  ['Yellow category', 'preset3'],
  ['Green category', 'preset4'],
  ['Blue category', 'preset7'],
  ['Purple category', 'preset8'],
];

/** Fills an empty mailbox: always the folders and the standard categories; `demo` adds the messages. */
export function seedGraphDatabase(db: GraphDb, kind: GraphSeedKind): void {
  // A database made before contacts, events and tasks existed gets them once, for the seed it had.
  const seededKind = db.meta('seeded');
  if (seededKind && !db.meta('items-seeded')) {
    db.transaction(() => {
      if (seededKind === 'demo' || seededKind === 'workbench') seedOutlookItems(db);
      db.setMeta('items-seeded', seededKind);
    });
  }
  if (seededKind) return;
  db.transaction(() => {
    db.insertFolder({
      id: DEMO_FOLDERS.root,
      well_known: 'msgfolderroot',
      display_name: 'Top of Information Store',
      parent_id: null,
      is_hidden: 0,
    });
    for (const [wellKnown, displayName] of STANDARD_FOLDERS) {
      db.insertFolder({
        id: graphId('folder', wellKnown),
        well_known: wellKnown,
        display_name: displayName,
        parent_id: DEMO_FOLDERS.root,
        is_hidden: 0,
      });
    }
    for (const [name, color] of DEMO_CATEGORIES) {
      db.insertCategory({ id: graphId('category', name), display_name: name, color });
    }
    if (kind === 'demo') {
      db.insertFolder({
        id: DEMO_FOLDERS.projects,
        well_known: null,
        display_name: 'Projects',
        parent_id: DEMO_FOLDERS.inbox,
        is_hidden: 0,
      });
      db.insertFolder({
        id: DEMO_FOLDERS.fabrikam,
        well_known: null,
        display_name: 'Fabrikam',
        parent_id: DEMO_FOLDERS.projects,
        is_hidden: 0,
      });
      for (const spec of demoMessages()) deliverMessage(db, spec);
      seedOutlookItems(db);
    }
    if (kind === 'workbench') seedOutlookItems(db);
    db.setMeta('seeded', kind);
    db.setMeta('items-seeded', kind);
  });
}
