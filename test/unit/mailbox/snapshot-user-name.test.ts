/**
 * The user's CRM name travels in the roaming settings snapshot, so an offline start still names the
 * user on the Connection tab. It is untrusted text kept as text, bounded so that no answer can grow
 * the snapshot (32 KB for all roaming settings).
 */
import { openSession, type SessionDeps } from '../../../src/app/session';
import { CrmNetworkError } from '../../../src/crm/errors';
import { ROAMING_KEY, RoamingStore, SNAPSHOT_USER_NAME_LIMIT } from '../../../src/mailbox/roamingStore';
import { createOfficeSimulator } from '../../../simulator';
import { FakeClock, FakeCrm, FakeMailbox, MemoryPendingStore, MemoryTokenCounter } from '../../support/fakes';

const CRM_URL = 'https://contoso.crm.dynamics.com';

/** The fake CRM as the Dataverse adapter answers today: the user's fullname with the identity. */
class NamedCrm extends FakeCrm {
  constructor(public userName: string | null) {
    super();
  }
  override async openSession(...args: Parameters<FakeCrm['openSession']>) {
    const start = await super.openSession(...args);
    return { ...start, identity: { ...start.identity, userName: this.userName } };
  }
}

let roaming: RoamingStore;
let settings: Office.RoamingSettings;
let uninstall: () => void;
beforeEach(() => {
  const sim = createOfficeSimulator({ user: { emailAddress: 'dana@contoso.com', displayName: 'Dana Park' } });
  uninstall = sim.install(globalThis);
  settings = sim.Office.context.roamingSettings as unknown as Office.RoamingSettings;
  roaming = new RoamingStore(settings);
});
afterEach(() => uninstall());

const deps = (crm: FakeCrm): SessionDeps => ({
  crm,
  mailbox: new FakeMailbox(),
  pending: new MemoryPendingStore(),
  tokens: new MemoryTokenCounter(),
  localOptions: roaming.localOptions(),
  clock: new FakeClock(),
  snapshots: roaming.sessionSnapshots(CRM_URL),
});

const offline = () =>
  new CrmNetworkError('The CRM could not be reached.', {
    status: null,
    code: null,
    requestId: null,
    request: 'POST $batch',
  });

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A session opened online (which leaves its snapshot), then one opened with the CRM unreachable. */
async function onlineThenOffline(crm: FakeCrm) {
  await openSession(deps(crm));
  await flush();
  crm.failNext('openSession', offline());
  return openSession(deps(crm));
}

describe('the snapshot keeps the user’s name for an offline start', () => {
  test.each([
    ['a plain name', 'Dana Whit', 'Dana Whit'],
    [
      'markup is text, kept as it came',
      '<img src=x onerror=alert(1)>Dana',
      '<img src=x onerror=alert(1)>Dana',
    ],
    ['an empty name stays empty (the pane shows the id)', '', ''],
    ['no name read: kept as none', null, null],
    [
      `a name over ${SNAPSHOT_USER_NAME_LIMIT} characters: cut to them`,
      'D'.repeat(5_000),
      'D'.repeat(SNAPSHOT_USER_NAME_LIMIT),
    ],
  ])('%s', async (_name, given, kept) => {
    const session = await onlineThenOffline(new NamedCrm(given));

    expect(session.offline).toBeDefined();
    expect(session.identity.userName).toBe(kept);
    expect(roaming.read().snapshot?.identity.userName).toBe(kept);
  });

  test('a session whose name and settings did not change does not write the snapshot again', async () => {
    for (const name of ['Dana Whit', null]) {
      const crm = new NamedCrm(name);
      await openSession(deps(crm));
      await flush();
      const saves = jest.spyOn(roaming, 'update');
      await openSession(deps(crm));
      await flush();
      expect(saves).not.toHaveBeenCalled();
      saves.mockRestore();
    }
  });

  test('a new name is saved at the next online start', async () => {
    const crm = new NamedCrm('Dana Whit');
    await openSession(deps(crm));
    await flush();
    crm.userName = 'Dana Park-Whit';
    await openSession(deps(crm));
    await flush();
    expect(roaming.read().snapshot?.identity.userName).toBe('Dana Park-Whit');
  });
});

describe('a stored snapshot is read back with a name the pane can show, or none', () => {
  const stored = (userName: unknown) => ({
    v: 1,
    client: {},
    user: {},
    pending: [],
    counter: 0,
    snapshot: {
      crm: CRM_URL,
      savedAt: '2026-03-01T09:00:00.000Z',
      identity: {
        userId: 'u-1',
        businessUnitId: 'bu',
        organizationId: 'org',
        mailboxApproved: true,
        userName,
      },
      raw: { organization: {}, user: {} },
    },
  });
  test.each([
    ['text', 'Dana Whit', 'Dana Whit'],
    [
      'text over the bound, cut',
      'x'.repeat(SNAPSHOT_USER_NAME_LIMIT + 1),
      'x'.repeat(SNAPSHOT_USER_NAME_LIMIT),
    ],
    ['null', null, null],
    ['saved before names were kept (absent)', undefined, undefined],
    ['an object (not text): dropped', { html: '<b>x</b>' }, undefined],
    ['a number (not text): dropped', 42, undefined],
  ])('%s', async (_name, userName, read) => {
    settings.set(ROAMING_KEY, stored(userName));

    const snapshot = await roaming.sessionSnapshots(CRM_URL).load();

    expect(snapshot?.identity.userId).toBe('u-1');
    expect(snapshot?.identity.userName).toBe(read);
    if (read === undefined) expect(snapshot?.identity).not.toHaveProperty('userName');
  });
});
