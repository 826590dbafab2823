/**
 * `createOfficeSimulator(options)`: an `Office` object for Outlook (install it as `globalThis.Office`)
 * plus the control API the workbench and tests drive it with.
 *
 * Boundary casts: the `Office` namespace object is assembled from plain objects and cast once to
 * `typeof Office` here (@types/office-js declares it as a namespace with ambient enums, which a plain
 * object cannot satisfy structurally); `Office.context.mailbox` and items are cast in mailbox.ts and
 * items.ts. Every member the add-in uses exists with the real name, value and behaviour.
 */
import { Dispatcher } from './async';
import { SimDialogs } from './dialog';
import {
  AsyncResultStatus,
  CoercionType,
  EventType,
  HostType,
  MailboxEnums,
  PlatformType,
  type PlatformName,
} from './enums';
import { SimulatorError } from './errors';
import { Permission, type PermissionName } from './itemFeatures';
import {
  ActionRegistry,
  DEFAULT_LAUNCH_EVENT_FUNCTIONS,
  fireLaunchEvent,
  runFunctionCommand,
  type CommandOutcome,
  type LaunchEventOutcome,
  type LaunchEventSettings,
  type LaunchEventType,
  type SendMode,
} from './launchEvents';
import { SimMailbox, type SimUser } from './mailbox';
import type { SimItemSnapshot } from './model';
import { seededRandom, type Clock } from './random';
import { memoryStorage, SimRoamingSettings, type StorageAdapter } from './roamingSettings';

export interface OfficeSimulatorOptions {
  /** The signed-in user. Default: the demo user Dana Park <dana@contoso.com>. */
  readonly user?: SimUser;
  /** Highest Mailbox requirement set the simulated client supports (default "1.14"). */
  readonly maxMailboxVersion?: string;
  /** Other requirement sets and their versions (default DialogApi 1.2, DialogOrigin 1.1). */
  readonly requirementSets?: Readonly<Record<string, string>>;
  readonly platform?: PlatformName;
  readonly theme?: 'light' | 'dark';
  /** Office's UI language, Office.context.displayLanguage (default "en-US"); also the content language. */
  readonly displayLanguage?: string;
  /** The manifest's permission (default ReadWriteMailbox, as manifest.xml asks). */
  readonly permission?: PermissionName;
  /** Delay of every host round trip in ms (default 0: the next macrotask). */
  readonly latencyMs?: number;
  /** Seed of ids, GUIDs and Thread-Index random bits (default 1). */
  readonly seed?: number;
  /** The clock (default real time). */
  readonly now?: Clock;
  /** Where saved roaming settings live (default in memory; the workbench can pass webStorage(localStorage)). */
  readonly storage?: StorageAdapter;
  /** The add-in's origin: dialogs must be on it (default https://localhost:3000). */
  readonly addinOrigin?: string;
  readonly addinName?: string;
  /** LaunchEvent Type → FunctionName (default as manifest.xml). */
  readonly launchEventFunctions?: Partial<Record<LaunchEventType, string>>;
  /** The manifest's SendMode for OnMessageSend (default SoftBlock, as manifest.xml). */
  readonly sendMode?: SendMode;
  /** How long Outlook waits for event.completed (default 300,000 ms). */
  readonly launchEventTimeoutMs?: number;
  /** An item with no categories: `null` (default; some Outlook versions) or `[]`. */
  readonly emptyCategories?: 'null' | 'empty';
  /** getAllInternetHeadersAsync on a sent item: '' (default, as Outlook) or the full block. */
  readonly sentItemHeaders?: 'empty' | 'full';
  readonly masterCategories?: readonly Office.CategoryDetails[];
}

export interface SendAttempt {
  readonly event: LaunchEventOutcome;
  /** The sent item, or null when the send did not go ahead. */
  readonly sent: SimItemSnapshot | null;
}

export interface OfficeSimulator {
  /** The object to install as `globalThis.Office`. */
  readonly Office: typeof Office;
  readonly mailbox: SimMailbox;
  readonly roamingSettings: SimRoamingSettings;
  readonly dialogs: SimDialogs;
  readonly actions: ActionRegistry;
  /** Install as `globalThis.Office` (or on `target`); returns a function that restores the previous value. */
  install(target?: object): () => void;
  /** Call the function associated with a launch event for a compose item (selected first if it is not). */
  fireLaunchEvent(type: LaunchEventType, itemId: string): Promise<LaunchEventOutcome>;
  /**
   * The user clicks Send: OnMessageSend runs, then the message is sent when allowed. When Outlook
   * offers "Send Anyway", `userSendsAnyway` (default false) decides.
   */
  trySend(itemId: string, options?: { userSendsAnyway?: boolean }): Promise<SendAttempt>;
  /** The user clicks a ribbon button bound to an ExecuteFunction command. */
  runFunctionCommand(
    name: string,
    options?: { controlId?: string; timeoutMs?: number },
  ): Promise<CommandOutcome>;
  /** Resolves when every scheduled callback and event has run. */
  idle(): Promise<void>;
  /** Callbacks of the add-in that threw (they also surface as uncaught errors). */
  readonly callbackErrors: readonly unknown[];
}

export const DEMO_USER: SimUser = {
  emailAddress: 'dana@contoso.com',
  displayName: 'Dana Park',
  timeZone: 'Pacific Standard Time',
};

/** Compare dotted versions numerically ("1.10" > "1.9"). */
export function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map((n) => parseInt(n, 10) || 0);
  const b = want.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

const THEMES = {
  light: {
    bodyBackgroundColor: '#FFFFFF',
    bodyForegroundColor: '#000000',
    controlBackgroundColor: '#F3F2F1',
    controlForegroundColor: '#323130',
    isDarkTheme: false,
  },
  dark: {
    bodyBackgroundColor: '#292929',
    bodyForegroundColor: '#FFFFFF',
    controlBackgroundColor: '#3B3A39',
    controlForegroundColor: '#FFFFFF',
    isDarkTheme: true,
  },
} as const;

export function createOfficeSimulator(options: OfficeSimulatorOptions = {}): OfficeSimulator {
  const dispatcher = new Dispatcher(options.latencyMs ?? 0);
  const maxMailbox = options.maxMailboxVersion ?? '1.14';
  const platform: PlatformName = options.platform ?? PlatformType.OfficeOnline;
  const sets: Record<string, string> = {
    DialogApi: '1.2',
    DialogOrigin: '1.1',
    ...(options.requirementSets ?? {}),
    Mailbox: maxMailbox,
  };
  const supports = (version: string) => versionAtLeast(maxMailbox, version);
  const permissionName = options.permission ?? 'ReadWriteMailbox';
  const addinName = options.addinName ?? 'Track in CRM';

  const mailbox = new SimMailbox({
    user: options.user ?? DEMO_USER,
    dispatcher,
    clock: options.now ?? (() => new Date()),
    random: seededRandom(options.seed ?? 1),
    permission: Permission[permissionName],
    supports,
    emptyCategoriesAsNull: (options.emptyCategories ?? 'null') === 'null',
    sentItemHeaders: options.sentItemHeaders ?? 'empty',
    masterCategories: options.masterCategories,
    hostName: platform === PlatformType.OfficeOnline ? 'OutlookWebApp' : 'Outlook',
    hostVersion: '16.0.19000.10000',
    owaView: platform === PlatformType.OfficeOnline ? 'ThreeColumns' : undefined,
  });
  const roamingSettings = new SimRoamingSettings(options.storage ?? memoryStorage(), dispatcher);
  const dialogs = new SimDialogs(dispatcher, options.addinOrigin ?? 'https://localhost:3000');
  const actions = new ActionRegistry();
  const launchSettings: LaunchEventSettings = {
    functions: { ...DEFAULT_LAUNCH_EVENT_FUNCTIONS, ...(options.launchEventFunctions ?? {}) },
    sendMode: options.sendMode ?? 'SoftBlock',
    timeoutMs: options.launchEventTimeoutMs ?? 300_000,
    slowMs: 5000,
    addinName,
  };

  const readyInfo = { host: HostType.Outlook, platform };
  const office = {
    AsyncResultStatus,
    EventType,
    CoercionType,
    HostType,
    PlatformType,
    MailboxEnums,
    onReady(callback?: (info: typeof readyInfo) => unknown) {
      return new Promise<typeof readyInfo>((resolve) => {
        dispatcher.later(() => {
          callback?.(readyInfo);
          resolve(readyInfo);
        });
      });
    },
    actions: {
      associate: (name: string, fn: unknown) => actions.associate(name, fn),
    },
    context: {
      host: HostType.Outlook,
      platform,
      displayLanguage: options.displayLanguage ?? 'en-US',
      contentLanguage: options.displayLanguage ?? 'en-US',
      diagnostics: { host: HostType.Outlook, platform, version: '16.0.19000.10000' },
      officeTheme: { ...THEMES[options.theme ?? 'light'] },
      mailbox: mailbox.office,
      roamingSettings: {
        get: (name: string) => roamingSettings.get(name),
        set: (name: string, value: unknown) => roamingSettings.set(name, value),
        remove: (name: string) => roamingSettings.remove(name),
        saveAsync: (...args: unknown[]) => roamingSettings.saveAsync(...args),
      },
      requirements: {
        isSetSupported(name: string, minVersion?: string | number): boolean {
          const have = Object.entries(sets).find(
            ([set]) => set.toLowerCase() === String(name).toLowerCase(),
          )?.[1];
          if (have === undefined) return false;
          if (minVersion === undefined || minVersion === null || minVersion === '') return true;
          return versionAtLeast(have, String(minVersion));
        },
      },
      ui: {
        displayDialogAsync: (startAddress: unknown, ...args: unknown[]) =>
          dialogs.displayDialogAsync(startAddress, ...args),
      },
    },
  };

  const OfficeObject = office as unknown as typeof Office;

  async function fire(type: LaunchEventType, itemId: string): Promise<LaunchEventOutcome> {
    const item = mailbox.getItem(itemId);
    if (item.mode !== 'compose')
      throw new SimulatorError(`${type} fires for compose items; ${itemId} is a read item.`);
    if (type === 'OnMessageSend' && !supports('1.12'))
      throw new SimulatorError('OnMessageSend needs Mailbox 1.12.');
    if (type === 'OnNewMessageCompose' && !supports('1.10'))
      throw new SimulatorError('OnNewMessageCompose needs Mailbox 1.10.');
    if (mailbox.selectedItemId !== itemId) await mailbox.select(itemId);
    return fireLaunchEvent(actions, launchSettings, type);
  }

  return {
    Office: OfficeObject,
    mailbox,
    roamingSettings,
    dialogs,
    actions,
    install(target: object = globalThis) {
      const holder = target as { Office?: unknown };
      const had = Object.prototype.hasOwnProperty.call(holder, 'Office');
      const previous = holder.Office;
      holder.Office = OfficeObject;
      return () => {
        if (had) holder.Office = previous;
        else delete holder.Office;
      };
    },
    fireLaunchEvent: fire,
    async trySend(itemId, sendOptions = {}) {
      const event = await fire('OnMessageSend', itemId);
      const goes = event.allowEvent || (event.userCanSendAnyway && (sendOptions.userSendsAnyway ?? false));
      const sent = goes ? await mailbox.send(itemId) : null;
      return { event, sent };
    },
    runFunctionCommand(name, commandOptions = {}) {
      return runFunctionCommand(
        actions,
        name,
        commandOptions.controlId ?? 'TrackInCrm.Button',
        commandOptions.timeoutMs ?? launchSettings.timeoutMs,
      );
    },
    idle: () => dispatcher.idle(),
    callbackErrors: dispatcher.callbackErrors,
  };
}
