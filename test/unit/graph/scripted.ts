/** A fetch that answers Graph requests from a script and records what it was asked. */
import type { TokenProvider } from '../../../src/crm/auth';
import { GraphHttp } from '../../../src/graph/graphHttp';

export type Step = Response | Error | ((url: string, init: RequestInit) => Response);

export interface Call {
  readonly url: string;
  readonly init: RequestInit;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export const BASE = 'https://graph.microsoft.com/v1.0';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

export const graphError = (status: number, code: string, headers: Record<string, string> = {}): Response =>
  json(status, { error: { code, message: `${code} happened` } }, { 'request-id': 'req-1', ...headers });

export function scriptedGraph(steps: Step[], tokens?: TokenProvider) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ url, init, headers: (init.headers ?? {}) as Record<string, string>, body });
    const step = steps.shift();
    if (!step) throw new Error(`no more scripted answers (${init.method} ${url})`);
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(url, init) : step;
  }) as unknown as typeof fetch;
  const waits: number[] = [];
  const http = new GraphHttp({
    tokens: tokens ?? { getToken: async () => 't1', refreshToken: async () => 't2' },
    fetch: fetchImpl,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    timeoutMs: 1000,
  });
  return { http, calls, waits, steps };
}
