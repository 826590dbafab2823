/**
 * A decision's trace (tracking.md §2–§3, as src/rules and the explain command write it) in plain
 * sentences, in the user's language: the pane's "Why?" and the admin page's preview both read it.
 *
 * Each line is recognised by its template and worded with its values. Record ids, Message-IDs,
 * tokens and setting names stay out of the sentence: a record is its type and, when the caller knows
 * it, its name. The line as the rules wrote it is kept as the sentence's `details`, which is what
 * support compares with `track-in-crm explain`. A line no template matches is shown as written
 * (`recognised: false`); a test runs every case and the rules' tables through here and fails on one.
 */
import type traceEn from '../i18n/resources/en/trace.json';
import type { KeysOf } from '../i18n/strings';

export type TraceKey = KeysOf<{ trace: typeof traceEn }>;
export type TraceTranslate = (key: TraceKey, params?: Readonly<Record<string, string | number>>) => string;

/** Names of records by `type:id` (ItemState.names): a record with a known name is named. */
export type RecordNames = Readonly<Record<string, string>>;

export interface TraceSentence {
  /** The step the line belongs to: `incoming1`, `correlation2`, `settings`, `decision`, `other`. */
  readonly step: string;
  readonly text: string;
  /** The line as the rules wrote it (ids, Message-IDs, setting names), for support. */
  readonly details: string;
  readonly recognised: boolean;
}

export interface TraceStep {
  readonly step: string;
  /** The step as a plain question (`Is it already in the CRM?`). */
  readonly title: string;
  readonly sentences: readonly TraceSentence[];
}

type Groups = Readonly<Record<string, string | undefined>>;

interface Wording {
  readonly t: TraceTranslate;
  readonly record: (type: string | undefined, id: string | undefined) => string;
  readonly folder: (name: string | undefined) => string;
  readonly kinds: (method: string | undefined) => string;
  readonly reason: (reason: string | undefined) => string;
}

interface Template {
  readonly pattern: RegExp;
  readonly words: (g: Groups, w: Wording) => string;
}

const LOCK = '(?<locked> \\(locked by HideEmailAutoTrackOptions\\))?';
const KINDS = '(?:a contact, account or lead|an email-enabled record)';
const DUP = '§2\\.[12] step 1: ';

/** Appends the "locked by your organization" note of a filtering-method line. */
const locked = (g: Groups, w: Wording, text: string): string =>
  g.locked ? `${text} ${w.t('trace.filterLocked')}` : text;

/** One template per line the rules can write; the first match wins, so the specific come first. */
const TEMPLATES: readonly Template[] = [
  // §2.1 step 1 / §2.2 step 1: the duplicate check.
  {
    pattern: RegExp(`^${DUP}the email has no Message-ID; not checked for duplicates$`),
    words: (_, w) => w.t('trace.dupNoMessageId'),
  },
  { pattern: RegExp(`^${DUP}no tracked email has Message-ID .+$`), words: (_, w) => w.t('trace.dupNone') },
  { pattern: RegExp(`^${DUP}this user already tracked it as \\S+$`), words: (_, w) => w.t('trace.dupMine') },
  {
    pattern: RegExp(`^${DUP}already tracked as \\S+ and AllowPromoteDuplicates is false$`),
    words: (_, w) => w.t('trace.dupOther'),
  },
  {
    pattern: RegExp(
      `^${DUP}tracked by another user as \\S+; AllowPromoteDuplicates lets this user track it again$`,
    ),
    words: (_, w) => w.t('trace.dupAllowed'),
  },
  // §2.1 steps 2–3.
  {
    pattern:
      /^§2\.1 step 2: the organization does not promote incoming email \(promoteIncomingEmail = false\)$/,
    words: (_, w) => w.t('trace.promotionOff'),
  },
  {
    pattern: /^§2\.1 step 2: checking incoming email is off for this user \(backgroundTrackEmail = false\)$/,
    words: (_, w) => w.t('trace.backgroundOff'),
  },
  {
    pattern: /^§2\.1 step 2: email promotion is on and this user checks incoming email$/,
    words: (_, w) => w.t('trace.promotionOn'),
  },
  {
    pattern: /^§2\.1 step 3: the organization does not require an approved mailbox$/,
    words: (_, w) => w.t('trace.approvalNotRequired'),
  },
  { pattern: /^§2\.1 step 3: the mailbox is approved$/, words: (_, w) => w.t('trace.mailboxApproved') },
  {
    pattern: /^§2\.1 step 3: the organization requires an approved mailbox and this one is not approved$/,
    words: (_, w) => w.t('trace.mailboxNotApproved'),
  },
  // §2.1 step 4.
  {
    pattern:
      /^§2\.1 step 4: outgoing email in Sent Items is not evaluated \(AutoTrackSentFolderItems = false\)$/,
    words: (_, w) => w.t('trace.sentNotEvaluated'),
  },
  {
    pattern: /^§2\.1 step 4: outgoing email in folder "(?<folder>.*)" is not evaluated$/,
    words: (g, w) => w.t('trace.outgoingOtherFolder', { folder: w.folder(g.folder) }),
  },
  {
    pattern: /^§2\.1 step 4: outgoing email in Sent Items is evaluated \(AutoTrackSentFolderItems\)$/,
    words: (_, w) => w.t('trace.sentEvaluated'),
  },
  { pattern: /^§2\.1 step 4: incoming email$/, words: (_, w) => w.t('trace.incoming') },
  // §2.1 step 5.
  {
    pattern: /^§2\.1 step 5: folder "(?<folder>.*)" is mapped to (?<type>\S+) (?<id>\S+)$/,
    words: (g, w) =>
      w.t('trace.folderMapped', { folder: w.folder(g.folder), record: w.record(g.type, g.id) }),
  },
  {
    pattern: /^§2\.1 step 5: folder "(?<folder>.*)" is not evaluated and has no folder mapping$/,
    words: (g, w) => w.t('trace.folderNoMapping', { folder: w.folder(g.folder) }),
  },
  {
    pattern: /^§2\.1 step 5: folder "(?<folder>.*)" is not evaluated$/,
    words: (g, w) => w.t('trace.folderNotEvaluated', { folder: w.folder(g.folder) }),
  },
  {
    pattern: /^§2\.1 step 5: folder (?<folder>.+) is evaluated$/,
    words: (g, w) => w.t('trace.folderEvaluated', { folder: w.folder(g.folder) }),
  },
  // §2.1 step 6.
  {
    pattern: /^§2\.1 step 6: "(?<address>.*)" is not a valid email address$/,
    words: (g, w) => w.t('trace.senderInvalid', { address: g.address ?? '' }),
  },
  { pattern: /^§2\.1 step 6: the email has no sender address$/, words: (_, w) => w.t('trace.senderMissing') },
  {
    pattern: /^§2\.1 step 6: the sender (?<address>.+) is a valid address$/,
    words: (g, w) => w.t('trace.senderValid', { address: g.address ?? '' }),
  },
  // §2.1 step 7.
  {
    pattern: /^§2\.1 step 7: email between users is tracked like any other \(ignoreinternalemail = false\)$/,
    words: (_, w) => w.t('trace.internalTracked'),
  },
  {
    pattern: /^§2\.1 step 7: the sender and every recipient are users or queues \(ignoreinternalemail\)$/,
    words: (_, w) => w.t('trace.internalRejected'),
  },
  {
    pattern: /^§2\.1 step 7: not internal email \(a party is not a user or queue\)$/,
    words: (_, w) => w.t('trace.notInternal'),
  },
  // §2.1 step 8.
  {
    pattern: /^§2\.1 step 8: skipped for outgoing email$/,
    words: (_, w) => w.t('trace.senderSkippedOutgoing'),
  },
  { pattern: /^§2\.1 step 8: the sender matches no record$/, words: (_, w) => w.t('trace.senderNoRecord') },
  {
    pattern:
      /^§2\.1 step 8: the sender matches (?<count>\d+) records and OverrideV5SenderConflictResolution is on: not tracked automatically$/,
    words: (g, w) => w.t('trace.senderConflictRefused', { count: Number(g.count) }),
  },
  {
    pattern:
      /^§2\.1 step 8: the sender matches (?<count>\d+) records; it stays unresolved \(UnresolveSenderInCaseOfMultipleMatch\)$/,
    words: (g, w) => w.t('trace.senderUnresolved', { count: Number(g.count) }),
  },
  {
    pattern:
      /^§2\.1 step 8: the sender matches (?<count>\d+) records; (?<type>\S+) (?<id>\S+) was created first$/,
    words: (g, w) =>
      w.t('trace.senderFirstCreated', { count: Number(g.count), record: w.record(g.type, g.id) }),
  },
  {
    pattern: /^§2\.1 step 8: the sender is (?<type>\S+) (?<id>\S+)$/,
    words: (g, w) => w.t('trace.senderIs', { record: w.record(g.type, g.id) }),
  },
  // §2.1 step 9.
  {
    pattern: RegExp(`^§2\\.1 step 9: filtering method 0: all email is tracked${LOCK}$`),
    words: (g, w) => locked(g, w, w.t('trace.filterAll')),
  },
  {
    pattern: RegExp(`^§2\\.1 step 9: filtering method 1: only responses to tracked email${LOCK}$`),
    words: (g, w) => locked(g, w, w.t('trace.filterResponses')),
  },
  {
    pattern: RegExp(
      `^§2\\.1 step 9: filtering method (?<method>[23]): recipient (?<type>\\S+) (?<id>\\S+) is ${KINDS}${LOCK}$`,
    ),
    words: (g, w) =>
      locked(
        g,
        w,
        w.t('trace.filterRecipientMatch', { kinds: w.kinds(g.method), record: w.record(g.type, g.id) }),
      ),
  },
  {
    pattern: RegExp(`^§2\\.1 step 9: filtering method (?<method>[23]): no recipient is ${KINDS}${LOCK}$`),
    words: (g, w) => locked(g, w, w.t('trace.filterNoRecipient', { kinds: w.kinds(g.method) })),
  },
  {
    pattern: RegExp(
      `^§2\\.1 step 9: filtering method (?<method>[23]): the sender is a (?<type>\\S+), not ${KINDS}${LOCK}$`,
    ),
    words: (g, w) =>
      locked(
        g,
        w,
        w.t('trace.filterSenderWrongType', { kinds: w.kinds(g.method), type: w.record(g.type, undefined) }),
      ),
  },
  {
    pattern: RegExp(
      `^§2\\.1 step 9: filtering method (?<method>[23]): the sender is not resolved to a record${LOCK}$`,
    ),
    words: (g, w) => locked(g, w, w.t('trace.filterSenderUnresolved', { kinds: w.kinds(g.method) })),
  },
  {
    pattern: RegExp(
      `^§2\\.1 step 9: filtering method (?<method>[23]): the sender is (?<type>\\S+) (?<id>\\S+), ${KINDS}${LOCK}$`,
    ),
    words: (g, w) =>
      locked(
        g,
        w,
        w.t('trace.filterSenderMatch', { kinds: w.kinds(g.method), record: w.record(g.type, g.id) }),
      ),
  },
  {
    pattern: RegExp(`^§2\\.1 step 9: filtering method 4: no email is tracked${LOCK}$`),
    words: (g, w) => locked(g, w, w.t('trace.filterNone')),
  },
  // §2.1 step 10.
  {
    pattern: /^§2\.1 step 10: regarding (?<type>\S+) (?<id>\S+), from \S+$/,
    words: (g, w) => w.t('trace.regardingFromConversation', { record: w.record(g.type, g.id) }),
  },
  {
    pattern: /^§2\.1 step 10: \S+ has no regarding; tracked without regarding$/,
    words: (_, w) => w.t('trace.conversationNoRegarding'),
  },
  {
    pattern: /^§2\.1 step 10: nothing correlates; tracked without regarding$/,
    words: (_, w) => w.t('trace.noConversationNoRegarding'),
  },
  // §2.2.
  {
    pattern:
      /^§2\.2 step 2: Track in CRM works as Set Regarding \(OverrideTrackInCrmBehaviour = 1\) and no record was chosen$/,
    words: (_, w) => w.t('trace.regardingRequired'),
  },
  { pattern: /^§2\.2 step 3: tracked at the user's request$/, words: (_, w) => w.t('trace.userRequest') },
  {
    pattern: /^§2\.2 step 3: regarding the chosen (?<type>\S+) (?<id>\S+)$/,
    words: (g, w) => w.t('trace.chosenRegarding', { record: w.record(g.type, g.id) }),
  },
  // §2.3.
  {
    pattern:
      /^§2\.3 step 1: replies and forwards are not tracked automatically \(ClientDisableTrackingForReplyForwardEmails\)$/,
    words: (_, w) => w.t('trace.replyForwardOff'),
  },
  {
    pattern: /^§2\.3 step 2: the draft is marked to be tracked when sent$/,
    words: (_, w) => w.t('trace.draftMarked'),
  },
  {
    pattern: /^§2\.3 step 3: the draft correlates to no tracked email$/,
    words: (_, w) => w.t('trace.draftNoConversation'),
  },
  // §2.5.
  {
    pattern: /^§2\.5: no record is created from the sender \(AutoCreateContactOnPromote = false\)$/,
    words: (_, w) => w.t('trace.createOff'),
  },
  {
    pattern: /^§2\.5: the sender matches no record; a (?<type>\S+) is created for (?<address>.+)$/,
    words: (g, w) =>
      w.t('trace.createRecord', { type: w.record(g.type, undefined), address: g.address ?? '' }),
  },
  // §3.
  {
    pattern: /^§3: correlation is off for the organization \(emailcorrelationenabled = false\)$/,
    words: (_, w) => w.t('trace.correlationOff'),
  },
  {
    pattern: /^§3\.5: a forward is not correlated \(DoNotCorrelateForwardedEmailsAsReplies\)$/,
    words: (_, w) => w.t('trace.forwardNotCorrelated'),
  },
  {
    pattern: /^§3\.[13]: skipped \(IgnoreConversationIndexAndInReplyToForCorrelation\)$/,
    words: (_, w) => w.t('trace.headersIgnored'),
  },
  {
    pattern: /^§3\.1: .+ is the Message-ID of tracked email \S+$/,
    words: (_, w) => w.t('trace.inReplyToMatch'),
  },
  { pattern: /^§3\.1: no In-Reply-To or References$/, words: (_, w) => w.t('trace.noInReplyTo') },
  {
    pattern: /^§3\.1: none of In-Reply-To\/References \((?<count>\d+)\) is a tracked email's Message-ID$/,
    words: (g, w) => w.t('trace.inReplyToNoMatch', { count: Number(g.count) }),
  },
  {
    pattern: /^§3\.2: tracking tokens are off \(useTrackingToken = false\)$/,
    words: (_, w) => w.t('trace.tokensOff'),
  },
  {
    pattern: /^§3\.2: the subject holds no tracking token with prefix .*$/,
    words: (_, w) => w.t('trace.noToken'),
  },
  {
    pattern: /^§3\.2: token \S+ is the token of tracked email \S+$/,
    words: (_, w) => w.t('trace.tokenMatch'),
  },
  {
    pattern: /^§3\.2: token \S+ matches no tracked email; going on$/,
    words: (_, w) => w.t('trace.tokenNoMatch'),
  },
  { pattern: /^§3\.3: no conversation index$/, words: (_, w) => w.t('trace.noConversationIndex') },
  {
    pattern: /^§3\.3: the conversation index is not a valid Thread-Index; skipped$/,
    words: (_, w) => w.t('trace.conversationIndexInvalid'),
  },
  {
    pattern: /^§3\.3: tracked email \S+'s conversation index is an ancestor of this one$/,
    words: (_, w) => w.t('trace.conversationIndexMatch'),
  },
  {
    pattern: /^§3\.3: no tracked email has an ancestor conversation index$/,
    words: (_, w) => w.t('trace.conversationIndexNoMatch'),
  },
  {
    pattern: /^§3\.4: smart matching is off \((?:enablesmartmatching = false|DisableSmartMatching)\)$/,
    words: (_, w) => w.t('trace.smartOff'),
  },
  {
    pattern:
      /^§3\.4: smart matching: (?<count>\d+) tracked email\(s\) share the subject words and ≥ (?<min>\d+) addresses; the latest is \S+$/,
    words: (g, w) => w.t('trace.smartMatch', { count: Number(g.count), min: Number(g.min) }),
  },
  {
    pattern: /^§3\.4: smart matching found no tracked email with the same subject words and addresses$/,
    words: (_, w) => w.t('trace.smartNoMatch'),
  },
  // The only other §3.4 line is the keyword filter's error (compileHashFilter).
  { pattern: /^§3\.4: .+$/, words: (_, w) => w.t('trace.smartFilterInvalid') },
  // What the explain command (and a case's settings) add before the rules' lines.
  { pattern: /^settings: \S+: unknown setting, ignored$/, words: (_, w) => w.t('trace.settingUnknown') },
  {
    pattern: /^settings: orgdborgsettings \S+: unknown OrgDBOrgSettings name, kept and ignored$/,
    words: (_, w) => w.t('trace.settingUnknown'),
  },
  { pattern: /^settings: .+$/, words: (_, w) => w.t('trace.settingProblem') },
  { pattern: /^headers: read .+ from the raw header block$/, words: (_, w) => w.t('trace.headersRead') },
  { pattern: /^headers: .+$/, words: (_, w) => w.t('trace.headersWarning') },
  // The decision itself.
  {
    pattern: /^decision: track \((?<reason>\w+)\)$/,
    words: (g, w) => w.t('trace.finalTracked', { reason: w.reason(g.reason) }),
  },
  {
    pattern: /^decision: do not track \((?<reason>\w+)\)$/,
    words: (g, w) =>
      g.reason === 'Duplicate'
        ? w.t('trace.finalDuplicate')
        : w.t('trace.finalNotTracked', { reason: w.reason(g.reason) }),
  },
];

const RECORD_TYPES = new Set([
  'contact',
  'account',
  'lead',
  'systemuser',
  'queue',
  'opportunity',
  'incident',
]);
const REASONS = new Set([
  'Duplicate',
  'NoCorrelationMatch',
  'CorrelationMatch',
  'InternalEmailReject',
  'SenderMatch',
  'AcceptAll',
  'InvalidSender',
  'SenderNotMatched',
  'RecipientMatch',
  'RecipientNotMatched',
  'SenderConflict',
  'FilteringNone',
  'PromotionDisabled',
  'BackgroundTrackOff',
  'MailboxNotApproved',
  'NotIncoming',
  'FolderNotTracked',
  'FolderMatch',
  'ManualTrack',
  'RegardingRequired',
  'ReplyForwardTrackingDisabled',
]);

function wording(t: TraceTranslate, names: RecordNames): Wording {
  const typeWord = (type: string): string =>
    RECORD_TYPES.has(type) ? t(`trace.type_${type}` as TraceKey) : type;
  return {
    t,
    record: (type = '', id) => {
      const name = id ? names[`${type}:${id}`] : undefined;
      return name ? t('trace.recordNamed', { type: typeWord(type), name }) : typeWord(type);
    },
    folder: (name = '') => {
      const key = name.trim().toLowerCase();
      if (key === 'inbox') return t('trace.folderInbox');
      if (key === 'sentitems') return t('trace.folderSentItems');
      return name;
    },
    kinds: (method) => t(method === '2' ? 'trace.kindsContactAccountLead' : 'trace.kindsEmailEnabled'),
    reason: (reason = '') => (REASONS.has(reason) ? t(`trace.reason${reason}` as TraceKey) : reason),
  };
}

const ACTION_STEP: Readonly<Record<string, string>> = { '2.1': 'incoming', '2.2': 'track', '2.3': 'compose' };
const STEP_COUNT: Readonly<Record<string, number>> = { incoming: 10, track: 3, compose: 3 };
const PREFIX = /^(?:§(\d+(?:\.\d+)?)(?: step (\d+))?|(settings|headers|decision)):\s*/;

/** The step of tracking.md a line belongs to, by the prefix the rules write (`§2.1 step 4:`, `§3.2:`, …). */
export function traceStepOf(line: string): string {
  const match = PREFIX.exec(line);
  if (!match) return 'other';
  const [, section, step, word] = match;
  if (word) return word;
  const action = section ? ACTION_STEP[section] : undefined;
  if (action && step && Number(step) >= 1 && Number(step) <= (STEP_COUNT[action] ?? 0))
    return `${action}${step}`;
  if (section === '2.4') return 'parties';
  if (section === '2.5') return 'create';
  if (section === '3') return 'correlation';
  const correlation = section ? /^3\.([1-5])$/.exec(section) : null;
  return correlation ? `correlation${correlation[1]}` : 'other';
}

/** One trace line as a plain sentence; a line no template knows is kept as written. */
export function traceSentence(line: string, t: TraceTranslate, names: RecordNames = {}): TraceSentence {
  const step = traceStepOf(line);
  const w = wording(t, names);
  for (const template of TEMPLATES) {
    const match = template.pattern.exec(line);
    if (match) return { step, text: template.words(match.groups ?? {}, w), details: line, recognised: true };
  }
  return { step, text: line, details: line, recognised: false };
}

/** The title key of a step (`incoming1` → `trace.stepIncoming1`). */
const titleKey = (step: string): TraceKey =>
  `trace.step${step.charAt(0).toUpperCase()}${step.slice(1)}` as TraceKey;

/** The trace as steps: consecutive lines of one step under its question; a step returned to shows again. */
export function traceSteps(
  trace: readonly string[],
  t: TraceTranslate,
  names: RecordNames = {},
): TraceStep[] {
  const steps: { step: string; sentences: TraceSentence[] }[] = [];
  for (const line of trace) {
    const sentence = traceSentence(line, t, names);
    const last = steps.at(-1);
    if (last && last.step === sentence.step) last.sentences.push(sentence);
    else steps.push({ step: sentence.step, sentences: [sentence] });
  }
  return steps.map((s) => ({ ...s, title: t(titleKey(s.step)) }));
}
