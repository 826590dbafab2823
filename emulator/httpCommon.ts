/**
 * What both emulators' HTTP servers share (the Dataverse one in server.ts, the Graph one in
 * graph/server.ts): reading a request, which origins may call them, the request log, and the fault
 * injection endpoint. Each server still answers in its own service's error shape.
 */
import type http from 'node:http';
import type { Faults, FaultSpec } from './faults';

export function headerMap(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * An origin on this machine (the dev server, the workbench, the tests' static server). The emulators
 * have no sign-in, so any other web page the developer visits must not read or change them.
 */
export function isLocalOrigin(origin: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

/** `true` logs one line per request to stderr; a function receives each line; else no log. */
export function requestLog(
  option: boolean | ((line: string) => void) | undefined,
): ((line: string) => void) | null {
  if (option === true) return (line: string) => process.stderr.write(`${line}\n`);
  return typeof option === 'function' ? option : null;
}

/** What `/_emulator/faults` answers, before a server puts it in its own shape. */
export type FaultsAnswer =
  | { readonly status: 200 | 201 | 204; readonly json?: unknown }
  | { readonly status: 400 | 405; readonly error: string };

/** `/_emulator/faults`: POST adds (one or a list), GET lists, DELETE clears. */
export function faultsEndpoint(faults: Faults, method: string, body: string): FaultsAnswer {
  if (method === 'DELETE') {
    faults.clear();
    return { status: 204 };
  }
  if (method === 'GET') return { status: 200, json: { value: faults.active() } };
  if (method === 'POST') {
    try {
      const parsed = JSON.parse(body) as FaultSpec | FaultSpec[];
      const added = (Array.isArray(parsed) ? parsed : [parsed]).map((spec) => faults.add(spec));
      return { status: 201, json: { value: added } };
    } catch (error) {
      return { status: 400, error: `Bad fault: ${(error as Error).message}` };
    }
  }
  return { status: 405, error: 'Use POST, GET or DELETE on /_emulator/faults.' };
}

export const FAULTS_PATH = '/_emulator/faults';
