/** §4: the reasons a decision gives, their Dataverse CheckIncomingEmail codes, and plain words for people. */

export const REASON_CODES = {
  Duplicate: 0,
  NoCorrelationMatch: 1,
  CorrelationMatch: 2,
  InternalEmailReject: 4,
  SenderMatch: 5,
  AcceptAll: 6,
  InvalidSender: 7,
  SenderNotMatched: null,
  RecipientMatch: null,
  RecipientNotMatched: null,
  SenderConflict: null,
  FilteringNone: null,
  PromotionDisabled: null,
  BackgroundTrackOff: null,
  MailboxNotApproved: null,
  NotIncoming: null,
  FolderNotTracked: null,
  FolderMatch: null,
  ManualTrack: null,
  RegardingRequired: null,
  ReplyForwardTrackingDisabled: null,
} as const satisfies Record<string, number | null>;

export type Reason = keyof typeof REASON_CODES;

export const REASONS: readonly Reason[] = Object.keys(REASON_CODES) as Reason[];

export function reasonCode(reason: Reason): number | null {
  return REASON_CODES[reason];
}

/** What the pane says for each reason, for a person, without jargon. */
export const REASON_TEXT: Readonly<Record<Reason, string>> = {
  Duplicate: 'Already tracked in the CRM.',
  NoCorrelationMatch: 'Not tracked automatically: it does not follow on from an email tracked in the CRM.',
  CorrelationMatch: 'Tracked: it belongs to a conversation already tracked in the CRM.',
  InternalEmailReject:
    'Not tracked automatically: it is between people of your organization, and your organization does not track those.',
  SenderMatch: 'Tracked: the sender is a record in the CRM.',
  AcceptAll: 'Tracked: you track all incoming email.',
  InvalidSender: 'Not tracked automatically: the sender has no usable email address.',
  SenderNotMatched: 'Not tracked automatically: the sender is not a record your tracking option covers.',
  RecipientMatch: 'Tracked: a recipient is a record your tracking option covers.',
  RecipientNotMatched: 'Not tracked automatically: no recipient is a record your tracking option covers.',
  SenderConflict:
    'Not tracked automatically: the sender matches several records and your organization does not pick one.',
  FilteringNone: 'Not tracked automatically: your options say to track no incoming email.',
  PromotionDisabled: 'Not tracked automatically: your organization has turned off checking incoming email.',
  BackgroundTrackOff: 'Not tracked automatically: checking incoming email is off in your options.',
  MailboxNotApproved: 'Not tracked automatically: your mailbox is not approved in the CRM yet.',
  NotIncoming: 'Not tracked automatically: it is email you sent.',
  FolderNotTracked: 'Not tracked automatically: only email in the Inbox is checked.',
  FolderMatch: 'Tracked: its folder is tracked to a CRM record.',
  ManualTrack: 'Tracked at your request.',
  RegardingRequired: 'Choose a record to set regarding before tracking: your organization requires one.',
  ReplyForwardTrackingDisabled:
    'Not tracked automatically: your organization does not track replies and forwards automatically.',
};
