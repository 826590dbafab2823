/**
 * The Graph emulator's HTTP server (node:http): `/v1.0/...` answered by `GraphService`, fault injection
 * at `/_emulator/faults` (the Dataverse emulator's `Faults`), the mailbox control plane at
 * `/_emulator/mailbox` (controlPlane.ts), CORS for pages on this machine. Any
 * `Authorization: Bearer …` is accepted; none is Graph's 401.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type ActiveFault } from '../faults';
import { FAULTS_PATH, faultsEndpoint, headerMap, isLocalOrigin, readBody, requestLog } from '../httpCommon';
import { openGraphDb, type GraphDb, type MessageRow } from './db';
import { CONTROL_CHANGES_PATH, CONTROL_MAILBOX_PATH } from './controlPlane';
import { deliverMessage, type MessageSpec } from './mail';
import { mailboxChanges, syncMailbox } from './mailboxControl';
import {
  BadRequest,
  graphError,
  newContext,
  type GraphRequest,
  type GraphResponse,
  type RequestContext,
} from './protocol';
import { seedGraphDatabase, type GraphSeedKind } from './seed';
import { GraphService } from './service';

export const GRAPH_VERSION_PATH = '/v1.0';

export interface GraphEmulatorOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly dbFile: string;
  readonly seed?: GraphSeedKind;
  /** `true` logs one line per request to stderr; a function receives each line. */
  readonly log?: boolean | ((line: string) => void);
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
}

export interface GraphEmulator {
  /** `http://127.0.0.1:PORT/v1.0` */
  readonly url: string;
  readonly port: number;
  readonly faults: Faults;
  readonly db: GraphDb;
  /** A new message arrives (in the folder the spec names): what a mail server would do. */
  deliver(spec: MessageSpec): MessageRow;
  close(): Promise<void>;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Accept, Prefer, If-Match, client-request-id, SdkVersion',
  'Access-Control-Expose-Headers': 'request-id, client-request-id, Retry-After, Preference-Applied, ETag',
  'Access-Control-Max-Age': '600',
};

/** What Graph says when it throttles or is down. */
const FAULT_CODES: Record<number, [string, string]> = {
  429: ['ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable (emulated fault).'],
  504: ['GatewayTimeout', 'The gateway timed out (emulated fault).'],
};

function faultResponse(ctx: RequestContext, fault: ActiveFault): GraphResponse {
  const status = fault.status as number;
  const [code, message] = FAULT_CODES[status] ?? ['generalException', `Emulated fault ${status}.`];
  const extra: Record<string, string> = {};
  if (fault.retryAfter !== undefined) extra['Retry-After'] = String(fault.retryAfter);
  return graphError(ctx, status, code, message, extra);
}

/** The mailbox control plane (controlPlane.ts): the workbench mirror's sync and change feed. */
function controlPlane(
  ctx: RequestContext,
  method: string,
  pathOnly: string,
  url: string,
  body: string,
  db: GraphDb,
): GraphResponse {
  const json = (value: unknown): GraphResponse => ({
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    json: value,
  });
  try {
    if (pathOnly === CONTROL_CHANGES_PATH) {
      if (method !== 'GET')
        return graphError(ctx, 405, 'Request_BadRequest', `Use GET on ${CONTROL_CHANGES_PATH}.`);
      return json(mailboxChanges(db, new URL(url, 'http://x').searchParams.get('since')));
    }
    if (method !== 'PUT')
      return graphError(ctx, 405, 'Request_BadRequest', `Use PUT on ${CONTROL_MAILBOX_PATH}.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return graphError(ctx, 400, 'BadRequest', 'The body is not JSON.');
    }
    return json(syncMailbox(db, parsed));
  } catch (error) {
    if (error instanceof BadRequest) return graphError(ctx, error.status, error.code, error.message);
    throw error;
  }
}

export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const db = openGraphDb(options.dbFile);
  seedGraphDatabase(db, options.seed ?? 'demo');
  const service = new GraphService(db);
  const faults = new Faults();
  const log = requestLog(options.log);
  let closed = false;

  const send = (
    res: http.ServerResponse,
    response: GraphResponse,
    ctx: RequestContext,
    origin?: string,
  ): void => {
    res.writeHead(response.status, {
      ...response.headers,
      'request-id': ctx.requestId,
      'client-request-id': ctx.clientRequestId,
      // Only pages served from this machine may read it: the emulator has no sign-in.
      ...(origin && isLocalOrigin(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
      ...CORS_HEADERS,
    });
    res.end(response.json === undefined ? '' : JSON.stringify(response.json));
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const headers = headerMap(req);
    const origin = headers.origin;
    const body = await readBody(req);
    // Links (nextLink, deltaLink) name the address the client used; behind a proxy, or reached by an
    // SDK that speaks only to https hosts through a forwarding transport, that is the forwarded one.
    const host = headers['x-forwarded-host'] ?? headers.host ?? `127.0.0.1:${port}`;
    const scheme = headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
    const ctx = newContext(`${scheme}://${host}${GRAPH_VERSION_PATH}`, headers);
    const finish = (response: GraphResponse): void => {
      send(res, response, ctx, origin);
      log?.(`${method} ${url} → ${response.status} (${(performance.now() - started).toFixed(1)} ms)`);
    };

    if (origin && !isLocalOrigin(origin)) {
      return finish(
        graphError(
          ctx,
          403,
          'Forbidden',
          `Requests from ${origin} are refused: the emulator serves pages on this machine only.`,
        ),
      );
    }
    if (method === 'OPTIONS') return finish({ status: 204, headers: {} });

    const pathOnly = url.split('?')[0] as string;
    if (pathOnly === FAULTS_PATH) {
      const answer = faultsEndpoint(faults, method, body);
      if ('error' in answer)
        return finish(
          graphError(
            ctx,
            answer.status,
            answer.status === 400 ? 'BadRequest' : 'Request_BadRequest',
            answer.error,
          ),
        );
      return finish({
        status: answer.status,
        headers: answer.json === undefined ? {} : { 'Content-Type': 'application/json' },
        ...(answer.json === undefined ? {} : { json: answer.json }),
      });
    }
    if (pathOnly === CONTROL_MAILBOX_PATH || pathOnly === CONTROL_CHANGES_PATH) {
      return finish(controlPlane(ctx, method, pathOnly, url, body, db));
    }
    if (!pathOnly.startsWith(`${GRAPH_VERSION_PATH}/`)) {
      return finish(
        graphError(
          ctx,
          400,
          'BadRequest',
          `Invalid version: the emulator serves ${GRAPH_VERSION_PATH} only.`,
        ),
      );
    }
    if (!/^Bearer\s+\S+/i.test(headers.authorization ?? '')) {
      return finish(graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token is empty.'));
    }

    const fault = faults.take(method, url);
    if (fault) {
      if (fault.delayMs) await faults.delay(fault.delayMs);
      if (closed) {
        res.socket?.destroy();
        return;
      }
      if (fault.status !== undefined) return finish(faultResponse(ctx, fault));
    }

    const graphRequest: GraphRequest = { method, url: url.slice(GRAPH_VERSION_PATH.length), headers, body };
    // A request inside $batch meets the same faults (status only: a batch answers all at once).
    const runSub = (sub: GraphRequest): GraphResponse => {
      const subCtx = newContext(ctx.baseUrl, { ...sub.headers, 'client-request-id': ctx.clientRequestId });
      const subFault = faults.take(sub.method, `${GRAPH_VERSION_PATH}${sub.url}`);
      if (subFault?.status !== undefined) return faultResponse(subCtx, subFault);
      return service.dispatch(sub, subCtx, () =>
        graphError(subCtx, 400, 'BadRequest', 'A batch cannot hold a batch.'),
      );
    };
    const response = service.dispatch(graphRequest, ctx, runSub);
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
        const ctx = newContext('', {});
        send(
          res,
          graphError(ctx, 500, 'generalException', `Emulator error: ${(error as Error).message}`),
          ctx,
        );
      } else res.destroy();
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
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${GRAPH_VERSION_PATH}`,
    port,
    faults,
    db,
    deliver: (spec) => deliverMessage(db, spec),
    close: async () => {
      if (closed) return;
      closed = true;
      faults.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
}
