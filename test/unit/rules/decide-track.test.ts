import { ANN, contact, decideCase, merge, org, record, tracked, type Json } from '../../support/cases';

const all = (...patches: Json[]): Json => patches.reduce((a, p) => merge(a, p), {});
const track = (patch: Json = {}): Json => merge({ action: 'track' }, patch);
const crm = (records: Json[], trackedEmails: Json[] = []): Json => ({
  crm: { records, trackedEmails, folderMappings: [] },
});
const chosen = { regarding: { type: 'account', id: 'a9' } };
const reply = all(
  { email: { inReplyTo: '<e1@crm>', subject: 'RE: Quote' } },
  crm([contact('c1', [ANN.address])], [tracked('e1')]),
);

describe('§2.2 "Track in CRM" pressed', () => {
  test.each<[string, Json, Json]>([
    [
      'already tracked by this user → Duplicate',
      crm([], [tracked('e1', { messageId: '<new@fabrikam.com>' })]),
      { track: false, reason: 'Duplicate', code: 0, existingActivityId: 'e1' },
    ],
    [
      'tracked by another user, AllowPromoteDuplicates → tracked again',
      all(
        org({}, { AllowPromoteDuplicates: true }),
        crm([], [tracked('e1', { messageId: '<new@fabrikam.com>', trackedBy: 'u2' })]),
      ),
      { track: true, reason: 'ManualTrack', existingActivityId: null },
    ],
  ])('§2.2 step 1: %s', (_name, patch, expected) => {
    expect(decideCase(track(patch))).toMatchObject(expected);
  });

  test.each<[string, Json, Json]>([
    [
      'OverrideTrackInCrmBehaviour 1 and no regarding → RegardingRequired',
      org({}, { OverrideTrackInCrmBehaviour: 1 }),
      { track: false, reason: 'RegardingRequired', code: null, requiresRegarding: true },
    ],
    [
      'OverrideTrackInCrmBehaviour 1 with a chosen regarding → ManualTrack',
      all(org({}, { OverrideTrackInCrmBehaviour: 1 }), chosen),
      {
        track: true,
        reason: 'ManualTrack',
        requiresRegarding: false,
        regarding: { type: 'account', id: 'a9' },
      },
    ],
    [
      'a correlated regarding is not a choice',
      all(org({}, { OverrideTrackInCrmBehaviour: 1 }), reply),
      { track: false, reason: 'RegardingRequired', requiresRegarding: true },
    ],
    [
      'OverrideTrackInCrmBehaviour 0 → ManualTrack',
      org({}, { OverrideTrackInCrmBehaviour: 0 }),
      { track: true, reason: 'ManualTrack', requiresRegarding: false },
    ],
  ])('§2.2 step 2: %s', (_name, patch, expected) => {
    expect(decideCase(track(patch))).toMatchObject(expected);
  });

  test.each<[string, Json]>([
    ['promotion off', org({ promoteIncomingEmail: false })],
    ['background track off', { settings: { client: { backgroundTrackEmail: false } } }],
    [
      'mailbox not approved',
      all(org({ requireapprovalforuseremail: true }), { user: { mailboxApproved: false } }),
    ],
    ['outgoing email', { email: { direction: 'outgoing', folder: 'inbox' } }],
    ['folder not evaluated', { email: { folder: 'deleteditems' } }],
    [
      'internal email',
      all(
        org({ ignoreinternalemail: true }),
        crm([record('systemuser', 's1', [ANN.address]), record('queue', 'q1', ['me@contoso.com'])]),
      ),
    ],
    ['filtering method 4', { settings: { user: { incomingemailfilteringmethod: 4 } } }],
  ])('§2.2 step 3: no automatic check applies: %s → ManualTrack', (_name, patch) => {
    expect(decideCase(track(patch))).toMatchObject({ track: true, reason: 'ManualTrack', code: null });
  });

  test('§2.2 step 3: an invalid sender only leaves sender null', () => {
    expect(decideCase(track({ email: { from: { address: 'not an address' } } }))).toMatchObject({
      track: true,
      reason: 'ManualTrack',
      sender: null,
      create: [],
    });
  });

  test.each<[string, Json, unknown, unknown]>([
    [
      'the chosen regarding wins over the correlated one',
      all(reply, chosen),
      { type: 'account', id: 'a9' },
      { method: 'InReplyTo', activityId: 'e1' },
    ],
    [
      "else the correlated activity's regarding",
      reply,
      { type: 'opportunity', id: 'o1' },
      { method: 'InReplyTo', activityId: 'e1' },
    ],
    ['else none', {}, null, null],
  ])('§2.2 step 3: regarding: %s', (_name, patch, regarding, correlation) => {
    const decision = decideCase(track(patch));
    expect(decision.regarding).toEqual(regarding);
    expect(decision.correlation).toEqual(correlation);
  });

  const conflict = crm([
    contact('c2', [ANN.address], '2021-01-01T00:00:00Z'),
    contact('c1', [ANN.address], '2020-01-01T00:00:00Z'),
  ]);
  test.each<[string, Json, Json]>([
    [
      'OverrideV5SenderConflictResolution: unresolved with candidates for the user to pick',
      all(conflict, org({}, { OverrideV5SenderConflictResolution: true })),
      {
        track: true,
        sender: null,
        senderCandidates: [
          { type: 'contact', id: 'c1' },
          { type: 'contact', id: 'c2' },
        ],
      },
    ],
    [
      'UnresolveSenderInCaseOfMultipleMatch: unresolved',
      all(conflict, org({}, { UnresolveSenderInCaseOfMultipleMatch: true })),
      { track: true, sender: null, senderCandidates: [] },
    ],
    [
      'else the match created first',
      conflict,
      { track: true, sender: { type: 'contact', id: 'c1' }, senderCandidates: [] },
    ],
  ])('§2.2 step 3: conflicting sender: %s', (_name, patch, expected) => {
    expect(decideCase(track(patch))).toMatchObject(expected);
  });

  test('§2.2 step 3: a conflicting sender is not auto-created (§2.5 needs no match at all)', () => {
    const decision = decideCase(
      track(
        all(conflict, org({}, { UnresolveSenderInCaseOfMultipleMatch: true }), {
          settings: { user: { autocreatecontactonpromote: 1 } },
        }),
      ),
    );
    expect(decision.create).toEqual([]);
  });
});
