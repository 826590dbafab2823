/**
 * The pane's synchronization (issue 12) at component and controller level, with a fake runner
 * (PaneSyncControl): the Synchronization tab's status (phase, progress, last and next run, the last
 * run's summary per type, why a run did not happen, a type that stopped short), "Synchronize now" and
 * what a screen reader hears, the log of the last runs (untrusted titles as text), where the pane
 * cannot synchronize; the stand-in over the chunk, this device as the synchronization client, the
 * stored state; the Options' Synchronization tab and its table of synchronized fields.
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  FluentProvider,
  RendererProvider,
  createDOMRenderer,
  renderToStyleElements,
  webLightTheme,
} from '@fluentui/react-components';
import {
  EMPTY_SYNC_STATE,
  type SyncLogEntry,
  type SyncRunRecord,
  type SyncStatus,
  type SyncTypeSummary,
} from '../../src/app/syncStatus';
import {
  SYNC_CHUNK_FAILED,
  lazyPaneSync,
  type PaneSyncControl,
  type PaneSyncStatus,
} from '../../src/host/lazySync';
import { SYNC_CLIENT_ROAMING_KEY, syncDevice } from '../../src/host/syncDevice';
import type { PaneSyncPart } from '../../src/host/syncHost';
import { readSyncState, syncStateStore } from '../../src/host/syncStore';
import type { PaneActions } from '../../src/taskpane/actions';
import { OptionsScreen, syncSwitchToSave } from '../../src/taskpane/components/OptionsScreen';
import { SyncFieldTable } from '../../src/taskpane/components/SyncFieldTable';
import { ENTRIES_SHOWN, SyncRunLog } from '../../src/taskpane/components/SyncRunLog';
import { SyncScreen } from '../../src/taskpane/components/SyncScreen';
import { SyncStatusPanel } from '../../src/taskpane/components/SyncStatusPanel';
import { optionStatesOf, optionValuesOf } from '../../src/taskpane/controller/optionsModel';
import { savedMessage, splitChanges } from '../../src/taskpane/controller/optionsSave';
import { syncSwitchNoticeOf } from '../../src/taskpane/controller/syncSwitchNotice';
import { SyncTabModel, type SyncTabState } from '../../src/taskpane/controller/syncTabModel';
import {
  DIRECTION_SPOKEN,
  DIRECTION_TEXT,
  INTERRUPTED_TEXT,
  SKIPPED_OTHER_WINDOW_TEXT,
  syncRunText,
  NO_NEXT_RUN_TEXT,
  SWITCH_SAVED_OFF_TEXT,
  SWITCH_SAVED_ON_UNSCHEDULED_TEXT,
  SYNC_NOT_RUN_TEXT,
  fieldLabel,
  outlookFieldText,
  SYNC_UNAVAILABLE_TEXT,
} from '../../src/taskpane/controller/syncWords';
import { initialPaneState, type OptionsView } from '../../src/taskpane/controller/types';
import { LazySyncScreen } from '../../src/taskpane/lazyParts';
import { PaneView } from '../../src/taskpane/PaneView';
import { effectivePersonalOptions } from '../../src/rules/effectiveSettings';
import { DEFAULT_SETTINGS } from '../../src/rules/settings';
import { SYNC_FIELDS, defaultMappings } from '../../src/rules/syncFieldCatalog';

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const clock = (at: number) => new Date(at).toISOString().slice(11, 16);
const NOW = Date.UTC(2026, 0, 10, 9, 0, 0);
const noActions = new Proxy({}, { get: () => () => undefined }) as PaneActions;

const summary = (over: Partial<SyncTypeSummary> & Pick<SyncTypeSummary, 'entity'>): SyncTypeSummary => ({
  ran: true,
  crmRecords: 0,
  outlookItems: 0,
  done: {},
  failed: 0,
  error: null,
  ...over,
});

const entry = (over: Partial<SyncLogEntry>): SyncLogEntry => ({
  entity: 'contact',
  op: 'createOutlook',
  crmId: 'c-1',
  itemId: null,
  title: 'Ann Lee',
  fields: [],
  conflicts: [],
  reason: null,
  outcome: 'done',
  error: null,
  ...over,
});

const ran = (over: Partial<SyncRunRecord> = {}): SyncRunRecord => ({
  trigger: 'scheduled',
  startedAt: NOW - 120_000,
  finishedAt: NOW - 60_000,
  ran: true,
  reason: 'Ran',
  types: [
    summary({
      entity: 'contact',
      done: { createOutlook: 3, createCrm: 1, updateOutlook: 2, link: 1 },
      failed: 1,
    }),
    summary({ entity: 'appointment', done: { deleteOutlook: 1, unlink: 2 } }),
    summary({ entity: 'task' }),
  ],
  entries: [],
  ...over,
});

const notRun = (reason: SyncRunRecord['reason'], trigger: SyncRunRecord['trigger'] = 'scheduled') =>
  ran({
    trigger,
    ran: false,
    reason,
    types: (['contact', 'appointment', 'task'] as const).map((entity) => summary({ entity, ran: false })),
  });

const paneStatus = (over: Partial<PaneSyncStatus> = {}): PaneSyncStatus => ({
  phase: 'idle',
  progress: null,
  nextRunAt: NOW + 40_000,
  runs: [ran()],
  problem: null,
  ...over,
});

const tabState = (status: PaneSyncStatus, over: Partial<SyncTabState> = {}): SyncTabState => ({
  status,
  savedSwitch: null,
  asked: false,
  announcement: { seq: 0, text: '' },
  ...over,
});

const panel = (state: SyncTabState) =>
  render(<SyncStatusPanel state={state} onSynchronizeNow={() => undefined} now={NOW} timeOfDay={clock} />);

/** A runner that runs when asked and says what it is doing, as the real one does through its status. */
class FakeSync implements PaneSyncControl {
  current: PaneSyncStatus = paneStatus({ runs: [] });
  asked = 0;
  nextRun: SyncRunRecord = ran({ trigger: 'manual', startedAt: NOW + 1 });
  private readonly listeners = new Set<(status: PaneSyncStatus) => void>();
  status = () => this.current;
  subscribe(listener: (status: PaneSyncStatus) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  publish(over: Partial<PaneSyncStatus>) {
    this.current = { ...this.current, ...over };
    for (const listener of this.listeners) listener(this.current);
  }
  synchronizeNow = async () => {
    this.asked += 1;
    this.publish({ phase: 'running', progress: { entity: 'contact', step: 'reading', done: 0, total: 3 } });
    await Promise.resolve();
    this.publish({ phase: 'idle', progress: null, runs: [this.nextRun, ...this.current.runs] });
  };
  fieldMappings = async () => null;
  isSyncClient = async () => true;
  chooseSyncClient = async () => undefined;
}

describe('the Synchronization tab: status', () => {
  test('phase, last run, next run, and what the last run did per type', () => {
    const shown = text(panel(tabState(paneStatus())));
    expect(shown).toContain('Waiting for the next synchronization.');
    expect(shown).toContain('Last synchronization08:59 · Finished, 1 change failed (see the log)');
    expect(shown).toContain('Next synchronizationIn about 40 s');
    expect(shown).toContain('ContactsAppointmentsTasks');
    // Per kind of change: contacts, appointments, tasks.
    for (const row of ['Created400', 'Updated200', 'Linked100', 'Unlinked020', 'Deleted010', 'Failed100'])
      expect(shown).toContain(row);
  });

  test('during a run: progress ("Contacts 120/340"), Synchronize now unavailable, the section busy', () => {
    const html = panel(
      tabState(
        paneStatus({
          phase: 'running',
          nextRunAt: null,
          progress: { entity: 'contact', step: 'writing', done: 120, total: 340 },
        }),
      ),
    );
    expect(text(html)).toContain('Synchronizing… Contacts 120/340 (writing)');
    expect(html).toMatch(/<button[^>]*aria-disabled="true"[^>]*>Synchronize now<\/button>/);
    expect(html).toContain('aria-busy="true"');
    expect(text(html)).toContain('Next synchronizationOnce this one is over');
  });

  test('Synchronize now is unavailable while the run the user asked for has not started yet', () => {
    const html = panel(tabState(paneStatus(), { asked: true }));
    expect(html).toMatch(/<button[^>]*aria-disabled="true"[^>]*>Synchronize now<\/button>/);
  });

  test.each(['SyncOff', 'NotSyncClient', 'ScheduleNotAllowed'] as const)(
    'a run that did not happen (%s) says why, naming the setting',
    (reason) => {
      const shown = text(panel(tabState(paneStatus({ phase: 'off', runs: [notRun(reason)] }))));
      expect(shown).toContain(`Last synchronization08:59 · ${SYNC_NOT_RUN_TEXT[reason]}`);
      expect(shown).not.toContain('What the last synchronization did');
    },
  );

  test('a type that stopped short is said with its error, and that nothing is lost', () => {
    const run = ran({
      types: [
        summary({ entity: 'contact', error: 'The CRM could not be reached.' }),
        summary({ entity: 'task' }),
      ],
    });
    const html = panel(tabState(paneStatus({ runs: [run] })));
    expect(html).toContain('data-testid="sync-error"');
    expect(text(html)).toContain('Contacts could not finish: The CRM could not be reached.');
    expect(text(html)).toContain('Last synchronization08:59 · Did not finish (see below)');
  });

  test('the chunk that could not load is said', () => {
    const html = panel(tabState(paneStatus({ phase: 'stopped', runs: [], problem: SYNC_CHUNK_FAILED })));
    expect(text(html)).toContain(SYNC_CHUNK_FAILED);
    expect(text(html)).toContain('Last synchronizationNone yet');
  });
});

describe('the Synchronization tab: the log of the last runs', () => {
  const hostile = 'Ann <img src=x onerror=alert(1)> Lee';
  const run = ran({
    trigger: 'manual',
    entries: [
      entry({ op: 'unlink', reason: 'OutOfScope', title: 'Bob Kim', itemId: 'o-2' }),
      entry({
        op: 'updateCrm',
        fields: ['firstname', 'telephone1'],
        conflicts: ['firstname'],
        title: hostile,
      }),
      entry({
        op: 'createOutlook',
        fields: ['givenName'],
        outcome: 'failed',
        error: 'Outlook refused it (403).',
      }),
      entry({ entity: 'task', op: 'updateOutlook', fields: ['dueDate'], title: 'Call back' }),
    ],
  });

  test('every operation in words with the item, the fields written and the conflicts decided', () => {
    const shown = text(render(<SyncRunLog runs={[run]} timeOfDay={clock} />));
    expect(shown).toContain('08:58 · Synchronize now · Finished, 1 change failed (see the log)');
    expect(shown).toContain(
      'Unlinked: contact Bob KimWhy: no longer returned by your synchronization filters; kept in Outlook.',
    );
    expect(shown).toContain('Updated in the CRM: contact');
    const first = fieldLabel('contact', 'firstname');
    expect(first).not.toBe('firstname');
    expect(shown).toContain(`Fields written: ${first}, ${fieldLabel('contact', 'telephone1')}.`);
    expect(shown).toContain(
      `Changed on both sides, the later change kept: ${first} (Outlook value kept, the CRM's replaced).`,
    );
    expect(shown).toContain(
      `Updated in Outlook: task Call backFields written: ${fieldLabel('task', 'dueDate')}.`,
    );
  });

  test('a failure is shown with its error', () => {
    const html = render(<SyncRunLog runs={[run]} timeOfDay={clock} />);
    expect(html).toContain('data-outcome="failed"');
    expect(text(html)).toContain('What failed: Outlook refused it (403).');
  });

  test('titles are untrusted: rendered as text, never as markup', () => {
    const html = render(<SyncRunLog runs={[run]} timeOfDay={clock} />);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('the newest run is open, older ones closed; a run that did not happen did nothing', () => {
    const html = render(<SyncRunLog runs={[run, notRun('NotSyncClient')]} timeOfDay={clock} />);
    const runs = [...html.matchAll(/<details([^>]*)data-testid="sync-run"/g)].map((m) => m[1]);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toContain('open');
    expect(runs[1]).not.toContain('open');
    expect(text(html)).toContain('Nothing was done.');
  });

  test('a long run shows its first entries and offers the rest', () => {
    const many = ran({
      entries: Array.from({ length: ENTRIES_SHOWN + 7 }, (_, i) => entry({ crmId: `c-${i}` })),
    });
    const html = render(<SyncRunLog runs={[many]} timeOfDay={clock} />);
    expect([...html.matchAll(/data-testid="sync-entry"/g)]).toHaveLength(ENTRIES_SHOWN);
    expect(text(html)).toContain(`Show all ${ENTRIES_SHOWN + 7} changes`);
  });
});

describe('the Synchronization tab: where the pane cannot synchronize', () => {
  test.each(['noGraph', 'noAppRegistration'] as const)('%s: said in the user’s words', (unavailable) => {
    const shown = text(render(<SyncScreen access={{ load: null, unavailable }} />));
    expect(shown).toContain(
      `Contacts, appointments and tasks are not synchronized in this Outlook: ${SYNC_UNAVAILABLE_TEXT[unavailable]}`,
    );
    expect(shown).not.toContain('Synchronize now');
  });

  test('the pane shows a Synchronization tab beside Background check; its screen loads on its own', async () => {
    const state = initialPaneState(
      { crmUrl: 'https://x', local: false, signIn: '', mailbox: 'a@b.c', saving: false, error: null },
      { kind: 'empty' },
    );
    const html = render(<PaneView state={state} actions={noActions} />);
    const tabs = [...html.matchAll(/role="tab"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(tabs.slice(0, 3)).toEqual(['Email', 'Background check', 'Synchronization']);
    await LazySyncScreen.preload();
    const sync = render(
      <PaneView
        state={state}
        actions={noActions}
        initialTab="sync"
        sync={{ load: null, unavailable: 'noGraph' }}
      />,
    );
    expect(text(sync)).toContain(SYNC_UNAVAILABLE_TEXT.noGraph);
  });
});

describe('the Synchronization tab: its store', () => {
  test('follows the runner while someone listens', () => {
    const runner = new FakeSync();
    const model = new SyncTabModel(runner);
    const stop = model.subscribe(() => undefined);
    runner.publish({ phase: 'running' });
    expect(model.getState().status.phase).toBe('running');
    stop();
    runner.publish({ phase: 'idle' });
    expect(model.getState().status.phase).toBe('running');
  });

  test('Synchronize now asks the runner once; a screen reader hears it start, then how it ended', async () => {
    const runner = new FakeSync();
    const model = new SyncTabModel(runner, () => NOW);
    const heard: string[] = [];
    model.subscribe(() => {
      const said = model.getState().announcement.text;
      if (heard[heard.length - 1] !== said) heard.push(said);
    });
    const first = model.synchronizeNow();
    void model.synchronizeNow(); // a second press while asked does not ask again
    await first;
    expect(runner.asked).toBe(1);
    expect(heard).toEqual([
      'Synchronizing now.',
      'Synchronization finished, 1 change failed. Contacts: 4 created, 2 updated, 1 linked, 1 failed; Appointments: 2 unlinked, 1 deleted; Tasks: no changes.',
    ]);
    expect(model.getState().asked).toBe(false);
  });

  test('a run the user asked for that did not happen is announced with why', async () => {
    const runner = new FakeSync();
    runner.nextRun = { ...notRun('NotSyncClient', 'manual'), startedAt: NOW + 1 };
    const model = new SyncTabModel(runner, () => NOW);
    await model.synchronizeNow();
    expect(model.getState().announcement.text).toBe(SYNC_NOT_RUN_TEXT.NotSyncClient);
  });
});

describe('the stand-in over the synchronization chunk', () => {
  const part = (status: SyncStatus): PaneSyncPart & { asked: number } => {
    const listeners = new Set<(s: SyncStatus) => void>();
    const made = {
      asked: 0,
      synchronization: {
        status: () => status,
        subscribe: (l: (s: SyncStatus) => void) => (listeners.add(l), () => void listeners.delete(l)),
        synchronizeNow: async () => void (made.asked += 1),
        start: () => undefined,
        stop: () => undefined,
        settled: async () => undefined,
      },
      fieldMappings: async () => null,
      device: { isSyncClient: () => true, peek: () => true, choose: async () => undefined },
    };
    return made;
  };
  const waitForStatus = (control: PaneSyncControl, ok: (status: PaneSyncStatus) => boolean) =>
    new Promise<void>((resolve) => {
      if (ok(control.status())) return resolve();
      const stop = control.subscribe((status) => {
        if (!ok(status)) return;
        stop();
        resolve();
      });
    });
  const quietLog = () => ({
    lines: [] as string[],
    log(message: string) {
      this.lines.push(message);
    },
  });

  test('answers "no run yet" until the chunk is there, then the runner’s status', async () => {
    const loaded = part({ phase: 'idle', progress: null, nextRunAt: NOW, runs: [] });
    let arrive: (p: PaneSyncPart) => void = () => undefined;
    const control = lazyPaneSync(() => new Promise((resolve) => (arrive = resolve)), quietLog());
    expect(control.status()).toMatchObject({ phase: 'stopped', runs: [], problem: null });
    arrive(loaded);
    await control.synchronizeNow();
    expect(control.status()).toMatchObject({ phase: 'idle', nextRunAt: NOW, problem: null });
    expect(loaded.asked).toBe(1);
  });

  test('a chunk that cannot load is said in the status and logged; Synchronize now tries it again', async () => {
    let loads = 0;
    const log = quietLog();
    const control = lazyPaneSync(async () => {
      loads += 1;
      throw new Error('ChunkLoadError');
    }, log);
    await waitForStatus(control, (status) => status.problem !== null);
    expect(control.status().problem).toBe(SYNC_CHUNK_FAILED);
    await control.synchronizeNow();
    expect(loads).toBe(2);
    expect(log.lines[0]).toContain('Synchronization');
  });
});

describe('this device as the synchronization client (synchronization.md §1)', () => {
  beforeAll(() => {
    (globalThis as unknown as { Office: unknown }).Office = {
      AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    };
  });
  afterAll(() => {
    delete (globalThis as unknown as { Office?: unknown }).Office;
  });

  /** One mailbox's roaming settings, shared by the user's devices. */
  const roamingSettings = () => {
    const values = new Map<string, unknown>();
    return {
      values,
      get: (key: string) => values.get(key),
      set: (key: string, value: unknown) => void values.set(key, value),
      remove: (key: string) => void values.delete(key),
      saveAsync: (cb: (r: unknown) => void) => cb({ status: 'succeeded' }),
    } as unknown as Office.RoamingSettings & { values: Map<string, unknown> };
  };
  const storage = () => {
    const map = new Map<string, string>();
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
    };
  };
  let ids = 0;
  const device = (roaming: Office.RoamingSettings) =>
    syncDevice(roaming, storage(), () => `device-${++ids}`, { log: () => undefined });

  test('with none chosen, the first device to ask claims it; the others are not', () => {
    const roaming = roamingSettings();
    const laptop = device(roaming);
    const desktop = device(roaming);
    expect(desktop.peek()).toBe(true); // would claim it
    expect(laptop.isSyncClient()).toBe(true);
    expect(desktop.isSyncClient()).toBe(false);
    expect(desktop.peek()).toBe(false);
  });

  test('choosing it on one device clears it on the others', async () => {
    const roaming = roamingSettings();
    const laptop = device(roaming);
    const desktop = device(roaming);
    laptop.isSyncClient();
    await desktop.choose(true);
    expect(desktop.isSyncClient()).toBe(true);
    expect(laptop.isSyncClient()).toBe(false);
  });

  test('turned off on the client, no device synchronizes until one is chosen', async () => {
    const roaming = roamingSettings();
    const laptop = device(roaming);
    const desktop = device(roaming);
    laptop.isSyncClient();
    await laptop.choose(false);
    expect(roaming.values.get(SYNC_CLIENT_ROAMING_KEY)).toBe('');
    expect(laptop.isSyncClient()).toBe(false);
    expect(desktop.isSyncClient()).toBe(false);
  });
});

describe('the stored state', () => {
  test('no IndexedDB: kept in memory, and the diagnostics log says so', async () => {
    const lines: string[] = [];
    const store = syncStateStore(undefined, 'Ann@Contoso.com', { log: (m) => void lines.push(m) });
    const state = { ...EMPTY_SYNC_STATE, runs: [ran()] };
    await store.save(state);
    expect(await store.load()).toEqual(state);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('kept in memory');
  });

  test('a value that does not read as a state starts over', () => {
    expect(readSyncState('not a state')).toBeNull();
    expect(readSyncState({ contact: { watermark: 3, items: [], pairs: [], excluded: [] } })).toBeNull();
    expect(
      readSyncState({ task: { watermark: null, items: [{ itemId: 1 }], pairs: [], excluded: [] } }),
    ).toBeNull();
    expect(readSyncState(undefined)).toEqual(EMPTY_SYNC_STATE);
  });

  test('a stored state reads back whole; runs of another shape are left out', () => {
    const pair = { crmId: 'c-1', itemId: 'o-1', crm: { firstname: 'Ann' }, outlook: { givenName: 'Ann' } };
    const stored = {
      ...EMPTY_SYNC_STATE,
      contact: { watermark: 'w-1', items: [], pairs: [pair], excluded: ['c-9'] },
      runs: [ran(), { nonsense: true }],
    };
    expect(readSyncState(stored)).toEqual({ ...stored, runs: [ran()] });
  });
});

describe('Options › Synchronization', () => {
  const optionsView = (): OptionsView => {
    const effective = effectivePersonalOptions(DEFAULT_SETTINGS);
    const base = optionValuesOf(effective, true);
    return {
      base,
      draft: base,
      states: optionStatesOf(effective),
      minimums: { outlooksyncinterval: 15, addressbooksyncinterval: 60, offlinesyncinterval: 15 },
      dirty: false,
      status: 'idle',
      message: null,
      slow: false,
    };
  };

  test('the options that have something behind them, not the sentence that said it does not synchronize', () => {
    const shown = text(
      render(<OptionsScreen options={optionsView()} actions={noActions} initialTab="sync" />),
    );
    for (const label of [
      'Synchronize CRM items with Outlook',
      'This device is the synchronization client',
      'Schedule automatic synchronization every',
      'Update the company field for Outlook contacts',
      'Check for duplicates when synchronizing',
      'CRM fieldDirectionOutlook field',
    ])
      expect(shown).toContain(label);
    expect(shown).not.toContain('Track in CRM does not synchronize');
  });

  test('duplicate detection is on the Synchronization tab only (the seed’s place for it)', () => {
    const shown = text(
      render(<OptionsScreen options={optionsView()} actions={noActions} initialTab="localdata" />),
    );
    expect(shown).not.toContain('Check for duplicates when synchronizing');
  });

  test('"Synchronize CRM items with Outlook" is saved to roaming settings with the personal options', () => {
    const view = optionsView();
    const changes = splitChanges(view.base!, { ...view.base!, synchronizeWithOutlook: false }, view.states);
    expect(changes.user).toEqual({ synchronizeWithOutlook: false });
    expect(changes.crm).toEqual({});
  });
});

describe('the table of synchronized fields', () => {
  const rows = (html: string) =>
    [...html.matchAll(/<tr data-crm="([^"]+)">(.*?)<\/tr>/g)].map((m) => [m[1], text(m[2] ?? '')] as const);

  test('Microsoft’s defaults when the organization defines none: CRM field, direction in words, Outlook field', () => {
    const html = render(<SyncFieldTable companySynced={false} />);
    const shown = rows(html);
    expect(shown.length).toBe(defaultMappings('contact').length + 1);
    const first = SYNC_FIELDS.contact.find((f) => f.crm === 'firstname')!;
    expect(shown.find(([crm]) => crm === 'firstname')).toEqual([
      'firstname',
      `${first.label}${DIRECTION_TEXT[first.direction]}${DIRECTION_SPOKEN[first.direction]}${outlookFieldText('contact', first.outlook)}`,
    ]);
    expect(text(html)).toContain("Microsoft's default field mappings");
  });

  test('the direction is also said for screen readers, the arrow hidden from them', () => {
    const html = render(<SyncFieldTable companySynced={true} />);
    expect(html).toMatch(
      /<span aria-hidden="true">CRM → Outlook<\/span><span class="[^"]*">from the CRM to Outlook<\/span>/,
    );
  });

  test('the company follows “Update the company field”: CRM → Outlook when on, not synchronized when off', () => {
    const company = (on: boolean) =>
      rows(render(<SyncFieldTable companySynced={on} />)).find(([crm]) => crm === 'parentcustomerid')?.[1];
    expect(company(true)).toContain(DIRECTION_TEXT.toOutlook);
    expect(company(false)).toContain(DIRECTION_TEXT.none);
  });

  test('tasks and appointments have their own fields, and no company row', () => {
    const tasks = rows(render(<SyncFieldTable companySynced={true} initialEntity="task" />));
    expect(tasks.map(([crm]) => crm)).toEqual(defaultMappings('task').map((m) => m.crm));
  });
});

describe('issue 12 walk: a run that did not finish', () => {
  const FAULT =
    'The service is temporarily unavailable. · HTTP 503 · code 0x80040216 · request 130a93b3-5c1b-4477-b590-36385f8531ba';
  const failedRun = (over: Partial<SyncRunRecord> = {}) =>
    ran({
      trigger: 'manual',
      startedAt: NOW + 1,
      types: (['contact', 'appointment', 'task'] as const).map((entity) =>
        summary({ entity, ran: false, error: FAULT }),
      ),
      entries: [],
      ...over,
    });

  test('the screen reader hears that it did not finish, not that it is done', async () => {
    const runner = new FakeSync();
    runner.nextRun = failedRun();
    const model = new SyncTabModel(runner, () => NOW);
    await model.synchronizeNow();
    const said = model.getState().announcement.text;
    expect(said).toMatch(/^Synchronization did not finish\./);
    expect(said).not.toContain('done');
  });

  test('its log entry says what failed instead of "Nothing to change"', () => {
    const shown = text(render(<SyncRunLog runs={[failedRun()]} timeOfDay={clock} />));
    expect(shown).not.toContain('Nothing to change');
    expect(shown).toContain(`Contacts, appointments and tasks could not finish: ${FAULT}`);
  });

  test('the same error of several types is said once, in the status and in the log', () => {
    const requestId = '130a93b3-5c1b-4477-b590-36385f8531ba';
    const status = text(panel(tabState(paneStatus({ runs: [failedRun()] }))));
    const log = text(render(<SyncRunLog runs={[failedRun()]} timeOfDay={clock} />));
    expect(status.split(requestId)).toHaveLength(2);
    expect(log.split(requestId)).toHaveLength(2);
  });

  test('types that failed differently keep their own lines', () => {
    const run = failedRun({
      types: [
        summary({ entity: 'contact', error: 'The CRM could not be reached.' }),
        summary({ entity: 'appointment', error: FAULT }),
        summary({ entity: 'task', error: FAULT }),
      ],
    });
    const shown = text(panel(tabState(paneStatus({ runs: [run] }))));
    expect(shown).toContain('Contacts could not finish: The CRM could not be reached.');
    expect(shown).toContain(`Appointments and tasks could not finish: ${FAULT}`);
  });

  test('a failed operation is headed as not done, and its fields as not written', () => {
    const failed = entry({
      op: 'updateOutlook',
      title: 'Mei Tanaka',
      fields: ['jobTitle'],
      outcome: 'failed',
      error: 'The mailbox service is unavailable.',
    });
    const shown = text(render(<SyncRunLog runs={[ran({ entries: [failed] })]} timeOfDay={clock} />));
    expect(shown).toContain('Not updated in Outlook: contact Mei Tanaka (tried again next time)');
    expect(shown).not.toContain('Updated in Outlook: contact Mei Tanaka');
    expect(shown).toContain(`Fields not written: ${fieldLabel('contact', 'jobTitle')}.`);
    expect(shown).toContain('What failed: The mailbox service is unavailable.');
  });
});

describe('issue 12 walk: synchronization switched off', () => {
  const offStatus = (over: Partial<PaneSyncStatus> = {}) =>
    paneStatus({ phase: 'off', nextRunAt: NOW + 15 * 60_000, runs: [notRun('SyncOff')], ...over });

  test('while off, no next time is shown', () => {
    const shown = text(panel(tabState(offStatus())));
    expect(shown).toContain(`Next synchronization${NO_NEXT_RUN_TEXT.SyncOff}`);
    expect(shown).not.toContain('In about');
  });

  test('another device synchronizing shows no next time on this one either', () => {
    const shown = text(panel(tabState(offStatus({ runs: [notRun('NotSyncClient')] }))));
    expect(shown).toContain(`Next synchronization${NO_NEXT_RUN_TEXT.NotSyncClient}`);
  });

  test('why it is off is said in the user’s words, with where to turn it on, naming no internal setting', () => {
    const said = SYNC_NOT_RUN_TEXT.SyncOff;
    expect(said).not.toMatch(/outlookSynchronization|diagnostics/i);
    expect(said).toContain('Options › Synchronization');
    expect(said).toContain('administrator');
  });

  test('turned on and saved: the tab says the next run will synchronize, before that run', () => {
    const saved = { on: true, at: NOW - 1_000 };
    const shown = text(panel(tabState(offStatus({ nextRunAt: NOW + 40_000 }), { savedSwitch: saved })));
    expect(shown).toContain('Turned on: the next synchronization runs in about 40 s.');
    expect(shown).not.toContain('Not synchronizing');
    expect(shown).toContain('Next synchronizationIn about 40 s');
  });

  test('turned on where the organization schedules none: the tab says Synchronize now runs it', () => {
    const saved = { on: true, at: NOW - 1_000 };
    const shown = text(panel(tabState(offStatus({ nextRunAt: null }), { savedSwitch: saved })));
    expect(shown).toContain(SWITCH_SAVED_ON_UNSCHEDULED_TEXT);
    expect(shown).not.toContain('Not synchronizing');
  });

  test('turned off and saved: the tab says so at once and shows no next time', () => {
    const saved = { on: false, at: NOW - 1_000 };
    const shown = text(panel(tabState(paneStatus(), { savedSwitch: saved })));
    expect(shown).toContain(SWITCH_SAVED_OFF_TEXT);
    expect(shown).toContain(`Next synchronization${NO_NEXT_RUN_TEXT.SyncOff}`);
  });

  test('once a run started after the save, the runner’s status is shown again', () => {
    const saved = { on: false, at: NOW - 200_000 };
    const shown = text(panel(tabState(paneStatus(), { savedSwitch: saved })));
    expect(shown).not.toContain(SWITCH_SAVED_OFF_TEXT);
    expect(shown).toContain('Waiting for the next synchronization.');
  });

  test('Options tells the tab about the switch only when a save writes it', () => {
    const effective = effectivePersonalOptions(DEFAULT_SETTINGS);
    const base = optionValuesOf(effective, true);
    const view = (draft: typeof base, states = optionStatesOf(effective)): OptionsView => ({
      base,
      draft,
      states,
      minimums: null,
      dirty: true,
      status: 'idle',
      message: null,
      slow: false,
    });
    const turnedOff = { ...base, synchronizeWithOutlook: !base.synchronizeWithOutlook };
    expect(syncSwitchToSave(view(turnedOff))).toBe(turnedOff.synchronizeWithOutlook);
    expect(syncSwitchToSave(view({ ...base, synccontactcompany: !base.synccontactcompany }))).toBeNull();
    const locked = {
      ...optionStatesOf(effective),
      synchronizeWithOutlook: {
        ...effective.synchronizeWithOutlook,
        locked: true as const,
        lockReason: { text: 'Your organization decides it.', setting: 'test' },
      },
    };
    expect(syncSwitchToSave(view(turnedOff, locked))).toBeNull();
  });

  test('the tab’s store follows the switch saved in Options for the same synchronization', () => {
    const runner = new FakeSync();
    const model = new SyncTabModel(runner, () => NOW);
    model.subscribe(() => undefined);
    syncSwitchNoticeOf(runner).record(true, NOW);
    expect(model.getState().savedSwitch).toEqual({ on: true, at: NOW });
  });

  describe('the save message says what applies to synchronization', () => {
    const effective = effectivePersonalOptions(DEFAULT_SETTINGS);
    const base = optionValuesOf(effective, true);
    const states = optionStatesOf(effective);

    test('a synchronization option: its next run, not the next email', () => {
      const said = savedMessage(base, { ...base, outlooksyncinterval: base.outlooksyncinterval + 5 }, states);
      expect(said).toContain('The next synchronization runs with these options.');
      expect(said).not.toContain('email');
    });

    test('synchronization turned off, and turned on', () => {
      expect(savedMessage(base, { ...base, synchronizeWithOutlook: false }, states)).toContain(
        'Synchronization is turned off',
      );
      const off = { ...base, synchronizeWithOutlook: false };
      expect(savedMessage(off, base, states)).toContain('Synchronization is turned on');
    });

    test('an email option still says the next email is checked with it', () => {
      const said = savedMessage(
        base,
        { ...base, automaticEmailTagging: !base.automaticEmailTagging },
        states,
      );
      expect(said).toContain('The next email is checked with these options.');
      expect(said).not.toContain('synchronization');
    });
  });
});

describe('issue 12 walk: the keyboard stays on Synchronize now', () => {
  test('while busy the button stays focusable (aria-disabled, not disabled)', () => {
    const html = panel(tabState(paneStatus({ phase: 'running', nextRunAt: null })));
    const button = html.match(/<button[^>]*>Synchronize now<\/button>/)?.[0] ?? '';
    expect(button).toContain('aria-disabled="true"');
    expect(button).not.toMatch(/\sdisabled=/);
  });
});

describe('issue 12 walk: small things', () => {
  test('the field table breaks between words only ("Not synchronized" stays whole)', () => {
    const renderer = createDOMRenderer();
    const html = renderToStaticMarkup(
      <RendererProvider renderer={renderer}>
        <FluentProvider theme={webLightTheme}>
          <SyncFieldTable companySynced={false} />
        </FluentProvider>
      </RendererProvider>,
    );
    const css = renderToStaticMarkup(<>{renderToStyleElements(renderer)}</>);
    const cell = html.match(/<td class="([^"]+)"><span aria-hidden="true">Not synchronized/)?.[1] ?? '';
    const rules = cell
      .split(' ')
      .flatMap((name) => [...css.matchAll(new RegExp(`\\.${name}\\{([^}]*)\\}`, 'g'))].map((m) => m[1]));
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.join(';')).not.toMatch(/overflow-wrap:anywhere|word-break:break-all/);
  });

  test('the log tells two runs of the same minute apart (its times have seconds)', () => {
    const minute = Date.UTC(2026, 0, 10, 8, 58, 0);
    const runs = [ran({ startedAt: minute + 40_000 }), ran({ startedAt: minute + 10_000 })];
    const times = [...render(<SyncRunLog runs={runs} />).matchAll(/<summary[^>]*>([^·<]+)·/g)].map((m) =>
      m[1]?.trim(),
    );
    expect(times).toHaveLength(2);
    expect(times[0]).not.toBe(times[1]);
  });

  test.each([
    ['updateOutlook', "CRM value kept, Outlook's replaced"],
    ['updateCrm', "Outlook value kept, the CRM's replaced"],
  ] as const)('a conflict written by %s says which side was kept and which replaced', (op, sides) => {
    const conflict = entry({ op, fields: ['jobtitle'], conflicts: ['jobtitle'] });
    const shown = text(render(<SyncRunLog runs={[ran({ entries: [conflict] })]} timeOfDay={clock} />));
    expect(shown).toContain(`the later change kept: ${fieldLabel('contact', 'jobtitle')} (${sides}).`);
  });
});

describe('runs that did not run to their end, in the log', () => {
  test('a run cut short by a reload reads as interrupted, not as finished', () => {
    expect(syncRunText(ran({ interrupted: true }))).toBe(INTERRUPTED_TEXT);
  });

  test("a run skipped because another window of the pane holds the device's lock says so", () => {
    expect(syncRunText(ran({ ran: false, skipped: 'OtherWindow' }))).toBe(SKIPPED_OTHER_WINDOW_TEXT);
  });
});
