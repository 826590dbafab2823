/**
 * The user flows of issue 5, end to end in Node: the real ribbon command and event handlers (as
 * bundled: they register with Office.actions.associate at load) on the Outlook simulator with the
 * demo mailbox, against a started CRM emulator with its demo organization.
 */
import type { Emulator } from '../../emulator/server';
import { startDemoEmulator } from '../support/demoEmulator';
import { DEMO, WORKBENCH, seedId } from '../../emulator/seed';
import { cancelDraftTracking, SEND_BUDGET_MS } from '../../src/app/composeUseCases';
import { itemOpened, provisionalMessageId } from '../../src/app/itemUseCases';
import { drainPending, MAX_TRIES } from '../../src/app/pendingQueue';
import { openOutlookSession } from '../../src/host/outlookSession';
import { parseHeaderBlock } from '../../src/mail/headers';
import { TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY } from '../../src/mailbox/categories';
import { DRAFT_PROPERTY } from '../../src/mail/marks';
import { RoamingStore } from '../../src/mailbox/roamingStore';
import type { SessionCache } from '../../src/host/sessionCache';
import {
  createOfficeSimulator,
  loadDemoMailbox,
  type DemoItemKey,
  type OfficeSimulator,
  type OpenDialog,
} from '../../simulator';

jest.setTimeout(60_000);

/*
 * Every test gets its own world: a new emulator (a fresh demo database), a new simulator (mailbox,
 * roaming settings, dialogs) and the command page's bundle loaded afresh on it (so the runtimes'
 * session caches start empty). No test sees what another tracked, queued or cached, and they pass
 * in any order, alone or together.
 */
let emu: Emulator;
let sim: OfficeSimulator;
let ids: Record<DemoItemKey, string>;
let roaming: RoamingStore;
let uninstall: () => void;
/** The runtimes' session caches, from the modules as loaded (one per runtime, kept between events). */
let ribbonSessions: () => SessionCache;
let eventSessions: () => SessionCache;
let ribbonLimits: { budgetMs: number };
/** CRM requests sent and not answered yet: a test must end what it started (checked after each). */
let inFlight = 0;
let realFetch: typeof fetch;
const orgUrl = (): string => emu.url.replace(/\/api\/data\/v9\.2\/?$/, '');

beforeEach(async () => {
  emu = await startDemoEmulator('flows');
  sim = createOfficeSimulator({
    user: { emailAddress: DEMO.meEmail, displayName: 'Dana Park' },
    addinOrigin: 'https://localhost:3000',
    launchEventTimeoutMs: 30_000,
  });
  uninstall = sim.install(globalThis);
  (globalThis as unknown as { window: unknown }).window = {
    location: { href: 'https://localhost:3000/commands.html' },
  };
  ids = loadDemoMailbox(sim.mailbox);
  roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
  await roaming.update((s) => ({ ...s, crmUrl: orgUrl() }));
  inFlight = 0;
  realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    inFlight += 1;
    try {
      return await realFetch(input, init);
    } finally {
      inFlight -= 1;
    }
  }) as typeof fetch;
  // Load commands.html's one bundle as Outlook on the web does: it registers the ribbon command and
  // both event handlers at load (events.js, classic Outlook's copy, is test/addin's and bundle-sizes').
  jest.isolateModules(() => {
    require('../../src/commands/commands');
    ({ ribbonSessions, ribbonLimits } = require('../../src/commands/trackInCrm'));
    ({ eventSessions } = require('../../src/events/handlers'));
  });
});

afterEach(async () => {
  // Let answers already on their way be read before counting what is still open.
  await new Promise((resolve) => setImmediate(resolve));
  const open = inFlight;
  globalThis.fetch = realFetch;
  uninstall?.();
  delete (globalThis as unknown as { window?: unknown }).window;
  await emu?.close(); // ends any request still open, so nothing runs into the next test
  if (open > 0)
    throw new Error(`${open} CRM request(s) still in flight after the test: end them in the test`);
});

/** A promise the test settles itself. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits (polling, with a deadline) until `ok()` holds: a condition, never a guessed duration. */
async function waitFor(ok: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until a line matching `pattern` reached the (spied) console log. */
const loggedLine = (logged: jest.SpyInstance, pattern: RegExp, what: string) =>
  waitFor(() => logged.mock.calls.some((c) => pattern.test(String(c[0]))), what);

/**
 * The next dialog the add-in opens, once the add-in listens to it. The simulator reports the open
 * inside displayDialogAsync's delivery, and the add-in's callback (which adds its handlers) runs in
 * that same task right after; this promise's continuation runs only after that task, so an answer
 * given after `await` always reaches the handlers. Rejects if `run` ends with no dialog opened.
 */
function nextDialog(run: Promise<unknown>): Promise<OpenDialog> {
  const opened = deferred<OpenDialog>();
  const stop = sim.dialogs.onChange((dialog) => {
    if (dialog) opened.resolve(dialog);
  });
  return Promise.race([
    opened.promise,
    run.then(() => {
      throw new Error('The command completed without opening a dialog.');
    }),
  ]).finally(stop);
}

/** The session snapshot a session leaves in roaming settings (written after it opens, not awaited). */
const snapshotKept = () =>
  waitFor(
    () => (roaming.read().snapshot?.emailTables?.tables.length ?? 0) > 0,
    'the session snapshot (with the email-enabled tables) in roaming settings',
  );

const emailsWith = (messageId: string) =>
  emu.db.prepare('select * from email where messageid = ?').all(messageId) as Record<string, unknown>[];
/** An admin's change to OrgDBOrgSettings; the runtimes' cached sessions are dropped, as after their TTL. */
const setOrgDb = (xml: string) => {
  emu.db.prepare('update organization set orgdborgsettings = ?').run(xml);
  ribbonSessions().invalidate();
  eventSessions().invalidate();
};
const lastNotice = (itemId: string) => sim.mailbox.notificationsOf(itemId).at(-1)?.message ?? null;
const session = async () =>
  (
    await openOutlookSession(sim.Office as unknown as typeof Office, {
      signIn: null,
      parseHeaders: parseHeaderBlock,
    })
  ).session;
/** The mark id in a marked draft's X-Track-In-CRM header. */
const markOf = (draftId: string) =>
  /id=(\w+)/.exec(sim.mailbox.getItem(draftId).internetHeaders['X-Track-In-CRM'] as string)?.[1] as string;

describe('Outlook flows against the CRM emulator', () => {
  test('Track from the ribbon: the email becomes an activity, the item is tagged and the user told', async () => {
    await sim.mailbox.select(ids.onboarding);
    const item = sim.mailbox.getItem(ids.onboarding);
    const outcome = await sim.runFunctionCommand('trackInCrm');
    expect(outcome.status).toBe('completed');
    const rows = emailsWith(item.internetMessageId as string);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ statecode: 1, statuscode: 4, directioncode: 0, _ownerid_value: DEMO.me });
    expect(sim.mailbox.getItem(ids.onboarding).categories).toContain(TRACKED_CATEGORY);
    expect(sim.mailbox.getItem(ids.onboarding).customProperties.tic).toContain(rows[0]!.activityid as string);
    expect(lastNotice(ids.onboarding)).toBe('Tracked in the CRM.');
  });

  test('Duplicate track: pressing again makes no second activity and says it is already tracked', async () => {
    await sim.mailbox.select(ids.onboarding);
    const messageId = sim.mailbox.getItem(ids.onboarding).internetMessageId as string;
    await sim.runFunctionCommand('trackInCrm');
    const [first] = emailsWith(messageId);
    expect(first).toBeDefined();
    expect(lastNotice(ids.onboarding)).toBe('Tracked in the CRM.');
    expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
    expect(emailsWith(messageId).map((r) => r.activityid)).toEqual([first!.activityid]);
    expect(lastNotice(ids.onboarding)).toBe('Already tracked in the CRM.');
  });

  test('Required regarding (OverrideTrackInCrmBehaviour): the Set Regarding dialog, then tracked regarding the choice', async () => {
    setOrgDb('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
    const account = seedId('account:fabrikam.com');
    await sim.mailbox.select(ids.invoice);
    const click = sim.runFunctionCommand('trackInCrm');
    const dialog = await nextDialog(click);
    expect(dialog.url).toMatch(/^https:\/\/localhost:3000\/regarding\.html\?crm=/);
    // Nothing is tracked while the user has not chosen.
    expect(emailsWith(sim.mailbox.getItem(ids.invoice).internetMessageId as string)).toHaveLength(0);
    dialog.messageParent(JSON.stringify({ type: 'account', id: account, name: 'Fabrikam' }));
    expect((await click).status).toBe('completed');
    expect(sim.dialogs.history).toEqual([expect.objectContaining({ closedBy: 'addin' })]);
    const [row] = emailsWith(sim.mailbox.getItem(ids.invoice).internetMessageId as string);
    expect(row).toMatchObject({ _regardingobjectid_value: account, _regardingobjectid_type: 'account' });

    // Closing the dialog tracks nothing and says so.
    await sim.mailbox.select(ids.partnership);
    const second = sim.runFunctionCommand('trackInCrm');
    (await nextDialog(second)).closeByUser();
    expect((await second).status).toBe('completed');
    expect(emailsWith(sim.mailbox.getItem(ids.partnership).internetMessageId as string)).toHaveLength(0);
    expect(lastNotice(ids.partnership)).toMatch(/no regarding record was chosen/);
  });

  test('Reply to a tracked email: marked on compose, tracked on send, and the sent item gets its real Message-ID', async () => {
    const draft = await sim.mailbox.openCompose('reply', ids.pricing);
    const compose = await sim.fireLaunchEvent('OnNewMessageCompose', draft.id);
    expect(compose.status).toBe('completed');
    const marked = sim.mailbox.getItem(draft.id);
    // The header goes to every recipient: the random id only. The custom property holds the rest.
    expect(marked.internetHeaders['X-Track-In-CRM']).toMatch(/^v1; id=\w+$/);
    expect(marked.customProperties[DRAFT_PROPERTY]).toMatch(/^v1; id=\w+; r=opportunity:/);
    expect(marked.subject).toMatch(/^RE: Q3 pricing proposal CRM:0\d{3}\d{3}$/);
    const markId = /id=(\w+)/.exec(marked.internetHeaders['X-Track-In-CRM'] as string)?.[1] as string;

    const { event, sent } = await sim.trySend(draft.id);
    expect(event).toMatchObject({ status: 'completed', allowEvent: true });
    expect(sent).not.toBeNull();
    const [row] = emailsWith(provisionalMessageId(markId));
    expect(row).toMatchObject({
      directioncode: 1,
      statuscode: 3,
      _regardingobjectid_value: seedId('opportunity:0'),
    });

    // The pinned pane sees the sent item in Sent Items (no internet headers there, as in Outlook).
    await sim.mailbox.select(sent!.id);
    const s = await session();
    const state = await itemOpened(s, (await s.mailbox.currentItem())!);
    expect(state).toMatchObject({ status: 'tracked', activityId: row!.activityid });
    expect(emailsWith(sent!.internetMessageId as string)).toHaveLength(1);
    expect(sim.mailbox.getItem(sent!.id).categories).toContain(TRACKED_CATEGORY);
  });

  test('A new email is not marked; a reply to untracked email is not marked', async () => {
    const fresh = await sim.mailbox.openCompose('newMail');
    await sim.fireLaunchEvent('OnNewMessageCompose', fresh.id);
    expect(sim.mailbox.getItem(fresh.id).internetHeaders['X-Track-In-CRM']).toBeUndefined();
    const reply = await sim.mailbox.openCompose('reply', ids.lunch);
    await sim.fireLaunchEvent('OnNewMessageCompose', reply.id);
    expect(sim.mailbox.getItem(reply.id).internetHeaders['X-Track-In-CRM']).toBeUndefined();
    const { event } = await sim.trySend(reply.id);
    expect(event.allowEvent).toBe(true);
  });

  test('CRM down during send: the send goes, the track is queued, and later delivered', async () => {
    const draft = await sim.mailbox.openCompose('reply', ids.pricing);
    await sim.fireLaunchEvent('OnNewMessageCompose', draft.id);
    const markId = markOf(draft.id);
    emu.faults.add({ status: 503, count: 1000 });
    const { event, sent } = await sim.trySend(draft.id);
    expect(event).toMatchObject({ status: 'completed', allowEvent: true });
    expect(sent).not.toBeNull();
    expect(roaming.read().pending).toEqual([
      expect.objectContaining({
        messageId: provisionalMessageId(markId),
        itemId: null,
        undeliverable: false,
      }),
    ]);
    expect(emailsWith(provisionalMessageId(markId))).toHaveLength(0);

    emu.faults.clear();
    const { delivered } = await drainPending(await session(), { force: true });
    expect(delivered).toHaveLength(1);
    expect(emailsWith(provisionalMessageId(markId))).toHaveLength(1);
    expect(roaming.read().pending).toEqual([]);
  });

  test(`Undeliverable after ${MAX_TRIES} failures: the item gets the category and the user sees why`, async () => {
    // The short wording (the demo organization says VerboseErrorsOnPromoteToCRM = 1).
    setOrgDb('<OrgSettings><VerboseErrorsOnPromoteToCRM>0</VerboseErrorsOnPromoteToCRM></OrgSettings>');
    await sim.mailbox.select(ids.kickoffNotes);
    const s = await session();
    emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    const first = await itemOpened(s, (await s.mailbox.currentItem())!);
    expect(first).toMatchObject({ status: 'failed', error: { retryable: true } });
    expect(first.message).toMatch(/^Could not check this email/);
    // The default filter (1) does not track this one automatically: the user asks for it.
    await sim.runFunctionCommand('trackInCrm');
    expect(roaming.read().pending).toEqual([
      expect.objectContaining({ itemId: ids.kickoffNotes, attempts: 1 }),
    ]);
    for (let i = 2; i <= MAX_TRIES; i += 1) await drainPending(s, { force: true, key: ids.kickoffNotes });
    expect(roaming.read().pending).toEqual([
      expect.objectContaining({ itemId: ids.kickoffNotes, attempts: MAX_TRIES, undeliverable: true }),
    ]);
    emu.faults.clear();
    const state = await itemOpened(s, (await s.mailbox.currentItem())!);
    expect(state.status).toBe('undeliverable');
    expect(state.message).toMatch(/after 5 tries: The CRM is busy or unavailable/);
    expect(sim.mailbox.getItem(ids.kickoffNotes).categories).toContain(UNDELIVERABLE_CATEGORY);
  });

  test('The pinned pane: a reply from a contact to tracked email is tracked automatically on open', async () => {
    await sim.mailbox.select(ids.pricingReply2);
    const s = await session();
    const state = await itemOpened(s, (await s.mailbox.currentItem())!);
    expect(state).toMatchObject({
      status: 'tracked',
      decision: { reason: 'CorrelationMatch', correlation: { method: 'InReplyTo' } },
      regarding: { type: 'opportunity', id: seedId('opportunity:0') },
    });
    expect(state.names[`contact:${WORKBENCH.ann}`]).toBe('Ann Lee');
  });
});

/** One request the add-in made to the emulator, named by what its $batch asks. */
interface Seen {
  readonly what: 'session' | 'lookup' | 'create' | 'other';
  readonly line: string;
  /** A $batch's requests, as "METHOD path" (the path relative to the service root). */
  readonly parts: string[];
}

/** Counts the HTTP requests the add-in makes to the emulator while `run` runs (a fetch wrapper). */
async function countRequests(run: () => Promise<unknown>): Promise<Seen[]> {
  const seen: Seen[] = [];
  const real = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(orgUrl())) {
      const body = typeof init?.body === 'string' ? init.body : '';
      const what = /\/WhoAmI\b/.test(body)
        ? 'session'
        : /systemusers\?/.test(body)
          ? 'lookup'
          : /^POST \S+\/emails\b/m.test(body)
            ? 'create'
            : 'other';
      const parts = [...body.matchAll(/^(GET|POST|PATCH|PUT|DELETE) (\S+)/gm)].map(
        ([, method, target]) => `${method} ${target!.replace(/^.*\/api\/data\/v9\.2\//, '')}`,
      );
      seen.push({ what, line: `${init?.method ?? 'GET'} ${url.slice(orgUrl().length)}`, parts });
    }
    return real(input, init);
  }) as typeof fetch;
  try {
    await run();
  } finally {
    globalThis.fetch = real;
  }
  return seen;
}

/** Two ribbon Tracks on untracked email, the first on a freshly loaded page: the requests of each. */
async function twoRibbonTracks(a: DemoItemKey, b: DemoItemKey): Promise<{ first: Seen[]; second: Seen[] }> {
  const track = async (key: DemoItemKey) => {
    const messageId = sim.mailbox.getItem(ids[key]).internetMessageId as string;
    expect(emailsWith(messageId)).toHaveLength(0);
    await sim.mailbox.select(ids[key]);
    const seen = await countRequests(() => sim.runFunctionCommand('trackInCrm'));
    expect(emailsWith(messageId)).toHaveLength(1);
    return seen;
  };
  // The command page was loaded for this test: its runtime has opened no session yet.
  expect(ribbonSessions().lastKnown).toBeNull();
  return { first: await track(a), second: await track(b) };
}

const kinds = (list: Seen[]) => list.map((r) => r.what);

describe('issue 9: the ribbon and send paths', () => {
  test('request budget, on a machine that has run the add-in before: the first ribbon Track costs session, lookup, track; the next click reuses the session', async () => {
    // An earlier session (the pane's, another day's) left its snapshot in roaming settings, with the
    // address columns of the organization's custom email-enabled table (new_partner).
    await session();
    await snapshotKept();
    const { first, second } = await twoRibbonTracks('demoRequest', 'wingtipPricing');
    // Session (one $batch, the email tables from the snapshot), lookup (one $batch), the track's
    // changeset. The lookup just made is the duplicate check: the adapter's own check-before-create
    // is needed only on a retry.
    expect(kinds(first)).toEqual(['session', 'lookup', 'create']);
    expect(kinds(second)).toEqual(['lookup', 'create']);
  });

  test("request budget, the very first start (no snapshot): one more request, the custom tables' address columns", async () => {
    expect(roaming.read().snapshot).toBeUndefined();
    const { first, second } = await twoRibbonTracks('lunch', 'demoForward');
    expect(kinds(first)).toEqual(['session', 'other', 'lookup', 'create']);
    expect(first[1]).toEqual({
      what: 'other',
      line: 'POST /api/data/v9.2/$batch',
      parts: [
        expect.stringMatching(
          /^GET EntityDefinitions\(LogicalName='new_partner'\)\/Attributes\/Microsoft\.Dynamics\.CRM\.StringAttributeMetadata\b/,
        ),
      ],
    });
    expect(kinds(second)).toEqual(['lookup', 'create']);
    // That session left the snapshot: the next start of any runtime costs one request again.
    await snapshotKept();
  });

  test('the session is opened again when the roaming settings it came from change', async () => {
    await sim.mailbox.select(ids.onboarding);
    await sim.runFunctionCommand('trackInCrm'); // a session in the cache (the email tracked)
    await snapshotKept();
    const click = () => countRequests(() => sim.runFunctionCommand('trackInCrm'));
    expect(kinds(await click())).toEqual(['lookup']); // cached: the lookup finds it tracked
    await roaming.update((s) => ({ ...s, client: { ...s.client, automaticEmailTagging: true } }));
    expect(kinds(await click())).toEqual(['session', 'lookup']);
    expect(kinds(await click())).toEqual(['lookup']);
  });

  test('OverrideTrackInCrmBehaviour: an email already tracked says so and opens no dialog', async () => {
    await sim.mailbox.select(ids.onboarding);
    await sim.runFunctionCommand('trackInCrm'); // tracked before the organization required a regarding
    expect(emailsWith(sim.mailbox.getItem(ids.onboarding).internetMessageId as string)).toHaveLength(1);
    setOrgDb('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
    expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
    expect(sim.dialogs.history).toEqual([]);
    expect(lastNotice(ids.onboarding)).toBe('Already tracked in the CRM.');
    expect(emailsWith(sim.mailbox.getItem(ids.onboarding).internetMessageId as string)).toHaveLength(1);
  });

  test.each([
    [1, /^Not tracked: .*HTTP 403 · code \w+ · request [0-9a-f-]{36}$/],
    [0, /^Not tracked: You do not have permission to do this in the CRM\.$/],
  ])(
    'VerboseErrorsOnPromoteToCRM = %s on the ribbon: the notice, and the detail in the log',
    async (verbose, shown) => {
      setOrgDb(
        `<OrgSettings><VerboseErrorsOnPromoteToCRM>${verbose}</VerboseErrorsOnPromoteToCRM></OrgSettings>`,
      );
      const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        await sim.mailbox.select(ids.renewalReply);
        // The session opens (one $batch); then the CRM refuses this user (403, retrying cannot help).
        await ribbonSessions().get();
        emu.faults.add({ match: { method: 'POST', pathContains: '$batch' }, status: 403, count: 1000 });
        expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
        expect(lastNotice(ids.renewalReply)).toMatch(shown);
        expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
          /HTTP 403 · code \w+ · request /,
        );
      } finally {
        logged.mockRestore();
      }
    },
  );

  test('VerboseErrorsOnPromoteToCRM = 1 on a fresh command page whose session cannot open: worded by the settings snapshot', async () => {
    setOrgDb('<OrgSettings><VerboseErrorsOnPromoteToCRM>1</VerboseErrorsOnPromoteToCRM></OrgSettings>');
    await session(); // another runtime (the pane) opened a session and left its snapshot
    await waitFor(() => roaming.read().snapshot !== undefined, 'the settings snapshot');
    ribbonSessions().invalidate(); // a freshly loaded command page: no session of its own yet
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await sim.mailbox.select(ids.renewalReply);
      emu.faults.add({ match: { method: 'POST', pathContains: '$batch' }, status: 403, count: 1000 });
      expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
      expect(lastNotice(ids.renewalReply)).toMatch(
        /^Not tracked: .*HTTP 403 · code \w+ · request [0-9a-f-]{36}$/,
      );
    } finally {
      logged.mockRestore();
      emu.faults.clear();
    }
  });

  test('VerboseErrorsOnPromoteToCRM = 1 on send: the failure keeps the status and request id', async () => {
    setOrgDb('<OrgSettings><VerboseErrorsOnPromoteToCRM>1</VerboseErrorsOnPromoteToCRM></OrgSettings>');
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const draft = await sim.mailbox.openCompose('reply', ids.pricing);
      await sim.fireLaunchEvent('OnNewMessageCompose', draft.id);
      const markId = markOf(draft.id);
      emu.faults.add({ status: 503, count: 1000 });
      const { event } = await sim.trySend(draft.id);
      expect(event).toMatchObject({ status: 'completed', allowEvent: true });
      // The draft's notice is gone with the draft; the queued entry keeps the same words for the pane.
      expect(roaming.read().pending).toEqual([
        expect.objectContaining({
          messageId: provisionalMessageId(markId),
          lastError: expect.stringMatching(/HTTP 503 · code \w+ · request /),
        }),
      ]);
      expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
        /Send-time track not made, queued: .*HTTP 503/,
      );
    } finally {
      logged.mockRestore();
      emu.faults.clear();
    }
  });

  test('event.completed on every path: a CRM that does not answer lets the send go within the budget', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const draft = await sim.mailbox.openCompose('reply', ids.pricing);
      await sim.fireLaunchEvent('OnNewMessageCompose', draft.id);
      const markId = markOf(draft.id);
      eventSessions().invalidate(); // the session must be opened now, against the hanging CRM
      // Each request waits longer than the handler's whole budget; the emulator starts that wait
      // after the handler started its timer, so the budget always runs out first.
      emu.faults.add({ delayMs: SEND_BUDGET_MS + 1_000, count: 1000 });
      const { event, sent } = await sim.trySend(draft.id);
      expect(event).toMatchObject({ status: 'completed', allowEvent: true });
      expect(event.elapsedMs).toBeLessThan(5_000);
      expect(sent).not.toBeNull();
      expect(roaming.read().pending).toEqual([
        expect.objectContaining({ messageId: provisionalMessageId(markId), itemId: null }),
      ]);
    } finally {
      // The CRM answers again, and the send-time track still running ends before this test does.
      emu.faults.clear();
      await loggedLine(logged, /The send-time track (ended as|failed)/, 'the late send-time track to end');
      logged.mockRestore();
    }
  });

  test('event.completed on every path: the ribbon with the CRM refusing the session, and with the dialog failing', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      emu.faults.add({ status: 403, count: 1000 });
      await sim.mailbox.select(ids.welcomeReply);
      expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
      expect(lastNotice(ids.welcomeReply)).toMatch(/^Not tracked: /);
      emu.faults.clear();
      setOrgDb('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
      const ui = sim.Office.context.ui as unknown as { displayDialogAsync: unknown };
      const open = ui.displayDialogAsync;
      ui.displayDialogAsync = (_url: string, _options: unknown, callback: (r: unknown) => void) =>
        callback({ status: 'failed', error: { code: 12007, message: 'A dialog is already open.' } });
      try {
        expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
      } finally {
        ui.displayDialogAsync = open;
      }
      expect(lastNotice(ids.welcomeReply)).toMatch(/Set Regarding dialog could not open/);
    } finally {
      logged.mockRestore();
    }
  });

  test('event.completed on every path: a ribbon click whose CRM does not answer is queued within its budget', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const budget = ribbonLimits.budgetMs;
    ribbonLimits.budgetMs = 1_500;
    try {
      await sim.mailbox.select(ids.partnership);
      const messageId = sim.mailbox.getItem(ids.partnership).internetMessageId as string;
      // Each request waits 3 s; the click's budget timer is set before its first request.
      emu.faults.add({ delayMs: 3_000, count: 1000 });
      const outcome = await sim.runFunctionCommand('trackInCrm');
      emu.faults.clear();
      expect(outcome.status).toBe('completed');
      expect(outcome.elapsedMs).toBeLessThan(2_500);
      expect(roaming.read().pending).toEqual([
        expect.objectContaining({ itemId: ids.partnership, attempts: 1, undeliverable: false }),
      ]);
      expect(lastNotice(ids.partnership)).toMatch(/^Not tracked yet: the CRM could not be reached/);
      // The click still running finishes late: waited for, not slept on.
      await loggedLine(
        logged,
        /A ribbon track (finished|failed) after its time was up/,
        'the late click to end',
      );
      expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
        /A ribbon track finished after its time was up/,
      );
      // Exactly one activity, and the late success took its queued entry out: nothing is left for
      // the queue to track a second time.
      expect(emailsWith(messageId)).toHaveLength(1);
      expect(roaming.read().pending).toEqual([]);
      expect(lastNotice(ids.partnership)).toBe('Tracked in the CRM.');
    } finally {
      ribbonLimits.budgetMs = budget;
      emu.faults.clear();
      logged.mockRestore();
    }
  });

  test('a reply the CRM cannot check is not left silently unmarked: the draft says so, and the log why', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      setOrgDb('<OrgSettings><VerboseErrorsOnPromoteToCRM>0</VerboseErrorsOnPromoteToCRM></OrgSettings>');
      await eventSessions().get();
      const draft = await sim.mailbox.openCompose('reply', ids.pricing);
      emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
      expect((await sim.fireLaunchEvent('OnNewMessageCompose', draft.id)).status).toBe('completed');
      expect(sim.mailbox.getItem(draft.id).internetHeaders['X-Track-In-CRM']).toBeUndefined();
      expect(sim.mailbox.notificationsOf(draft.id).at(-1)?.message).toMatch(
        /^Track in CRM could not check this reply \(The CRM is busy/,
      );
      expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
        /Could not check a reply: .*HTTP 503/,
      );
    } finally {
      emu.faults.clear();
      logged.mockRestore();
    }
  });
});

describe('issue 10 §1: Track in CRM on a new email before sending', () => {
  const emailCount = () => (emu.db.prepare('select count(*) n from email').get() as { n: number }).n;

  /** A new email the user has written (opened, then subject and To typed, as in Outlook). */
  async function newEmail(subject: string, to = 'ann@fabrikam.com') {
    const draft = await sim.mailbox.openCompose('newMail');
    const compose = sim.Office.context.mailbox.item as unknown as Office.MessageCompose;
    await new Promise((resolve) => compose.subject.setAsync(subject, resolve));
    await new Promise((resolve) => compose.to.setAsync([to], resolve));
    return draft;
  }

  test('new email, OverrideTrackInCrmBehaviour = 1: ribbon Track → Set Regarding → marked → send → tracked as outgoing with the regarding and the token', async () => {
    setOrgDb('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
    const account = seedId('account:fabrikam.com');
    const draft = await newEmail('Fabrikam renewal');
    expect((await sim.fireLaunchEvent('OnNewMessageCompose', draft.id)).status).toBe('completed');
    // Nothing is marked on open: a new email is tracked when the user asks.
    expect(sim.mailbox.getItem(draft.id).internetHeaders['X-Track-In-CRM']).toBeUndefined();

    const click = sim.runFunctionCommand('trackInCrm');
    const dialog = await nextDialog(click);
    expect(sim.mailbox.getItem(draft.id).internetHeaders['X-Track-In-CRM']).toBeUndefined();
    dialog.messageParent(JSON.stringify({ type: 'account', id: account, name: 'Fabrikam' }));
    expect((await click).status).toBe('completed');
    const marked = sim.mailbox.getItem(draft.id);
    expect(marked.subject).toMatch(/^Fabrikam renewal CRM:0\d{6}$/);
    // The mark keeps the token it put in the subject, for Cancel tracking to take out again.
    expect(marked.customProperties[DRAFT_PROPERTY]).toBe(
      `v1; id=${markOf(draft.id)}; r=account:${account}; p=; t=${marked.subject.slice('Fabrikam renewal '.length)}`,
    );
    const token = /CRM:0\d{6}$/.exec(marked.subject as string)![0];
    expect(lastNotice(draft.id)).toBe('Will be tracked in the CRM when sent, regarding Fabrikam.');

    // A second press: already marked, no dialog, nothing changed.
    expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
    expect(sim.dialogs.history).toHaveLength(1);
    expect(lastNotice(draft.id)).toMatch(/^Already marked.*Cancel tracking/);
    expect(sim.mailbox.getItem(draft.id).subject).toBe(marked.subject);

    const markId = markOf(draft.id);
    const { event, sent } = await sim.trySend(draft.id);
    expect(event).toMatchObject({ status: 'completed', allowEvent: true });
    expect(sent).not.toBeNull();
    const rows = emailsWith(provisionalMessageId(markId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      directioncode: 1,
      _regardingobjectid_value: account,
      _regardingobjectid_type: 'account',
      subject: `Fabrikam renewal ${token}`,
    });
  });

  test('new email: ribbon Track without a required regarding marks it at once; Cancel → send → not tracked; Track again → tracked', async () => {
    const first = await newEmail('Lunch');
    await sim.fireLaunchEvent('OnNewMessageCompose', first.id);
    expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
    expect(sim.dialogs.history).toHaveLength(0);
    expect(lastNotice(first.id)).toBe('Will be tracked in the CRM when sent.');
    const firstMark = markOf(first.id);
    expect(firstMark).toBeTruthy();

    // The pane's Cancel tracking (its use case, on the ribbon's session as the pane opens its own).
    const s = await session();
    await cancelDraftTracking(s);
    expect(sim.mailbox.getItem(first.id).customProperties[DRAFT_PROPERTY]).toBe('off');
    const before = emailCount();
    const { sent } = await sim.trySend(first.id);
    expect(sent).not.toBeNull();
    expect(emailsWith(provisionalMessageId(firstMark))).toHaveLength(0);
    expect(emailCount()).toBe(before);

    // Cancelled, then re-enabled: the explicit request marks it again, and it is tracked when sent.
    const second = await newEmail('Lunch again');
    await sim.runFunctionCommand('trackInCrm');
    await cancelDraftTracking(await session());
    expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
    const secondMark = markOf(second.id);
    expect(lastNotice(second.id)).toBe('Will be tracked in the CRM when sent.');
    await sim.trySend(second.id);
    expect(emailsWith(provisionalMessageId(secondMark))).toEqual([
      expect.objectContaining({ directioncode: 1 }),
    ]);
  });

  test('OverrideTrackInCrmBehaviour = 1 and the dialog closed: the new email is not marked, the draft says why, and sending tracks nothing', async () => {
    setOrgDb('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
    const draft = await newEmail('Quote');
    const click = sim.runFunctionCommand('trackInCrm');
    (await nextDialog(click)).messageParent(JSON.stringify({ cancel: true })); // Escape in the dialog
    expect((await click).status).toBe('completed');
    expect(sim.dialogs.history).toEqual([expect.objectContaining({ closedBy: 'addin' })]);
    expect(sim.mailbox.getItem(draft.id).internetHeaders['X-Track-In-CRM']).toBeUndefined();
    expect(lastNotice(draft.id)).toMatch(/no regarding record was chosen/);
    const before = emailCount();
    const { sent } = await sim.trySend(draft.id);
    expect(sent).not.toBeNull();
    expect(emailCount()).toBe(before);
  });
});
