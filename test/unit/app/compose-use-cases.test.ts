import {
  cancelDraftTracking,
  composeOpened,
  draftStateOf,
  messageSending,
  userNumberOf,
} from '../../../src/app/composeUseCases';
import { draftTracking, trackDraft } from '../../../src/app/draftTracking';
import { itemOpened, provisionalMessageId } from '../../../src/app/itemUseCases';
import { drainPending } from '../../../src/app/pendingQueue';
import { CrmNetworkError } from '../../../src/crm/errors';
import type { ComposeSnapshot } from '../../../src/app/ports';
import { harness } from '../../support/diagnostics';
import { readItem, USER_EMAIL, USER_ID } from '../../support/fakes';

const parent = {
  activityId: 'p-1',
  messageId: '<parent@fabrikam.com>',
  subject: 'Quote CRM:0001234',
  trackingToken: 'CRM:0001234',
  threadIndex: null,
  regarding: { type: 'opportunity', id: 'o1' },
  addresses: [],
  trackedBy: USER_ID,
  receivedAt: null,
};

/** A promise the test settles itself. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function draft(
  composeType: 'reply' | 'forward' | 'newMail',
  subject = 'RE: Quote CRM:0001234',
  inReplyTo: string | null = '<parent@fabrikam.com>',
): ComposeSnapshot {
  return {
    subject,
    mark: null,
    optedOut: false,
    facts: {
      messageId: null,
      subject,
      direction: 'outgoing',
      folder: 'drafts',
      from: { address: USER_EMAIL, name: 'Dana Park' },
      to: [{ address: 'ann@fabrikam.com', name: 'Ann Lee' }],
      cc: [],
      bcc: [],
      inReplyTo,
      references: inReplyTo ? [inReplyTo] : [],
      threadIndex: null,
      receivedAt: null,
      composeType,
    },
  };
}

describe('compose (§2.3)', () => {
  test('a reply to tracked email is marked, regarding inherited, and the user told it will be tracked', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply');
    const state = await composeOpened(session, () => 'mark-1');
    expect(state).toMatchObject({
      marked: true,
      mark: { id: 'mark-1', regarding: { type: 'opportunity', id: 'o1' }, parentActivityId: 'p-1' },
    });
    expect(h.mailbox.draftSubject).toBeNull(); // the parent's token is already in the subject
    expect(h.mailbox.draftNotices.map((n) => n.kind)).toEqual(['will-track']);
  });

  test("with tokens on, the parent's token is put in a subject that lacks it", async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply', 'RE: Quote');
    await composeOpened(session, () => 'mark-2');
    expect(h.mailbox.draftSubject).toBe('RE: Quote CRM:0001234');
  });

  test('a parent without a token gets a new one: prefix, 0, user number, counter', async () => {
    const h = harness();
    h.crm.tracked = [{ ...parent, trackingToken: null, subject: 'Quote' }];
    const session = await h.session();
    h.mailbox.draft = draft('reply', 'RE: Quote');
    await composeOpened(session, () => 'mark-3');
    const user = String(userNumberOf(USER_ID, 3)).padStart(3, '0');
    expect(h.mailbox.draftSubject).toBe(`RE: Quote CRM:0${user}000`);
    expect(h.tokens.value).toBe(1);
  });

  test('tokens off: the subject is left alone', async () => {
    const h = harness();
    h.crm.tracked = [{ ...parent, trackingToken: null }];
    h.crm.settings = { organization: { tic_useTrackingToken: 'false' }, user: {} };
    const session = await h.session();
    h.mailbox.draft = draft('reply', 'RE: Quote');
    await composeOpened(session);
    expect(h.mailbox.draftSubject).toBeNull();
  });

  test.each<[string, ComposeSnapshot, Record<string, unknown>]>([
    [
      'ClientDisableTrackingForReplyForwardEmails',
      draft('reply'),
      {
        orgdborgsettings:
          '<OrgSettings><ClientDisableTrackingForReplyForwardEmails>true</ClientDisableTrackingForReplyForwardEmails></OrgSettings>',
      },
    ],
    ['a reply to email not tracked', draft('reply', 'RE: Hello', '<other@x>'), {}],
    ['a new email', draft('newMail', 'Hello', null), {}],
  ])('not marked: %s', async (_name, d, organization) => {
    const h = harness();
    h.crm.tracked = [parent];
    h.crm.settings = { organization, user: {} };
    const session = await h.session();
    h.mailbox.draft = d;
    expect(await composeOpened(session)).toMatchObject({ marked: false });
  });

  test('the user can cancel: the mark goes and nothing is tracked on send', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply');
    await composeOpened(session);
    await cancelDraftTracking(session);
    expect(await messageSending(session)).toBe('not-marked');
    // Opening the draft again does not mark it again: the choice is remembered.
    expect(await composeOpened(session)).toMatchObject({
      marked: false,
      message: 'You chose not to track this email.',
    });
  });
});

describe('send (§2.3, §5): tracked when it goes, never blocked', () => {
  test('a marked draft is tracked as sent email under a provisional id, and the sent item later gets the real one', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply');
    await composeOpened(session, () => 'mark-9');
    expect(await messageSending(session)).toBe('tracked');
    const sent = h.crm.tracked.find((t) => t.messageId === provisionalMessageId('mark-9'));
    expect(sent).toMatchObject({ regarding: { type: 'opportunity', id: 'o1' } });
    const [, [email]] = h.crm.calls.find((c) => c.method === 'trackEmails')!.args as [
      string,
      [{ direction: string }],
    ];
    expect(email.direction).toBe('outgoing');

    // The sent item appears in Sent Items with the mark's header: the activity gets its real Message-ID.
    const item = h.mailbox.add(
      readItem(
        {
          messageId: '<real@contoso.com>',
          direction: 'outgoing',
          folder: 'sentitems',
          from: { address: USER_EMAIL, name: null },
        },
        { draftMark: { id: 'mark-9', regarding: null, parentActivityId: 'p-1' } },
      ),
    );
    const state = await itemOpened(session, item);
    expect(state).toMatchObject({ status: 'tracked', activityId: sent!.activityId });
    expect(h.crm.tracked.find((t) => t.activityId === sent!.activityId)?.messageId).toBe(
      '<real@contoso.com>',
    );
  });

  test('CRM down during send: the send goes on, the track is queued and later delivered', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply');
    await composeOpened(session, () => 'mark-10');
    h.crm.failNext(
      'lookupItem',
      new CrmNetworkError('offline', { status: null, code: null, requestId: null, request: 'POST $batch' }),
    );
    expect(await messageSending(session)).toBe('queued');
    expect(h.pending.list).toEqual([
      expect.objectContaining({ messageId: provisionalMessageId('mark-10'), itemId: null }),
    ]);
    h.clock.time += 60_000;
    const { delivered } = await drainPending(session);
    expect(delivered).toHaveLength(1);
    expect(h.crm.tracked.some((t) => t.messageId === provisionalMessageId('mark-10'))).toBe(true);
  });

  test('a CRM slower than the send budget: queued, and the late success is not tracked twice', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply');
    await composeOpened(session, () => 'mark-11');
    // The CRM answers only when the test says so: the send's budget runs out first, whatever the
    // machine's load, and the slow try then finishes before the queue is drained.
    const answer = deferred();
    const lookupItem = h.crm.lookupItem.bind(h.crm);
    h.crm.lookupItem = async (q) => {
      await answer.promise;
      return lookupItem(q);
    };
    const lateTrack = deferred();
    const trackEmails = h.crm.trackEmails.bind(h.crm);
    h.crm.trackEmails = async (...args) => {
      try {
        return await trackEmails(...args);
      } finally {
        lateTrack.resolve();
      }
    };
    expect(await messageSending(session, 20)).toBe('queued');
    expect(h.pending.list).toEqual([
      expect.objectContaining({ messageId: provisionalMessageId('mark-11'), attempts: 1 }),
    ]);
    expect(h.crm.count('trackEmails')).toBe(0);
    answer.resolve(); // the slow try finishes and creates the activity
    await lateTrack.promise;
    const made = () => h.crm.tracked.filter((t) => t.activityId !== parent.activityId);
    expect(made()).toEqual([expect.objectContaining({ messageId: provisionalMessageId('mark-11') })]);
    const late = made()[0]!.activityId;
    h.clock.time += 60_000;
    // The queue finds the late success and delivers it as that activity: no second one.
    expect((await drainPending(session)).delivered).toEqual([expect.objectContaining({ activityId: late })]);
    expect(h.pending.list).toEqual([]);
    expect(made().map((t) => t.activityId)).toEqual([late]);
  });
});

describe('draft marks are trusted only when they are ours', () => {
  test('a received email carrying a mark id, or an activity of another user, never takes over an activity', async () => {
    const h = harness();
    h.crm.tracked = [
      { ...parent, activityId: 'mine', messageId: provisionalMessageId('m-1'), trackedBy: USER_ID },
      { ...parent, activityId: 'theirs', messageId: provisionalMessageId('m-2'), trackedBy: 'someone-else' },
    ];
    const session = await h.session();
    const incoming = h.mailbox.add(
      readItem(
        { messageId: '<forged@evil.example>' },
        { draftMark: { id: 'm-1', regarding: null, parentActivityId: null } },
      ),
    );
    expect((await itemOpened(session, incoming)).activityId).not.toBe('mine');
    const sentByMe = h.mailbox.add(
      readItem(
        {
          messageId: '<sent@contoso.com>',
          direction: 'outgoing',
          folder: 'sentitems',
          from: { address: USER_EMAIL, name: null },
        },
        { draftMark: { id: 'm-2', regarding: null, parentActivityId: null } },
      ),
    );
    expect((await itemOpened(session, sentByMe)).activityId).not.toBe('theirs');
    expect(h.crm.count('updateMessageId')).toBe(0);
  });

  test('a queued send-time track is removed once the sent item shows it delivered (no second activity)', async () => {
    const h = harness();
    h.crm.tracked = [
      { ...parent, activityId: 'late', messageId: provisionalMessageId('m-3'), trackedBy: USER_ID },
    ];
    h.pending.list = [
      {
        key: provisionalMessageId('m-3'),
        itemId: null,
        facts: draft('reply').facts,
        regarding: null,
        messageId: provisionalMessageId('m-3'),
        attempts: 1,
        nextAttemptAt: 0,
        lastError: 'slow',
        undeliverable: false,
      },
    ];
    const session = await h.session();
    const sent = h.mailbox.add(
      readItem(
        {
          messageId: '<real@contoso.com>',
          direction: 'outgoing',
          folder: 'sentitems',
          from: { address: USER_EMAIL, name: null },
        },
        { draftMark: { id: 'm-3', regarding: null, parentActivityId: null } },
      ),
    );
    expect(await itemOpened(session, sent)).toMatchObject({ status: 'tracked', activityId: 'late' });
    expect(h.pending.list).toEqual([]);
    expect((await drainPending(session, { force: true })).delivered).toEqual([]);
    expect(h.crm.tracked.filter((t) => t.activityId !== 'p-1')).toHaveLength(1);
  });
});

describe('compose and send: what the user is promised is kept', () => {
  test('a reply is not marked when the organization requires a regarding record and the parent had none', async () => {
    const h = harness();
    h.crm.tracked = [{ ...parent, regarding: null }];
    h.crm.settings = {
      organization: {
        orgdborgsettings:
          '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
      },
      user: {},
    };
    const session = await h.session();
    h.mailbox.draft = draft('reply');
    expect(await composeOpened(session)).toMatchObject({
      marked: false,
      message: expect.stringMatching(/choose a regarding record/),
    });
  });

  test('when even the queue cannot be written, the user is told at once and the failure is not hidden', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply');
    await composeOpened(session, () => 'mark-full');
    h.crm.failNext(
      'lookupItem',
      new CrmNetworkError('offline', { status: null, code: null, requestId: null, request: 'POST $batch' }),
    );
    h.pending.save = async () => {
      throw new Error('Outlook keeps at most 32 KB of settings');
    };
    await expect(messageSending(session)).rejects.toThrow(/32 KB/);
    expect(h.mailbox.draftNotices.at(-1)).toMatchObject({
      kind: 'failed',
      text: expect.stringMatching(/^Sent, but not tracked in the CRM and not queued/),
    });
  });
});

test('§2.3: a sent item of a marked draft whose send-time track was lost is tracked when seen', async () => {
  const h = harness();
  const session = await h.session();
  const sent = h.mailbox.add(
    readItem(
      {
        messageId: '<lost@contoso.com>',
        direction: 'outgoing',
        folder: 'sentitems',
        from: { address: USER_EMAIL, name: null },
      },
      { draftMark: { id: 'm-lost', regarding: { type: 'opportunity', id: 'o7' }, parentActivityId: null } },
    ),
  );
  expect(await itemOpened(session, sent)).toMatchObject({
    status: 'tracked',
    regarding: { type: 'opportunity', id: 'o7' },
  });
  expect(h.crm.tracked.map((t) => t.messageId)).toEqual(['<lost@contoso.com>']);
  // Seen again: already tracked, nothing new.
  expect(await itemOpened(session, h.mailbox.snapshot(sent.itemId))).toMatchObject({ status: 'tracked' });
  expect(h.crm.tracked).toHaveLength(1);
});

describe("Track in CRM on a draft (issue 10 §1): any draft, marked at the user's request", () => {
  const requireRegarding = {
    organization: {
      orgdborgsettings:
        '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
    },
    user: {},
  };

  test('a new email is marked on request, gets a new token, and the user is told; sending tracks it', async () => {
    const h = harness();
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    const state = await trackDraft(session, { newId: () => 'mark-new' });
    expect(state).toMatchObject({
      status: 'marked',
      marked: true,
      mark: { id: 'mark-new', regarding: null, parentActivityId: null },
    });
    const user = String(userNumberOf(USER_ID, 3)).padStart(3, '0');
    expect(h.mailbox.draftSubject).toBe(`Hello CRM:0${user}000`);
    expect(h.mailbox.draftNotices).toEqual([
      { kind: 'will-track', text: 'Will be tracked in the CRM when sent.' },
    ]);
    expect(await messageSending(session)).toBe('tracked');
    expect(h.crm.tracked.filter((t) => t.messageId === provisionalMessageId('mark-new'))).toHaveLength(1);
  });

  test("a reply keeps its parent's token and regarding", async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft('reply', 'RE: Quote');
    const state = await trackDraft(session, { newId: () => 'mark-r' });
    // The mark remembers the token it put in the subject, so Cancel can take it out again.
    expect(state.mark).toEqual({
      id: 'mark-r',
      regarding: parent.regarding,
      parentActivityId: 'p-1',
      token: 'CRM:0001234',
    });
    expect(h.mailbox.draftSubject).toBe('RE: Quote CRM:0001234');
  });

  test('a required regarding (OverrideTrackInCrmBehaviour = 1) is asked first; the mark carries it, and the notice names it', async () => {
    const h = harness();
    h.crm.settings = requireRegarding;
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    const asked: string[] = [];
    const state = await trackDraft(session, {
      chooseRegarding: async () => {
        asked.push('dialog');
        return { type: 'account', id: 'a1', name: 'Fabrikam' };
      },
    });
    expect(asked).toEqual(['dialog']);
    expect(state).toMatchObject({ status: 'marked', mark: { regarding: { type: 'account', id: 'a1' } } });
    expect(h.mailbox.draft?.mark?.regarding).toEqual({ type: 'account', id: 'a1' });
    expect(h.mailbox.draftNotices.at(-1)?.text).toBe(
      'Will be tracked in the CRM when sent, regarding Fabrikam.',
    );
    expect(await messageSending(session)).toBe('tracked');
    const [sent] = h.crm.tracked;
    expect(sent?.regarding).toEqual({ type: 'account', id: 'a1' });
  });

  test('a required regarding not chosen: not marked, and the user told why', async () => {
    const h = harness();
    h.crm.settings = requireRegarding;
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    expect(await trackDraft(session, { chooseRegarding: async () => null })).toMatchObject({
      status: 'not-marked',
      marked: false,
      message: expect.stringMatching(/no regarding record was chosen/),
    });
    expect(h.mailbox.draft?.mark).toBeNull();
    // Without a chooser (the pane before its search): it says a record is needed, nothing marked.
    expect(await trackDraft(session)).toMatchObject({ status: 'needs-regarding', marked: false });
    expect(await messageSending(session)).toBe('not-marked');
  });

  test('tokens off: the subject is left alone', async () => {
    const h = harness();
    h.crm.settings = { organization: { tic_useTrackingToken: 'false' }, user: {} };
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    expect(await trackDraft(session)).toMatchObject({ status: 'marked' });
    expect(h.mailbox.draftSubject).toBeNull();
  });

  test('cancel, then Track in CRM again: marked again (the explicit request clears the opt-out)', async () => {
    const h = harness();
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    await trackDraft(session, { newId: () => 'm1' });
    await cancelDraftTracking(session);
    expect(await draftTracking(session)).toMatchObject({
      marked: false,
      message: expect.stringMatching(/chose not to track/),
    });
    expect(await composeOpened(session)).toMatchObject({ marked: false });
    expect(await trackDraft(session, { newId: () => 'm2' })).toMatchObject({
      status: 'marked',
      mark: { id: 'm2' },
    });
    expect(await draftTracking(session)).toMatchObject({ marked: true });
    expect(await messageSending(session)).toBe('tracked');
  });

  test('Cancel tracking takes out the token the mark put in the subject; Track again puts a new one', async () => {
    const h = harness();
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    await trackDraft(session, { newId: () => 'm1' });
    const token = h.mailbox.draft.mark?.token;
    expect(token).toMatch(/^CRM:\d+$/);
    expect(h.mailbox.draft.subject).toBe(`Hello ${token}`);
    await cancelDraftTracking(session);
    expect(h.mailbox.draft.subject).toBe('Hello');
    await trackDraft(session, { newId: () => 'm2' });
    expect(h.mailbox.draft.subject).toMatch(/^Hello CRM:\d+$/);
  });

  test('Cancel tracking leaves a subject the user edited, and a token the mark did not add, alone', async () => {
    const h = harness();
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    await trackDraft(session, { newId: () => 'm1' });
    // The user rewrote the subject, token included.
    h.mailbox.draft = { ...h.mailbox.draft, subject: 'Quote for Fabrikam' };
    await cancelDraftTracking(session);
    expect(h.mailbox.draft.subject).toBe('Quote for Fabrikam');
    // A subject that already carried a token (the user typed it): the mark added none, Cancel removes none.
    h.mailbox.draft = draft('newMail', 'Re: order CRM:0001234', null);
    await trackDraft(session, { newId: () => 'm3' });
    expect(h.mailbox.draft.mark?.token ?? null).toBeNull();
    await cancelDraftTracking(session);
    expect(h.mailbox.draft.subject).toBe('Re: order CRM:0001234');
  });

  test('a second press says it is already marked and changes nothing; Set Regarding changes the regarding only', async () => {
    const h = harness();
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    // Marked from the pane with a record chosen in its search.
    await trackDraft(session, { newId: () => 'm1', regarding: { type: 'account', id: 'a1' } });
    expect(h.mailbox.draft.mark?.regarding).toEqual({ type: 'account', id: 'a1' });
    const subject = h.mailbox.draft.subject;
    const asked: string[] = [];
    const chooseRegarding = async () => {
      asked.push('dialog');
      return { type: 'contact', id: 'c9', name: 'Ann Lee' };
    };
    const again = await trackDraft(session, { newId: () => 'm2', chooseRegarding });
    expect(again).toMatchObject({ status: 'already-marked', marked: true, mark: { id: 'm1' } });
    expect(asked).toEqual([]);
    expect(h.mailbox.draftNotices.at(-1)?.text).toMatch(/^Already marked.*Cancel tracking/);
    expect(h.mailbox.draft.subject).toBe(subject);
    const changed = await trackDraft(session, { askRegarding: true, chooseRegarding });
    expect(changed).toMatchObject({
      status: 'marked',
      mark: { id: 'm1', regarding: { type: 'contact', id: 'c9' } },
    });
    expect(h.tokens.value).toBe(1); // the token already in the subject is kept
  });
});

describe("a draft's own state (draftStateOf): one reading for composeOpened and the pane's card", () => {
  const mark = { id: 'm1', regarding: null, parentActivityId: null };
  test.each([
    ['no draft open', null, { marked: false, message: 'No draft is open.' }],
    [
      'marked: tracked when sent',
      { ...draft('newMail', 'Hello', null), mark },
      { marked: true, mark, message: 'This email will be tracked in the CRM when it is sent.' },
    ],
    [
      'cancelled by the user: says so, and the card offers Track again',
      { ...draft('newMail', 'Hello', null), optedOut: true },
      { marked: false, optedOut: true, message: 'You chose not to track this email.' },
    ],
  ])('%s', (_name, snapshot, expected) => {
    expect(draftStateOf(snapshot)).toMatchObject(expected);
  });

  test('neither marked nor cancelled: nothing yet (a decision is needed)', () => {
    expect(draftStateOf(draft('reply'))).toBeNull();
  });

  test('Cancel tracking replaces the "will be tracked" notice on the draft, so Outlook never contradicts the pane', async () => {
    const h = harness();
    const session = await h.session();
    h.mailbox.draft = draft('newMail', 'Hello', null);
    await trackDraft(session, { newId: () => 'm1' });
    await cancelDraftTracking(session);
    expect(h.mailbox.draftNotices.at(-1)).toEqual({
      kind: 'info',
      text: 'This email will not be tracked when it is sent.',
    });
  });
});
