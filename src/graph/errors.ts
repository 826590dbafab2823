/**
 * Typed Microsoft Graph failures, shaped like the CRM's (src/crm/errors.ts) so the background check
 * queues or shows them from the type, never from message text. Separate classes because their
 * sentences name the mailbox, not the CRM, and because Graph adds a failure the CRM has not: a delta
 * watermark Graph no longer knows (410), which the caller answers by starting the folder over. The
 * base both families extend (detail, verbose message) is ServiceError in src/crm/retryPolicy.ts.
 */
import { englishShortMessage, type AppMessageName, type WordedFailure } from '../i18n/failureWords';
import type { MessageParams } from '../i18n/messages';
import {
  describeFailure,
  NO_DETAIL,
  ServiceError,
  type RetryLaterFailure,
  type ServiceErrorDetail,
} from '../crm/retryPolicy';

/** Status, Graph's error code (e.g. `ErrorItemNotFound`), request id, and the request. */
export type GraphErrorDetail = ServiceErrorDetail;

/** A Graph failure: a family of its own, so no Graph error is ever taken for the CRM's. */
export abstract class GraphError extends ServiceError implements WordedFailure {
  abstract readonly shortKey: AppMessageName;
  readonly shortParams?: MessageParams;
  get shortMessage(): string {
    return englishShortMessage(this);
  }
}

/** 401 after one token refresh, or a sign-in that failed for a reason the user must fix. */
export class GraphAuthError extends GraphError {
  override readonly name = 'GraphAuthError';
  readonly retryable = false;
  readonly shortKey = 'graphAuth';
}

/** 403: the token lacks a scope or the mailbox refuses the app. */
export class GraphForbiddenError extends GraphError {
  override readonly name = 'GraphForbiddenError';
  readonly retryable = false;
  readonly shortKey = 'graphForbidden';
}

export class GraphNotFoundError extends GraphError {
  override readonly name = 'GraphNotFoundError';
  readonly retryable = false;
  readonly shortKey = 'graphNotFound';
}

/** 412 (a stale changeKey in If-Match) or 409: the item changed since it was read. */
export class GraphConflictError extends GraphError {
  override readonly name = 'GraphConflictError';
  readonly retryable = false;
  readonly shortKey = 'graphConflict';
}

/** 410 on a delta link: the watermark expired; the folder is read again from the start. */
export class GraphResyncError extends GraphError {
  override readonly name = 'GraphResyncError';
  readonly retryable = false;
  readonly shortKey = 'graphResync';
}

/** 400 and other client errors: repeating the request will not help. */
export class GraphRequestError extends GraphError {
  override readonly name = 'GraphRequestError';
  readonly retryable = false;
  readonly shortKey = 'graphRequest';
}

/** A failure time fixes, with how long the mailbox asked to wait (Retry-After), when it said. */
abstract class GraphRetryLaterError extends GraphError implements RetryLaterFailure {
  readonly retryable = true;
  constructor(
    message: string,
    detail: GraphErrorDetail,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message, detail);
  }
}

/** 429 still throttled after the waits allowed here: come back after `retryAfterMs`. */
export class GraphThrottledError extends GraphRetryLaterError {
  override readonly name = 'GraphThrottledError';
  readonly shortKey = 'graphThrottled';
}

/** 5xx (a write's is never repeated here: it may have happened). */
export class GraphUnavailableError extends GraphRetryLaterError {
  override readonly name = 'GraphUnavailableError';
  readonly shortKey = 'graphUnavailable';
}

/** No response: offline, DNS, TLS, or a timeout. */
export class GraphNetworkError extends GraphError {
  override readonly name = 'GraphNetworkError';
  readonly retryable = true;
  readonly shortKey = 'graphNetwork';
}

/** A response the adapter cannot read: a bug or a proxy in the way. */
export class GraphProtocolError extends GraphError {
  override readonly name = 'GraphProtocolError';
  readonly retryable = false;
  readonly shortKey = 'graphProtocol';
}

/** A non-2xx status and Graph's `{"error": {"code", "message"}}` body as the typed error. */
export function graphErrorForStatus(
  status: number,
  body: unknown,
  requestId: string | null,
  request: string | null,
  retryAfter: number | null = null,
): GraphError {
  const { message, detail } = describeFailure('Microsoft Graph', status, body, requestId, request);
  if (status === 401) return new GraphAuthError(message, detail);
  if (status === 403) return new GraphForbiddenError(message, detail);
  if (status === 404) return new GraphNotFoundError(message, detail);
  if (status === 409 || status === 412) return new GraphConflictError(message, detail);
  if (status === 410) return new GraphResyncError(message, detail);
  if (status === 429) return new GraphThrottledError(message, detail, retryAfter);
  if (status >= 500) return new GraphUnavailableError(message, detail, retryAfter);
  return new GraphRequestError(message, detail);
}

export function graphNetworkError(message: string, request: string | null): GraphNetworkError {
  return new GraphNetworkError(message, { ...NO_DETAIL, request });
}

export function graphProtocolError(
  message: string,
  request: string | null,
  status: number | null = null,
): GraphProtocolError {
  return new GraphProtocolError(message, { ...NO_DETAIL, status, request });
}
