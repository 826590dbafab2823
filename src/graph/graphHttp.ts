/**
 * HTTP to Microsoft Graph v1.0 over fetch, through the retry loop the Dataverse adapter uses too
 * (retryingFetch, src/crm/retryPolicy.ts): a timeout on every request, 429 and 503 answered by waiting
 * Retry-After, GETs retried on 5xx and lost responses with the shared back-off, writes never repeated
 * after an answer that may mean they happened, one token refresh after a 401. Here: Graph's typed
 * errors, paging by `@odata.nextLink`, and JSON `$batch` whose parts are retried by the same rule
 * (mayRetry), part by part.
 *
 * Plain fetch rather than @microsoft/microsoft-graph-client: the client's RetryHandler repeats any
 * request with a buffered body on 503/504 (a PATCH that may have been applied), it sends tokens only to
 * https Graph hosts (so not to the local emulator), and it would add about 13 KB gz (the package minified) to the
 * background-check chunk for what is here a few hundred lines that share the CRM side's retry policy.
 */
import type { TokenProvider } from '../crm/auth';
import {
  backoffDelay,
  mayRetry,
  NO_DETAIL,
  retryAfterMs,
  retryingFetch,
  type RetryingFetch,
  type HttpAnswer,
  type HttpSendOptions,
  type HttpTransportOptions,
} from '../crm/retryPolicy';
import {
  GraphAuthError,
  GraphError,
  GraphNetworkError,
  graphErrorForStatus,
  graphNetworkError,
  graphProtocolError,
} from './errors';

export const GRAPH_URL = 'https://graph.microsoft.com/v1.0';
/** Graph's limit on one JSON `$batch`; more is a 400 for the whole batch. */
export const MAX_BATCH = 20;

export interface GraphHttpOptions extends HttpTransportOptions {
  /** `https://graph.microsoft.com/v1.0`, or the emulator's `http://127.0.0.1:P/v1.0`. */
  readonly baseUrl?: string;
  readonly tokens: TokenProvider;
}

export type GraphSendOptions = HttpSendOptions;

export type GraphResult = HttpAnswer;

export interface GraphBatchRequest {
  /** Unique in the call. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version: `/me/messages/…`. */
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Ids of requests (in the same chunk of 20) that must succeed first; else this part answers 424. */
  readonly dependsOn?: readonly string[];
}

export interface GraphBatchResponse {
  readonly id: string;
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export class GraphHttp {
  readonly baseUrl: string;
  private readonly http: RetryingFetch;

  constructor(options: GraphHttpOptions) {
    this.baseUrl = (options.baseUrl ?? GRAPH_URL).replace(/\/+$/, '');
    const { tokens } = options;
    this.http = retryingFetch(options, {
      service: 'Microsoft Graph',
      logName: 'graph',
      // Graph's Retry-After (429, and 503 when it sends one: docs/graph-facts.md) is honoured as given.
      readsRetryAfter: () => true,
      tokens: { getToken: () => signIn(tokens, false), refreshToken: () => signIn(tokens, true) },
      lost: graphNetworkError,
      unreadable: graphProtocolError,
      failed: ({ status, headers, body }, request, advice) =>
        graphErrorForStatus(status, body, headers.get('request-id'), request, advice.retryAfterMs),
      onWait: (status, waitMs, request) =>
        this.http.log(`${request}: HTTP ${status}, trying again in ${waitMs} ms`),
    });
  }

  /** HTTP requests sent, retries included: what the background check's budgets count. */
  get requestCount(): number {
    return this.http.requests();
  }

  /** One request with the retry policy; a non-2xx answer is thrown as its typed GraphError. */
  async send(method: string, path: string, options: GraphSendOptions): Promise<GraphResult> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
    if (/^https?:/i.test(path) && !this.isOwnLink(path))
      // A link Graph handed back (nextLink, deltaLink) is followed with the mailbox's token: never to
      // a host or a version other than this one, whatever the answer said.
      throw graphProtocolError(
        `a link leads outside ${this.baseUrl}/ (${linkOrigin(path)})`,
        `${method} ${labelOf(path)}`,
      );
    return this.http.send({
      method,
      url: /^https?:/i.test(path) ? path : `${this.baseUrl}${path}`,
      label: `${method} ${labelOf(path)}`,
      headers,
      body,
      idempotent: options.idempotent,
    });
  }

  /** True for an absolute URL under this Graph's base (`https://graph.microsoft.com/v1.0/…`). */
  isOwnLink(link: string): boolean {
    if (!link.startsWith(`${this.baseUrl}/`)) return false;
    try {
      // The prefix alone could still hide another host from a lenient parser; the parsed URL cannot.
      const url = new URL(link);
      const base = new URL(`${this.baseUrl}/`);
      return url.origin === base.origin && url.pathname.startsWith(base.pathname);
    } catch {
      return false;
    }
  }

  /**
   * One page of a collection or delta round: its `value` and the link that continues it. The link
   * is followed unchanged (its query options are encoded in it).
   */
  async page(
    path: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<{ value: unknown[]; nextLink: string | null; deltaLink: string | null }> {
    const { body } = await this.send('GET', path, { idempotent: true, headers });
    const page = body as Record<string, unknown> | null;
    if (!page || !Array.isArray(page.value))
      throw graphProtocolError('a collection response has no "value" array', `GET ${labelOf(path)}`);
    const link = (name: string): string | null => {
      const value = page[name];
      return typeof value === 'string' && /^https?:/.test(value) ? value : null;
    };
    return { value: page.value, nextLink: link('@odata.nextLink'), deltaLink: link('@odata.deltaLink') };
  }

  /** Every item of a collection, page after page. */
  async all(path: string, headers: Readonly<Record<string, string>> = {}): Promise<unknown[]> {
    const items: unknown[] = [];
    let next: string | null = path;
    while (next) {
      const page = await this.page(next, headers);
      items.push(...page.value);
      next = page.nextLink;
    }
    return items;
  }

  /**
   * JSON batching: at most 20 requests per `POST /$batch` (a longer list is sent in chunks of 20;
   * a `dependsOn` must stay in its chunk). Answers one response per request, in request order,
   * each with its own status: a failed part is the caller's to type (`partError`). Parts answered
   * 429 (Graph did not run them) are sent again after their Retry-After, with the 424s that waited
   * on them; GET parts answered 5xx are sent again with back-off; other writes never are.
   */
  async batch(requests: readonly GraphBatchRequest[]): Promise<GraphBatchResponse[]> {
    if (new Set(requests.map((r) => r.id)).size !== requests.length)
      throw new TypeError('batch request ids must be unique');
    const chunks: GraphBatchRequest[][] = [];
    for (let start = 0; start < requests.length; start += MAX_BATCH)
      chunks.push(requests.slice(start, start + MAX_BATCH));
    // Checked before anything is sent, so a bad list never leaves half its writes done.
    for (const chunk of chunks) {
      const ids = new Set(chunk.map((r) => r.id));
      for (const r of chunk)
        for (const d of r.dependsOn ?? [])
          if (!ids.has(d))
            throw new TypeError(`batch request ${r.id} depends on ${d}, not in its chunk of 20`);
    }
    const out = new Map<string, GraphBatchResponse>();
    for (const chunk of chunks)
      for (const [id, response] of await this.batchChunk(chunk)) out.set(id, response);
    return requests.map((r) => out.get(r.id) as GraphBatchResponse);
  }

  private async batchChunk(chunk: readonly GraphBatchRequest[]): Promise<Map<string, GraphBatchResponse>> {
    const { policy, random, now, sleep, log } = this.http;
    const answered = new Map<string, GraphBatchResponse>();
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const result = await this.send('POST', '/$batch', {
        body: { requests: pending.map(wireRequest) },
        idempotent: pending.every((r) => r.method === 'GET'),
      });
      const responses = readBatchResponses(result.body, pending);
      for (const response of responses.values()) answered.set(response.id, response);
      if (attempt >= policy.maxAttempts) break;
      const again = new Set<string>();
      let wait = 0;
      for (const r of pending) {
        const response = responses.get(r.id) as GraphBatchResponse;
        if (mayRetry(response.status, r.method === 'GET')) {
          const told = retryAfterMs(response.headers['retry-after'] ?? null, now());
          again.add(r.id);
          wait = Math.max(wait, told ?? backoffDelay(policy, attempt, random));
        }
      }
      // A part that failed only because a part it depends on was throttled goes again with it.
      for (const r of pending) {
        const response = responses.get(r.id) as GraphBatchResponse;
        if (response.status === 424 && (r.dependsOn ?? []).some((d) => again.has(d))) again.add(r.id);
      }
      if (again.size === 0 || wait > policy.maxRetryAfterMs) break;
      log(`POST /$batch: ${again.size} parts throttled or failed, again in ${wait} ms`);
      await sleep(wait);
      pending = pending
        .filter((r) => again.has(r.id))
        .map((r) => ({ ...r, dependsOn: r.dependsOn?.filter((d) => again.has(d)) }));
    }
    return answered;
  }
}

/** A batch part's answer as its typed error, or null when it succeeded. */
export function partError(
  response: GraphBatchResponse,
  request: GraphBatchRequest,
  now: number = Date.now(),
): GraphError | null {
  if (response.status < 300) return null;
  return graphErrorForStatus(
    response.status,
    response.body,
    response.headers['request-id'] ?? null,
    `${request.method} ${labelOf(request.url)} (in $batch)`,
    retryAfterMs(response.headers['retry-after'] ?? null, now),
  );
}

function wireRequest(r: GraphBatchRequest): Record<string, unknown> {
  const wire: Record<string, unknown> = { id: r.id, method: r.method, url: r.url };
  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined) {
    wire.body = r.body;
    headers['Content-Type'] = 'application/json';
  }
  if (Object.keys(headers).length) wire.headers = headers;
  if (r.dependsOn?.length) wire.dependsOn = r.dependsOn;
  return wire;
}

function readBatchResponses(
  body: unknown,
  sent: readonly GraphBatchRequest[],
): Map<string, GraphBatchResponse> {
  const list = (body as { responses?: unknown } | null)?.responses;
  if (!Array.isArray(list))
    throw graphProtocolError('the $batch answer has no "responses" array', 'POST /$batch');
  const byId = new Map<string, GraphBatchResponse>();
  for (const entry of list as unknown[]) {
    const e = entry as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown } | null;
    if (!e || typeof e.id !== 'string' || typeof e.status !== 'number') continue;
    const headers: Record<string, string> = {};
    if (e.headers && typeof e.headers === 'object')
      for (const [name, value] of Object.entries(e.headers as Record<string, unknown>))
        if (typeof value === 'string') headers[name.toLowerCase()] = value;
    byId.set(e.id, { id: e.id, status: e.status, headers, body: e.body ?? null });
  }
  const missing = sent.filter((r) => !byId.has(r.id));
  if (missing.length)
    throw graphProtocolError(
      `the $batch answer lacks the parts ${missing.map((r) => r.id).join(', ')}`,
      'POST /$batch',
    );
  return byId;
}

/** The scheme and host of a link, for an error that must not carry its tokens. */
function linkOrigin(link: string): string {
  try {
    return new URL(link).origin;
  } catch {
    return 'not a URL';
  }
}

/** The path without its query (values there may hold addresses or tokens). */
function labelOf(path: string): string {
  return path.replace(/^https?:\/\/[^/]+/, '').split('?')[0] as string;
}

/** A token for Graph; a failed sign-in typed as Graph's (offline is retryable, the rest is sign-in). */
async function signIn(tokens: TokenProvider, refresh: boolean): Promise<string | null> {
  try {
    return refresh ? await tokens.refreshToken() : await tokens.getToken();
  } catch (error) {
    // The token providers throw the CRM's typed errors; `retryable` tells offline from sign-in.
    const message = `Signing in to the mailbox failed: ${error instanceof Error ? error.message : String(error)}`;
    const detail = { ...NO_DETAIL, request: 'sign-in' };
    throw (error as { retryable?: unknown } | null)?.retryable === true
      ? new GraphNetworkError(message, detail)
      : new GraphAuthError(message, detail);
  }
}
