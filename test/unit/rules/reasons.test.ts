import { REASON_CODES, REASON_TEXT, REASONS } from '../../../src/rules/reasons';

describe('§4 reason names and codes', () => {
  test.each<[string, number | null]>([
    ['Duplicate', 0],
    ['NoCorrelationMatch', 1],
    ['CorrelationMatch', 2],
    ['InternalEmailReject', 4],
    ['SenderMatch', 5],
    ['AcceptAll', 6],
    ['InvalidSender', 7],
    ['SenderNotMatched', null],
    ['RecipientMatch', null],
    ['RecipientNotMatched', null],
    ['SenderConflict', null],
    ['FilteringNone', null],
    ['PromotionDisabled', null],
    ['BackgroundTrackOff', null],
    ['MailboxNotApproved', null],
    ['NotIncoming', null],
    ['FolderNotTracked', null],
    ['FolderMatch', null],
    ['ManualTrack', null],
    ['RegardingRequired', null],
    ['ReplyForwardTrackingDisabled', null],
  ])('§4: %s has code %s', (reason, code) => {
    expect(REASON_CODES[reason as keyof typeof REASON_CODES]).toBe(code);
  });

  test("§4: the table has exactly the spec's 21 reasons, each with words for people", () => {
    expect(REASONS).toHaveLength(21);
    for (const reason of REASONS) expect(REASON_TEXT[reason].length).toBeGreaterThan(10);
  });
});
