/**
 * The item state's sender match count (issue 10, the review form): how many active records the
 * sender's address matched in the lookup behind the decision, counted as the rules count them, so
 * the pane can tell "matched nothing" from "matched several, left unresolved".
 */
import { itemOpened, setRegarding, trackItem } from '../../../src/app/itemUseCases';
import { CrmNetworkError } from '../../../src/crm/errors';
import type { CrmRecord } from '../../../src/rules/types';
import { harness } from '../../support/diagnostics';
import { contactAnn, readItem } from '../../support/fakes';

const ann = 'ann@fabrikam.com';
const leadAnn: CrmRecord = {
  type: 'lead',
  id: 'l-ann',
  emails: [ann],
  createdOn: '2021-01-01T00:00:00Z',
  active: true,
  name: 'Ann Lee (lead)',
};
const accountFabrikam: CrmRecord = {
  type: 'account',
  id: 'a-fab',
  emails: [ann],
  createdOn: '2022-01-01T00:00:00Z',
  active: true,
  name: 'Fabrikam',
};
const unresolveOn = {
  organization: {
    orgdborgsettings:
      '<OrgSettings><UnresolveSenderInCaseOfMultipleMatch>true</UnresolveSenderInCaseOfMultipleMatch></OrgSettings>',
  },
  user: {},
};

describe('§2.1 step 8: itemOpened counts the records the sender matched', () => {
  test.each<[string, readonly CrmRecord[], number]>([
    ['no record: 0', [], 0],
    ['one contact: 1', [contactAnn], 1],
    ['a contact, a lead and an account: 3', [contactAnn, leadAnn, accountFabrikam], 3],
    ['an inactive record does not match (§2.4): 1', [contactAnn, { ...leadAnn, active: false }], 1],
  ])('%s', async (_, records, count) => {
    const h = harness();
    h.crm.records = [...records];
    const session = await h.session();
    const state = await itemOpened(session, h.mailbox.add(readItem()));
    expect(state.decision).not.toBeNull();
    expect(state.senderMatchCount).toBe(count);
  });

  test('UnresolveSenderInCaseOfMultipleMatch: the sender is unresolved without candidates, and only the count says "several"', async () => {
    const h = harness();
    h.crm.records = [contactAnn, leadAnn];
    h.crm.settings = unresolveOn;
    const session = await h.session();
    const state = await itemOpened(session, h.mailbox.add(readItem()));
    expect(state.decision).toMatchObject({ sender: null, senderCandidates: [] });
    expect(state.senderMatchCount).toBe(2);
  });

  test('primary-email-only reconciliation (§2.4): an address in a second email slot does not count', async () => {
    const h = harness();
    h.crm.records = [contactAnn, { ...leadAnn, emails: ['other@fabrikam.com', ann] }];
    const all = await itemOpened(await h.session(), h.mailbox.add(readItem()));
    expect(all.senderMatchCount).toBe(2);
    const primary = await h.session({ user: { recipientReconciliation: 'primary-email-only' } });
    expect((await itemOpened(primary, h.mailbox.add(readItem()))).senderMatchCount).toBe(1);
  });

  test('a sender without a valid address matches nothing, even a record holding the same text: 0', async () => {
    const h = harness();
    h.crm.records = [{ ...contactAnn, emails: ['not an address'] }];
    const session = await h.session();
    const state = await itemOpened(
      session,
      h.mailbox.add(readItem({ from: { address: 'not an address', name: 'Ann Lee' } })),
    );
    expect(state.senderMatchCount).toBe(0);
  });
});

describe('the count goes with the lookup that made the decision', () => {
  test('Track carries it too', async () => {
    const h = harness();
    h.crm.records = [contactAnn, leadAnn];
    const session = await h.session();
    const state = await trackItem(session, h.mailbox.add(readItem()));
    expect(state.status).toBe('tracked');
    expect(state.senderMatchCount).toBe(2);
  });

  test('no lookup, no count: the CRM not reachable, or a regarding set on a tagged item', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext(
      'lookupItem',
      new CrmNetworkError('offline', { status: null, code: null, requestId: null, request: 'GET' }),
    );
    const unreachable = await itemOpened(session, item);
    expect(unreachable).toMatchObject({ status: 'failed', decision: null, senderMatchCount: null });

    const tracked = await trackItem(session, item);
    expect(tracked.senderMatchCount).toBe(1);
    const regarding = await setRegarding(session, h.mailbox.snapshot(item.itemId), {
      type: 'account',
      id: 'a-fab',
    });
    expect(regarding).toMatchObject({ status: 'tracked', decision: null, senderMatchCount: null });
  });
});
