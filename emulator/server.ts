/**
 * The emulator's HTTP server (node:http): `/api/data/v9.2/...` answered by `Service`, fault injection
 * at `/_emulator/faults`, CORS for the add-in's pane on another origin.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDb, type EmulatorDb } from './db';
import { Faults } from './faults';
import { FAULTS_PATH, faultsEndpoint, headerMap, isLocalOrigin, readBody, requestLog } from './httpCommon';
import { RECORD_PAGE_PATH, recordPage } from './recordPage';
import { seedDatabase, type SeedKind } from './seed';
import { SERVICE_PATH, Service, errorResponse, type EmuResponse } from './service';

export interface EmulatorOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly dbFile: string;
  readonly seed?: SeedKind;
  /** `true` logs one line per request to stderr; a function receives each line. */
  readonly log?: boolean | ((line: string) => void);
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT/api/data/v9.2` */
  readonly url: string;
  readonly port: number;
  readonly faults: Faults;
  readonly db: EmulatorDb;
  close(): Promise<void>;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Accept, Prefer, OData-MaxVersion, OData-Version, If-Match, If-None-Match, X-Emulator-User, MSCRMCallerID',
  'Access-Control-Expose-Headers':
    'OData-EntityId, OData-Version, Preference-Applied, Retry-After, ETag, REQ_ID',
  'Access-Control-Max-Age': '600',
};

const FAULT_CODES: Record<number, [string, string]> = {
  429: ['0x80072322', 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.'],
  503: ['0x80040216', 'The service is temporarily unavailable (emulated fault).'],
};

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const db = openDb(options.dbFile);
  seedDatabase(db, options.seed ?? 'demo');
  const service = new Service(db);
  const faults = new Faults();
  const log = requestLog(options.log);

  const send = (
    res: http.ServerResponse,
    response: EmuResponse,
    requestId: string,
    origin?: string,
  ): void => {
    res.writeHead(response.status, {
      ...response.headers,
      REQ_ID: requestId,
      'x-ms-service-request-id': requestId,
      // Only pages served from this machine may read it (isLocalOrigin says why).
      ...(origin && isLocalOrigin(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
      ...CORS_HEADERS,
    });
    res.end(response.body ?? '');
  };

  /** The caller: `X-Emulator-User` (a systemuserid or an address), else "me". */
  const callerOf = (headers: Record<string, string>): string | EmuResponse => {
    const wanted = (headers['x-emulator-user'] ?? headers.mscrmcallerid)?.trim();
    if (!wanted) return service.defaultUser;
    const user = GUID_RE.test(wanted)
      ? db.get('systemuser', wanted)
      : (db.prepare('SELECT * FROM systemuser WHERE internalemailaddress = ?').get(wanted) as
          Record<string, unknown> | undefined);
    if (!user)
      return errorResponse(403, '0x80072560', `The user ${wanted} is not a member of the organization.`);
    if (user.isdisabled === 1) {
      return errorResponse(
        403,
        '0x80040225',
        `The user with SystemUserId=${String(user.systemuserid)} is disabled.`,
      );
    }
    return user.systemuserid as string;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const headers = headerMap(req);
    const origin = headers.origin;
    const body = await readBody(req);
    const finish = (response: EmuResponse): void => {
      send(res, response, requestId, origin);
      log?.(`${method} ${url} → ${response.status} (${(performance.now() - started).toFixed(1)} ms)`);
    };

    if (origin && !isLocalOrigin(origin)) {
      return finish(
        errorResponse(
          403,
          '0x80040220',
          `Requests from ${origin} are refused: the emulator serves pages on this machine only.`,
        ),
      );
    }
    if (method === 'OPTIONS') return finish({ status: 204, headers: {} });

    const pathOnly = url.split('?')[0] as string;
    if (pathOnly === RECORD_PAGE_PATH) return finish(recordPage(db, method, url));
    if (pathOnly === FAULTS_PATH) {
      const answer = faultsEndpoint(faults, method, body);
      if ('error' in answer)
        return finish(
          errorResponse(answer.status, answer.status === 400 ? '0x80040203' : '0x80060888', answer.error),
        );
      return finish({
        status: answer.status,
        headers: answer.json === undefined ? {} : { 'Content-Type': 'application/json' },
        ...(answer.json === undefined ? {} : { body: JSON.stringify(answer.json) }),
      });
    }

    if (pathOnly !== SERVICE_PATH && !pathOnly.startsWith(`${SERVICE_PATH}/`)) {
      return finish(errorResponse(404, '0x80060888', `Resource not found for the segment '${pathOnly}'.`));
    }

    const fault = faults.take(method, url);
    if (fault) {
      if (fault.delayMs) await faults.delay(fault.delayMs);
      // Closed while the request was held: it never reaches the (closed) database.
      if (closed) {
        res.socket?.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const [code, message] = FAULT_CODES[fault.status] ?? [
          '0x80040216',
          `Emulated fault ${fault.status}.`,
        ];
        const extra: Record<string, string> = {};
        if (fault.retryAfter !== undefined) extra['Retry-After'] = String(fault.retryAfter);
        return finish(errorResponse(fault.status, code, message, extra));
      }
    }

    const caller = callerOf(headers);
    if (typeof caller !== 'string') return finish(caller);
    const host = headers.host ?? `127.0.0.1:${port}`;
    const response = service.dispatch(
      { method, url, headers, body },
      { baseUrl: `http://${host}${SERVICE_PATH}`, caller },
    );
    if (fault?.dropResponse) {
      log?.(`${method} ${url} → ${response.status}, response dropped (fault)`);
      res.socket?.destroy();
      return;
    }
    finish(response);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        send(
          res,
          errorResponse(500, '0x80040216', `Emulator error: ${(error as Error).message}`),
          randomUUID(),
        );
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${SERVICE_PATH}`,
    port,
    faults,
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      faults.clear(); // requests held by a delay end now, and see `closed`
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
}
