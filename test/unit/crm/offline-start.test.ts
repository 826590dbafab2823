/**
 * §1.4 offline start: a session opened online leaves a compact settings snapshot in roaming
 * settings; when the CRM cannot be reached at start, the session opens from it, marked offline.
 */
import { EMAIL_TABLES_TRUSTED_MS, openSession, type SessionDeps } from '../../../src/app/session';
import { CrmAuthError, CrmNetworkError, CrmUnavailableError } from '../../../src/crm/errors';
import { ROAMING_KEY, RoamingStore } from '../../../src/mailbox/roamingStore';
import { createOfficeSimulator, type OfficeSimulator } from '../../../simulator';
import {
  FakeClock,
  FakeCrm,
  FakeMailbox,
  MemoryPendingStore,
  MemoryTokenCounter,
  USER_ID,
} from '../../support/fakes';

let sim: OfficeSimulator;
let uninstall: () => void;

beforeEach(() => {
  sim = createOfficeSimulator({ user: { emailAddress: 'dana@contoso.com', displayName: 'Dana Park' } });
  uninstall = sim.install(globalThis);
});
afterEach(() => uninstall());

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const CRM_URL = 'https://contoso.crm.dynamics.com';

function deps(
  crm: FakeCrm,
  roaming: RoamingStore,
  logged: string[] = [],
  options: { crmUrl?: string; clock?: FakeClock } = {},
): SessionDeps {
  return {
    crm,
    mailbox: new FakeMailbox(),
    pending: new MemoryPendingStore(),
    tokens: new MemoryTokenCounter(),
    localOptions: roaming.localOptions(),
    clock: options.clock ?? new FakeClock(),
    snapshots: roaming.sessionSnapshots(options.crmUrl ?? CRM_URL),
    log: { log: (message) => logged.push(message) },
  };
}

const offline = () =>
  new CrmNetworkError('The CRM could not be reached.', {
    status: null,
    code: null,
    requestId: null,
    request: 'POST $batch',
  });

describe('offline start from the roaming settings snapshot', () => {
  test('online: the snapshot is kept (compact, no token); offline next time: the session opens from it, marked', async () => {
    const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
    const crm = new FakeCrm();
    crm.settings = {
      organization: {
        trackingprefix: 'TIC:',
        orgdborgsettings: '<OrgSettings><AllowPromoteDuplicates>true</AllowPromoteDuplicates></OrgSettings>',
        hashfilterkeywords: null,
      },
      user: { incomingemailfilteringmethod: 2 },
    };
    const online = await openSession(deps(crm, roaming));
    expect(online.offline).toBeUndefined();
    await flush();
    const stored = roaming.read().snapshot;
    expect(stored).toMatchObject({
      savedAt: '2026-03-01T09:00:00.000Z',
      identity: { userId: USER_ID, mailboxApproved: true },
      raw: { organization: { trackingprefix: 'TIC:' }, user: { incomingemailfilteringmethod: 2 } },
    });
    expect(stored?.raw.organization).not.toHaveProperty('hashfilterkeywords'); // nulls are not kept
    const bytes = JSON.stringify({ [ROAMING_KEY]: roaming.read() }).length;
    expect(bytes).toBeLessThan(2048);
    expect(JSON.stringify(roaming.read())).not.toMatch(/token|bearer/i);

    crm.failNext('openSession', offline());
    const logged: string[] = [];
    const session = await openSession(deps(crm, roaming, logged));
    expect(session.offline).toMatchObject({ settingsSavedAt: '2026-03-01T09:00:00.000Z' });
    expect(session.offline?.reason).toBeInstanceOf(CrmNetworkError);
    expect(session.identity.userId).toBe(USER_ID);
    expect(session.settings.organization.trackingprefix).toBe('TIC:');
    expect(session.settings.orgDb.AllowPromoteDuplicates).toBe(true);
    expect(session.settings.user.incomingemailfilteringmethod).toBe(2);
    expect(logged.join('\n')).toMatch(/opened offline/);
  });

  test('refreshed whenever a session opens online with other settings; unchanged settings are not written again', async () => {
    const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
    const crm = new FakeCrm();
    crm.settings = { organization: { trackingprefix: 'A:' }, user: {} };
    await openSession(deps(crm, roaming));
    await flush();
    const saves = jest.spyOn(roaming, 'update');
    await openSession(deps(crm, roaming));
    await flush();
    expect(saves).not.toHaveBeenCalled();
    crm.settings = { organization: { trackingprefix: 'B:' }, user: {} };
    await openSession(deps(crm, roaming));
    await flush();
    expect(saves).toHaveBeenCalledTimes(1);
    expect(roaming.read().snapshot?.raw.organization).toEqual({ trackingprefix: 'B:' });
  });

  test('no snapshot yet, or a failure time cannot fix (sign in again): the error is thrown, no offline session', async () => {
    const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
    const crm = new FakeCrm();
    crm.failNext('openSession', offline());
    await expect(openSession(deps(crm, roaming))).rejects.toBeInstanceOf(CrmNetworkError);
    await openSession(deps(crm, roaming));
    await flush();
    const auth = new CrmAuthError('Sign in', { status: 401, code: null, requestId: null, request: null });
    crm.failNext('openSession', auth);
    await expect(openSession(deps(crm, roaming))).rejects.toBe(auth);
    crm.failNext(
      'openSession',
      new CrmUnavailableError('busy', { status: 503, code: null, requestId: null, request: null }),
    );
    await expect(openSession(deps(crm, roaming))).resolves.toMatchObject({ offline: expect.any(Object) });
  });

  test('a snapshot of another CRM is never started on: switched to an unreachable CRM, the error is thrown', async () => {
    const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
    const crm = new FakeCrm();
    await openSession(deps(crm, roaming));
    await flush();
    crm.failNext('openSession', offline());
    await expect(
      openSession(deps(crm, roaming, [], { crmUrl: 'https://fabrikam.crm.dynamics.com' })),
    ).rejects.toBeInstanceOf(CrmNetworkError);
  });

  test('the email-enabled tables found are given to the next start while fresh, and asked again after a day', async () => {
    const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
    const crm = new FakeCrm();
    const found = {
      listed: ['new_partner'],
      tables: [
        {
          logicalName: 'new_partner',
          entitySet: 'new_partners',
          key: 'new_partnerid',
          name: 'new_name',
          emails: ['new_emailaddress'],
        },
      ],
    };
    crm.emailTables = found;
    const clock = new FakeClock();
    await openSession(deps(crm, roaming, [], { clock }));
    await flush();
    expect(roaming.read().snapshot?.emailTables).toEqual(found);
    clock.time += 60 * 60 * 1000;
    await openSession(deps(crm, roaming, [], { clock }));
    await flush();
    clock.time += EMAIL_TABLES_TRUSTED_MS;
    await openSession(deps(crm, roaming, [], { clock }));
    const given = crm.calls.filter((c) => c.method === 'openSession').map((c) => c.args[0]);
    expect(given).toEqual([undefined, found, undefined]);
  });

  test('a snapshot unchanged for half a day is written again, so its age stays true', async () => {
    const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
    const crm = new FakeCrm();
    const clock = new FakeClock();
    await openSession(deps(crm, roaming, [], { clock }));
    await flush();
    clock.time += EMAIL_TABLES_TRUSTED_MS / 2 + 1;
    await openSession(deps(crm, roaming, [], { clock }));
    await flush();
    expect(roaming.read().snapshot?.savedAt).toBe(new Date(clock.time).toISOString());
  });
});
