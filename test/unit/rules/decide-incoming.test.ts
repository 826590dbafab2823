import { ANN, ME, contact, decideCase, merge, org, record, tracked, type Json } from '../../support/cases';

const crm = (records: Json[], trackedEmails: Json[] = [], folderMappings: Json[] = []): Json => ({
  crm: { records, trackedEmails, folderMappings },
});
const method = (m: number): Json => ({ settings: { user: { incomingemailfilteringmethod: m } } });
const all = (...patches: Json[]): Json => patches.reduce((a, p) => merge(a, p), {});

describe('§2.1 incoming email seen', () => {
  test.each<
    [
      string,
      Json,
      Partial<{ track: boolean; reason: string; code: number | null; existingActivityId: string | null }>,
    ]
  >([
    [
      'tracked by this user',
      crm(
        [contact('c1', [ANN.address])],
        [tracked('e1', { messageId: '<new@fabrikam.com>', trackedBy: 'u1' })],
      ),
      { track: false, reason: 'Duplicate', code: 0, existingActivityId: 'e1' },
    ],
    [
      'tracked by another user, AllowPromoteDuplicates false',
      crm(
        [contact('c1', [ANN.address])],
        [tracked('e1', { messageId: '<new@fabrikam.com>', trackedBy: 'u2' })],
      ),
      { track: false, reason: 'Duplicate', existingActivityId: 'e1' },
    ],
    [
      'tracked by another user, AllowPromoteDuplicates true: goes on',
      all(
        method(0),
        org({}, { AllowPromoteDuplicates: true }),
        crm(
          [contact('c1', [ANN.address])],
          [tracked('e1', { messageId: '<new@fabrikam.com>', trackedBy: 'u2' })],
        ),
      ),
      { track: true, reason: 'AcceptAll', existingActivityId: null },
    ],
    [
      'tracked by this user, AllowPromoteDuplicates true: still a duplicate',
      all(
        org({}, { AllowPromoteDuplicates: true }),
        crm(
          [contact('c1', [ANN.address])],
          [tracked('e1', { messageId: '<new@fabrikam.com>', trackedBy: 'u1' })],
        ),
      ),
      { track: false, reason: 'Duplicate', existingActivityId: 'e1' },
    ],
    [
      'Message-ID compared after trimming white space and angle brackets',
      crm([contact('c1', [ANN.address])], [tracked('e1', { messageId: '  new@fabrikam.com ' })]),
      { reason: 'Duplicate', existingActivityId: 'e1' },
    ],
    [
      'Message-ID compared case-sensitively',
      all(
        method(4),
        crm([contact('c1', [ANN.address])], [tracked('e1', { messageId: '<NEW@fabrikam.com>' })]),
      ),
      { reason: 'FilteringNone', existingActivityId: null },
    ],
  ])('§2.1 step 1: already tracked: %s', (_name, patch, expected) => {
    expect(decideCase(patch)).toMatchObject(expected);
  });

  test.each<[string, Json, string]>([
    [
      'promoteIncomingEmail false → PromotionDisabled',
      org({ promoteIncomingEmail: false }),
      'PromotionDisabled',
    ],
    [
      'tic_promoteIncomingEmail false → PromotionDisabled',
      org({ tic_promoteIncomingEmail: false }),
      'PromotionDisabled',
    ],
    [
      'backgroundTrackEmail false (client) → BackgroundTrackOff',
      { settings: { client: { backgroundTrackEmail: false } } },
      'BackgroundTrackOff',
    ],
    [
      'backgroundTrackEmail false (personal option view) → BackgroundTrackOff',
      { settings: { user: { backgroundTrackEmail: false } } },
      'BackgroundTrackOff',
    ],
    [
      'promotion off wins over background track off',
      all(org({ promoteIncomingEmail: false }), { settings: { client: { backgroundTrackEmail: false } } }),
      'PromotionDisabled',
    ],
  ])('§2.1 step 2: %s', (_name, patch, reason) => {
    const decision = decideCase(patch);
    expect(decision).toMatchObject({ track: false, reason, code: null });
  });

  test.each<[string, Json, string]>([
    [
      'required and not approved → MailboxNotApproved',
      all(org({ requireapprovalforuseremail: true }), { user: { mailboxApproved: false } }),
      'MailboxNotApproved',
    ],
    [
      'required and approved → goes on',
      all(method(0), org({ requireapprovalforuseremail: true })),
      'AcceptAll',
    ],
    [
      'not required, not approved → goes on',
      all(method(0), { user: { mailboxApproved: false } }),
      'AcceptAll',
    ],
  ])('§2.1 step 3: approval: %s', (_name, patch, reason) => {
    expect(decideCase(patch).reason).toBe(reason);
  });

  const outgoing = (folder: string): Json => ({
    email: { direction: 'outgoing', folder, from: ME, to: [{ address: ANN.address }] },
  });
  test.each<[string, Json, string, boolean]>([
    ['outgoing in Sent Items without AutoTrackSentFolderItems', outgoing('sentitems'), 'NotIncoming', false],
    [
      'outgoing in Inbox',
      all(org({}, { AutoTrackSentFolderItems: true }), outgoing('inbox')),
      'NotIncoming',
      false,
    ],
    [
      'outgoing in Sent Items with AutoTrackSentFolderItems, method 2, recipient a contact',
      all(org({}, { AutoTrackSentFolderItems: true }), outgoing('sentitems'), method(2)),
      'RecipientMatch',
      true,
    ],
    [
      'outgoing, method 2, recipient only a systemuser',
      all(
        org({}, { AutoTrackSentFolderItems: true }),
        outgoing('sentitems'),
        method(2),
        crm([record('systemuser', 's1', [ANN.address])]),
      ),
      'RecipientNotMatched',
      false,
    ],
    [
      'outgoing, method 3, recipient a systemuser',
      all(
        org({}, { AutoTrackSentFolderItems: true }),
        outgoing('sentitems'),
        method(3),
        crm([record('systemuser', 's1', [ANN.address])]),
      ),
      'RecipientMatch',
      true,
    ],
    [
      'outgoing, method 3, recipient with several matches and unresolveemailaddressifmultiplematch still counts',
      all(
        org({ unresolveemailaddressifmultiplematch: true }, { AutoTrackSentFolderItems: true }),
        outgoing('sentitems'),
        method(3),
        crm([contact('c1', [ANN.address]), contact('c2', [ANN.address])]),
      ),
      'RecipientMatch',
      true,
    ],
    [
      'outgoing, sender conflict is not checked (step 8 skipped)',
      all(
        org({}, { AutoTrackSentFolderItems: true, OverrideV5SenderConflictResolution: true }),
        outgoing('sentitems'),
        method(0),
        crm([record('systemuser', 's1', [ME.address]), contact('c9', [ME.address])]),
      ),
      'AcceptAll',
      true,
    ],
  ])('§2.1 step 4: direction: %s', (_name, patch, reason, track) => {
    expect(decideCase(patch)).toMatchObject({ reason, track });
  });

  const mapping = { folder: 'Projects/Contoso', regarding: { type: 'account', id: 'a1' } };
  test.each<[string, Json, Partial<{ reason: string; track: boolean; regarding: unknown }>]>([
    ['Inbox is evaluated', method(0), { reason: 'AcceptAll', track: true }],
    [
      'folder name compared case-insensitively',
      all(method(0), { email: { folder: 'INBOX' } }),
      { reason: 'AcceptAll' },
    ],
    [
      'Deleted Items is not',
      { email: { folder: 'deleteditems' } },
      { reason: 'FolderNotTracked', track: false },
    ],
    ['Junk is not', { email: { folder: 'junkemail' } }, { reason: 'FolderNotTracked', track: false }],
    [
      'a mapped folder without isfolderbasedtrackingenabled is not',
      all({ email: { folder: 'Projects/Contoso' } }, crm([contact('c1', [ANN.address])], [], [mapping])),
      { reason: 'FolderNotTracked' },
    ],
    [
      'a mapped folder with isfolderbasedtrackingenabled → FolderMatch regarding the mapping',
      all(
        org({ isfolderbasedtrackingenabled: true }),
        { email: { folder: 'Projects/Contoso' } },
        crm([contact('c1', [ANN.address])], [], [mapping]),
      ),
      { reason: 'FolderMatch', track: true, regarding: { type: 'account', id: 'a1' } },
    ],
    [
      'an unmapped folder with isfolderbasedtrackingenabled',
      all(
        org({ isfolderbasedtrackingenabled: true }),
        { email: { folder: 'Other' } },
        crm([contact('c1', [ANN.address])], [], [mapping]),
      ),
      { reason: 'FolderNotTracked', track: false },
    ],
  ])('§2.1 step 5: folder: %s', (_name, patch, expected) => {
    expect(decideCase(patch)).toMatchObject(expected);
  });

  test('§2.1 step 5: FolderMatch still resolves parties and auto-creates the sender (§2.4–§2.5)', () => {
    const decision = decideCase(
      all(
        org({ isfolderbasedtrackingenabled: true }),
        { email: { folder: 'Projects/Contoso', from: { address: 'new@x.com', name: 'New Person' } } },
        { settings: { user: { autocreatecontactonpromote: 1 } } },
        crm([record('systemuser', 's1', [ME.address])], [], [mapping]),
      ),
    );
    expect(decision.parties).toEqual([
      { role: 'to', address: ME.address, records: [{ type: 'systemuser', id: 's1' }] },
    ]);
    expect(decision.create).toEqual([
      { type: 'contact', address: 'new@x.com', firstname: 'New', lastname: 'Person' },
    ]);
  });

  test.each<[string, unknown]>([
    ['no sender', null],
    ['empty address', { address: '' }],
    ['not an address', { address: 'Ann Lee' }],
    [
      'an Exchange legacy DN',
      { address: '/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=ann' },
    ],
    ['two @', { address: 'ann@@fabrikam.com' }],
    ['no domain', { address: 'ann@' }],
  ])('§2.1 step 6: invalid sender: %s → InvalidSender (7)', (_name, from) => {
    expect(decideCase({ email: { from } })).toMatchObject({
      track: false,
      reason: 'InvalidSender',
      code: 7,
      sender: null,
    });
  });

  const internal = crm([record('systemuser', 's1', [ANN.address]), record('queue', 'q1', [ME.address])]);
  test.each<[string, Json, string]>([
    [
      'sender a user, recipient a queue, ignoreinternalemail → InternalEmailReject',
      all(org({ ignoreinternalemail: true }), internal),
      'InternalEmailReject',
    ],
    ['the same without ignoreinternalemail → goes on', all(method(3), internal), 'SenderMatch'],
    [
      'one recipient external → goes on',
      all(org({ ignoreinternalemail: true }), method(3), internal, {
        email: { cc: [{ address: 'bob@elsewhere.com' }] },
      }),
      'SenderMatch',
    ],
    [
      'an address is internal when ANY of its matches is a user or queue',
      all(
        org({ ignoreinternalemail: true }),
        crm([
          record('systemuser', 's1', [ANN.address]),
          contact('c1', [ANN.address]),
          record('queue', 'q1', [ME.address]),
        ]),
      ),
      'InternalEmailReject',
    ],
    [
      'internal test ignores unresolveemailaddressifmultiplematch',
      all(
        org({ ignoreinternalemail: true, unresolveemailaddressifmultiplematch: true }),
        crm([
          record('systemuser', 's1', [ANN.address]),
          record('queue', 'q1', [ME.address]),
          contact('c2', [ME.address]),
        ]),
      ),
      'InternalEmailReject',
    ],
  ])('§2.1 step 7: internal email: %s', (_name, patch, reason) => {
    const decision = decideCase(patch);
    expect(decision.reason).toBe(reason);
    if (reason === 'InternalEmailReject') expect(decision.code).toBe(4);
  });

  const twoAnns = crm([
    contact('c2', [ANN.address], '2021-05-01T00:00:00Z'),
    record('lead', 'l1', [ANN.address], '2019-03-01T00:00:00Z'),
  ]);
  test.each<
    [string, Json, Partial<{ reason: string; track: boolean; sender: unknown; senderCandidates: unknown }>]
  >([
    [
      'conflicting sender resolves to the record created first',
      all(method(0), twoAnns),
      { track: true, sender: { type: 'lead', id: 'l1' }, senderCandidates: [] },
    ],
    [
      'OverrideV5SenderConflictResolution: not tracked, SenderConflict with candidates (created-first order)',
      all(method(0), twoAnns, org({}, { OverrideV5SenderConflictResolution: true })),
      {
        track: false,
        reason: 'SenderConflict',
        sender: null,
        senderCandidates: [
          { type: 'lead', id: 'l1' },
          { type: 'contact', id: 'c2' },
        ],
      },
    ],
    [
      'OverrideV5SenderConflictResolution wins over UnresolveSenderInCaseOfMultipleMatch',
      all(
        method(0),
        twoAnns,
        org({}, { OverrideV5SenderConflictResolution: true, UnresolveSenderInCaseOfMultipleMatch: true }),
      ),
      { reason: 'SenderConflict' },
    ],
    [
      'UnresolveSenderInCaseOfMultipleMatch: sender unresolved, still tracked (method 0)',
      all(method(0), twoAnns, org({}, { UnresolveSenderInCaseOfMultipleMatch: true })),
      { track: true, reason: 'AcceptAll', sender: null },
    ],
    [
      'UnresolveSenderInCaseOfMultipleMatch: methods 2 and 3 give SenderNotMatched',
      all(method(2), twoAnns, org({}, { UnresolveSenderInCaseOfMultipleMatch: true })),
      { track: false, reason: 'SenderNotMatched', sender: null },
    ],
    [
      'unresolveemailaddressifmultiplematch does not apply to the sender',
      all(method(2), twoAnns, org({ unresolveemailaddressifmultiplematch: true })),
      { track: true, reason: 'SenderMatch', sender: { type: 'lead', id: 'l1' } },
    ],
    [
      'ties on created time: systemuser before contact before account before lead before queue',
      all(
        method(3),
        crm([
          record('queue', 'q1', [ANN.address]),
          record('lead', 'l1', [ANN.address]),
          record('account', 'a1', [ANN.address]),
          contact('c1', [ANN.address]),
          record('systemuser', 's1', [ANN.address]),
        ]),
      ),
      { sender: { type: 'systemuser', id: 's1' } },
    ],
    [
      'ties: queue before other types, others by type name',
      all(
        method(3),
        crm([
          record('zebra_custom', 'z1', [ANN.address]),
          record('alpha_custom', 'x1', [ANN.address]),
          record('queue', 'q1', [ANN.address]),
        ]),
      ),
      { sender: { type: 'queue', id: 'q1' } },
    ],
    [
      'ties: custom types by type name',
      all(
        method(3),
        crm([record('zebra_custom', 'z1', [ANN.address]), record('alpha_custom', 'x1', [ANN.address])]),
      ),
      { sender: { type: 'alpha_custom', id: 'x1' } },
    ],
    [
      'ties: then id in ascending ordinal order',
      all(
        method(3),
        crm([contact('c-b', [ANN.address]), contact('C-z', [ANN.address]), contact('c-a', [ANN.address])]),
      ),
      { sender: { type: 'contact', id: 'C-z' } },
    ],
    [
      'inactive records never match: no conflict',
      all(
        method(2),
        org({}, { OverrideV5SenderConflictResolution: true }),
        crm([
          contact('c1', [ANN.address]),
          contact('c2', [ANN.address], '2019-01-01T00:00:00Z', { active: false }),
        ]),
      ),
      { reason: 'SenderMatch', sender: { type: 'contact', id: 'c1' } },
    ],
  ])('§2.1 step 8: sender conflict: %s', (_name, patch, expected) => {
    expect(decideCase(patch)).toMatchObject(expected);
  });

  const reply = {
    email: { inReplyTo: '<e1@crm>', references: ['<e1@crm>'], subject: 'RE: Quote' },
    crm: { records: [contact('c1', [ANN.address])], trackedEmails: [tracked('e1')], folderMappings: [] },
  };
  test.each<[string, Json, { track: boolean; reason: string; code: number | null }]>([
    ['method 0 → AcceptAll (6)', method(0), { track: true, reason: 'AcceptAll', code: 6 }],
    [
      'method 1, a reply to tracked email → CorrelationMatch (2)',
      all(method(1), reply),
      { track: true, reason: 'CorrelationMatch', code: 2 },
    ],
    [
      'method 1, nothing correlates → NoCorrelationMatch (1)',
      method(1),
      { track: false, reason: 'NoCorrelationMatch', code: 1 },
    ],
    ['method 1 is the default', {}, { track: false, reason: 'NoCorrelationMatch', code: 1 }],
    [
      'method 2, sender a contact → SenderMatch (5)',
      method(2),
      { track: true, reason: 'SenderMatch', code: 5 },
    ],
    [
      'method 2, sender an account',
      all(method(2), crm([record('account', 'a1', [ANN.address])])),
      { track: true, reason: 'SenderMatch', code: 5 },
    ],
    [
      'method 2, sender a lead',
      all(method(2), crm([record('lead', 'l1', [ANN.address])])),
      { track: true, reason: 'SenderMatch', code: 5 },
    ],
    [
      'method 2, sender a systemuser → SenderNotMatched',
      all(method(2), crm([record('systemuser', 's1', [ANN.address])])),
      { track: false, reason: 'SenderNotMatched', code: null },
    ],
    [
      'method 2, sender unknown → SenderNotMatched',
      all(method(2), crm([])),
      { track: false, reason: 'SenderNotMatched', code: null },
    ],
    [
      'method 3, sender a systemuser → SenderMatch',
      all(method(3), crm([record('systemuser', 's1', [ANN.address])])),
      { track: true, reason: 'SenderMatch', code: 5 },
    ],
    [
      'method 3, sender a queue → SenderMatch',
      all(method(3), crm([record('queue', 'q1', [ANN.address])])),
      { track: true, reason: 'SenderMatch', code: 5 },
    ],
    [
      'method 3, sender a custom email-enabled type → SenderMatch',
      all(method(3), crm([record('new_vendor', 'v1', [ANN.address])])),
      { track: true, reason: 'SenderMatch', code: 5 },
    ],
    [
      'method 3, sender unknown → SenderNotMatched',
      all(method(3), crm([])),
      { track: false, reason: 'SenderNotMatched', code: null },
    ],
    [
      'method 4 → FilteringNone, even for a reply',
      all(method(4), reply),
      { track: false, reason: 'FilteringNone', code: null },
    ],
    [
      'HideEmailAutoTrackOptions locks the method at 1',
      all(method(0), org({}, { HideEmailAutoTrackOptions: true })),
      { track: false, reason: 'NoCorrelationMatch', code: 1 },
    ],
    [
      'HideEmailAutoTrackOptions false leaves the choice',
      all(method(0), org({}, { HideEmailAutoTrackOptions: false })),
      { track: true, reason: 'AcceptAll', code: 6 },
    ],
  ])('§2.1 step 9: filtering method: %s', (_name, patch, expected) => {
    expect(decideCase(patch)).toMatchObject(expected);
  });

  test.each<[string, Json, unknown, unknown]>([
    [
      "correlated: regarding the correlated activity's regarding",
      all(method(0), reply),
      { type: 'opportunity', id: 'o1' },
      { method: 'InReplyTo', activityId: 'e1' },
    ],
    ['not correlated: tracked without regarding', method(0), null, null],
    [
      'correlated activity without regarding: tracked without regarding',
      all(method(2), reply, { crm: { trackedEmails: [tracked('e1', { regarding: null })] } }),
      null,
      { method: 'InReplyTo', activityId: 'e1' },
    ],
  ])('§2.1 step 10: when tracked: %s', (_name, patch, regarding, correlation) => {
    const decision = decideCase(patch);
    expect(decision.track).toBe(true);
    expect(decision.regarding).toEqual(regarding);
    expect(decision.correlation).toEqual(correlation);
  });

  test('§2.1: stop at the first step that decides (a duplicate is reported before promotion is checked)', () => {
    const decision = decideCase(
      all(
        org({ promoteIncomingEmail: false }),
        crm([contact('c1', [ANN.address])], [tracked('e1', { messageId: '<new@fabrikam.com>' })]),
      ),
    );
    expect(decision.reason).toBe('Duplicate');
    expect(decision.trace.filter((t) => t.startsWith('§2.1 step 2'))).toEqual([]);
  });

  test('§2: every decision has a trace of the steps taken, in order', () => {
    const steps = decideCase(method(2))
      .trace.map((t) => /§2\.1 step (\d+)/.exec(t)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});

describe('§2.1: sender outside step 8', () => {
  test('§2.1 step 5: a folder match never reaches step 8: no refusal, no candidates; the sender is the record created first', () => {
    const decision = decideCase(
      all(
        org({ isfolderbasedtrackingenabled: true }, { OverrideV5SenderConflictResolution: true }),
        { email: { folder: 'Projects' } },
        crm(
          [
            contact('c2', [ANN.address], '2021-01-01T00:00:00Z'),
            contact('c1', [ANN.address], '2020-01-01T00:00:00Z'),
          ],
          [],
          [{ folder: 'Projects', regarding: { type: 'account', id: 'a1' } }],
        ),
      ),
    );
    expect(decision).toMatchObject({
      track: true,
      reason: 'FolderMatch',
      sender: { type: 'contact', id: 'c1' },
      senderCandidates: [],
    });
  });

  test('§2.1: the trace names every step taken, in order, passing ones included', () => {
    const steps = decideCase({ settings: { user: { incomingemailfilteringmethod: 2 } } })
      .trace.map((t) => /§2\.1 step (\d+)/.exec(t)?.[1])
      .filter(Boolean)
      .map(Number);
    expect([...new Set(steps)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
