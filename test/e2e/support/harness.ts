/**
 * The end-to-end harness: the add-in and the workbench built once (webpack production, `--env workbench`)
 * into a temporary folder, served over https on a free port, a CRM emulator on a free port with a
 * temporary database, and one headless Chromium (scripts/chromium.cjs). Used by test/e2e and by
 * bench/pane.bench.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { startGraphEmulator, type GraphEmulator } from '../../../emulator/graph/server';
import { launchChromium } from '../../../scripts/chromium.cjs';
import { startDistServer } from '../../../scripts/serve-dist.cjs';
import { writeAppPackage } from '../../../scripts/unified-manifest.cjs';
import { sharedWorkbench } from './sharedBuild';
import { startStaticServer, type StaticServer } from './staticServer';

/** The repository (from this file, or the working folder when bundled elsewhere, as by `npm run bench`). */
export const ROOT = existsSync(path.resolve(__dirname, '..', '..', '..', 'webpack.config.js'))
  ? path.resolve(__dirname, '..', '..', '..')
  : process.cwd();
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'e2e');

/** Statuses of the pane's item card that end an item open (everything but `loading`). */
export const FINAL_STATUSES = [
  'tracked',
  'not-tracked',
  'needs-regarding',
  'pending',
  'undeliverable',
  'failed',
  'empty',
  'compose-marked',
  'compose-not-marked',
] as const;

export interface Harness {
  readonly dir: string;
  readonly out: string;
  readonly server: StaticServer;
  readonly emu: Emulator;
  /** The mailbox as Graph shows it (seeded empty: the workbench's mirror pushes its mailbox there). */
  readonly graph: GraphEmulator;
  readonly browser: Browser;
  /** The CRM's organization URL as the add-in is given it (http://localhost:PORT). */
  readonly crmUrl: string;
  close(): Promise<void>;
}

/**
 * webpack --mode production --env workbench into `out`; rejects with webpack's output on failure.
 * `baseUrl` is ADDIN_BASE_URL (empty: the manifest keeps its development URLs).
 */
export function buildWorkbench(out: string, baseUrl = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'webpack', 'bin', 'webpack.js'),
        '--mode',
        'production',
        '--env',
        'workbench',
        '--output-path',
        out,
        '--stats',
        'errors-warnings',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ADDIN_BASE_URL: baseUrl } },
    );
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`webpack failed (exit ${code}):\n${log}`)),
    );
  });
}

/**
 * TIC_E2E_DIST=1: the build is served by scripts/serve-dist.cjs (`npm run serve:dist`, with a static host's
 * headers and CSP) instead of the plain test server, built for that server's origin (ADDIN_BASE_URL) and
 * with the app package written beside it, as `npm run build` does. The emulators are http: the CSP lets
 * the pages connect to localhost over http in this mode only.
 */
const distMode = (): boolean => process.env.TIC_E2E_DIST === '1';

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tic-e2e-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The production-build mode builds for its own origin; every other suite shares one build per run.
  const dist = distMode() ? { out: path.join(dir, 'web') } : null;
  const shared = dist ? null : sharedWorkbench((target) => buildWorkbench(target));
  const out = dist ? dist.out : ((await shared) ?? path.join(dir, 'web'));
  const distServer = dist
    ? await startDistServer({ root: out, port: 0, connectSrc: ['http://localhost:*', 'http://127.0.0.1:*'] })
    : null;
  const [, emu, graph, browser] = await Promise.all([
    distServer || !existsSync(path.join(out, 'taskpane.html'))
      ? buildWorkbench(out, distServer ? `${distServer.origin}/` : '')
      : Promise.resolve(),
    startEmulator({ port: 0, dbFile: path.join(dir, 'crm.sqlite'), seed: 'demo' }),
    startGraphEmulator({ port: 0, dbFile: path.join(dir, 'mailbox.sqlite'), seed: 'empty' }),
    launchChromium(),
  ]);
  if (distServer) await writeAppPackage(readFileSync(path.join(out, 'manifest.xml'), 'utf8'), out);
  const server = distServer ?? (await startStaticServer(out, ROOT));
  return {
    dir,
    out,
    server,
    emu,
    graph,
    browser,
    crmUrl: `http://localhost:${emu.port}`,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await emu.close().catch(() => undefined);
      await graph.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OpenOptions {
  /** Start with the pane open (default true, as a pinned pane). */
  readonly pane?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** The pane's test options (window.__TIC_PANE_OPTIONS__), e.g. a short drain interval. */
  readonly paneOptions?: { drainEveryMs?: number; firstCycleMs?: number };
  /**
   * Whether the workbench mirrors its mailbox into the harness's Graph emulator, so the pane's
   * background check runs (default false: the other flows are tested on a mailbox only they change,
   * and never reach a Graph emulator another program runs on this machine).
   */
  readonly graph?: boolean;
  /** Outlook's display language (the workbench's ?lang=, e.g. "de-DE"); default its English. */
  readonly lang?: string;
  /** A phone: touch events and a mobile browser (Outlook mobile's pane is a mobile web view). */
  readonly touch?: boolean;
}

export interface Workbench {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Demo item ids (simulator/demoMailbox.ts keys). */
  readonly ids: Record<string, string>;
  /** Errors the page and its frames threw (uncaught). */
  readonly errors: string[];
}

/** A fresh browser context (empty localStorage) with the workbench loaded and its commands ready. */
export async function openWorkbench(h: Harness, options: OpenOptions = {}): Promise<Workbench> {
  const context = await h.browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    ...(options.touch ? { hasTouch: true, isMobile: true } : {}),
  });
  if (options.pane === false) {
    await context.addInitScript(() => window.localStorage.setItem('workbench:paneOpen', 'false'));
  }
  if (options.paneOptions) {
    await context.addInitScript((o) => {
      (window as unknown as { __TIC_PANE_OPTIONS__?: unknown }).__TIC_PANE_OPTIONS__ = o;
    }, options.paneOptions);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const graph = options.graph ? h.graph.url : 'none';
  await page.goto(
    `${h.server.origin}/workbench.html?crm=${encodeURIComponent(h.crmUrl)}&graph=${encodeURIComponent(graph)}` +
      (options.lang ? `&lang=${encodeURIComponent(options.lang)}` : ''),
  );
  await page.waitForSelector('body[data-workbench="ready"]', { state: 'attached', timeout: 20_000 });
  const ids = (await page.evaluate(() => window.__TIC_DEMO_IDS__)) as Record<string, string>;
  return { context, page, ids, errors };
}

/** Click a message in the list (switching folder when needed) and wait until it is shown. */
export async function openItem(page: Page, itemId: string): Promise<void> {
  const folder = await page.evaluate((id) => window.__TIC_SIM__?.mailbox.folderOf(id) ?? null, itemId);
  if (folder) await page.click(`nav.folders button[data-folder="${folder}"]`);
  await page.click(`section.list button.message[data-item-id="${itemId}"]`);
  await page.waitForSelector(`article.email[data-item-id="${itemId}"]`, { timeout: 10_000 });
}

/** The pane's frame, once its first state is rendered (body[data-pane-state="ready"]). */
export async function paneFrame(page: Page, timeout = 20_000): Promise<Frame> {
  const handle = await page.waitForSelector('iframe[data-testid="pane-frame"]', {
    state: 'attached',
    timeout,
  });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('The pane iframe has no frame.');
  await frame.waitForSelector('body[data-pane-state="ready"]', { state: 'attached', timeout });
  return frame;
}

/** Ids the pane may show for an item: the EWS id, or its REST form (convertToRestId). */
export const itemIdForms = (itemId: string): string[] => [
  itemId,
  itemId.replace(/\//g, '-').replace(/\+/g, '_'),
];

/**
 * Waits until the pane's item card shows `itemId` with one of `statuses`; returns the status. `itemId`
 * null accepts any card (a draft being composed has no item id in Office.js until it is saved).
 */
export async function paneStatus(
  frame: Frame,
  itemId: string | null,
  statuses: readonly string[] = FINAL_STATUSES,
  timeout = 20_000,
): Promise<string> {
  const handle = await frame.waitForFunction(
    ([forms, wanted]) => {
      const card = document.querySelector('[data-testid="item-status"]');
      if (!card) return null;
      const id = card.getAttribute('data-item-id') ?? '';
      const status = card.getAttribute('data-status') ?? '';
      return (forms.length === 0 || forms.includes(id)) && wanted.includes(status) ? status : null;
    },
    [itemId === null ? [] : itemIdForms(itemId), [...statuses]] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as string;
}

/** Waits for a notification on the workbench's current item whose text matches. */
export async function waitForNotification(page: Page, pattern: RegExp, timeout = 20_000): Promise<string> {
  const handle = await page.waitForFunction(
    ([source, flags]) => {
      const re = new RegExp(source, flags);
      const texts = [...document.querySelectorAll('[data-testid="notification"] span')].map(
        (el) => el.textContent ?? '',
      );
      return texts.find((t) => re.test(t)) ?? null;
    },
    [pattern.source, pattern.flags] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as string;
}

/** Polls `read` until it returns a value that is not null/undefined (bounded). */
export async function eventually<T>(read: () => T | null | undefined, timeout = 15_000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Condition not met within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
