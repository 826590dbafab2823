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

/**
 * The pane's CRM traffic, seen from its side: every request goes through `fetch` here, which reads the
 * whole answer before handing it on. `idle()` is the condition tests wait for instead of sleeping:
 * nothing in flight and every answer already handled by the code that asked.
 */
export class Traffic {
  private inFlight = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    this.inFlight += 1;
    try {
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      const empty = response.status === 204 || response.status === 304;
      return new Response(empty ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      this.inFlight -= 1;
    }
  };

  /** Resolves once no request is in flight and the answers' handlers have run (fails after the deadline). */
  async idle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.inFlight === 0) {
        // the last answer's handler runs in the promise jobs after fetch resolved; let them finish
        await new Promise((resolve) => setImmediate(resolve));
        if (this.inFlight === 0) return;
      }
      if (Date.now() > deadline) throw new Error(`Timed out: ${this.inFlight} CRM requests still in flight`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Waits (polling, with a deadline) until `ok()` holds. */
export async function waitFor(ok: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Rig {
  emu: Emulator;
  traffic: Traffic;
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
  const traffic = new Traffic();
  return {
    emu,
    traffic,
    sim,
    ids,
    office,
    roaming,
    log,
    controllers,
    make(options = {}) {
      const controller = new PaneController({
        office,
        openHost: (host) =>
          openOutlookSession(host, {
            signIn: null,
            parseHeaders: parseHeaderBlock,
            fetch: traffic.fetch,
            // The use cases log where the pane does (boot.ts wires them so too), not to the console.
            log: { log },
          }),
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

/**
 * A fresh rig for each test: a new emulator (demo organization), simulator and roaming settings, so
 * no test sees what another changed (tracked items, created contacts, options, pending entries) and
 * the tests pass in any order. Returns the rig's holder (set before each test).
 */
export function useRig(): { current: Rig } {
  const holder = {} as { current: Rig };
  beforeEach(async () => {
    holder.current = await startRig();
  });
  afterEach(async () => {
    await holder.current?.close();
  });
  return holder;
}

/** Waits until the controller's state satisfies `ok` (polling; fails with the last state). */
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

/** Every item view the controller publishes, in order. */
export function recordItems(controller: PaneController): PaneState['item'][] {
  const seen: PaneState['item'][] = [];
  controller.subscribe(() => {
    const item = controller.getState().item;
    if (seen.at(-1) !== item) seen.push(item);
  });
  return seen;
}
