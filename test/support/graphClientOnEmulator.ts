/**
 * Microsoft's own Graph client (@microsoft/microsoft-graph-client) wired to a Graph emulator on the demo
 * mailbox, in a database of its own (a fresh temporary folder), on a free port: what the Graph contract
 * suites start.
 *
 * The client adds a token only to https Graph hosts and follows only https links, so it is pointed at
 * https://graph.microsoft.com and its last middleware forwards each request to the emulator with
 * X-Forwarded-Host/-Proto: the emulator then writes its links for that host, and every other part of
 * the client (authentication, RetryHandler, PageIterator, batching) runs as it does against Graph.
 */
import {
  AuthenticationHandler,
  Client,
  GraphError,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphEmulator, type GraphEmulator } from '../../emulator/graph/server';

export const GRAPH = 'https://graph.microsoft.com';

/** The client's last middleware: sends to the emulator what the client addressed to Graph. */
export class ForwardToEmulator implements Middleware {
  requests = 0;

  constructor(private readonly origin: () => string) {}

  async execute(context: Context): Promise<void> {
    this.requests += 1;
    const request = context.request;
    const url = typeof request === 'string' ? request : request.url;
    const headers = new Headers(context.options?.headers as HeadersInit | undefined);
    if (typeof request !== 'string') request.headers.forEach((value, name) => headers.set(name, value));
    headers.set('X-Forwarded-Host', 'graph.microsoft.com');
    headers.set('X-Forwarded-Proto', 'https');
    const init: RequestInit = { ...(context.options ?? {}), headers };
    if (typeof request !== 'string' && init.body === undefined && !['GET', 'HEAD'].includes(request.method)) {
      init.method = request.method;
      init.body = await request.text();
    }
    context.response = await fetch(url.replace(GRAPH, this.origin()), init);
  }
}

export interface GraphClientOnEmulator {
  emu: GraphEmulator;
  /** The suite's temporary folder (the emulator's database is in it); removed by close. */
  dir: string;
  client: Client;
  transport: ForwardToEmulator;
  close(): Promise<void>;
}

/** `retryDelaySeconds` is the client's RetryHandler delay (3 retries at most), for a suite to keep short. */
export async function startGraphClientOnEmulator(
  label: string,
  retryDelaySeconds: number,
): Promise<GraphClientOnEmulator> {
  const dir = mkdtempSync(path.join(tmpdir(), `tic-${label}-`));
  let emu: GraphEmulator;
  try {
    emu = await startGraphEmulator({ port: 0, dbFile: path.join(dir, 'graph.sqlite'), seed: 'demo' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const transport = new ForwardToEmulator(() => emu.url.replace(/\/v1\.0$/, ''));
  const auth = new AuthenticationHandler({ getAccessToken: async () => 'any-token' });
  const retry = new RetryHandler(new RetryHandlerOptions(retryDelaySeconds, 3));
  auth.setNext(retry);
  retry.setNext(transport);
  const client = Client.initWithMiddleware({ middleware: auth });
  const close = async (): Promise<void> => {
    try {
      await emu.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { emu, dir, client, transport, close };
}

/** Plain fetch, as the add-in's pane would send it; the body read as JSON (`{}` when empty). */
export async function rawGraphRequest<Body>(
  emulatorUrl: string,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Body }> {
  const res = await fetch(`${emulatorUrl}${pathAndQuery}`, {
    method,
    headers: {
      Authorization: 'Bearer whatever',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Body };
}

/** The GraphError a client call fails with; anything else (or success) fails the test. */
export async function graphError(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error('expected a GraphError');
}
