/**
 * "Why?" in plain words (traceWords.ts): each line the rules write is recognised by its template
 * and said as a sentence with its values; record ids and Message-IDs stay out of the sentence.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { traceSentence, traceStepOf, traceSteps, type TraceTranslate } from '../../../src/app/traceWords';
import { readCase } from '../../../src/cli/caseInput';
import { explain, explainCase } from '../../../src/cli/explain';
import { loadTraceWords } from '../../../src/i18n/traceStrings';
import { caseArbitrary } from './caseArbitrary';

let t: TraceTranslate;
beforeAll(async () => {
  ({ t } = await loadTraceWords('en-US'));
});
/** Says which key a sentence was made from, and with what. */
const keyOf: TraceTranslate = (key, params) => (params ? `${key} ${JSON.stringify(params)}` : key);

/** One line per template, as the rules write it, and the key its sentence is made from. */
const TEMPLATE_CASES: readonly [string, string][] = [
  ['§2.1 step 1: the email has no Message-ID; not checked for duplicates', 'trace.dupNoMessageId'],
  ['§2.1 step 1: no tracked email has Message-ID <a@x>', 'trace.dupNone'],
  ['§2.2 step 1: this user already tracked it as e1', 'trace.dupMine'],
  ['§2.1 step 1: already tracked as e1 and AllowPromoteDuplicates is false', 'trace.dupOther'],
  [
    '§2.1 step 1: tracked by another user as e1; AllowPromoteDuplicates lets this user track it again',
    'trace.dupAllowed',
  ],
  [
    '§2.1 step 2: the organization does not promote incoming email (promoteIncomingEmail = false)',
    'trace.promotionOff',
  ],
  [
    '§2.1 step 2: checking incoming email is off for this user (backgroundTrackEmail = false)',
    'trace.backgroundOff',
  ],
  ['§2.1 step 2: email promotion is on and this user checks incoming email', 'trace.promotionOn'],
  ['§2.1 step 3: the organization does not require an approved mailbox', 'trace.approvalNotRequired'],
  ['§2.1 step 3: the mailbox is approved', 'trace.mailboxApproved'],
  [
    '§2.1 step 3: the organization requires an approved mailbox and this one is not approved',
    'trace.mailboxNotApproved',
  ],
  [
    '§2.1 step 4: outgoing email in Sent Items is not evaluated (AutoTrackSentFolderItems = false)',
    'trace.sentNotEvaluated',
  ],
  ['§2.1 step 4: outgoing email in folder "Drafts" is not evaluated', 'trace.outgoingOtherFolder'],
  [
    '§2.1 step 4: outgoing email in Sent Items is evaluated (AutoTrackSentFolderItems)',
    'trace.sentEvaluated',
  ],
  ['§2.1 step 4: incoming email', 'trace.incoming'],
  ['§2.1 step 5: folder "Projects" is mapped to account a1', 'trace.folderMapped'],
  ['§2.1 step 5: folder "Projects" is not evaluated and has no folder mapping', 'trace.folderNoMapping'],
  ['§2.1 step 5: folder "Projects" is not evaluated', 'trace.folderNotEvaluated'],
  ['§2.1 step 5: folder inbox is evaluated', 'trace.folderEvaluated'],
  ['§2.1 step 6: "x@y" is not a valid email address', 'trace.senderInvalid'],
  ['§2.1 step 6: the email has no sender address', 'trace.senderMissing'],
  ['§2.1 step 6: the sender ann@fabrikam.com is a valid address', 'trace.senderValid'],
  [
    '§2.1 step 7: email between users is tracked like any other (ignoreinternalemail = false)',
    'trace.internalTracked',
  ],
  [
    '§2.1 step 7: the sender and every recipient are users or queues (ignoreinternalemail)',
    'trace.internalRejected',
  ],
  ['§2.1 step 7: not internal email (a party is not a user or queue)', 'trace.notInternal'],
  ['§2.1 step 8: skipped for outgoing email', 'trace.senderSkippedOutgoing'],
  ['§2.1 step 8: the sender matches no record', 'trace.senderNoRecord'],
  [
    '§2.1 step 8: the sender matches 2 records and OverrideV5SenderConflictResolution is on: not tracked automatically',
    'trace.senderConflictRefused',
  ],
  [
    '§2.1 step 8: the sender matches 2 records; it stays unresolved (UnresolveSenderInCaseOfMultipleMatch)',
    'trace.senderUnresolved',
  ],
  ['§2.1 step 8: the sender matches 2 records; contact c1 was created first', 'trace.senderFirstCreated'],
  ['§2.1 step 8: the sender is contact c1', 'trace.senderIs'],
  ['§2.1 step 9: filtering method 0: all email is tracked', 'trace.filterAll'],
  ['§2.1 step 9: filtering method 1: only responses to tracked email', 'trace.filterResponses'],
  [
    '§2.1 step 9: filtering method 2: recipient lead l1 is a contact, account or lead',
    'trace.filterRecipientMatch',
  ],
  ['§2.1 step 9: filtering method 3: no recipient is an email-enabled record', 'trace.filterNoRecipient'],
  [
    '§2.1 step 9: filtering method 2: the sender is a queue, not a contact, account or lead',
    'trace.filterSenderWrongType',
  ],
  ['§2.1 step 9: filtering method 2: the sender is not resolved to a record', 'trace.filterSenderUnresolved'],
  [
    '§2.1 step 9: filtering method 2: the sender is account a1, a contact, account or lead',
    'trace.filterSenderMatch',
  ],
  ['§2.1 step 9: filtering method 4: no email is tracked', 'trace.filterNone'],
  ['§2.1 step 10: regarding opportunity o1, from e1', 'trace.regardingFromConversation'],
  ['§2.1 step 10: e1 has no regarding; tracked without regarding', 'trace.conversationNoRegarding'],
  ['§2.1 step 10: nothing correlates; tracked without regarding', 'trace.noConversationNoRegarding'],
  [
    '§2.2 step 2: Track in CRM works as Set Regarding (OverrideTrackInCrmBehaviour = 1) and no record was chosen',
    'trace.regardingRequired',
  ],
  ["§2.2 step 3: tracked at the user's request", 'trace.userRequest'],
  ['§2.2 step 3: regarding the chosen account a1', 'trace.chosenRegarding'],
  [
    '§2.3 step 1: replies and forwards are not tracked automatically (ClientDisableTrackingForReplyForwardEmails)',
    'trace.replyForwardOff',
  ],
  ['§2.3 step 2: the draft is marked to be tracked when sent', 'trace.draftMarked'],
  ['§2.3 step 3: the draft correlates to no tracked email', 'trace.draftNoConversation'],
  ['§2.5: no record is created from the sender (AutoCreateContactOnPromote = false)', 'trace.createOff'],
  ['§2.5: the sender matches no record; a contact is created for ann@fabrikam.com', 'trace.createRecord'],
  ['§3: correlation is off for the organization (emailcorrelationenabled = false)', 'trace.correlationOff'],
  [
    '§3.5: a forward is not correlated (DoNotCorrelateForwardedEmailsAsReplies)',
    'trace.forwardNotCorrelated',
  ],
  ['§3.1: skipped (IgnoreConversationIndexAndInReplyToForCorrelation)', 'trace.headersIgnored'],
  ['§3.1: <b@y> is the Message-ID of tracked email e1', 'trace.inReplyToMatch'],
  ['§3.1: no In-Reply-To or References', 'trace.noInReplyTo'],
  ["§3.1: none of In-Reply-To/References (2) is a tracked email's Message-ID", 'trace.inReplyToNoMatch'],
  ['§3.2: tracking tokens are off (useTrackingToken = false)', 'trace.tokensOff'],
  ['§3.2: the subject holds no tracking token with prefix CRM:', 'trace.noToken'],
  ['§3.2: token CRM:0001234 is the token of tracked email e1', 'trace.tokenMatch'],
  ['§3.2: token CRM:0001234 matches no tracked email; going on', 'trace.tokenNoMatch'],
  ['§3.3: no conversation index', 'trace.noConversationIndex'],
  ['§3.3: the conversation index is not a valid Thread-Index; skipped', 'trace.conversationIndexInvalid'],
  ["§3.3: tracked email e1's conversation index is an ancestor of this one", 'trace.conversationIndexMatch'],
  ['§3.3: no tracked email has an ancestor conversation index', 'trace.conversationIndexNoMatch'],
  ['§3.4: smart matching is off (DisableSmartMatching)', 'trace.smartOff'],
  [
    '§3.4: smart matching: 2 tracked email(s) share the subject words and ≥ 2 addresses; the latest is e1',
    'trace.smartMatch',
  ],
  [
    '§3.4: smart matching found no tracked email with the same subject words and addresses',
    'trace.smartNoMatch',
  ],
  ['§3.4: hashfilterkeywords is not a valid regular expression (Invalid group)', 'trace.smartFilterInvalid'],
  ['settings: settings.organization.bogus: unknown setting, ignored', 'trace.settingUnknown'],
  [
    'settings: orgdborgsettings Bogus: unknown OrgDBOrgSettings name, kept and ignored',
    'trace.settingUnknown',
  ],
  ['settings: settings.user.x: expected a boolean, got "y"', 'trace.settingProblem'],
  ['headers: read From, To from the raw header block', 'trace.headersRead'],
  ['headers: header line 3 is not UTF-8; read as windows-1252', 'trace.headersWarning'],
  ['decision: track (CorrelationMatch)', 'trace.finalTracked'],
  ['decision: do not track (SenderNotMatched)', 'trace.finalNotTracked'],
  ['decision: do not track (Duplicate)', 'trace.finalDuplicate'],
];

test.each(TEMPLATE_CASES)('%s is said with %s', (line, key) => {
  const sentence = traceSentence(line, keyOf);
  expect(sentence.recognised).toBe(true);
  expect(sentence.text.split(' ')[0]).toBe(key);
  expect(sentence.details).toBe(line);
});

test('every template case reads in English without a key left over', () => {
  for (const [line] of TEMPLATE_CASES) expect(traceSentence(line, t).text).not.toMatch(/trace\.|\{\w+\}/);
});

test('a record id or Message-ID is kept out of the sentence, in the details', () => {
  for (const line of [
    '§2.1 step 8: the sender is contact 7185cf82-aaaa',
    '§2.1 step 1: no tracked email has Message-ID <secret-id@x>',
    '§3.1: <b@y> is the Message-ID of tracked email 9c1d0000-ffff',
  ]) {
    const sentence = traceSentence(line, t);
    expect(sentence.text).not.toMatch(/7185cf82|secret-id|9c1d0000|<b@y>/);
    expect(sentence.details).toBe(line);
  }
});

test('a record the caller knows by name is named with its type', () => {
  const sentence = traceSentence('§2.1 step 8: the sender is contact c1', t, { 'contact:c1': 'Ann Lee' });
  expect(sentence.text).toBe(
    t('trace.senderIs', {
      record: t('trace.recordNamed', { type: t('trace.type_contact'), name: 'Ann Lee' }),
    }),
  );
});

test('an email already tracked ends "Already in the CRM as an activity; not tracked twice"', () => {
  expect(traceSentence('decision: do not track (Duplicate)', t).text).toBe(
    'Already in the CRM as an activity; not tracked twice.',
  );
});

test('a line no template knows is shown as the rules wrote it', () => {
  const sentence = traceSentence('§2.1 step 4: something new the rules say', t);
  expect(sentence).toMatchObject({ recognised: false, text: '§2.1 step 4: something new the rules say' });
});

test.each([
  ['§2.1 step 1: x', 'incoming1'],
  ['§2.1 step 10: x', 'incoming10'],
  ['§2.2 step 2: x', 'track2'],
  ['§2.3 step 1: x', 'compose1'],
  ['§2.5: x', 'create'],
  ['§3: x', 'correlation'],
  ['§3.2: x', 'correlation2'],
  ['settings: x', 'settings'],
  ['headers: x', 'headers'],
  ['decision: x', 'decision'],
  ['§2.1 step 11: x', 'other'],
  ['free text', 'other'],
])('%s is under step %s', (line, step) => {
  expect(traceStepOf(line)).toBe(step);
});

test('consecutive lines of one step are one step, titled as a plain question', () => {
  const steps = traceSteps(
    ['§2.1 step 1: no tracked email has Message-ID <a@x>', 'decision: track (AcceptAll)'],
    t,
  );
  expect(steps.map((s) => [s.step, s.title, s.sentences.length])).toEqual([
    ['incoming1', t('trace.stepIncoming1'), 1],
    ['decision', t('trace.stepDecision'), 1],
  ]);
  for (const step of steps) expect(step.title).not.toMatch(/§|trace\./);
});

test('in German the steps, sentences and final line are German', async () => {
  const { t: de } = await loadTraceWords('de-DE');
  const steps = traceSteps(
    ['§2.1 step 1: no tracked email has Message-ID <a@x>', 'decision: track (AcceptAll)'],
    de,
  );
  expect(steps[0]!.title).toBe('Ist die E-Mail schon im CRM?');
  expect(steps[1]!.sentences[0]!.text).toMatch(/^Nachverfolgt: /);
});

const unrecognised = (trace: readonly string[]): string[] =>
  trace.filter((line) => !traceSentence(line, t).recognised);

test('every line of every case in test/fixtures/cases is recognised', () => {
  const dir = path.join(__dirname, '../../fixtures/cases');
  const files = readdirSync(dir).filter((name) => /\.jsonl?$/.test(name));
  expect(files.length).toBeGreaterThan(0);
  for (const name of files) {
    const { decisions } = explain(readFileSync(path.join(dir, name), 'utf8'));
    expect(decisions.length).toBeGreaterThan(0);
    for (const decision of decisions)
      expect(unrecognised((JSON.parse(decision) as { trace: string[] }).trace)).toEqual([]);
  }
});

test('every line of real traces over many paths of the rules is recognised', () => {
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      expect(unrecognised(explainCase(readCase(c)).trace)).toEqual([]);
    }),
    { numRuns: 300 },
  );
});
