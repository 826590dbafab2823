#!/usr/bin/env node
/**
 * `npm start`: the CRM emulator (http://localhost:5555, .data/crm.sqlite, demo seed), the Graph emulator
 * (http://localhost:5556, .data/mailbox.sqlite, seeded `workbench`: no mail, since the workbench's mirror
 * pushes the workbench's mailbox into it, so Office.js and Graph show one mailbox; and the demo contacts,
 * meeting and task that synchronization keeps in step with the CRM) and the webpack dev server
 * (https://localhost:3000, built with TIC_GRAPH_URL naming that Graph emulator) together; prints the
 * workbench and pane URLs.
 *
 * The three live and die together: Ctrl+C (SIGINT/SIGTERM) stops all; when one exits by itself (a
 * crash, killed, a port in use), the others are stopped too and `npm start` exits with one line saying
 * which stopped and why — status 1 when it failed or was killed, 0 when it exited cleanly.
 *
 * Ports and databases for a second copy (and the tests): TIC_CRM_PORT, TIC_GRAPH_PORT, TIC_WEB_PORT,
 * TIC_CRM_DB, TIC_GRAPH_DB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function portFrom(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`[start] ${name}=${raw} is not a port (1-65535).`);
    process.exit(2);
  }
  return port;
}

const CRM_PORT = portFrom('TIC_CRM_PORT', 5555);
const GRAPH_PORT = portFrom('TIC_GRAPH_PORT', 5556);
const WEB_PORT = portFrom('TIC_WEB_PORT', 3000);
const CRM_DB = process.env.TIC_CRM_DB || '.data/crm.sqlite';
// Not .data/graph.sqlite, where `graph-emulator` alone keeps its demo mailbox of me@contoso.com: this
// one holds what the workbench mirrors, and the Outlook contacts, calendar and tasks.
const GRAPH_DB = process.env.TIC_GRAPH_DB || '.data/mailbox.sqlite';
const DEV_URL = `https://localhost:${WEB_PORT}`;
const CRM_URL = `http://localhost:${CRM_PORT}`;
const GRAPH_URL = `http://localhost:${GRAPH_PORT}`;
// The workbench page mirrors its mailbox into this Graph emulator and hands it to the pane.
process.env.TIC_GRAPH_URL ||= `${GRAPH_URL}/v1.0`;
const NAMES = { crm: 'the CRM emulator', graph: 'the Graph emulator', web: 'the dev server' };

if (!existsSync(path.join(root, 'dist', 'cli', 'track-in-crm.cjs'))) {
  console.log('Building the CLI (dist/cli) first…');
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const children = new Map();
let stopping = false;
let exitCode = 0;
/** The line printed last, saying why `npm start` ends. */
let reason = '';

const say = (line) => console.error(`[start] ${line}`);
const how = (code, signal) => (signal ? `killed by ${signal}` : `exit status ${code}`);
const others = (name) => [...children.keys()].filter((n) => n !== name).map((n) => NAMES[n]);

function finish() {
  say(reason);
  process.exit(exitCode);
}

function run(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (line) => `[${name}] ${line}`;
  const pipe = (stream, out) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        out.write(`${prefix(line)}\n`);
        if (name === 'web' && /compiled successfully/.test(line)) announce();
      }
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('error', (error) => {
    // Could not be started at all: treated as a crash of that part.
    say(`${NAMES[name]} could not start: ${error.message}`);
  });
  child.on('exit', (code, signal) => {
    children.delete(name);
    // Ctrl+C in a terminal reaches the whole process group: a child may die of it before our handler runs.
    if (!stopping && signal === 'SIGINT') {
      stop(true);
    } else if (!stopping) {
      const failed = signal !== null || code !== 0;
      exitCode = failed ? 1 : 0;
      const rest = others(name);
      say(
        `${NAMES[name]} stopped by itself (${how(code, signal)}); stopping ${rest.join(' and ') || 'nothing else'}.`,
      );
      reason = `npm start stopped: ${NAMES[name]} ${failed ? 'failed' : 'exited'} (${how(code, signal)})${
        rest.length ? `, so ${rest.join(' and ')} ${rest.length > 1 ? 'were' : 'was'} stopped too` : ''
      }. Exit status ${exitCode}.`;
      stop(false);
    } else if (children.size === 0) {
      finish();
    }
  });
  children.set(name, child);
  return child;
}

let announced = false;
function announce() {
  if (announced) return;
  announced = true;
  const crmQuery = CRM_PORT === 5555 ? '' : `?crm=${encodeURIComponent(CRM_URL)}`;
  console.log(
    [
      '',
      'Track in CRM is running:',
      `  Workbench (Outlook simulator + the add-in): ${DEV_URL}/workbench.html${crmQuery}`,
      `  Task pane alone (inside Outlook):            ${DEV_URL}/taskpane.html`,
      `  CRM emulator (Dataverse Web API):            ${CRM_URL}/api/data/v9.2/`,
      `  Graph emulator (Microsoft Graph v1.0 mail):  ${GRAPH_URL}/v1.0/me/mailFolders`,
      '  The workbench mirrors its mailbox into the Graph emulator (its header says when it is connected).',
      'The certificate is self-signed: accept it in the browser once (README.md, "The development certificate").',
      'Ctrl+C stops all three.',
      '',
    ].join('\n'),
  );
}

/** Stops every child still running; `byUser` for Ctrl+C / SIGTERM (exit status 0). */
function stop(byUser) {
  if (stopping) return;
  stopping = true;
  if (byUser)
    reason =
      'npm start stopped on request: the CRM emulator, the Graph emulator and the dev server stopped. Exit status 0.';
  if (children.size === 0) return finish();
  for (const child of children.values()) child.kill('SIGTERM');
  // Never hang on a child that ignores SIGTERM.
  setTimeout(() => {
    for (const [name, child] of children) {
      say(`${NAMES[name]} ignored SIGTERM for 5 s: killing it.`);
      child.kill('SIGKILL');
    }
    exitCode ||= 1;
  }, 5000).unref();
}

process.on('SIGINT', () => stop(true));
process.on('SIGTERM', () => stop(true));

const crm = run('crm', [
  path.join(root, 'bin', 'track-in-crm.cjs'),
  'emulator',
  '--port',
  String(CRM_PORT),
  '--db',
  CRM_DB,
  '--seed',
  'demo',
  '--quiet',
]);
const graph = run('graph', [
  path.join(root, 'bin', 'track-in-crm.cjs'),
  'graph-emulator',
  '--port',
  String(GRAPH_PORT),
  '--db',
  GRAPH_DB,
  '--seed',
  'workbench',
  '--quiet',
]);
const web = run('web', [
  path.join(root, 'node_modules', 'webpack', 'bin', 'webpack.js'),
  'serve',
  '--mode',
  'development',
  '--stats',
  'minimal',
  '--port',
  String(WEB_PORT),
]);
// Which process is which (for `kill`, and for the tests of this script).
say(`started: crm pid ${crm.pid}, graph pid ${graph.pid}, web pid ${web.pid}`);
