import { ANN, ME, contact, decideCase, merge, org, tracked, type Json } from '../../support/cases';

const all = (...patches: Json[]): Json => patches.reduce((a, p) => merge(a, p), {});
const draft = (email: Json): Json => ({
  action: 'compose',
  email: { messageId: null, direction: 'outgoing', folder: 'drafts', from: ME, to: [ANN], ...email },
});
const crm = (trackedEmails: Json[]): Json => ({
  crm: { records: [contact('c1', [ANN.address])], trackedEmails, folderMappings: [] },
});

describe('§2.3 reply or forward being composed', () => {
  test('§2.3 step 1: ClientDisableTrackingForReplyForwardEmails → ReplyForwardTrackingDisabled', () => {
    const decision = decideCase(
      all(
        draft({ inReplyTo: '<e1@crm>', composeType: 'reply', subject: 'RE: Quote' }),
        crm([tracked('e1')]),
        org({}, { ClientDisableTrackingForReplyForwardEmails: true }),
      ),
    );
    expect(decision).toMatchObject({
      track: false,
      reason: 'ReplyForwardTrackingDisabled',
      code: null,
      regarding: null,
    });
  });

  test.each<[string, Json, Json]>([
    [
      'a reply to tracked email (In-Reply-To) → CorrelationMatch, regarding inherited',
      draft({ inReplyTo: '<e1@crm>', composeType: 'reply', subject: 'RE: Quote' }),
      {
        track: true,
        reason: 'CorrelationMatch',
        code: 2,
        regarding: { type: 'opportunity', id: 'o1' },
        correlation: { method: 'InReplyTo', activityId: 'e1' },
      },
    ],
    [
      'a forward of tracked email → CorrelationMatch',
      draft({ inReplyTo: '<e1@crm>', composeType: 'forward', subject: 'FW: Quote' }),
      { track: true, reason: 'CorrelationMatch' },
    ],
    [
      'a forward with DoNotCorrelateForwardedEmailsAsReplies → NoCorrelationMatch',
      all(
        draft({ inReplyTo: '<e1@crm>', composeType: 'forward', subject: 'FW: Quote' }),
        org({}, { DoNotCorrelateForwardedEmailsAsReplies: true }),
      ),
      { track: false, reason: 'NoCorrelationMatch', code: 1 },
    ],
    [
      'a reply with DoNotCorrelateForwardedEmailsAsReplies still correlates',
      all(
        draft({ inReplyTo: '<e1@crm>', composeType: 'reply', subject: 'RE: FW: Quote' }),
        org({}, { DoNotCorrelateForwardedEmailsAsReplies: true }),
      ),
      { track: true, reason: 'CorrelationMatch' },
    ],
  ])('§2.3 step 2: %s', (_name, patch, expected) => {
    expect(decideCase(all(crm([tracked('e1')]), patch))).toMatchObject(expected);
  });

  test('§2.3 step 3: no match → NoCorrelationMatch (1)', () => {
    expect(
      decideCase(
        all(
          crm([tracked('e1')]),
          draft({ inReplyTo: '<other@x>', composeType: 'reply', subject: 'RE: Something else' }),
        ),
      ),
    ).toMatchObject({ track: false, reason: 'NoCorrelationMatch', code: 1, regarding: null });
  });
});

describe('§2.3 details', () => {
  test('§2.3 step 1: ClientDisableTrackingForReplyForwardEmails is about replies and forwards, not a new email', () => {
    const decision = decideCase(
      all(
        draft({ subject: 'Quote CRM:0001234', composeType: 'newMail' }),
        crm([tracked('e1', { trackingToken: 'CRM:0001234' })]),
        org({}, { ClientDisableTrackingForReplyForwardEmails: true }),
      ),
    );
    expect(decision.reason).not.toBe('ReplyForwardTrackingDisabled');
  });

  test("§2.3 step 2: no record is created from a draft's sender (the user)", () => {
    const decision = decideCase(
      all(
        draft({ inReplyTo: '<e1@crm>', composeType: 'reply', subject: 'RE: Quote' }),
        crm([tracked('e1')]),
        { settings: { user: { autocreatecontactonpromote: 1 } } },
      ),
    );
    expect(decision).toMatchObject({ track: true, create: [] });
  });
});
