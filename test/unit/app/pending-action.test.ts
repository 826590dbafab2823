/**
 * A queued track is decided again, when it is tried, the way it was first decided (tracking.md §5): a
 * track the background check made on its own (§2.1, `action: 'incoming'`) needs no regarding record
 * the user chose, even where OverrideTrackInCrmBehaviour requires one for the user's own Track (§2.2);
 * and a track the rules no longer allow says why in the rules' words, never a reason's code name.
 */
import { userFacingError } from '../../../src/app/itemState';
import { drainPending, enqueuePending, queueContext } from '../../../src/app/pendingQueue';
import { CrmUnavailableError } from '../../../src/crm/errors';
import { harness } from '../../support/diagnostics';
import { contactAnn, readItem, userDana } from '../../support/fakes';

const unavailable = () =>
  new CrmUnavailableError('Service Unavailable', {
    status: 503,
    code: null,
    requestId: 'r1',
    request: 'POST $batch',
  });

const OVERRIDE = '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>';

async function queued(action: 'incoming' | 'track' | undefined, user: Record<string, unknown>) {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = { organization: { orgdborgsettings: OVERRIDE }, user };
  const session = await h.session();
  const item = h.mailbox.add(readItem());
  await enqueuePending(
    queueContext(session),
    {
      itemId: item.itemId,
      facts: item.facts,
      regarding: null,
      messageId: item.facts.messageId as string,
      ...(action ? { action } : {}),
    },
    userFacingError(unavailable()),
  );
  return { h, session };
}

test('a queued background track (incoming) is delivered without a regarding record, where the user’s own Track needs one', async () => {
  const { h, session } = await queued('incoming', { incomingemailfilteringmethod: 2 });
  expect((await session.pending.load())[0]?.action).toBe('incoming');
  const { delivered, failed } = await drainPending(session, { force: true });
  expect(failed).toEqual([]);
  expect(delivered).toHaveLength(1);
  expect(h.crm.tracked).toHaveLength(1);
});

test('a queued Track in CRM (the default) still needs its regarding record under OverrideTrackInCrmBehaviour, said in words', async () => {
  const { session } = await queued(undefined, { incomingemailfilteringmethod: 2 });
  const { failed } = await drainPending(session, { force: true });
  expect(failed).toHaveLength(1);
  expect(failed[0]?.undeliverable).toBe(true);
  expect(failed[0]?.lastError).toMatch(/^The CRM's rules no longer track this email\. /);
  expect(failed[0]?.lastError).not.toMatch(/RegardingRequired|unexpected error/);
});

test('a queued background track the filter no longer allows is not retried, and says the filter’s reason', async () => {
  const { h, session } = await queued('incoming', { incomingemailfilteringmethod: 1 });
  const { failed } = await drainPending(session, { force: true });
  expect(h.crm.tracked).toHaveLength(0);
  expect(failed[0]?.undeliverable).toBe(true);
  expect(failed[0]?.lastError).toMatch(/rules no longer track this email\. Not tracked automatically/);
});

test('a queued track delivered while its item is shown gets its description back (the queue keeps no body)', async () => {
  const { h, session } = await queued('incoming', { incomingemailfilteringmethod: 2 });
  await drainPending(session, { force: true });
  const [email] = [...h.crm.created.values()];
  expect(email?.body).toBe(await h.mailbox.itemBody([...h.mailbox.items.keys()][0] as string));
  expect(email?.body).toBeTruthy();
});
