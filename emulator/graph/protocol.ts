/** Requests and responses as the Graph emulator's handlers see them, and Graph's error body. */
import { randomUUID } from 'node:crypto';

export interface GraphRequest {
  readonly method: string;
  /** Path and query under the version, e.g. `/me/messages?$top=5`. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface GraphResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** JSON value, written with JSON.stringify; undefined: no body. */
  readonly json?: unknown;
}

export interface RequestContext {
  /** `http://host:port/v1.0` */
  readonly baseUrl: string;
  readonly requestId: string;
  readonly clientRequestId: string;
  readonly now: Date;
}

export function newContext(baseUrl: string, headers: Readonly<Record<string, string>>): RequestContext {
  const requestId = randomUUID();
  return {
    baseUrl,
    requestId,
    clientRequestId: headers['client-request-id'] ?? requestId,
    now: new Date(),
  };
}

/** Graph's error body: `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`. */
export function graphError(
  ctx: RequestContext,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    json: {
      error: {
        code,
        message,
        innerError: {
          date: ctx.now.toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': ctx.requestId,
          'client-request-id': ctx.clientRequestId,
        },
      },
    },
  };
}

export function ok(json: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal; odata.streaming=true', ...headers },
    json,
  };
}

/** A request the emulator cannot read: Graph answers these 400 with these codes. */
export class BadRequest extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const NOT_FOUND_MESSAGE = 'The specified object was not found in the store.';

/** Exchange ids are base64 (often URL-safe) of at least a few dozen characters; anything else is "malformed". */
export function looksLikeId(text: string): boolean {
  return /^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(text);
}
