'use strict';
/**
 * `npm run serve:dist [-- --port 3443] [--connect-src <origin> ...]`: serves the production build (dist/)
 * over https with the development certificate (scripts/dev-cert.cjs) and the headers any static host of
 * the add-in should send (docs/deploy.md, "Hosting"). Also used by test/e2e (TIC_E2E_DIST=1) and by
 * test/e2e/production-build.test.ts, with a root and extra connect sources of their own.
 *
 * Headers, and why:
 * - Content-Type from the extension (a host that sends text/plain for .js breaks the pages under nosniff);
 * - Cache-Control: "no-cache" (revalidate) for the pages, the manifests, the package and every file whose
 *   name has no content hash (taskpane.js, commands.js, events.js, icons), so a new deployment is picked up
 *   on the next open; a year and immutable for the lazy chunks, whose names carry their content hash;
 * - Content-Security-Policy: scripts from the add-in's origin and Office.js's CDN only, plus the page's
 *   own inline scripts by hash (production pages have none; the workbench's host pages have one);
 *   connections to any https origin, because the CRM is the organization's own Dataverse URL, chosen at
 *   run time (chosen: not a list of *.dynamics.com, which would break sovereign clouds); frames from
 *   Entra ID for MSAL. No frame-ancestors and no X-Frame-Options: Outlook on the web and new Outlook
 *   frame the pages from their own origins;
 * - X-Content-Type-Options: nosniff; Referrer-Policy: strict-origin-when-cross-origin.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { ensureDevCertificate } = require('./dev-cert.cjs');

const DEFAULT_ROOT = path.resolve(__dirname, '..', 'dist');
const DEFAULT_PORT = 3443;
const OFFICE_JS_ORIGIN = 'https://appsforoffice.microsoft.com';
const ENTRA_ORIGIN = 'https://login.microsoftonline.com';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

/** webpack's chunkFilename: chunks/[name].[contenthash:8].js (webpack.config.js). */
const HASHED = /(^|\/)chunks\/[^/]+\.[0-9a-f]{8}\.js(\.map)?$/;

/** Cache-Control for a path relative to the root ("/" separated). */
function cacheControlFor(relativePath) {
  return HASHED.test(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** 'sha256-…' sources for the inline scripts of an HTML page (scripts without src). */
function inlineScriptHashes(html) {
  const hashes = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/.test(m[1]) || m[2].trim() === '') continue;
    hashes.push(`'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/**
 * The Content-Security-Policy for a response.
 * @param {{ inlineScripts?: string[], connectSrc?: string[] }} [options]
 */
function contentSecurityPolicy(options = {}) {
  const scripts = ["'self'", OFFICE_JS_ORIGIN, ...(options.inlineScripts || [])];
  const connect = ["'self'", 'https:', ...(options.connectSrc || [])];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    // Fluent UI sets style attributes at run time (positioning of popovers), and the pages have a <style>.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data: https:",
    `connect-src ${connect.join(' ')}`,
    `frame-src 'self' ${ENTRA_ORIGIN}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** Every header serve:dist sends for one file (relative path, "/" separated) and its content. */
function headersFor(relativePath, content, options = {}) {
  const ext = path.extname(relativePath).toLowerCase();
  const inlineScripts = ext === '.html' ? inlineScriptHashes(content.toString('utf8')) : [];
  return {
    'Content-Type': CONTENT_TYPES[ext] || 'application/octet-stream',
    'Content-Length': String(content.length),
    'Cache-Control': cacheControlFor(relativePath),
    'Content-Security-Policy': contentSecurityPolicy({ inlineScripts, connectSrc: options.connectSrc }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}

/**
 * Start the server.
 * @param {{ root?: string, port?: number, connectSrc?: string[] }} [options] port 0 picks a free port
 * @returns {Promise<{ origin: string, port: number, close(): Promise<void> }>}
 */
async function startDistServer(options = {}) {
  const root = path.resolve(options.root || DEFAULT_ROOT);
  const { key, cert } = await ensureDevCertificate();
  const server = https.createServer({ key, cert }, (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url || '/', 'https://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let content;
    try {
      if (!fs.statSync(file).isFile()) throw new Error('not a file');
      content = fs.readFileSync(file);
    } catch {
      res.writeHead(404, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end('Not found');
      return;
    }
    const relative = path.relative(root, file).split(path.sep).join('/');
    res.writeHead(200, headersFor(relative, content, options));
    res.end(req.method === 'HEAD' ? undefined : content);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', () => resolve());
  });
  const port = server.address().port;
  return {
    origin: `https://localhost:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `--port N` and repeated `--connect-src ORIGIN`. */
function parseArgs(argv) {
  const options = { connectSrc: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') options.port = Number(argv[++i]);
    else if (argv[i] === '--root') options.root = argv[++i];
    else if (argv[i] === '--connect-src') options.connectSrc.push(argv[++i]);
    else throw new Error(`serve:dist: unknown argument "${argv[i]}"`);
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0))
    throw new Error('serve:dist: --port takes a port number');
  return options;
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  const root = path.resolve(options.root || DEFAULT_ROOT);
  if (!fs.existsSync(path.join(root, 'manifest.xml'))) {
    console.error(
      `${root} has no manifest.xml: run \`ADDIN_BASE_URL=https://localhost:<port>/ npm run build\` first.`,
    );
    process.exit(1);
  }
  startDistServer(options).then(
    (server) => console.log(`Serving ${path.relative(process.cwd(), root) || root} at ${server.origin}/`),
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}

module.exports = {
  CONTENT_TYPES,
  cacheControlFor,
  inlineScriptHashes,
  contentSecurityPolicy,
  headersFor,
  startDistServer,
  parseArgs,
};
