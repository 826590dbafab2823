/**
 * `npm start` (scripts/start.mjs): the two emulators and the dev server live and die together. Started on
 * free ports with a temporary database; every wait is a condition with a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

jest.setTimeout(90_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Alive = signal 0 reaches it and it is not a zombie. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

async function until<T>(
  what: string,
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `promise`, or a rejection after `ms` (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

interface Started {
  readonly parent: ChildProcess;
  readonly crmPid: number;
  readonly graphPid: number;
  readonly webPid: number;
  readonly crmPort: number;
  readonly graphPort: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

async function startAll(): Promise<Started> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tic-start-'));
  const [crmPort, graphPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const parent = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TIC_CRM_PORT: String(crmPort),
      TIC_GRAPH_PORT: String(graphPort),
      TIC_WEB_PORT: String(webPort),
      TIC_CRM_DB: path.join(dir, 'crm.sqlite'),
      TIC_GRAPH_DB: path.join(dir, 'graph.sqlite'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  parent.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  parent.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    parent.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const pids = await until(
    'the started line',
    () => /started: crm pid (\d+), graph pid (\d+), web pid (\d+)/.exec(out),
    20_000,
  );
  const crmPid = Number(pids[1]);
  const graphPid = Number(pids[2]);
  const webPid = Number(pids[3]);
  cleanup.push(() => {
    for (const pid of [parent.pid, crmPid, graphPid, webPid])
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return { parent, crmPid, graphPid, webPid, crmPort, graphPort, output: () => out, exited };
}

test('killing the emulator stops the Graph emulator and the dev server, and npm start exits 1 saying why', async () => {
  const s = await startAll();
  // Both emulators answer before one is killed (they really ran).
  await until(
    'the emulator to answer',
    async () => (await fetch(`http://127.0.0.1:${s.crmPort}/api/data/v9.2/`).catch(() => null))?.ok,
    30_000,
  );
  await until(
    'the Graph emulator to answer',
    async () =>
      (
        await fetch(`http://127.0.0.1:${s.graphPort}/v1.0/me/mailFolders/inbox`, {
          headers: { Authorization: 'Bearer local' },
        }).catch(() => null)
      )?.ok,
    30_000,
  );
  expect(alive(s.webPid)).toBe(true);
  process.kill(s.crmPid, 'SIGKILL');
  const { code } = await within(s.exited, 20_000, 'npm start to exit');
  expect(code).toBe(1);
  expect(alive(s.webPid)).toBe(false);
  expect(alive(s.graphPid)).toBe(false);
  expect(alive(s.crmPid)).toBe(false);
  expect(s.output()).toContain(
    '[start] npm start stopped: the CRM emulator failed (killed by SIGKILL), so the Graph emulator and the dev server were stopped too. Exit status 1.',
  );
});

test('Ctrl+C (SIGINT) stops all three and exits 0', async () => {
  const s = await startAll();
  s.parent.kill('SIGINT');
  const { code } = await within(s.exited, 20_000, 'npm start to exit');
  expect(code).toBe(0);
  expect(alive(s.webPid)).toBe(false);
  expect(alive(s.graphPid)).toBe(false);
  expect(alive(s.crmPid)).toBe(false);
  expect(s.output()).toMatch(
    /\[start\] npm start stopped on request: the CRM emulator, the Graph emulator and the dev server stopped\. Exit status 0\./,
  );
});

test('a child that dies of Ctrl+C first (the terminal signals the whole group) counts as Ctrl+C', async () => {
  const s = await startAll();
  process.kill(s.webPid, 'SIGINT');
  const { code } = await within(s.exited, 20_000, 'npm start to exit');
  expect(code).toBe(0);
  expect(alive(s.crmPid)).toBe(false);
  expect(s.output()).toContain('[start] npm start stopped on request');
});
