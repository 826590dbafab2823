/**
 * Issue 9 §3 on the use cases the ribbon and the send handler run: a queued track keeps the
 * correlated regarding (§2.2 step 3), the duplicate check comes before the Set Regarding dialog
 * (§2.2 step 1 before step 2), and failures are worded per VerboseErrorsOnPromoteToCRM (§1.2) with
 * the detail in the diagnostics log.
 */
import { composeOpened, messageSending, queueMarkedDraft } from '../../../src/app/composeUseCases';
import { trackItem, untrackItem } from '../../../src/app/itemUseCases';
import { drainPending } from '../../../src/app/pendingQueue';
import type { ComposeSnapshot } from '../../../src/app/ports';
import { CrmForbiddenError, CrmNotFoundError, CrmUnavailableError } from '../../../src/crm/errors';
import type { TrackedEmail } from '../../../src/rules/types';
import { harness, RecordingLog } from '../../support/diagnostics';
import { readItem, USER_EMAIL, USER_ID } from '../../support/fakes';

const unavailable = () =>
  new CrmUnavailableError('Service Unavailable', {
    status: 503,
    code: null,
    requestId: 'req-503',
    request: 'POST $batch',
  });
const forbidden = () =>
  new CrmForbiddenError('Principal user is missing prvCreateActivity privilege', {
    status: 403,
    code: '0x80040220',
    requestId: 'req-403',
    request: 'POST $batch',
  });
const orgDb = (xml: string) => ({
  organization: { orgdborgsettings: `<OrgSettings>${xml}</OrgSettings>` },
  user: {},
});

/** A tracked email of the user's, regarding an opportunity: what a reply correlates to (§3.1). */
const parent: TrackedEmail = {
  activityId: 'p-1',
  messageId: '<parent@fabrikam.com>',
  subject: 'Quote',
  trackingToken: null,
  threadIndex: null,
  regarding: { type: 'opportunity', id: 'o1' },
  addresses: [],
  trackedBy: USER_ID,
  receivedAt: '2026-02-01T00:00:00Z',
};
const reply = () =>
  readItem({ subject: 'RE: Quote', inReplyTo: parent.messageId, references: [parent.messageId as string] });

describe('a track queued while the CRM was down keeps the correlated regarding (§2.2 step 3)', () => {
  test('delivered regarding the correlated activity when the user chose none', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    const item = h.mailbox.add(reply());
    h.crm.failNext('lookupItem', unavailable());
    expect(await trackItem(session, item)).toMatchObject({ status: 'pending' });
    expect(h.pending.list[0]).toMatchObject({ regarding: null });

    h.clock.time += 60_000;
    const { delivered } = await drainPending(session);
    expect(delivered).toHaveLength(1);
    const created = h.crm.tracked.find((t) => t.messageId === item.facts.messageId);
    expect(created?.regarding).toEqual({ type: 'opportunity', id: 'o1' });
  });

  test('a chosen regarding still wins over the correlated one', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    const item = h.mailbox.add(reply());
    h.crm.failNext('lookupItem', unavailable());
    await trackItem(session, item, { type: 'account', id: 'a1' });
    h.clock.time += 60_000;
    await drainPending(session);
    expect(h.crm.tracked.find((t) => t.messageId === item.facts.messageId)?.regarding).toEqual({
      type: 'account',
      id: 'a1',
    });
  });

  test('a track that failed after the lookup is queued with the choice, not the correlated answer of then', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    const item = h.mailbox.add(reply());
    h.crm.failNext('trackEmails', unavailable());
    expect(await trackItem(session, item)).toMatchObject({ status: 'pending' });
    expect(h.pending.list[0]).toMatchObject({ regarding: null });
    // Meanwhile the parent was set regarding another record: delivery follows the CRM of now.
    h.crm.tracked[0] = { ...parent, regarding: { type: 'account', id: 'a9' } };
    h.clock.time += 60_000;
    await drainPending(session);
    expect(h.crm.tracked.find((t) => t.messageId === item.facts.messageId)?.regarding).toEqual({
      type: 'account',
      id: 'a9',
    });
  });
});

describe('the Set Regarding dialog opens only after the duplicate check (§2.2 step 1, then step 2)', () => {
  const required = orgDb('<OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour>');

  test('an email already tracked: no dialog, the user is told it is tracked', async () => {
    const h = harness();
    h.crm.settings = required;
    const item = readItem();
    h.crm.tracked = [{ ...parent, activityId: 'old-1', messageId: item.facts.messageId, regarding: null }];
    const session = await h.session();
    h.mailbox.add(item);
    const choose = jest.fn(async () => ({ type: 'account', id: 'a1' }));
    const state = await trackItem(session, item, null, { chooseRegarding: choose });
    expect(choose).not.toHaveBeenCalled();
    expect(state).toMatchObject({
      status: 'tracked',
      activityId: 'old-1',
      message: 'Already tracked in the CRM.',
    });
    expect(h.crm.count('trackEmails')).toBe(0);
  });

  test('not tracked: the dialog is asked once, and the choice is tracked on the same lookup', async () => {
    const h = harness();
    h.crm.settings = required;
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    const choose = jest.fn(async () => ({ type: 'account', id: 'a1' }));
    const state = await trackItem(session, item, null, { chooseRegarding: choose });
    expect(choose).toHaveBeenCalledTimes(1);
    expect(state).toMatchObject({ status: 'tracked', regarding: { type: 'account', id: 'a1' } });
    expect(h.crm.count('lookupItem')).toBe(1);
  });

  test('the dialog closed without a choice: nothing is tracked, and the state says why', async () => {
    const h = harness();
    h.crm.settings = required;
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    const state = await trackItem(session, item, null, { chooseRegarding: async () => null });
    expect(state).toMatchObject({
      status: 'not-tracked',
      message: 'Not tracked: no regarding record was chosen.',
    });
    expect(h.crm.count('trackEmails')).toBe(0);
  });

  test('no regarding required: the dialog is never asked', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    const choose = jest.fn(async () => null);
    expect(await trackItem(session, item, null, { chooseRegarding: choose })).toMatchObject({
      status: 'tracked',
    });
    expect(choose).not.toHaveBeenCalled();
  });
});

describe('VerboseErrorsOnPromoteToCRM (§1.2) on the ribbon path: what the user reads, and the log', () => {
  test.each([
    [
      1,
      /^Not tracked: Principal user is missing prvCreateActivity privilege · HTTP 403 · code 0x80040220 · request req-403$/,
    ],
    [0, /^Not tracked: You do not have permission to do this in the CRM\.$/],
  ])('with %s', async (verbose, shown) => {
    const h = harness();
    h.crm.settings = orgDb(`<VerboseErrorsOnPromoteToCRM>${verbose}</VerboseErrorsOnPromoteToCRM>`);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('trackEmails', forbidden());
    expect(await trackItem(session, item)).toMatchObject({ status: 'failed' });
    expect(h.mailbox.items.get(item.itemId)?.notices.at(-1)).toMatchObject({
      kind: 'failed',
      text: expect.stringMatching(shown),
    });
    // The detail is in the diagnostics log whatever the setting.
    expect(h.log.text()).toMatch(/HTTP 403 · code 0x80040220 · request req-403/);
  });
});

describe('VerboseErrorsOnPromoteToCRM (§1.2) on the send path', () => {
  const draft = (): ComposeSnapshot => ({
    subject: 'RE: Quote',
    mark: null,
    optedOut: false,
    facts: {
      messageId: null,
      subject: 'RE: Quote',
      direction: 'outgoing',
      folder: 'drafts',
      from: { address: USER_EMAIL, name: 'Dana Park' },
      to: [{ address: 'ann@fabrikam.com', name: 'Ann Lee' }],
      cc: [],
      bcc: [],
      inReplyTo: parent.messageId,
      references: [parent.messageId as string],
      threadIndex: null,
      receivedAt: null,
      composeType: 'reply',
    },
  });

  test.each([
    [1, /^Sent\. Tracking in the CRM will be tried again: Service Unavailable · HTTP 503 · request req-503$/],
    [0, /^Sent\. Tracking in the CRM will be tried again: The CRM is busy/],
  ])('with %s the draft says so, and the log has the detail', async (verbose, shown) => {
    const h = harness();
    h.crm.tracked = [parent];
    h.crm.settings = orgDb(`<VerboseErrorsOnPromoteToCRM>${verbose}</VerboseErrorsOnPromoteToCRM>`);
    const session = await h.session();
    h.mailbox.draft = draft();
    await composeOpened(session, () => 'mark-v');
    h.crm.failNext('lookupItem', unavailable());
    expect(await messageSending(session)).toBe('queued');
    expect(h.mailbox.draftNotices.at(-1)).toMatchObject({ kind: 'info', text: expect.stringMatching(shown) });
    expect(h.log.text()).toMatch(
      /Send-time track not made, queued: Service Unavailable · HTTP 503 · request req-503/,
    );
  });

  test('a notice Outlook refuses on the draft is logged, and the send still goes', async () => {
    const h = harness();
    h.crm.tracked = [parent];
    const session = await h.session();
    h.mailbox.draft = draft();
    await composeOpened(session, () => 'mark-n');
    h.mailbox.notify = async () => {
      throw new Error('the compose window is closing');
    };
    h.crm.failNext('lookupItem', unavailable());
    expect(await messageSending(session)).toBe('queued');
    expect(h.log.text()).toMatch(/Could not show "Sent\. Tracking in the CRM will be tried again/);
  });

  test('without a session, queueMarkedDraft words the failure as last known', async () => {
    const h = harness();
    h.mailbox.draft = { ...draft(), mark: { id: 'mark-q', regarding: null, parentActivityId: null } };
    const log = new RecordingLog();
    const deps = { mailbox: h.mailbox, pending: h.pending, clock: h.clock, log, verboseErrors: true };
    expect(await queueMarkedDraft(deps, unavailable())).toBe('queued');
    expect(h.mailbox.draftNotices.at(-1)?.text).toMatch(/HTTP 503 · request req-503$/);
    expect(h.pending.list).toHaveLength(1);
  });
});

describe('no catch drops an error without a word', () => {
  test('a body that cannot be read: tracked without a description, and the log says why', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.mailbox.itemBody = async () => {
      throw new Error('Reading the body failed: item too large');
    };
    expect(await trackItem(session, item)).toMatchObject({ status: 'tracked' });
    expect(h.log.text()).toMatch(/Could not read the body of .*tracked without a description/);
  });

  test('untrack of an activity already gone: done, and logged', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    await trackItem(session, item);
    h.crm.failNext(
      'untrack',
      new CrmNotFoundError('Not found', {
        status: 404,
        code: null,
        requestId: null,
        request: 'DELETE emails',
      }),
    );
    expect(await untrackItem(session, h.mailbox.snapshot(item.itemId))).toMatchObject({
      status: 'not-tracked',
    });
    expect(h.log.text()).toMatch(/already gone from the CRM/);
  });

  test('a queued track failing again is logged with its detail', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('lookupItem', unavailable(), unavailable());
    await trackItem(session, item);
    h.clock.time += 60_000;
    expect((await drainPending(session)).failed).toHaveLength(1);
    expect(h.log.text()).toMatch(/failed again \(try 2\): Service Unavailable · HTTP 503 · request req-503/);
  });
});
