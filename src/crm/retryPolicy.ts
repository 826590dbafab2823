/**
 * The HTTP discipline the Dataverse and the Microsoft Graph adapters share, so that it is written
 * once: when a request is tried again and after how long, the one loop that sends it so (a timeout
 * on every try, one token refresh after a 401, Retry-After honoured, no blind repeat of a write), and
 * the base both families of typed failures extend. What differs between the two services is given
 * to the loop by each adapter (ServiceRules). src/graph may import this module from the CRM room.
 */
import type { TokenProvider } from './auth';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for here: the caller queues the work instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * The wait before try `attempt + 1` (attempt counts from 1). "Equal jitter": half the exponential
 * step is fixed, half random, so many clients that failed together do not come back together.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * Retry-After in milliseconds: delta-seconds, or an HTTP date relative to `now` (ms since epoch).
 * Null when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Whether an answer of `status` may be sent again. A 429 means the service did nothing yet, so even
 * a write goes again; after a 5xx a write may have happened, so only a request that is safe to send
 * twice is repeated (the caller re-checks and decides for a write).
 */
export function mayRetry(status: number, idempotent: boolean): boolean {
  return status === 429 || (status >= 500 && idempotent);
}

export interface ServiceErrorDetail {
  /** HTTP status, or null when no response came (offline, timeout). */
  readonly status: number | null;
  /** The service's error code: Dataverse's `0x80040217`, Graph's `ErrorItemNotFound`. */
  readonly code: string | null;
  readonly requestId: string | null;
  /** The request, for the diagnostics log (method and path, no query values). */
  readonly request: string | null;
}

export const NO_DETAIL: ServiceErrorDetail = { status: null, code: null, requestId: null, request: null };

/**
 * A typed failure of a service the add-in calls over HTTP: what the user is told (short, or verbose
 * with status, code and request id) and whether trying again later can help, so the queue and the
 * pane decide from the type, never from message text. Each service has its own family below it.
 */
export abstract class ServiceError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly detail: ServiceErrorDetail,
  ) {
    super(message);
  }

  /** The short message a user sees when verbose errors are off. */
  abstract get shortMessage(): string;

  /** The full text VerboseErrorsOnPromoteToCRM = 1 shows. */
  get verboseMessage(): string {
    const { status, code, requestId } = this.detail;
    const parts = [this.message];
    if (status !== null) parts.push(`HTTP ${status}`);
    if (code) parts.push(`code ${code}`);
    if (requestId) parts.push(`request ${requestId}`);
    return parts.join(' · ');
  }
}

/** A failure time fixes (throttled, unavailable), with how long the service asked to wait when it said. */
export interface RetryLaterFailure {
  readonly retryable: true;
  /** Milliseconds from when it was thrown; null when the service named no time. */
  readonly retryAfterMs: number | null;
}

/**
 * The message and detail of a non-2xx answer. Dataverse and Graph both answer OData's
 * `{"error": {"code", "message"}}`; `service` names the sender when the body gives no message.
 */
export function describeFailure(
  service: string,
  status: number,
  body: unknown,
  requestId: string | null,
  request: string | null,
): { message: string; detail: ServiceErrorDetail } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : null;
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : `${service} answered HTTP ${status}.`;
  return { message, detail: { status, code, requestId, request } };
}

/** One request as an adapter's caller gives it. */
export interface HttpSendOptions {
  /** Encoded by the adapter: JSON, or (Dataverse) a string as it is, a multipart `$batch`. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Safe to send twice (a GET, a batch of GETs). A write is repeated only after a 429, which the
   * service answers before doing anything; after a 5xx or a lost response the write may have
   * happened, so it is not repeated here: the caller re-checks and decides.
   */
  readonly idempotent: boolean;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** How either adapter's caller may send, time and retry its requests (tests give a scripted fetch). */
export interface HttpTransportOptions {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Where failures that are handled here (and so not thrown) are written: the DiagnosticsLog shape. */
  readonly log?: (message: string, error?: unknown) => void;
  /**
   * Told of every try and every wait (the pane's diagnostics log, issue 13), as raw facts: the pane's
   * sink strips the query, masks addresses and picks the request id (src/app/diagnosticsEvents.ts), so
   * the ribbon's and the event handlers' bundles, which pass no observer, carry none of that code.
   */
  readonly events?: (fact: HttpFact) => void;
}

/**
 * One try (`headers` set: the answer's, null when none came) or one wait (`waitMs` set) of a request.
 * Never the request's headers (Authorization is added inside fetchOnce) nor a body; the URL is the
 * whole URL, query included, so an observer that keeps it must sanitise it first.
 */
export interface HttpFact {
  readonly service: 'crm' | 'graph';
  readonly method: string;
  readonly url: string;
  /** The answer's status; null: no answer (offline, timeout). */
  readonly status: number | null;
  readonly attempt: number;
  readonly durationMs?: number;
  readonly headers?: Headers | null;
  readonly waitMs?: number;
}

/**
 * Text for the log with every address's local part hidden (`ann@fabrikam.com` → `***@fabrikam.com`,
 * URL-encoded `%40` too): the domain stays, since internal or external is what support asks. Only the
 * pane calls it (its diagnostics log and case), so the other bundles drop it.
 */
export const maskAddressesInText = (text: string): string =>
  text.replace(/[\w.%+'-]+(@|%40)([\w-]+\.[\w.-]+)/gi, '***$1$2');

/** What differs between the services, given once by each adapter. */
export interface ServiceRules {
  /** The subject of the sentences a lost or unreadable answer gets: `The CRM`, `Microsoft Graph`. */
  readonly service: string;
  /** The service as the diagnostics log names it. */
  readonly logName?: 'crm' | 'graph';
  /** Whether the Retry-After of an answer of `status` is honoured (else a retry waits the back-off). */
  readonly readsRetryAfter: (status: number) => boolean;
  /** The token for the first try, and a new one after a 401, once. Null: send none. */
  readonly tokens: TokenProvider;
  /** No answer came: offline, DNS, TLS, or the timeout. */
  readonly lost: (message: string, request: string) => Error;
  /** An answer that cannot be read: JSON that does not parse. */
  readonly unreadable: (message: string, request: string, status: number) => Error;
  /** A non-2xx answer that is not tried again, as the service's typed error. */
  readonly failed: (answer: HttpAnswer, request: string, advice: RetryAdvice) => Error;
  /** Told before each wait a 429 or a 5xx answer makes the loop take (the adapter logs it if it will). */
  readonly onWait?: (status: number, waitMs: number, request: string) => void;
}

/** What the loop knew of waiting when it gave up on an answer. */
export interface RetryAdvice {
  /** The answer's Retry-After when honoured for its status, else null. */
  readonly retryAfterMs: number | null;
  /** The wait another try would have taken (Retry-After, else back-off), when the status is one retried. */
  readonly waitMs: number | null;
}

export interface RetriedRequest {
  readonly method: string;
  /** Absolute. */
  readonly url: string;
  /** Method and path, no query values: for the log and the errors. */
  readonly label: string;
  /** Everything but Authorization, which the loop adds from ServiceRules.tokens. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Safe to send twice: see mayRetry. */
  readonly idempotent: boolean;
}

const sleeper = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The one retry loop: each adapter makes one and sends every request through it. */
export interface RetryingFetch {
  /** One request with the retry policy; a non-2xx answer is thrown as the service's typed error. */
  send(request: RetriedRequest): Promise<HttpAnswer>;
  /** HTTP requests sent, retries included: what the benchmarks and the budgets count. */
  requests(): number;
  /** The transport as resolved (defaults filled in), for an adapter's own retries of `$batch` parts. */
  readonly policy: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly log: (message: string, error?: unknown) => void;
}

/**
 * A closure rather than a class: the loop is in the pane's first bundle and in classic Outlook's
 * events.js, both near their size budgets, and local names minify where `this.` fields do not.
 */
export function retryingFetch(transport: HttpTransportOptions, rules: ServiceRules): RetryingFetch {
  const policy = { ...DEFAULT_RETRY_POLICY, ...transport.retry };
  const fetchImpl = transport.fetch ?? ((input, init) => fetch(input, init));
  const sleep = transport.sleep ?? sleeper;
  const random = transport.random ?? Math.random;
  const now = transport.now ?? Date.now;
  const timeoutMs = transport.timeoutMs ?? 30_000;
  const log = transport.log ?? (() => {});
  const { service } = rules;
  const events = transport.events;
  const logName = rules.logName ?? 'crm';
  let requestCount = 0;

  async function fetchOnce(request: RetriedRequest, token: string | null): Promise<Response> {
    requestCount += 1;
    const headers = token ? { ...request.headers, Authorization: `Bearer ${token}` } : request.headers;
    // AbortSignal.timeout is not in every Outlook runtime: a controller and a timer do the same.
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const reason = new Error(`timed out after ${timeoutMs} ms`);
      reason.name = 'TimeoutError';
      controller.abort(reason);
    }, timeoutMs);
    try {
      const { method, url, body } = request;
      return await fetchImpl(url, { method, headers, body, signal: controller.signal });
    } catch (error) {
      throw controller.signal.aborted ? controller.signal.reason : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The body as JSON when it says so (else as text, a multipart $batch), null when empty. */
  async function readBody(response: Response, label: string): Promise<unknown> {
    const text = await response.text();
    if (!text) return null;
    if (/json/i.test(response.headers.get('content-type') ?? '')) {
      try {
        return JSON.parse(text);
      } catch {
        throw rules.unreadable(`${service} sent JSON that does not parse`, label, response.status);
      }
    }
    return text;
  }

  async function send(request: RetriedRequest): Promise<HttpAnswer> {
    const { label, idempotent } = request;
    let refreshed = false;
    let token = await rules.tokens.getToken();
    const { method, url } = request;
    const tried = (status: number | null, started: number, attempt: number, headers: Headers | null) =>
      events?.({ service: logName, method, url, status, attempt, durationMs: now() - started, headers });
    const waited = (status: number | null, attempt: number, waitMs: number) =>
      events?.({ service: logName, method, url, status, attempt, waitMs });
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      const started = now();
      try {
        response = await fetchOnce(request, token);
        tried(response.status, started, attempt, response.headers);
      } catch (error) {
        tried(null, started, attempt, null);
        const failure = rules.lost(
          error instanceof Error && error.name === 'TimeoutError'
            ? `${service} did not answer within ${timeoutMs / 1000} s.`
            : `${service} could not be reached (${error instanceof Error ? error.message : String(error)}).`,
          label,
        );
        if (!idempotent || attempt >= policy.maxAttempts) throw failure;
        log(`${label}: try ${attempt} failed, trying again`, error);
        const backoff = backoffDelay(policy, attempt, random);
        waited(null, attempt, backoff);
        await sleep(backoff);
        continue;
      }
      const { status, headers } = response;
      if (response.ok) return { status, headers, body: await readBody(response, label) };

      const body = await readBody(response, label).catch((unreadable: unknown) => {
        log(`${label}: the error response of HTTP ${status} does not parse`, unreadable);
        return null;
      });
      if (status === 401 && !refreshed) {
        refreshed = true;
        token = await rules.tokens.refreshToken();
        attempt -= 1; // a new token is not a retry
        continue;
      }
      const told = rules.readsRetryAfter(status) ? retryAfterMs(headers.get('retry-after'), now()) : null;
      const wait = mayRetry(status, idempotent) ? (told ?? backoffDelay(policy, attempt, random)) : null;
      // A Retry-After longer than the policy allows is not waited for: the caller comes back later.
      if (wait === null || attempt >= policy.maxAttempts || wait > policy.maxRetryAfterMs)
        throw rules.failed({ status, headers, body }, label, { retryAfterMs: told, waitMs: wait });
      rules.onWait?.(status, wait, label);
      waited(status, attempt, wait);
      await sleep(wait);
    }
  }

  return { send, requests: () => requestCount, policy, sleep, random, now, log };
}
