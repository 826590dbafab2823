/**
 * Typed CRM failures. Each carries what VerboseErrorsOnPromoteToCRM shows (status, Dataverse error
 * code, message, request id) and whether trying again later can help, so the pending-track queue and
 * the pane decide from the type, never from message text. The base they share with Graph's family
 * (detail, verbose message) is ServiceError in retryPolicy.ts.
 */
import { englishShortMessage, type AppMessageName, type WordedFailure } from '../i18n/failureWords';
import type { MessageParams } from '../i18n/messages';
import {
  describeFailure,
  NO_DETAIL,
  ServiceError,
  type RetryLaterFailure,
  type ServiceErrorDetail,
} from './retryPolicy';

/** Status, Dataverse's error code (e.g. `0x80040217`), request id, and the request. */
export type CrmErrorDetail = ServiceErrorDetail;

/** A Dataverse failure: the family the pending-track queue and the pane recognise as the CRM's. */
export abstract class CrmError extends ServiceError implements WordedFailure {
  abstract readonly shortKey: AppMessageName;
  readonly shortParams?: MessageParams;
  get shortMessage(): string {
    return englishShortMessage(this);
  }
}

/** 401 after one token refresh: the user must sign in again. */
export class CrmAuthError extends CrmError {
  override readonly name = 'CrmAuthError';
  readonly retryable = false;
  readonly shortKey = 'crmAuth';
}

/** 403: the user lacks a privilege (e.g. may not delete the activity). */
export class CrmForbiddenError extends CrmError {
  override readonly name = 'CrmForbiddenError';
  readonly retryable = false;
  readonly shortKey = 'crmForbidden';
}

export class CrmNotFoundError extends CrmError {
  override readonly name = 'CrmNotFoundError';
  readonly retryable = false;
  readonly shortKey = 'crmNotFound';
}

/** 412: someone changed the row since it was read. */
export class CrmConflictError extends CrmError {
  override readonly name = 'CrmConflictError';
  readonly retryable = false;
  readonly shortKey = 'crmConflict';
}

/** 400 and other client errors: the request is wrong; repeating it will not help. */
export class CrmRequestError extends CrmError {
  override readonly name = 'CrmRequestError';
  readonly retryable = false;
  readonly shortKey = 'crmRequest';
}

/** 429 or 5xx still failing after the retries: try again later. */
export class CrmUnavailableError extends CrmError implements RetryLaterFailure {
  override readonly name = 'CrmUnavailableError';
  readonly retryable = true;
  constructor(
    message: string,
    detail: CrmErrorDetail,
    /** When the server said to come back (429 Retry-After), as milliseconds from now. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message, detail);
  }
  readonly shortKey = 'crmUnavailable';
}

/** No response: offline, DNS, TLS, or the request timed out. */
export class CrmNetworkError extends CrmError {
  override readonly name = 'CrmNetworkError';
  readonly retryable = true;
  readonly shortKey = 'crmNetwork';
}

/** A response the adapter cannot read (not JSON, a batch part missing): a bug or a proxy in the way. */
export class CrmProtocolError extends CrmError {
  override readonly name = 'CrmProtocolError';
  readonly retryable = false;
  readonly shortKey = 'crmProtocol';
}

/**
 * Turns a non-2xx status and Dataverse's error JSON into the typed error; `retryAfter` (ms) is when
 * a 429 or 5xx says to come back.
 */
export function errorForStatus(
  status: number,
  body: unknown,
  requestId: string | null,
  request: string | null,
  retryAfter: number | null = null,
): CrmError {
  const { message, detail } = describeFailure('The CRM', status, body, requestId, request);
  if (status === 401) return new CrmAuthError(message, detail);
  if (status === 403) return new CrmForbiddenError(message, detail);
  if (status === 404) return new CrmNotFoundError(message, detail);
  if (status === 412) return new CrmConflictError(message, detail);
  if (status === 429 || status >= 500) return new CrmUnavailableError(message, detail, retryAfter);
  return new CrmRequestError(message, detail);
}

export function networkError(message: string, request: string | null): CrmNetworkError {
  return new CrmNetworkError(message, { ...NO_DETAIL, request });
}

export function protocolError(
  message: string,
  request: string | null,
  status: number | null = null,
): CrmProtocolError {
  return new CrmProtocolError(message, { ...NO_DETAIL, status, request });
}
