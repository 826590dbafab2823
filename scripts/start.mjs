#!/usr/bin/env node
/**
 * `npm start`: the CRM emulator (http://localhost:5555, .data/crm.sqlite, demo seed) and the webpack dev
 * server (https://localhost:3000) together; prints the workbench and pane URLs; Ctrl+C stops both.
 * When either stops by itself, the other is stopped too and the exit status is non-zero.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const CRM_PORT = 5555;
const DEV_URL = 'https://localhost:3000';

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
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(prefix(`stopped by itself (${signal ?? `exit ${code}`}); stopping the rest.`));
      exitCode = 1;
      stop();
    } else if (children.size === 0) {
      process.exit(exitCode);
    }
  });
  children.set(name, child);
  return child;
}

let announced = false;
function announce() {
  if (announced) return;
  announced = true;
  console.log(
    [
      '',
      'Track in CRM is running:',
      `  Workbench (Outlook simulator + the add-in): ${DEV_URL}/workbench.html`,
      `  Task pane alone (inside Outlook):            ${DEV_URL}/taskpane.html`,
      `  CRM emulator (Dataverse Web API):            http://localhost:${CRM_PORT}/api/data/v9.2/`,
      'The certificate is self-signed: accept it in the browser once (README.md, "The development certificate").',
      'Ctrl+C stops both.',
      '',
    ].join('\n'),
  );
}

function stop() {
  if (stopping && children.size === 0) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(exitCode);
  // Never hang on a child that ignores SIGTERM.
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(exitCode || 1);
  }, 5000).unref();
}

process.on('SIGINT', stop);
process.on('SIGTERM', stop);

run('crm', [
  path.join(root, 'bin', 'track-in-crm.cjs'),
  'emulator',
  '--port',
  String(CRM_PORT),
  '--db',
  '.data/crm.sqlite',
  '--seed',
  'demo',
  '--quiet',
]);
run('web', [
  path.join(root, 'node_modules', 'webpack', 'bin', 'webpack.js'),
  'serve',
  '--mode',
  'development',
  '--stats',
  'minimal',
]);
