/**
 * HTTP to the Dataverse Web API v9.2 over fetch: OData headers, typed errors, `$batch` and paging;
 * auth, timeouts and retries by the loop it shares with the Graph adapter (retryPolicy.ts). Works in
 * the pane, in Node (tests, benchmarks) and in classic Outlook's JavaScript-only runtime (fetch with
 * absolute URLs, no DOM).
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
import { errorForStatus, networkError, protocolError, type CrmError } from './errors';
import {
  retryingFetch,
  type RetryingFetch,
  type HttpAnswer,
  type HttpSendOptions,
  type HttpTransportOptions,
  type RetryAdvice,
} from './retryPolicy';

export interface DataverseHttpOptions extends HttpTransportOptions {
  /** The org URL, e.g. `https://contoso.crm.dynamics.com` or the emulator's `http://localhost:5555`. */
  readonly orgUrl: string;
  readonly tokens: TokenProvider;
  /** Extra headers on every request (e.g. the emulator's user switch in tests). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Told before each wait a 429 (its Retry-After, else the back-off) or a 503 (the back-off) makes
   * a request take, in seconds (fractions kept), so the pane can say the CRM asked it to wait.
   */
  readonly onThrottled?: (waitSeconds: number) => void;
}

export interface BatchOptions {
  /**
   * `Prefer: odata.continue-on-error`: Dataverse runs every part and answers 200, each part (or
   * changeset) with its own status. Without it, the batch stops at the first failure and answers
   * with that request's status.
   */
  readonly continueOnError?: boolean;
}

/** A write this does not repeat is re-checked by its caller (trackEmails does). */
export type SendOptions = HttpSendOptions;

export type HttpResult = HttpAnswer;

export class DataverseHttp {
  readonly apiRoot: string;
  private readonly http: RetryingFetch;

  constructor(private readonly options: DataverseHttpOptions) {
    this.apiRoot = `${options.orgUrl.replace(/\/+$/, '')}/api/data/v9.2/`;
    const { onThrottled } = options;
    this.http = retryingFetch(options, {
      service: 'The CRM',
      logName: 'crm',
      // Dataverse says Retry-After with its service-protection 429 (docs/dataverse-facts.md); a 5xx
      // is waited out with the policy's back-off.
      readsRetryAfter: (status) => status === 429,
      tokens: options.tokens,
      lost: networkError,
      unreadable: protocolError,
      failed: crmErrorOf,
      onWait: (status, waitMs) => {
        if (status === 429 || status === 503) onThrottled?.(waitMs / 1000);
      },
    });
  }

  /** HTTP requests sent, retries included: the benchmark's request count. */
  get requestCount(): number {
    return this.http.requests();
  }

  /** One request with the retry policy; a non-2xx answer is thrown as its typed CrmError. */
  async send(method: string, path: string, options: SendOptions): Promise<HttpResult> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...this.options.headers,
      ...options.headers,
    };
    let body: string | undefined;
    if (typeof options.body === 'string') body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
    return this.http.send({
      method,
      url: /^https?:/.test(path) ? path : `${this.apiRoot}${path}`,
      label: `${method} ${path.split('?')[0]}`,
      headers,
      body,
      idempotent: options.idempotent,
    });
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

/**
 * A non-2xx answer as its typed error. A $batch that stopped at a failing request answers with that
 * request's status; its body may still be multipart, the error JSON inside the failed part. A 429
 * carries the wait another try would have taken, so the caller knows when to come back.
 */
function crmErrorOf({ status, headers, body }: HttpAnswer, request: string, advice: RetryAdvice): CrmError {
  let requestId = headers.get('x-ms-service-request-id') ?? headers.get('req_id');
  let errorBody = body;
  let label = request;
  const failed = typeof body === 'string' ? failedPartOf(body, headers.get('content-type') ?? '') : null;
  if (failed) {
    errorBody = failed.body;
    requestId = failed.headers.get('x-ms-service-request-id') ?? requestId;
    label = `${request} (a part answered ${failed.status})`;
  }
  return errorForStatus(status, errorBody, requestId, label, status === 429 ? advice.waitMs : null);
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
