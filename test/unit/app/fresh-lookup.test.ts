/**
 * Request budget (issue 9): a ribbon Track is session + lookup + track. The lookup made in the same
 * flow moments ago is the duplicate check, so the track asks the adapter to create without checking
 * again; an old lookup (a dialog left open), or one that saw this user's activity, never is.
 */
import { itemOpened, trackItem } from '../../../src/app/itemUseCases';
import { FRESH_LOOKUP_MS } from '../../../src/app/pipeline';
import type { TrackOptions } from '../../../src/crm/port';
import { harness } from '../../support/diagnostics';
import { contactAnn, readItem, userDana } from '../../support/fakes';

const method = (m: number) => ({ organization: {}, user: { incomingemailfilteringmethod: m } });

function trackOptions(h: ReturnType<typeof harness>): TrackOptions {
  const call = h.crm.calls.find((c) => c.method === 'trackEmails');
  if (!call) throw new Error('trackEmails was not called');
  return call.args[2] as TrackOptions;
}

describe('a fresh lookup stands in for the duplicate check', () => {
  test('an item opened and tracked: the lookup just made vouches for its Message-ID', async () => {
    const h = harness();
    h.crm.records = [contactAnn, userDana];
    h.crm.settings = method(2);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    expect((await itemOpened(session, item)).status).toBe('tracked');
    expect(trackOptions(h).checkedAbsent).toEqual([item.facts.messageId]);
  });

  test('a regarding chosen in a dialog left open past the freshness window: the adapter checks again', async () => {
    const h = harness();
    h.crm.records = [contactAnn, userDana];
    h.crm.settings = {
      organization: {
        orgdborgsettings:
          '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
      },
      user: {},
    };
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    const state = await trackItem(session, item, null, {
      chooseRegarding: async () => {
        h.clock.time += FRESH_LOOKUP_MS + 1;
        return { type: 'contact', id: 'c-ann' };
      },
    });
    expect(state.status).toBe('tracked');
    expect(trackOptions(h).checkedAbsent).toEqual([]);
  });

  test("with AllowPromoteDuplicates, another user's activity does not count against the check", async () => {
    const h = harness();
    h.crm.records = [contactAnn, userDana];
    h.crm.settings = {
      organization: {
        orgdborgsettings: '<OrgSettings><AllowPromoteDuplicates>true</AllowPromoteDuplicates></OrgSettings>',
      },
      user: {},
    };
    const item = h.mailbox.add(readItem());
    h.crm.tracked.push({
      activityId: 'act-other',
      messageId: item.facts.messageId,
      subject: item.facts.subject,
      trackingToken: null,
      threadIndex: null,
      regarding: null,
      addresses: [],
      trackedBy: 'someone-else',
      receivedAt: null,
    });
    const session = await h.session();
    const state = await trackItem(session, item, null);
    expect(state.status).toBe('tracked');
    expect(trackOptions(h).checkedAbsent).toEqual([item.facts.messageId]);
  });
});
