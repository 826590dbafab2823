#!/usr/bin/env node
/**
 * After `webpack --mode production`: print the gzipped size of each bundle against its budget
 * (ARCHITECTURE.md, "Budgets"), and check that events.js is one self-contained file with no DOM use
 * (scanned, then run in a bare V8 context holding only `Office` and `console`).
 * Exit code 1 when a budget is exceeded or the events check fails.
 *
 * Budgets (KB gz) are in scripts/bundle-budgets.json, shared with the pane benchmark (bench/pane.bench.ts).
 *
 * - taskpane: the initial JavaScript of taskpane.html (every script it loads from dist/); its styles are
 *   CSS (griffel.css, extracted at build time), printed for information and not budgeted;
 * - commands: every script commands.html loads (ONE bundle: the ribbon command and the event handlers,
 *   the event runtime of web/new Outlook/Mac); it must register all three functions;
 * - events:   events.js, classic Outlook's JavaScript-only runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', 'dist');
const budgets = JSON.parse(fs.readFileSync(path.join(here, 'bundle-budgets.json'), 'utf8'));
const KB = 1024;

const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

const isLocal = (url) => !/^[a-z]+:\/\//i.test(url);

/** Local scripts an HTML page loads (office.js comes from Microsoft's CDN and is not ours). */
function localScripts(htmlFile) {
  const html = fs.readFileSync(path.join(dist, htmlFile), 'utf8');
  return [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]).filter(isLocal);
}

/** Local style sheets an HTML page links. */
function localStyleSheets(htmlFile) {
  const html = fs.readFileSync(path.join(dist, htmlFile), 'utf8');
  return [...html.matchAll(/<link\b[^>]*\bhref="([^"]+\.css)"/g)].map((m) => m[1]).filter(isLocal);
}

if (!fs.existsSync(dist)) {
  console.error('dist/ does not exist: run `npm run build` first.');
  process.exit(1);
}

const bundles = [
  {
    name: 'taskpane',
    files: localScripts('taskpane.html'),
    budgetKb: budgets.taskpane,
    note: 'initial JS of taskpane.html',
  },
  {
    name: 'commands',
    files: localScripts('commands.html'),
    budgetKb: budgets.commands,
    note: 'all JS of commands.html (commands + event handlers)',
  },
  { name: 'events', files: ['events.js'], budgetKb: budgets.events, note: 'events.js' },
  {
    name: 'admin',
    files: localScripts('admin.html'),
    budgetKb: budgets.admin,
    note: 'initial JS of admin.html',
  },
];

let failed = false;
console.log('\nBundle sizes (gzip -9):');
for (const b of bundles) {
  const raw = b.files.reduce((sum, f) => sum + fs.statSync(path.join(dist, f)).size, 0);
  const zipped = b.files.reduce((sum, f) => sum + gz(f), 0);
  const over = zipped > b.budgetKb * KB;
  if (over) failed = true;
  console.log(
    `  ${over ? '✗' : '✓'} ${b.name.padEnd(9)} ${(zipped / KB).toFixed(1).padStart(6)} KB gz / ${b.budgetKb} KB budget` +
      `  (${(raw / KB).toFixed(1)} KB raw; ${b.note}: ${b.files.join(', ')})`,
  );
}

const paneCss = localStyleSheets('taskpane.html');
if (paneCss.length) {
  const zipped = paneCss.reduce((sum, f) => sum + gz(f), 0);
  console.log(
    `    taskpane CSS ${(zipped / KB).toFixed(1).padStart(6)} KB gz (not budgeted: ${paneCss.join(', ')})`,
  );
}

// events.js runs in classic Outlook's JavaScript-only runtime: one file, no DOM, nothing loaded later.
const events = fs
  .readFileSync(path.join(dist, 'events.js'), 'utf8')
  .replace(/\/\/# sourceMappingURL=.*$/m, '');
const forbidden = [
  [/\bdocument\b/, 'uses document (no DOM in the JavaScript-only runtime)'],
  [/\bwindow\b/, 'uses window'],
  [/\b(localStorage|sessionStorage)\b/, 'uses web storage'],
  [/\bimportScripts\b|\bimport\s*\(|\brequire\s*\(/, 'loads code at run time'],
  [/\bfetch\s*\(\s*["'`]\//, 'fetches a relative URL (the runtime has no page origin)'],
];
const problems = forbidden.filter(([re]) => re.test(events)).map(([, why]) => why);

// And run it as that runtime would: a bare context with only `Office` and `console`, no window or DOM.
const registered = [];
try {
  const Office = { actions: { associate: (name) => registered.push(name) } };
  vm.runInNewContext(events, { Office, console }, { filename: 'events.js', timeout: 1000 });
  for (const name of ['onNewMessageComposeHandler', 'onMessageSendHandler']) {
    if (!registered.includes(name)) problems.push(`does not register ${name}`);
  }
} catch (error) {
  problems.push(`fails to load without a DOM: ${error instanceof Error ? error.message : String(error)}`);
}
if (problems.length) {
  failed = true;
  console.log(`  ✗ events.js is not self-contained: ${problems.join('; ')}`);
} else {
  console.log(
    `  ✓ events.js is one self-contained file: loads with no DOM and registers ${registered.join(', ')}`,
  );
}

// commands.html: one bundle, and it registers the command and both handlers (all in one place).
const pageScripts = localScripts('commands.html');
if (pageScripts.length !== 1) {
  failed = true;
  console.log(
    `  ✗ commands.html loads ${pageScripts.length} scripts (${pageScripts.join(', ')}): it must load one`,
  );
} else {
  const page = fs.readFileSync(path.join(dist, pageScripts[0]), 'utf8');
  const names = [];
  try {
    const Office = { actions: { associate: (name) => names.push(name) }, onReady: () => Promise.resolve({}) };
    // A page: `self` is the window, where webpack keeps its lazy-chunk list (the header parser).
    const context = { Office, console };
    context.self = context;
    vm.runInNewContext(page, context, { filename: pageScripts[0], timeout: 1000 });
  } catch (error) {
    names.push(`(failed to load: ${error instanceof Error ? error.message : String(error)})`);
  }
  const expected = ['trackInCrm', 'onNewMessageComposeHandler', 'onMessageSendHandler'];
  const missing = expected.filter((n) => !names.includes(n));
  if (missing.length) {
    failed = true;
    console.log(
      `  ✗ ${pageScripts[0]} does not register ${missing.join(', ')} (registered: ${names.join(', ')})`,
    );
  } else {
    console.log(`  ✓ commands.html loads one bundle, ${pageScripts[0]}, which registers ${names.join(', ')}`);
  }
}

process.exit(failed ? 1 : 0);
