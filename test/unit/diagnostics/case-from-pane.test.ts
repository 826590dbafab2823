/**
 * "Copy as a case" from the pane's current item: the case round-trips through src/cli's case reader
 * and decides as the pane decided (tracking.md §6), and its settings are the session's.
 */
import { caseSettingsOf } from '../../../src/app/diagnosticsCase';
import { itemOpened } from '../../../src/app/itemUseCases';
import { readCase } from '../../../src/cli/caseInput';
import { explainCase } from '../../../src/cli/explain';
import type { RawSettings } from '../../../src/rules/settingsInput';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { currentItemCase, NoItemForCaseError } from '../../../src/taskpane/controller/diagnosticsCase';
import { harness } from '../../support/diagnostics';
import { contactAnn, readItem, userDana } from '../../support/fakes';

const parent = {
  activityId: 'e-parent',
  messageId: '<parent@fabrikam.com>',
  subject: 'Quote',
  trackingToken: null,
  threadIndex: null,
  regarding: { type: 'opportunity', id: 'o1' },
  addresses: ['ann@fabrikam.com'],
  trackedBy: 'someone-else',
  receivedAt: '2026-02-01T00:00:00Z',
};

const scenarios: [string, RawSettings, Partial<Parameters<typeof readItem>[0]>][] = [
  ['accept all', { organization: {}, user: { incomingemailfilteringmethod: 0 } }, {}],
  [
    'responses only, a reply',
    { organization: { emailcorrelationenabled: true }, user: { incomingemailfilteringmethod: 1 } },
    { inReplyTo: '<parent@fabrikam.com>' },
  ],
  ['responses only, not a reply', { organization: {}, user: { incomingemailfilteringmethod: 1 } }, {}],
  [
    'contacts only, an unknown sender',
    { organization: {}, user: { incomingemailfilteringmethod: 2 } },
    { from: { address: 'zed@elsewhere.org', name: 'Zed' } },
  ],
  [
    'internal email ignored',
    { organization: { ignoreinternalemail: true }, user: { incomingemailfilteringmethod: 0 } },
    { from: { address: 'dana@contoso.com', name: 'Dana' } },
  ],
  [
    'an invalid sender',
    { organization: {}, user: { incomingemailfilteringmethod: 0 } },
    { from: { address: 'nobody', name: null } },
  ],
];

describe.each([false, true])('with masking %s', (mask) => {
  test.each(scenarios)(
    '%s: explain decides the copied case as the pane did',
    async (_name, settings, facts) => {
      const h = harness();
      h.crm.records = [contactAnn, userDana];
      h.crm.tracked = [parent];
      h.crm.settings = settings;
      const session = await h.session();
      const state = await itemOpened(session, h.mailbox.add(readItem(facts)));
      const decision = state.decision!;
      const copied = await currentItemCase(session, { decision, activityId: state.activityId }, { mask });
      const again = explainCase(readCase(JSON.parse(JSON.stringify(copied))));
      expect(decision.trace.length).toBeGreaterThan(0);
      expect({ track: again.track, reason: again.reason }).toEqual({
        track: decision.track,
        reason: decision.reason,
      });
    },
  );
});

test('the copied settings read back as the settings the session decided with', async () => {
  const h = harness();
  h.crm.settings = {
    organization: {
      ignoreinternalemail: true,
      orgdborgsettings:
        '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour><AllowPromoteDuplicates>false</AllowPromoteDuplicates></OrgSettings>',
    },
    user: { incomingemailfilteringmethod: 3, autocreatecontactonpromote: 2 },
  };
  const { settings } = await h.session({ client: { backgroundTrackEmail: false } });
  const read = resolveSettings(caseSettingsOf(settings) as RawSettings, { strictTypes: true });
  expect(read.issues).toEqual([]);
  const { orgdborgsettings: _xml, ...organization } = read.settings.organization;
  const { orgdborgsettings: _original, ...expected } = settings.organization;
  expect({ ...read.settings, organization }).toEqual({ ...settings, organization: expected });
});

test('no open item is said as such, not as an empty case', async () => {
  const h = harness();
  const session = await h.session();
  h.mailbox.current = null;
  const decision = explainCase(readCase({ action: 'incoming', email: {} }));
  await expect(
    currentItemCase(session, { decision, activityId: null }, { mask: true }),
  ).rejects.toBeInstanceOf(NoItemForCaseError);
});
