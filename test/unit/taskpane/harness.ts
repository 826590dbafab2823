/**
 * The pane controller against the Outlook simulator (demo mailbox) and a started CRM emulator (demo
 * organization), as test/integration/outlook-flows.test.ts sets them up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { DEMO } from '../../../emulator/seed';
import { openOutlookSession } from '../../../src/host/outlookSession';
import { parseHeaderBlock } from '../../../src/mail/headers';
import { RoamingStore } from '../../../src/mailbox/roamingStore';
import { PaneController, type PaneControllerOptions } from '../../../src/taskpane/controller/paneController';
import type { PaneState } from '../../../src/taskpane/controller/types';
import {
  createOfficeSimulator,
  loadDemoMailbox,
  type DemoItemKey,
  type OfficeSimulator,
} from '../../../simulator';

export interface Rig {
  emu: Emulator;
  sim: OfficeSimulator;
  ids: Record<DemoItemKey, string>;
  office: typeof Office;
  roaming: RoamingStore;
  log: jest.Mock;
  controllers: PaneController[];
  make(options?: Partial<PaneControllerOptions>): PaneController;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tic-pane-'));
  const emu = await startEmulator({ port: 0, dbFile: path.join(dir, 'crm.sqlite'), seed: 'demo' });
  const sim = createOfficeSimulator({
    user: { emailAddress: DEMO.meEmail, displayName: 'Dana Park' },
    addinOrigin: 'https://localhost:3000',
  });
  const uninstall = sim.install(globalThis);
  const ids = loadDemoMailbox(sim.mailbox);
  const office = sim.Office as unknown as typeof Office;
  const roaming = new RoamingStore(office.context.roamingSettings);
  await roaming.update((s) => ({ ...s, crmUrl: emu.url.replace(/\/api\/data\/v9\.2\/?$/, '') }));
  const log = jest.fn();
  const controllers: PaneController[] = [];
  return {
    emu,
    sim,
    ids,
    office,
    roaming,
    log,
    controllers,
    make(options = {}) {
      const controller = new PaneController({
        office,
        openHost: (host) => openOutlookSession(host, { signIn: null, parseHeaders: parseHeaderBlock }),
        drainEveryMs: 3_600_000,
        searchDelayMs: 50,
        log,
        ...options,
      });
      controllers.push(controller);
      return controller;
    },
    async close() {
      for (const controller of controllers) controller.dispose();
      uninstall();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the controller's state satisfies `ok` (polling; fails with the last state). */
/**
 * One rig for the file: started before its tests, closed after them, with faults cleared and
 * controllers disposed after each test. Returns the rig's holder (set once started).
 */
export function useRig(): { current: Rig } {
  const holder = {} as { current: Rig };
  beforeAll(async () => {
    holder.current = await startRig();
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  afterEach(() => {
    holder.current.emu.faults.clear();
    for (const controller of holder.current.controllers.splice(0)) controller.dispose();
  });
  return holder;
}

export async function until(
  controller: PaneController,
  ok: (state: PaneState) => boolean,
  timeoutMs = 15_000,
): Promise<PaneState> {
  const start = Date.now();
  for (;;) {
    const state = controller.getState();
    if (ok(state)) return state;
    if (Date.now() - start > timeoutMs)
      throw new Error(`Timed out; last state: ${JSON.stringify(state.item).slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The item view once it shows `itemId` settled (not loading, not refreshing). */
export const settledOn =
  (itemId: string) =>
  (state: PaneState): boolean =>
    (state.item.kind === 'read' && state.item.itemId === itemId && !state.item.refreshing) ||
    ((state.item.kind === 'compose' || state.item.kind === 'unavailable') && state.item.itemId === itemId);

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every item view the controller publishes, in order. */
export function recordItems(controller: PaneController): PaneState['item'][] {
  const seen: PaneState['item'][] = [];
  controller.subscribe(() => {
    const item = controller.getState().item;
    if (seen.at(-1) !== item) seen.push(item);
  });
  return seen;
}
