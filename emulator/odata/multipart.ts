/** `multipart/mixed` reading and writing for `$batch` (RFC 2046 as Dataverse uses it). */

export interface MimePart {
  /** Header names lower-cased. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface HttpMessage {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/mixed\b/i.test(contentType.trim())) return null;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? ((m[1] ?? m[2]) as string) : null;
}

function splitHead(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: '' };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

function parseHeaderLines(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

/** The parts between `--boundary` delimiters; preamble and epilogue are ignored. */
export function parseMultipart(body: string, boundary: string): MimePart[] | null {
  const delimiter = `--${boundary}`;
  const segments = body.split(delimiter);
  if (segments.length < 2) return null;
  const parts: MimePart[] = [];
  for (const segment of segments.slice(1)) {
    if (segment.startsWith('--')) break; // closing delimiter
    const content = segment.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, '');
    const { head, body: partBody } = splitHead(content);
    parts.push({ headers: parseHeaderLines(head.split(/\r?\n/)), body: partBody });
  }
  return parts;
}

/** An `application/http` part's content: request line, headers, body. */
export function parseHttpRequest(text: string): HttpMessage | null {
  const { head, body } = splitHead(text.replace(/^(\r?\n)+/, ''));
  const [requestLine = '', ...headerLines] = head.split(/\r?\n/);
  const m = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d\.\d)?\s*$/.exec(requestLine.trim());
  if (!m) return null;
  return {
    method: m[1] as string,
    url: m[2] as string,
    headers: parseHeaderLines(headerLines),
    body: body.replace(/(\r?\n)+$/, ''),
  };
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

export interface HttpResponsePart {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly contentId?: string;
}

/** One `application/http` response part (with its MIME headers). */
export function writeHttpPart(response: HttpResponsePart): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (response.contentId !== undefined) lines.push(`Content-ID: ${response.contentId}`);
  lines.push('', `HTTP/1.1 ${response.status} ${reasonPhrase(response.status)}`);
  for (const [name, value] of Object.entries(response.headers)) lines.push(`${name}: ${value}`);
  lines.push('', response.body ?? '');
  return lines.join('\r\n');
}

/** A multipart body from already-written parts, each `{ contentType?, text }`. */
export function writeMultipart(boundary: string, parts: readonly string[]): string {
  return `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
}
