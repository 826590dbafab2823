/**
 * The pane's Background check tab (issue 11) on the Outlook simulator and the CRM emulator, with
 * fakes for the background check's runner and the folder ports: the status as rendered (phase, last
 * and next run, counts, a cycle that did not run, lastError), Check now and what a screen reader
 * hears, an action's row opening its decision, and the folder tracking rules (add with the pane's
 * own record search, remove, locked when the organization has folder-level tracking off, a failure
 * in the pane's error words keeping the form).
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { DEMO } from '../../emulator/seed';
import {
  NO_COUNTS,
  type BackgroundActionRecord,
  type BackgroundCheckControl,
  type BackgroundStatus,
} from '../../src/app/backgroundStatus';
import { reasonMessage } from '../../src/app/itemState';
import { CrmForbiddenError } from '../../src/crm/errors';
import type { FolderMappingPort, FolderMappingRow, NewFolderMapping } from '../../src/crm/folderMappingPort';
import { GraphForbiddenError } from '../../src/graph/errors';
import type { MailFolderInfo, MailFolderPort } from '../../src/graph/folderPort';
import type { BackgroundTabActions, PaneActions } from '../../src/taskpane/actions';
import { BackgroundActionList, backgroundRowKey } from '../../src/taskpane/components/BackgroundActionList';
import { BackgroundStatusPanel } from '../../src/taskpane/components/BackgroundStatusPanel';
import { FolderTrackingEditor } from '../../src/taskpane/components/FolderTrackingEditor';
import { PartyList } from '../../src/taskpane/components/PartyList';
import { RegardingLine } from '../../src/taskpane/components/RegardingLine';
import { NO_BACKGROUND_CHECK } from '../../src/taskpane/controller/backgroundModel';
import { NOT_RUN_TEXT } from '../../src/taskpane/controller/backgroundWords';
import {
  EMPTY_FOLDER_TRACKING,
  FOLDER_TRACKING_OFF,
} from '../../src/taskpane/controller/folderTrackingModel';
import type { PaneController } from '../../src/taskpane/controller/paneController';
import { EMPTY_SEARCH, type FolderTrackingView, type PaneState } from '../../src/taskpane/controller/types';
import { PaneView } from '../../src/taskpane/PaneView';
import { until, useRig, type Rig } from '../unit/taskpane/harness';
import { decisionWith } from '../support/decisions';

jest.setTimeout(60_000);

const holder = useRig();
let rig: Rig;
beforeEach(() => {
  rig = holder.current;
});

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const noActions = new Proxy({}, { get: () => () => undefined }) as PaneActions;
const noTab = new Proxy({}, { get: () => () => undefined }) as BackgroundTabActions;
const CRM = 'https://contoso.crm.dynamics.com';
const clock = (at: number) => new Date(at).toISOString().slice(11, 16);
const NOW = Date.UTC(2026, 0, 10, 9, 0, 0);

const decision = decisionWith;

const tracked: BackgroundActionRecord = {
  at: NOW - 60_000,
  itemId: 'g-1',
  outlookItemId: 'AAMk-1',
  subject: 'Re: Pricing <img src=x onerror=alert(1)>',
  from: 'ann@fabrikam.com',
  folder: 'inbox',
  do: 'track',
  reason: 'CorrelationMatch',
  code: 2,
  activityId: 'act-9',
  outcome: 'done',
  error: null,
  decision: decision({
    track: true,
    reason: 'CorrelationMatch',
    code: 2,
    correlation: { method: 'InReplyTo', activityId: 'act-1' },
    regarding: { type: 'account', id: 'acc-1' },
    sender: { type: 'contact', id: 'c-1' },
    parties: [{ role: 'to', address: 'dana@contoso.com', records: [{ type: 'systemuser', id: 'u-1' }] }],
    trace: ['§2.1 step 1: incoming', '§3.1: In-Reply-To matches act-1'],
  }),
};
const queued: BackgroundActionRecord = {
  ...tracked,
  at: NOW - 30_000,
  itemId: 'g-2',
  subject: 'Quote',
  do: 'track',
  reason: 'SenderMatch',
  code: 5,
  activityId: null,
  outcome: 'queued',
  error: 'The CRM is busy or unavailable.',
  decision: decision({ track: true, reason: 'SenderMatch', code: 5 }),
};
const alreadyTagged: BackgroundActionRecord = {
  ...tracked,
  at: NOW - 30_000,
  itemId: 'g-3',
  subject: 'Hello',
  do: 'none',
  reason: 'AlreadyTagged',
  code: null,
  decision: null,
};

const status = (parts: Partial<BackgroundStatus> = {}): BackgroundStatus => ({
  phase: 'waiting',
  lastCycle: {
    startedAt: NOW - 32_000,
    finishedAt: NOW - 30_000,
    ran: true,
    reason: 'Ran',
    counts: { lookedAt: 3, tracked: 2, tagged: 0, skipped: 0, deferred: 1, failed: 1 },
  },
  nextRunAt: NOW + 38_000,
  lastError: null,
  actions: [queued, alreadyTagged, tracked],
  sessionCounts: { lookedAt: 12, tracked: 5, tagged: 4, skipped: 2, deferred: 1, failed: 1 },
  ...parts,
});

/** The runner as the pane sees it: a status, its listeners, and the Check now calls. */
class FakeControl implements BackgroundCheckControl {
  checks = 0;
  private readonly listeners = new Set<(status: BackgroundStatus) => void>();
  constructor(public current: BackgroundStatus) {}
  status = () => this.current;
  subscribe = (listener: (status: BackgroundStatus) => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  checkNow = () => void (this.checks += 1);
  emit(status: BackgroundStatus): void {
    this.current = status;
    for (const listener of this.listeners) listener(status);
  }
}

const ARCHIVE: MailFolderInfo = {
  id: 'f-arch',
  displayName: 'Archive',
  path: 'Archive',
  wellKnown: 'archive',
  totalItemCount: 3,
};
const SENT: MailFolderInfo = {
  id: 'f-sent',
  displayName: 'Sent Items',
  path: 'Sent Items',
  wellKnown: 'sentitems',
  totalItemCount: 9,
};
/** The folders under the Inbox: the only ones a rule may name. */
const FOLDERS: MailFolderInfo[] = [
  { id: 'f-inbox', displayName: 'Inbox', path: 'Inbox', wellKnown: 'inbox', totalItemCount: 12 },
  { id: 'f-proj', displayName: 'Projects', path: 'Inbox/Projects', wellKnown: null, totalItemCount: 0 },
  {
    id: 'f-fab',
    displayName: 'Fabrikam <b>',
    path: 'Inbox/Projects/Fabrikam <b>',
    wellKnown: null,
    totalItemCount: 4,
  },
];

/** Folder mappings kept in memory; `fail` makes the next call of that name reject with the error. */
class FakeMappings implements FolderMappingPort {
  rows: FolderMappingRow[] = [
    {
      id: 'm-1',
      folderId: 'f-proj',
      folderPath: 'Inbox/Projects',
      regarding: { type: 'account', id: 'acc-1' },
      regardingName: 'Fabrikam',
    },
  ];
  calls: string[] = [];
  fail: Partial<Record<'list' | 'add' | 'remove', Error>> = {};
  private next = 2;
  private check(name: 'list' | 'add' | 'remove'): void {
    const error = this.fail[name];
    if (error) {
      delete this.fail[name];
      throw error;
    }
  }
  list = async (userId: string) => {
    this.calls.push(`list ${userId}`);
    this.check('list');
    return [...this.rows];
  };
  add = async (userId: string, mapping: NewFolderMapping) => {
    this.calls.push(
      `add ${userId} ${mapping.folderId} ${mapping.folderPath} ${mapping.regarding.type}:${mapping.regarding.id}`,
    );
    this.check('add');
    const row = { id: `m-${this.next++}`, ...mapping, regardingName: null };
    this.rows.push(row);
    return row;
  };
  remove = async (mappingId: string) => {
    this.calls.push(`remove ${mappingId}`);
    this.check('remove');
    this.rows = this.rows.filter((r) => r.id !== mappingId);
  };
}

class FakeFolders implements MailFolderPort {
  calls = 0;
  fail: Error | null = null;
  listFolders = async () => {
    this.calls += 1;
    if (this.fail) throw this.fail;
    return [ARCHIVE, ...FOLDERS, SENT];
  };
}

const forbidden = () =>
  new CrmForbiddenError('Principal user is missing prvCreatemailboxtrackingfolder privilege', {
    status: 403,
    code: '0x80040220',
    requestId: 'req-1',
    request: 'POST mailboxtrackingfolders',
  });

const VERBOSE_FORBIDDEN =
  'Principal user is missing prvCreatemailboxtrackingfolder privilege · HTTP 403 · code 0x80040220 · request req-1';

/** VerboseErrorsOnPromoteToCRM off: the short words (the demo organization has it on). */
function shortErrors(): void {
  const row = rig.emu.db.prepare('select orgdborgsettings from organization').get() as {
    orgdborgsettings: string;
  };
  rig.emu.db
    .prepare('update organization set orgdborgsettings = ?')
    .run(row.orgdborgsettings.replace('<VerboseErrorsOnPromoteToCRM>1<', '<VerboseErrorsOnPromoteToCRM>0<'));
}

function setFolderTracking(on: boolean): void {
  rig.emu.db.prepare('update organization set isfolderbasedtrackingenabled = ?').run(on ? 1 : 0);
}

interface Opened {
  pane: PaneController;
  tab: BackgroundTabActions;
  mappings: FakeMappings;
  folders: FakeFolders;
  control: FakeControl | null;
}

async function openTab(
  options: { control?: FakeControl | null; unavailable?: string } = {},
): Promise<Opened> {
  const mappings = new FakeMappings();
  const folders = new FakeFolders();
  const control = options.control === undefined ? new FakeControl(status()) : options.control;
  const pane = rig.make({
    folderMappings: mappings,
    mailFolders: folders,
    ...(control ? { background: control } : {}),
    ...(options.unavailable ? { backgroundUnavailable: options.unavailable } : {}),
  });
  await rig.sim.mailbox.select(rig.ids.pricing);
  await pane.start();
  await until(pane, (s) => s.session.phase === 'ready');
  const tab = await pane.openBackgroundTab();
  if (!tab) throw new Error('the Background check tab did not open');
  await tab.loadFolders();
  return { pane, tab, mappings, folders, control };
}

const foldersOf = (state: PaneState): FolderTrackingView => {
  expect(state.background).toBeDefined();
  return state.background!.folders;
};

describe('the background check status', () => {
  test('phase, last run, next run, the counts of the last check and of the session', () => {
    const html = render(
      <BackgroundStatusPanel status={status()} unavailable={null} tab={noTab} now={NOW} timeOfDay={clock} />,
    );
    const shown = text(html);
    expect(shown).toContain('Waiting for the next check.');
    expect(shown).toContain('Last check08:59 · Finished');
    expect(shown).toContain('Next checkIn about 40 s');
    // Each count row: the last check's, then the session's.
    for (const row of ['Looked at312', 'Tracked25', 'Tagged04', 'Skipped02', 'Deferred11', 'Failed11'])
      expect(shown).toContain(row);
    expect(html).toMatch(/<button[^>]*>Check now<\/button>/);
    expect(html).not.toMatch(/<button[^>]*disabled[^>]*>Check now/);
  });

  test('a later next run is a time of day', () => {
    const shown = text(
      render(
        <BackgroundStatusPanel
          status={status({ nextRunAt: NOW + 75 * 60_000 })}
          unavailable={null}
          tab={noTab}
          now={NOW}
          timeOfDay={clock}
        />,
      ),
    );
    expect(shown).toContain('Next checkAt 10:15');
  });

  test.each(['PromotionDisabled', 'BackgroundTrackOff', 'MailboxNotApproved'] as const)(
    'a cycle that did not run (%s) says why, naming the setting',
    (reason) => {
      const lastCycle = { startedAt: NOW, finishedAt: NOW, ran: false, reason, counts: NO_COUNTS };
      const shown = text(
        render(
          <BackgroundStatusPanel
            status={status({ lastCycle, actions: [] })}
            unavailable={null}
            tab={noTab}
            now={NOW}
            timeOfDay={clock}
          />,
        ),
      );
      expect(shown).toContain(`Last check09:00 · ${NOT_RUN_TEXT[reason]}`);
    },
  );

  test('lastError: the last check could not finish, and nothing is lost', () => {
    const html = render(
      <BackgroundStatusPanel
        status={status({ lastError: 'Microsoft Graph is throttling requests; tried again in 30 seconds.' })}
        unavailable={null}
        tab={noTab}
        now={NOW}
        timeOfDay={clock}
      />,
    );
    expect(html).toContain('data-testid="background-error"');
    expect(text(html)).toContain(
      'The last check could not finish (Microsoft Graph is throttling requests; tried again in 30 seconds). Nothing is lost',
    );
  });

  test('Check now is disabled while a check runs, which does not stop the rest of the pane', () => {
    const html = render(
      <BackgroundStatusPanel
        status={status({ phase: 'running' })}
        unavailable={null}
        tab={noTab}
        now={NOW}
        timeOfDay={clock}
      />,
    );
    expect(html).toMatch(/<button[^>]*disabled[^>]*>Check now<\/button>/);
    expect(html).toContain('aria-busy="true"');
    expect(text(html)).toContain('you can keep working meanwhile');
    expect(text(html)).toContain('Next checkOnce this one is over');
  });

  test('no background check in this Outlook: the tab says so, and why', () => {
    const shown = text(
      render(<BackgroundStatusPanel status={null} unavailable={NO_BACKGROUND_CHECK} tab={noTab} />),
    );
    expect(shown).toContain(`The background check is not available in this Outlook: ${NO_BACKGROUND_CHECK}`);
    expect(shown).not.toContain('Check now');
  });
});

describe("this session's actions", () => {
  test('newest first: subject, sender, folder, what was done and the reason in the item card’s words; untrusted text as text', () => {
    const html = render(
      <BackgroundActionList
        actions={status().actions}
        crmUrl={CRM}
        reasonWords={reasonMessage}
        decisionParts={{ PartyList, RegardingLine }}
      />,
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('Re: Pricing &lt;img src=x onerror=alert(1)&gt;');
    const rows = [...html.matchAll(/<li[^>]*data-do="(\w+)" data-outcome="(\w+)"/g)].map(
      (m) => `${m[1]}/${m[2]}`,
    );
    expect(rows).toEqual(['track/queued', 'none/done', 'track/done']);
    const shown = text(html);
    expect(shown).toContain(
      `Waiting to be tracked (kept and tried again by itself)${reasonMessage(queued.decision!)}`,
    );
    expect(shown).toContain('Nothing to doAlready tagged');
    expect(shown).toContain(`Tracked${reasonMessage(tracked.decision!)}`);
    expect(shown).toContain('From ann@fabrikam.com · Inbox');
    // Closed rows are disclosure buttons; no decision shown yet.
    expect(html).toContain('aria-expanded="false"');
    expect(html).not.toContain('data-testid="background-decision"');
  });

  test('a row opens its full decision: reason and code, correlation, regarding, sender, parties, trace', () => {
    const html = render(
      <BackgroundActionList
        actions={status().actions}
        crmUrl={CRM}
        reasonWords={reasonMessage}
        decisionParts={{ PartyList, RegardingLine }}
        initialOpen={backgroundRowKey(tracked)}
      />,
    );
    expect(html.match(/aria-expanded="true"/g)).toHaveLength(1);
    const details = html.slice(html.indexOf('data-testid="background-decision"'));
    const shown = text(details);
    expect(shown).toContain('(reason CorrelationMatch, code 2)');
    expect(shown).toContain('Correlated: it follows on from CRM activity act-1');
    expect(details).toContain('etn=account&amp;id=acc-1');
    expect(shown).toContain('From ann@fabrikam.com: Contact');
    expect(shown).toContain('To dana@contoso.com: User');
    expect(shown).toContain('§3.1: In-Reply-To matches act-1');
    expect(shown).toContain('CRM activity act-9');
  });

  test('a queued track says why it failed; an item already tagged needed no decision', () => {
    const queuedOpen = text(
      render(
        <BackgroundActionList
          actions={[queued]}
          crmUrl={CRM}
          reasonWords={reasonMessage}
          decisionParts={{ PartyList, RegardingLine }}
          initialOpen={backgroundRowKey(queued)}
        />,
      ),
    );
    expect(queuedOpen).toContain('Why it failed: The CRM is busy or unavailable.');
    const taggedOpen = text(
      render(
        <BackgroundActionList
          actions={[alreadyTagged]}
          crmUrl={CRM}
          reasonWords={reasonMessage}
          decisionParts={{ PartyList, RegardingLine }}
          initialOpen={backgroundRowKey(alreadyTagged)}
        />,
      ),
    );
    expect(taggedOpen).toContain('No decision was needed');
    expect(taggedOpen).toContain('(reason AlreadyTagged)');
  });
});

describe('the controller', () => {
  test('the tab follows the runner; Check now asks it once and a screen reader hears it start and end', async () => {
    const { pane, tab, control } = await openTab();
    expect(pane.getState().background?.status).toBe(control!.current);
    tab.checkNow();
    expect(control!.checks).toBe(1);
    expect(pane.getState().announcement.text).toBe('Checking your mailbox now.');
    control!.emit(status({ phase: 'running' }));
    expect(pane.getState().background?.status?.phase).toBe('running');
    const counts = { lookedAt: 2, tracked: 1, tagged: 1, skipped: 0, deferred: 0, failed: 0 };
    const finished = Date.now() + 1;
    control!.emit(
      status({
        phase: 'waiting',
        lastCycle: { startedAt: finished - 1, finishedAt: finished, ran: true, reason: 'Ran', counts },
      }),
    );
    expect(pane.getState().announcement.text).toBe(
      'Check done: 2 looked at, 1 tracked, 1 tagged, 0 skipped, 0 deferred, 0 failed.',
    );
    // A later cycle the user did not ask for is shown, not announced.
    const seq = pane.getState().announcement.seq;
    control!.emit(status({ phase: 'running' }));
    control!.emit(status({ phase: 'waiting' }));
    expect(pane.getState().announcement.seq).toBe(seq);
  });

  test('a check the user asked for that could not finish is announced with its error', async () => {
    const { pane, tab, control } = await openTab();
    tab.checkNow();
    control!.emit(status({ phase: 'running' }));
    control!.emit(status({ phase: 'waiting', lastError: 'Sign in to your mailbox again.' }));
    expect(pane.getState().announcement.text).toBe(
      'The check could not finish: Sign in to your mailbox again.',
    );
  });

  test('no runner: the tab says why (the composition root’s words, or the default)', async () => {
    const own = await openTab({ control: null, unavailable: 'Classic Outlook gives no Graph token here.' });
    expect(own.pane.getState().background).toMatchObject({
      status: null,
      unavailable: 'Classic Outlook gives no Graph token here.',
    });
    own.tab.checkNow();
    expect(own.pane.getState().announcement.text).not.toBe('Checking your mailbox now.');
    const plain = await openTab({ control: null });
    expect(plain.pane.getState().background).toMatchObject({
      status: null,
      unavailable: NO_BACKGROUND_CHECK,
    });
  });
});

describe('tracked folders', () => {
  test('listed for the signed-in user; a folder and a record from the pane’s own search make a rule', async () => {
    setFolderTracking(true);
    const { pane, tab, mappings } = await openTab();
    let folders = foldersOf(pane.getState());
    expect(folders).toMatchObject({ status: 'ready', lock: null, unavailable: null });
    // The picker offers the folders under the Inbox only, as Dataverse tracks no other.
    expect(folders.folders?.map((f) => f.path)).toEqual(['Inbox/Projects', 'Inbox/Projects/Fabrikam <b>']);
    expect(folders.mappings.map((m) => m.folderPath)).toEqual(['Inbox/Projects']);
    expect(mappings.calls).toEqual([`list ${DEMO.me}`]);

    tab.pickFolder('f-fab');
    tab.findRegarding();
    expect(pane.getState().search).toMatchObject({ open: true, purpose: 'folder' });
    pane.search('Fabrikam');
    const found = await until(pane, (s) => s.search.status === 'done' && s.search.hits.length > 0);
    expect(found.search.purpose).toBe('folder');
    const hit = found.search.hits.find((h) => h.type === 'account')!;
    await tab.chooseRegarding(hit);
    folders = foldersOf(pane.getState());
    expect(folders.form).toEqual({
      folderId: 'f-fab',
      regarding: { type: 'account', id: hit.id, name: hit.name },
    });
    expect(pane.getState().search.open).toBe(false);
    // The item card's regarding did not change: the choice was the form's.
    expect(pane.getState().item).toMatchObject({ kind: 'read', itemId: rig.ids.pricing });

    await tab.addFolderMapping();
    expect(mappings.calls.at(-1)).toBe(`add ${DEMO.me} f-fab Inbox/Projects/Fabrikam <b> account:${hit.id}`);
    folders = foldersOf(pane.getState());
    expect(folders.mappings.map((m) => [m.folderPath, m.regardingName])).toEqual([
      ['Inbox/Projects', 'Fabrikam'],
      ['Inbox/Projects/Fabrikam <b>', hit.name],
    ]);
    expect(folders.form).toEqual({ folderId: null, regarding: null });
    expect(folders.message?.intent).toBe('success');
    expect(pane.getState().announcement.text).toBe(folders.message?.text);
  });

  test('remove: the rule goes from the CRM and the list', async () => {
    setFolderTracking(true);
    const { pane, tab, mappings } = await openTab();
    await tab.removeFolderMapping('m-1');
    expect(mappings.calls.at(-1)).toBe('remove m-1');
    expect(foldersOf(pane.getState())).toMatchObject({ mappings: [], removing: null });
    expect(pane.getState().announcement.text).toBe(
      'Removed: email in “Inbox/Projects” is no longer tracked regarding Account Fabrikam.',
    );
  });

  test('a refused add is said in the pane’s error words and the form keeps the folder and the record', async () => {
    setFolderTracking(true);
    const { pane, tab, mappings } = await openTab();
    tab.pickFolder('f-fab');
    await tab.chooseRegarding({ type: 'contact', id: 'c-9', name: 'Ann Lee', email: null });
    mappings.fail.add = forbidden();
    await tab.addFolderMapping();
    const folders = foldersOf(pane.getState());
    expect(folders.message).toEqual({
      intent: 'error',
      // The demo organization shows verbose errors (VerboseErrorsOnPromoteToCRM = 1).
      text: `Not added: ${VERBOSE_FORBIDDEN}. Your choices are kept: press Add to try again.`,
    });
    expect(folders.message?.text).not.toMatch(/something went wrong/i);
    expect(folders.form).toEqual({
      folderId: 'f-fab',
      regarding: { type: 'contact', id: 'c-9', name: 'Ann Lee' },
    });
    expect(folders.mappings).toHaveLength(1);
    expect(folders.saving).toBe(false);
    expect(rig.log).toHaveBeenCalledWith(
      'Could not add the folder tracking rule for Inbox/Projects/Fabrikam <b>',
      expect.any(CrmForbiddenError),
    );
    // Add again: the same choices make the rule.
    await tab.addFolderMapping();
    expect(foldersOf(pane.getState()).mappings).toHaveLength(2);
  });

  test('a refused remove keeps the rule listed and says why (short words with verbose errors off)', async () => {
    setFolderTracking(true);
    shortErrors();
    const { pane, tab, mappings } = await openTab();
    mappings.fail.remove = forbidden();
    await tab.removeFolderMapping('m-1');
    const folders = foldersOf(pane.getState());
    expect(folders.mappings.map((m) => m.id)).toEqual(['m-1']);
    expect(folders.message).toEqual({
      intent: 'error',
      text: 'Not removed: You do not have permission to do this in the CRM. The rule is still in place.',
    });
  });

  test('mailbox folders that cannot be read: said in the mailbox’s words, the rules still listed', async () => {
    setFolderTracking(true);
    shortErrors();
    const mappings = new FakeMappings();
    const folders = new FakeFolders();
    folders.fail = new GraphForbiddenError('Access is denied', {
      status: 403,
      code: 'ErrorAccessDenied',
      requestId: null,
      request: 'GET /me/mailFolders',
    });
    const pane = rig.make({ folderMappings: mappings, mailFolders: folders });
    await pane.start();
    await until(pane, (s) => s.session.phase === 'ready');
    await (await pane.openBackgroundTab())!.loadFolders();
    expect(foldersOf(pane.getState())).toMatchObject({
      status: 'ready',
      folders: null,
      message: {
        intent: 'error',
        text: 'Your mailbox folders could not be read: The add-in may not read or change this mailbox.',
      },
    });
    expect(foldersOf(pane.getState()).mappings).toHaveLength(1);
  });

  test('folder-level tracking off in the organization: said with the setting, and the editor is locked', async () => {
    setFolderTracking(false);
    const { pane, tab, mappings, folders } = await openTab();
    const view = foldersOf(pane.getState());
    expect(view.lock).toEqual(FOLDER_TRACKING_OFF);
    expect(folders.calls).toBe(0);
    await tab.removeFolderMapping('m-1');
    expect(mappings.calls).toEqual([`list ${DEMO.me}`]);
    const html = render(
      <FolderTrackingEditor
        folders={view}
        search={EMPTY_SEARCH}
        crmUrl={CRM}
        actions={noActions}
        tab={noTab}
      />,
    );
    expect(text(html)).toContain(`Locked: ${FOLDER_TRACKING_OFF.text}`);
    expect(text(html)).toContain('Setting: isfolderbasedtrackingenabled');
    expect(html).not.toMatch(/>Add<\/button>/);
    expect(html).toMatch(/<button[^>]*disabled[^>]*>Remove<\/button>/);
  });

  test('without the folder ports the editor says why', async () => {
    const pane = rig.make({});
    await pane.start();
    await (await pane.openBackgroundTab())!.loadFolders();
    expect(foldersOf(pane.getState()).unavailable).toMatch(/cannot read your mailbox folders here/);
  });
});

describe('the tracked folders editor as rendered', () => {
  const ready: FolderTrackingView = {
    ...EMPTY_FOLDER_TRACKING,
    status: 'ready',
    folders: FOLDERS,
    mappings: [
      {
        id: 'm-1',
        folderId: 'f-proj',
        folderPath: 'Inbox/Projects <script>',
        regarding: { type: 'account', id: 'acc-1' },
        regardingName: 'Fabrikam <i>',
      },
    ],
  };

  test('rules as text with a link to the record; a folder already tracked cannot be picked again', () => {
    const html = render(
      <FolderTrackingEditor
        folders={ready}
        search={EMPTY_SEARCH}
        crmUrl={CRM}
        actions={noActions}
        tab={noTab}
      />,
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('Inbox/Projects &lt;script&gt;');
    expect(html).toContain('Fabrikam &lt;i&gt;');
    expect(html).toMatch(/<option value="f-proj" disabled="">Inbox\/Projects \(tracked\)<\/option>/);
    expect(html).toMatch(/<button[^>]*disabled[^>]*>Add<\/button>/);
    expect(html).toContain('aria-label="Remove the rule for Inbox/Projects &lt;script&gt;"');
  });

  test('a form with a folder and a record can be added; the pane’s record search shows for it', () => {
    const form: FolderTrackingView = {
      ...ready,
      form: { folderId: 'f-fab', regarding: { type: 'contact', id: 'c-9', name: 'Ann Lee' } },
    };
    const html = render(
      <FolderTrackingEditor
        folders={form}
        search={{ ...EMPTY_SEARCH, open: true, purpose: 'folder', message: 'Search for the record' }}
        crmUrl={CRM}
        actions={noActions}
        tab={noTab}
      />,
    );
    expect(text(html)).toContain('Regarding Contact: Ann Lee');
    expect(html).not.toMatch(/<button[^>]*disabled[^>]*>Add<\/button>/);
    expect(html).toContain('id="regarding-search"');
  });

  test('the pane: a Background check tab beside the others (Synchronization after it); the item card never shows the folder form’s search', async () => {
    const { pane } = await openTab();
    const state = { ...pane.getState(), search: { ...EMPTY_SEARCH, open: true, purpose: 'folder' as const } };
    const html = render(<PaneView state={state} actions={noActions} />);
    const tabs = [...html.matchAll(/role="tab"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(tabs).toEqual(['Email', 'Background check', 'Synchronization', 'Options', 'Connection']);
    expect(html).not.toContain('id="regarding-search"');
  });
});
