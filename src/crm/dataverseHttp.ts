/**
 * HTTP to the Dataverse Web API v9.2 over fetch: headers, auth, timeouts, the retry policy, typed
 * errors, `$batch` and paging. Works in the pane, in Node (tests, benchmarks) and in classic
 * Outlook's JavaScript-only runtime (fetch with absolute URLs, no DOM).
 */
import type { TokenProvider } from './auth';
import {
  buildBatch,
  changesetOutcome,
  failedPartOf,
  parseBatchResponse,
  type BatchItem,
  type BatchResponse,
} from './batch';
import { CrmUnavailableError, errorForStatus, networkError, protocolError, type CrmError } from './errors';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryAfterMs, type RetryPolicy } from './retryPolicy';

export interface DataverseHttpOptions {
  /** The org URL, e.g. `https://contoso.crm.dynamics.com` or the emulator's `http://localhost:5555`. */
  readonly orgUrl: string;
  readonly tokens: TokenProvider;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Extra headers on every request (e.g. the emulator's user switch in tests). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where failures that are handled here (and so not thrown) are written: the DiagnosticsLog shape. */
  readonly log?: (message: string, error?: unknown) => void;
}

export interface BatchOptions {
  /**
   * `Prefer: odata.continue-on-error`: Dataverse runs every part and answers 200, each part (or
   * changeset) with its own status. Without it, the batch stops at the first failure and answers
   * with that request's status.
   */
  readonly continueOnError?: boolean;
}

export interface SendOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Safe to send twice (GET, or a batch of GETs). A write is retried only after a 429, which
   * Dataverse sends before doing anything; after a 5xx or a lost response the write may have
   * happened, so it is not repeated here: the caller re-checks and decides (trackEmails does).
   */
  readonly idempotent: boolean;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

const sleeper = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class DataverseHttp {
  readonly apiRoot: string;
  /** HTTP requests sent, retries included: the benchmark's request count. */
  requestCount = 0;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: DataverseHttpOptions) {
    this.apiRoot = `${options.orgUrl.replace(/\/+$/, '')}/api/data/v9.2/`;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? sleeper;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** One request with the retry policy; a non-2xx answer is thrown as its typed CrmError. */
  async send(method: string, path: string, options: SendOptions): Promise<HttpResult> {
    const label = `${method} ${path.split('?')[0]}`;
    let refreshed = false;
    let token = await this.options.tokens.getToken();
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.fetchOnce(method, path, options, token);
      } catch (error) {
        const failure = networkError(
          error instanceof Error && error.name === 'TimeoutError'
            ? `The CRM did not answer within ${this.timeoutMs / 1000} s.`
            : `The CRM could not be reached (${error instanceof Error ? error.message : String(error)}).`,
          label,
        );
        if (!options.idempotent || attempt >= this.policy.maxAttempts) throw failure;
        this.options.log?.(`${label}: try ${attempt} failed, trying again`, error);
        await this.sleep(backoffDelay(this.policy, attempt, this.random));
        continue;
      }
      if (response.ok)
        return { status: response.status, headers: response.headers, body: await readBody(response, label) };

      const body = await readBody(response, label).catch((unreadable: unknown) => {
        this.options.log?.(
          `${label}: the error response of HTTP ${response.status} does not parse`,
          unreadable,
        );
        return null;
      });
      let requestId = response.headers.get('x-ms-service-request-id') ?? response.headers.get('req_id');
      let errorBody = body;
      let errorLabel = label;
      // A $batch that stopped at a failing request answers with that request's status; its body
      // may still be multipart, the error JSON inside the failed part.
      const failed =
        typeof body === 'string' ? failedPartOf(body, response.headers.get('content-type') ?? '') : null;
      if (failed) {
        errorBody = failed.body;
        requestId = failed.headers.get('x-ms-service-request-id') ?? requestId;
        errorLabel = `${label} (a part answered ${failed.status})`;
      }
      const error = errorForStatus(response.status, errorBody, requestId, errorLabel);
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        token = await this.options.tokens.refreshToken();
        attempt -= 1; // a refreshed token is not a retry
        continue;
      }
      if (response.status === 429) {
        const wait =
          retryAfterMs(response.headers.get('retry-after'), this.now()) ??
          backoffDelay(this.policy, attempt, this.random);
        if (attempt >= this.policy.maxAttempts || wait > this.policy.maxRetryAfterMs)
          throw withRetryAfter(error, wait);
        await this.sleep(wait);
        continue;
      }
      if (response.status >= 500 && options.idempotent && attempt < this.policy.maxAttempts) {
        await this.sleep(backoffDelay(this.policy, attempt, this.random));
        continue;
      }
      throw error;
    }
  }

  private async fetchOnce(
    method: string,
    path: string,
    options: SendOptions,
    token: string | null,
  ): Promise<Response> {
    this.requestCount += 1;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...this.options.headers,
      ...options.headers,
    };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (typeof options.body === 'string') body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
    const url = /^https?:/.test(path) ? path : `${this.apiRoot}${path}`;
    // AbortSignal.timeout is not in every Outlook runtime: a controller and a timer do the same.
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const reason = new Error(`timed out after ${this.timeoutMs} ms`);
      reason.name = 'TimeoutError';
      controller.abort(reason);
    }, this.timeoutMs);
    try {
      return await this.fetchImpl(url, { method, headers, body, signal: controller.signal });
    } catch (error) {
      throw controller.signal.aborted ? controller.signal.reason : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** GET a collection, following `@odata.nextLink` page by page (no `$skip`: Dataverse has none). */
  async getAll(
    path: string,
    pageSize = 5000,
    extraHeaders: Record<string, string> = {},
  ): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let next: string | null = path;
    while (next) {
      const { body } = await this.send('GET', next, {
        idempotent: true,
        headers: { Prefer: `odata.maxpagesize=${pageSize},odata.include-annotations="*"`, ...extraHeaders },
      });
      const page = body as { value?: unknown; '@odata.nextLink'?: unknown };
      if (!Array.isArray(page?.value))
        throw protocolError('a collection response has no "value" array', `GET ${path.split('?')[0]}`);
      rows.push(...(page.value as Record<string, unknown>[]));
      next = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : null;
    }
    return rows;
  }

  /**
   * One `$batch`. A batch of GETs only is idempotent and retried like a GET; one with changesets is
   * not (see SendOptions.idempotent). Returns one entry per item: a GET's response, a changeset's
   * responses, or the one error response of a changeset that was rolled back.
   */
  async batch(
    items: readonly BatchItem[],
    options: BatchOptions = {},
  ): Promise<(BatchResponse | BatchResponse[])[]> {
    if (items.length === 0) return [];
    const { body, contentType } = buildBatch(items, this.apiRoot);
    const prefer = [
      'odata.include-annotations="*"',
      ...(options.continueOnError ? ['odata.continue-on-error'] : []),
    ];
    const result = await this.send('POST', '$batch', {
      body,
      headers: { 'Content-Type': contentType, Prefer: prefer.join(',') },
      idempotent: items.every((i) => i.kind === 'request'),
    });
    const type = result.headers.get('content-type') ?? '';
    const responses = parseBatchResponse(typeof result.body === 'string' ? result.body : '', type).map(
      (item) => (Array.isArray(item) ? changesetOutcome(item) : item),
    );
    if (responses.length < items.length) {
      // Dataverse stops a batch at its first failed part (without odata.continue-on-error): that
      // part's own error (a 429, a 503, a 403…) is what the caller must see, typed as usual.
      const failed = responses.at(-1);
      const error = failed && !Array.isArray(failed) ? batchPartError(failed, 'POST $batch') : null;
      if (error) throw error;
    }
    if (responses.length !== items.length) {
      throw protocolError(
        `the $batch response has ${responses.length} parts for ${items.length} requests`,
        'POST $batch',
        result.status,
      );
    }
    return responses;
  }
}

async function readBody(response: Response, label: string): Promise<unknown> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (!text) return null;
  if (/json/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      throw protocolError('the CRM sent JSON that does not parse', label, response.status);
    }
  }
  return text;
}

function withRetryAfter(error: CrmError, waitMs: number): CrmError {
  return error instanceof CrmUnavailableError
    ? new CrmUnavailableError(error.message, error.detail, waitMs)
    : error;
}

/** A batch part's answer as a typed error when it is not 2xx. */
export function batchPartError(response: BatchResponse, request: string): CrmError | null {
  if (response.status < 300) return null;
  return errorForStatus(
    response.status,
    response.body,
    response.headers.get('x-ms-service-request-id') ?? null,
    request,
  );
}
