/**
 * A small https static server for the built add-in (the e2e suite and the pane benchmark), with the
 * development certificate of scripts/dev-cert.cjs. Port 0 picks a free port.
 */
import { createReadStream, statSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
};

export interface StaticServer {
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `repoRoot` is where scripts/dev-cert.cjs lives (its .cert/ folder is used): loaded at run time, so a
 * bundled copy of this file (`npm run bench`) still uses the repository's certificate folder.
 */
export async function startStaticServer(root: string, repoRoot: string, port = 0): Promise<StaticServer> {
  const { ensureDevCertificate } = createRequire(path.join(repoRoot, 'package.json'))(
    './scripts/dev-cert.cjs',
  ) as { ensureDevCertificate(): Promise<{ key: string; cert: string }> };
  const { key, cert } = await ensureDevCertificate();
  const base = path.resolve(root);
  const server = https.createServer({ key, cert }, (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'https://localhost').pathname);
    const file = path.resolve(base, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    if (!file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': stat.size,
        'Cache-Control': 'no-store',
      });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    origin: `https://localhost:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
