/**
 * scripts/serve-dist.cjs: the headers a static host of the add-in must send (docs/deploy.md, "Hosting"),
 * checked on a live https server over a small folder shaped like dist/.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { parseArgs, startDistServer, type DistServer } from '../../../scripts/serve-dist.cjs';

const INLINE = 'window.attached = true;';
const FILES: Record<string, string> = {
  'taskpane.html': `<!doctype html><html><head><meta charset="UTF-8" /><script>${INLINE}</script></head><body></body></html>`,
  'commands.html': '<!doctype html><html><head><meta charset="UTF-8" /></head><body></body></html>',
  'taskpane.js': 'console.log(1);',
  'chunks/msal.0123abcd.js': 'console.log(2);',
  'griffel.css': 'body{}',
  'manifest.xml': '<OfficeApp/>',
  'manifest.json': '{}',
  'assets/icon-32.png': 'png',
  'assets/icon.svg': '<svg/>',
};

let dir: string;
let server: DistServer;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tic-serve-dist-'));
  for (const [name, content] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  server = await startDistServer({ root: dir, port: 0, connectSrc: ['http://localhost:5555'] });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(pathname: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(`${server.origin}${pathname}`, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body }),
        );
      })
      .on('error', reject);
  });
}

const directives = (csp: string): Record<string, string[]> =>
  Object.fromEntries(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );

test.each([
  ['/taskpane.html', 'text/html; charset=utf-8'],
  ['/taskpane.js', 'text/javascript; charset=utf-8'],
  ['/griffel.css', 'text/css; charset=utf-8'],
  ['/manifest.json', 'application/json; charset=utf-8'],
  ['/manifest.xml', 'application/xml; charset=utf-8'],
  ['/assets/icon-32.png', 'image/png'],
  ['/assets/icon.svg', 'image/svg+xml'],
])('%s is served with Content-Type %s and nosniff', async (pathname, type) => {
  const res = await get(pathname);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe(type);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
});

test.each(['/taskpane.html', '/manifest.xml', '/manifest.json', '/taskpane.js'])(
  '%s (no content hash in its name) is revalidated on every load',
  async (pathname) => {
    expect((await get(pathname)).headers['cache-control']).toBe('no-cache');
  },
);

test('a lazy chunk, named by its content hash, is cached for a year', async () => {
  expect((await get('/chunks/msal.0123abcd.js')).headers['cache-control']).toBe(
    'public, max-age=31536000, immutable',
  );
});

test("the CSP allows scripts from the add-in's origin and Office.js's CDN, and nothing else by default", async () => {
  const csp = directives((await get('/commands.html')).headers['content-security-policy'] ?? '');
  expect(csp['script-src']).toEqual(["'self'", 'https://appsforoffice.microsoft.com']);
  expect(csp['object-src']).toEqual(["'none'"]);
  expect(csp['frame-ancestors']).toBeUndefined();
});

test("the CSP allows a page's own inline script by its hash", async () => {
  const hash = crypto.createHash('sha256').update(INLINE).digest('base64');
  const csp = directives((await get('/taskpane.html')).headers['content-security-policy'] ?? '');
  expect(csp['script-src']).toContain(`'sha256-${hash}'`);
  expect(csp['script-src']).not.toContain("'unsafe-inline'");
});

test('the CSP lets the pages reach any https CRM, plus the extra connect sources given', async () => {
  const csp = directives((await get('/taskpane.html')).headers['content-security-policy'] ?? '');
  expect(csp['connect-src']).toEqual(["'self'", 'https:', 'http://localhost:5555']);
});

test('a missing file is a 404', async () => {
  expect((await get('/nothing.js')).status).toBe(404);
});

test('a path out of the served folder is refused', async () => {
  expect((await get('/..%2fpackage.json')).status).toBe(403);
});

test('the command line takes a port, a root and repeated connect sources', () => {
  expect(parseArgs(['--port', '0', '--root', 'x', '--connect-src', 'a', '--connect-src', 'b'])).toEqual({
    port: 0,
    root: 'x',
    connectSrc: ['a', 'b'],
  });
  expect(() => parseArgs(['--nope'])).toThrow('unknown argument');
});
