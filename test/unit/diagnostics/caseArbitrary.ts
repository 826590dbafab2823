/**
 * Explain cases (tracking.md §6) that walk many paths of the rules: actions, directions and folders,
 * filtering methods, internal and external parties, duplicates and conflicts, correlation by
 * Message-ID, token and conversation, and addresses written in other cases.
 */
import fc from 'fast-check';
import { baseCase, contact, merge, orgDb, record, tracked, type Json } from '../../support/cases';

const people = [
  'ann@fabrikam.com',
  'Ann@Fabrikam.com',
  'bob@fabrikam.com',
  'me@contoso.com',
  'eve@contoso.com',
  'not-an-address',
  'x@y',
];
const address = fc.constantFrom(...people);

const records = fc
  .array(
    fc.tuple(fc.constantFrom('contact', 'account', 'lead', 'systemuser', 'queue'), address, fc.boolean()),
    { maxLength: 4 },
  )
  .map((list) =>
    list.map(([type, email, active], i) =>
      type === 'contact'
        ? contact(`r${i}`, [email], `2020-01-0${i + 1}T00:00:00Z`, { active })
        : record(type, `r${i}`, [email], `2020-01-0${i + 1}T00:00:00Z`, { active }),
    ),
  );

const trackedEmails = fc
  .array(
    fc.record({
      how: fc.constantFrom('messageId', 'inReplyTo', 'token', 'subject', 'none'),
      by: fc.constantFrom('u1', 'u2'),
      addresses: fc.array(address, { maxLength: 3 }),
    }),
    { maxLength: 2 },
  )
  .map((list) =>
    list.map(({ how, by, addresses }, i) =>
      tracked(`e${i}`, {
        messageId:
          how === 'messageId' ? '<new@fabrikam.com>' : how === 'inReplyTo' ? '<parent@x>' : `<e${i}@crm>`,
        trackingToken: how === 'token' ? 'CRM:0001234' : null,
        subject: how === 'subject' ? 'Quote for May' : 'Other',
        trackedBy: by,
        addresses,
      }),
    ),
  );

export const caseArbitrary: fc.Arbitrary<Json> = fc
  .record({
    action: fc.constantFrom('incoming', 'track', 'compose'),
    direction: fc.constantFrom('incoming', 'outgoing'),
    folder: fc.constantFrom('inbox', 'sentitems', 'archive'),
    from: fc.option(address, { nil: null }),
    to: fc.array(address, { maxLength: 3 }),
    cc: fc.array(address, { maxLength: 2 }),
    subject: fc.constantFrom('Quote', 'RE: Quote for May CRM:0001234', 'FW: Quote for May'),
    method: fc.integer({ min: 0, max: 4 }),
    autocreate: fc.integer({ min: 0, max: 2 }),
    ignoreInternal: fc.boolean(),
    unresolveMultiple: fc.boolean(),
    smart: fc.boolean(),
    orgDbFlags: fc.record({
      AllowPromoteDuplicates: fc.boolean(),
      OverrideV5SenderConflictResolution: fc.boolean(),
      UnresolveSenderInCaseOfMultipleMatch: fc.boolean(),
      AutoCreateContactOnPromote: fc.boolean(),
      AutoTrackSentFolderItems: fc.boolean(),
      OverrideTrackInCrmBehaviour: fc.constantFrom(0, 1),
    }),
    userEmail: fc.option(address, { nil: null }),
    records,
    trackedEmails,
    reconciliation: fc.constantFrom('all-matches', 'primary-email-only'),
  })
  .map((c) =>
    merge(baseCase(), {
      action: c.action,
      email: {
        direction: c.direction,
        folder: c.folder,
        subject: c.subject,
        from: c.from === null ? null : { address: c.from, name: 'Some One' },
        to: c.to.map((a) => ({ address: a })),
        cc: c.cc.map((a) => ({ address: a, name: 'Cc Person' })),
        inReplyTo: '<parent@x>',
        references: ['<parent@x>'],
        composeType: c.action === 'compose' ? 'reply' : null,
      },
      user: { id: 'u1', email: c.userEmail, mailboxApproved: true },
      settings: {
        organization: {
          emailcorrelationenabled: true,
          useTrackingToken: true,
          enablesmartmatching: c.smart,
          ignoreinternalemail: c.ignoreInternal,
          unresolveemailaddressifmultiplematch: c.unresolveMultiple,
          orgdborgsettings: orgDb(c.orgDbFlags),
        },
        user: {
          incomingemailfilteringmethod: c.method,
          autocreatecontactonpromote: c.autocreate,
          recipientReconciliation: c.reconciliation,
        },
        client: {},
      },
      crm: { records: c.records, trackedEmails: c.trackedEmails, folderMappings: [] },
    }),
  );
