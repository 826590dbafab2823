/**
 * Dataverse `$batch` bodies: multipart/mixed out, multipart/mixed in (dataverse-facts.md). GETs go
 * as parts of their own; writes go in changesets, which Dataverse applies atomically, and a part's
 * Content-ID lets a later part of the same changeset refer to what it created as `$n`.
 */
import { protocolError } from './errors';

export interface BatchRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the API root (`contacts?$filter=…`), or `$n` for a row created earlier in the changeset. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A GET on its own, or writes applied all or nothing. */
export type BatchItem =
  | { readonly kind: 'request'; readonly request: BatchRequest }
  | { readonly kind: 'changeset'; readonly requests: readonly BatchRequest[] };

export interface BatchResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: unknown;
  /** The Content-ID of the request it answers, when it had one. */
  readonly contentId: string | null;
}

let counter = 0;
const boundaryName = (kind: 'batch' | 'changeset'): string => {
  counter = (counter + 1) % 1_000_000;
  return `${kind}_tic${Date.now().toString(36)}${counter}`;
};

function requestPart(request: BatchRequest, apiRoot: string, contentId: number | null): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== null) lines.push(`Content-ID: ${contentId}`);
  lines.push('');
  // `$n` references stay bare: Dataverse resolves them within the changeset.
  const url = request.path.startsWith('$') ? request.path : `${apiRoot}${request.path}`;
  lines.push(`${request.method} ${url} HTTP/1.1`);
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json; type=entry';
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push('');
  lines.push(request.body !== undefined ? JSON.stringify(request.body) : '');
  return lines.join('\r\n');
}

/**
 * Builds the body of one `$batch`. `apiRoot` is the absolute API URL ending in `/`, as Dataverse
 * wants absolute request lines. Returns the body and its Content-Type. Content-IDs of changeset
 * parts are their 1-based position in the changeset.
 */
export function buildBatch(
  items: readonly BatchItem[],
  apiRoot: string,
): { body: string; contentType: string } {
  const batch = boundaryName('batch');
  const chunks: string[] = [];
  for (const item of items) {
    if (item.kind === 'request') {
      if (item.request.method !== 'GET') throw new TypeError('writes go in a changeset');
      chunks.push(`--${batch}\r\n${requestPart(item.request, apiRoot, null)}`);
      continue;
    }
    const changeset = boundaryName('changeset');
    const parts = item.requests.map((r, i) => {
      if (r.method === 'GET') throw new TypeError('no GET inside a changeset');
      return `--${changeset}\r\n${requestPart(r, apiRoot, i + 1)}`;
    });
    chunks.push(
      `--${batch}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n${parts.join('\r\n')}\r\n--${changeset}--`,
    );
  }
  return {
    body: `${chunks.join('\r\n')}\r\n--${batch}--\r\n`,
    contentType: `multipart/mixed; boundary=${batch}`,
  };
}

function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** Splits a header block into a map with lower-cased names. */
function readHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function splitHead(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return [text, ''];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

function parts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const pieces = body.split(delimiter);
  const out: string[] = [];
  // pieces[0] is the preamble; a piece starting with "--" is the closing delimiter's epilogue.
  for (const piece of pieces.slice(1)) {
    if (piece.startsWith('--')) break;
    out.push(piece.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
  }
  return out;
}

function readResponsePart(part: string, request: string): BatchResponse {
  const [outer, inner] = splitHead(part);
  const outerHeaders = readHeaders(outer);
  const [head, rawBody] = splitHead(inner);
  const [statusLine, ...headerLines] = head.split(/\r?\n/);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!status)
    throw protocolError(
      `a $batch part has no HTTP status line: ${JSON.stringify((statusLine ?? '').slice(0, 80))}`,
      request,
    );
  const headers = readHeaders(headerLines.join('\n'));
  const text = rawBody.trim();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML page, plain text): kept as text, so the caller's typed error
      // still carries the status and the text is there for the diagnostics log.
      body = text;
    }
  }
  return { status: Number(status[1]), headers, body, contentId: outerHeaders.get('content-id') ?? null };
}

/**
 * Reads a `$batch` response: one entry per batch item, in order. A changeset that succeeded is an
 * array (one response per request); a changeset that failed is ONE error response, as Dataverse
 * answers a rolled-back changeset with the failing request's error alone.
 */
export function parseBatchResponse(
  body: string,
  contentType: string,
  request = 'POST $batch',
): (BatchResponse | BatchResponse[])[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw protocolError('the $batch response has no multipart boundary', request);
  const responses: (BatchResponse | BatchResponse[])[] = [];
  for (const part of parts(body, boundary)) {
    const [head, rest] = splitHead(part);
    const nested = readHeaders(head).get('content-type') ?? '';
    if (/^multipart\/mixed/i.test(nested)) {
      const inner = boundaryOf(nested);
      if (!inner) throw protocolError('a changeset in the $batch response has no boundary', request);
      responses.push(parts(rest, inner).map((p) => readResponsePart(p, request)));
    } else responses.push(readResponsePart(part, request));
  }
  return responses;
}

/**
 * A changeset's outcome as the caller must see it: all its parts 2xx → the parts; any part failed
 * → that part alone, since Dataverse rolled the whole changeset back (nothing was created, so no
 * part may be reported as created, whatever status the other parts carry).
 */
export function changesetOutcome(parts: readonly BatchResponse[]): BatchResponse | BatchResponse[] {
  const failed = parts.find((p) => p.status >= 300);
  return failed ?? [...parts];
}

/**
 * The failing request's answer inside a `$batch` that Dataverse answered with a 4xx/5xx status
 * (no `odata.continue-on-error`): the body may still be multipart, holding the parts run so far and
 * the failed one last. Returns the first part with an error status, or null when the body holds
 * none (then the body is the error JSON itself).
 */
export function failedPartOf(body: string, contentType: string): BatchResponse | null {
  if (!/^multipart\/mixed/i.test(contentType)) return null;
  let responses: (BatchResponse | BatchResponse[])[];
  try {
    responses = parseBatchResponse(body, contentType);
  } catch {
    return null; // unreadable multipart: the caller types the error from the status alone
  }
  for (const item of responses) {
    const part = Array.isArray(item) ? item.find((p) => p.status >= 300) : item;
    if (part && part.status >= 300) return part;
  }
  return null;
}
