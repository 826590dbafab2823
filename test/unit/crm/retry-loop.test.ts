/**
 * The one retry loop both HTTP adapters send through (retryingFetch, src/crm/retryPolicy.ts), held to
 * tracking.md §5 ("a track that fails is retried (429/5xx/network) with back-off") and to the rules of
 * the two services: Retry-After honoured, writes not repeated once they may have happened, one token
 * refresh, waits capped. First the loop alone, then the same cases through both adapters.
 */
import { DataverseHttp } from '../../../src/crm/dataverseHttp';
import {
  CrmAuthError,
  CrmNetworkError,
  CrmRequestError,
  CrmUnavailableError,
  type CrmError,
} from '../../../src/crm/errors';
import {
  retryingFetch,
  type HttpAnswer,
  type RetryAdvice,
  type ServiceRules,
} from '../../../src/crm/retryPolicy';
import {
  GraphAuthError,
  GraphNetworkError,
  GraphRequestError,
  GraphThrottledError,
  GraphUnavailableError,
  type GraphError,
} from '../../../src/graph/errors';
import { GraphHttp } from '../../../src/graph/graphHttp';

type Step = Response | Error;

const NOW = Date.parse('2026-01-01T00:00:00Z');
const answer = (status: number, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify({ error: { code: 'c', message: `HTTP ${status}` } }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
const offline = () => new TypeError('fetch failed');

/** A fetch that answers from a script and records the Authorization header of each call. */
function scripted(steps: Step[]) {
  const authorizations: (string | undefined)[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    authorizations.push((init.headers as Record<string, string>).Authorization);
    const step = steps.shift();
    if (!step) throw new Error('no more scripted answers');
    if (step instanceof Error) throw step;
    return step;
  }) as unknown as typeof fetch;
  return { fetchImpl, authorizations };
}

/** What the loop ended in, in terms both families share. */
class Failed extends Error {
  constructor(
    readonly answer: HttpAnswer,
    readonly advice: RetryAdvice,
  ) {
    super(`failed with HTTP ${answer.status}`);
  }
}
class Lost extends Error {}

function loop(steps: Step[], rules: Partial<ServiceRules> = {}) {
  const { fetchImpl, authorizations } = scripted(steps);
  const waits: number[] = [];
  const waitsFor: [number, number, string][] = [];
  const tokensAsked: boolean[] = [];
  const logged: string[] = [];
  const http = retryingFetch(
    {
      fetch: fetchImpl,
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      now: () => NOW,
      timeoutMs: 1000,
      log: (message) => logged.push(message),
    },
    {
      service: 'The service',
      readsRetryAfter: () => true,
      tokens: {
        getToken: async () => {
          tokensAsked.push(false);
          return 'cached';
        },
        refreshToken: async () => {
          tokensAsked.push(true);
          return 'fresh';
        },
      },
      lost: (message) => new Lost(message),
      unreadable: (message) => new Error(message),
      failed: (response, _request, advice) => new Failed(response, advice),
      onWait: (status, ms, request) => waitsFor.push([status, ms, request]),
      ...rules,
    },
  );
  const send = (method: string, idempotent: boolean) =>
    http.send({ method, url: 'https://service.example/x', label: `${method} /x`, headers: {}, idempotent });
  return { http, send, waits, waitsFor, tokensAsked, authorizations, logged };
}

interface LoopCase {
  readonly rule: string;
  readonly method: 'GET' | 'POST';
  readonly steps: () => Step[];
  /** Each wait the loop took, in ms (back-off at random 0.5: 375, 750, 1500 for tries 1, 2, 3). */
  readonly waits: number[];
  readonly calls: number;
  /** 'ok', 'lost', or the status given up on with the advice the loop gave. */
  readonly end: 'ok' | 'lost' | { status: number; advice: RetryAdvice };
}

const busy = (seconds: string) => answer(429, { 'Retry-After': seconds });

const LOOP_CASES: LoopCase[] = [
  {
    rule: '429 with Retry-After in seconds: that wait, then again, even for a write (nothing was done)',
    method: 'POST',
    steps: () => [busy('7'), answer(204)],
    waits: [7000],
    calls: 2,
    end: 'ok',
  },
  {
    rule: '429 with Retry-After as an HTTP date: the wait until then',
    method: 'GET',
    steps: () => [busy('Thu, 01 Jan 2026 00:00:03 GMT'), answer(204)],
    waits: [3000],
    calls: 2,
    end: 'ok',
  },
  {
    rule: '429 without Retry-After: the back-off',
    method: 'POST',
    steps: () => [answer(429), answer(204)],
    waits: [375],
    calls: 2,
    end: 'ok',
  },
  {
    rule: '503 on a GET: the back-off, growing, until it answers',
    method: 'GET',
    steps: () => [answer(503), answer(503), answer(204)],
    waits: [375, 750],
    calls: 3,
    end: 'ok',
  },
  {
    rule: '503 with Retry-After on a GET: the wait it names',
    method: 'GET',
    steps: () => [answer(503, { 'Retry-After': '3' }), answer(204)],
    waits: [3000],
    calls: 2,
    end: 'ok',
  },
  {
    rule: '5xx on a POST: not repeated (it may have happened); the Retry-After is passed on',
    method: 'POST',
    steps: () => [answer(503, { 'Retry-After': '3' })],
    waits: [],
    calls: 1,
    end: { status: 503, advice: { retryAfterMs: 3000, waitMs: null } },
  },
  {
    rule: '500 on a GET that persists: the policy tries (4), then the last answer',
    method: 'GET',
    steps: () => [answer(500), answer(500), answer(500), answer(500)],
    waits: [375, 750, 1500],
    calls: 4,
    end: { status: 500, advice: { retryAfterMs: null, waitMs: 3000 } },
  },
  {
    rule: 'offline on a GET: the back-off, the policy tries, then lost',
    method: 'GET',
    steps: () => [offline(), offline(), offline(), offline()],
    waits: [375, 750, 1500],
    calls: 4,
    end: 'lost',
  },
  {
    rule: 'offline on a POST: lost at once (the write may have reached the service)',
    method: 'POST',
    steps: () => [offline()],
    waits: [],
    calls: 1,
    end: 'lost',
  },
  {
    rule: 'a GET that comes back after a lost response: one back-off',
    method: 'GET',
    steps: () => [offline(), answer(204)],
    waits: [375],
    calls: 2,
    end: 'ok',
  },
  {
    rule: '429 that keeps coming: the policy tries, then the last answer with its wait',
    method: 'GET',
    steps: () => [busy('2'), busy('2'), busy('2'), busy('2')],
    waits: [2000, 2000, 2000],
    calls: 4,
    end: { status: 429, advice: { retryAfterMs: 2000, waitMs: 2000 } },
  },
  {
    rule: 'a Retry-After longer than the policy allows (60 s) is not waited for: the caller comes back',
    method: 'GET',
    steps: () => [busy('600')],
    waits: [],
    calls: 1,
    end: { status: 429, advice: { retryAfterMs: 600_000, waitMs: 600_000 } },
  },
  {
    rule: '400: refused, never repeated, no wait to advise',
    method: 'GET',
    steps: () => [answer(400, { 'Retry-After': '1' })],
    waits: [],
    calls: 1,
    end: { status: 400, advice: { retryAfterMs: 1000, waitMs: null } },
  },
];

describe('tracking.md §5 retries (429/5xx/network) with back-off: the shared loop', () => {
  test.each(LOOP_CASES)('$rule', async ({ method, steps, waits, calls, end }) => {
    const run = loop(steps());
    const outcome = await run.send(method, method === 'GET').then(
      () => 'ok' as const,
      (error: unknown) => error,
    );
    expect(run.waits).toEqual(waits);
    expect(run.authorizations).toHaveLength(calls);
    if (end === 'ok') expect(outcome).toBe('ok');
    else if (end === 'lost') expect(outcome).toBeInstanceOf(Lost);
    else {
      expect(outcome).toBeInstanceOf(Failed);
      expect((outcome as Failed).answer.status).toBe(end.status);
      expect((outcome as Failed).advice).toEqual(end.advice);
    }
  });

  test('a service whose Retry-After is not read for a status waits the back-off instead', async () => {
    const run = loop([answer(503, { 'Retry-After': '3' }), answer(204)], {
      readsRetryAfter: (status) => status === 429,
    });
    await run.send('GET', true);
    expect(run.waits).toEqual([375]);
  });

  test('401: the token is refreshed once and the request sent again; a second 401 is the failure', async () => {
    const once = loop([answer(401), answer(204)]);
    await once.send('POST', false);
    expect(once.authorizations).toEqual(['Bearer cached', 'Bearer fresh']);
    expect(once.waits).toEqual([]);

    const twice = loop([answer(401), answer(401)]);
    const error = await twice.send('GET', true).catch((e: unknown) => e);
    expect((error as Failed).answer.status).toBe(401);
    expect(twice.tokensAsked).toEqual([false, true]);
  });

  test('a refreshed token does not use up a try: 401 then three 503s still gets the fourth try', async () => {
    const run = loop([answer(401), answer(503), answer(503), answer(503), answer(204)]);
    await run.send('GET', true);
    expect(run.authorizations).toHaveLength(5);
    expect(run.waits).toEqual([375, 750, 1500]);
  });

  test('a timeout is lost, and says how long it waited', async () => {
    const hang = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      )) as unknown as typeof fetch;
    const http = retryingFetch(
      { fetch: hang, timeoutMs: 20 },
      {
        service: 'The service',
        readsRetryAfter: () => true,
        tokens: { getToken: async () => null, refreshToken: async () => null },
        lost: (message) => new Lost(message),
        unreadable: (message) => new Error(message),
        failed: (response, _request, advice) => new Failed(response, advice),
      },
    );
    const error = await http
      .send({
        method: 'POST',
        url: 'https://service.example/x',
        label: 'POST /x',
        headers: {},
        idempotent: false,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Lost);
    expect((error as Lost).message).toBe('The service did not answer within 0.02 s.');
  });

  test('every wait a 429 or 5xx makes is told to the adapter (status, ms, request); a lost response is logged with its cause', async () => {
    const run = loop([busy('2'), answer(502), offline(), answer(204)]);
    await run.send('GET', true);
    expect(run.waitsFor).toEqual([
      [429, 2000, 'GET /x'],
      [502, 750, 'GET /x'],
    ]);
    expect(run.logged).toEqual(['GET /x: try 3 failed, trying again']);
  });

  test('no token: no Authorization header', async () => {
    const run = loop([answer(204)], {
      tokens: { getToken: async () => null, refreshToken: async () => null },
    });
    await run.send('GET', true);
    expect(run.authorizations).toEqual([undefined]);
  });

  test('requests are counted, retries included', async () => {
    const run = loop([answer(503), answer(204)]);
    await run.send('GET', true);
    expect(run.http.requests()).toBe(2);
  });
});

/** The two adapters over the same loop: the same cases end in each family's own error class. */
const transport = (fetchImpl: typeof fetch, waits: number[]) => ({
  tokens: { getToken: async () => 't1', refreshToken: async () => 't2' },
  fetch: fetchImpl,
  sleep: async (ms: number) => {
    waits.push(ms);
  },
  random: () => 0.5,
  now: () => NOW,
});
const ADAPTERS = {
  Dataverse: (fetchImpl: typeof fetch, waits: number[]) =>
    new DataverseHttp({ orgUrl: 'https://org.example', ...transport(fetchImpl, waits) }),
  Graph: (fetchImpl: typeof fetch, waits: number[]) => new GraphHttp(transport(fetchImpl, waits)),
};

type Family = keyof typeof ADAPTERS;
type ErrorClass = abstract new (...args: never[]) => CrmError | GraphError;

interface AdapterCase {
  readonly rule: string;
  readonly method: 'GET' | 'PATCH';
  readonly steps: () => Step[];
  readonly waits: Record<Family, number[]>;
  readonly error: Record<Family, ErrorClass> | null;
  readonly retryAfterMs?: Record<Family, number | null>;
}

const ADAPTER_CASES: AdapterCase[] = [
  {
    rule: '429 with Retry-After on a write: waited, sent again',
    method: 'PATCH',
    steps: () => [busy('7'), answer(204)],
    waits: { Dataverse: [7000], Graph: [7000] },
    error: null,
  },
  {
    rule: '429 past the policy tries: retry-later, carrying the wait',
    method: 'GET',
    steps: () => [busy('2'), busy('2'), busy('2'), busy('2')],
    waits: { Dataverse: [2000, 2000, 2000], Graph: [2000, 2000, 2000] },
    error: { Dataverse: CrmUnavailableError, Graph: GraphThrottledError },
    retryAfterMs: { Dataverse: 2000, Graph: 2000 },
  },
  {
    rule: '429 without Retry-After past the tries: Dataverse advises its back-off, Graph names no time',
    method: 'GET',
    steps: () => [answer(429), answer(429), answer(429), answer(429)],
    waits: { Dataverse: [375, 750, 1500], Graph: [375, 750, 1500] },
    error: { Dataverse: CrmUnavailableError, Graph: GraphThrottledError },
    retryAfterMs: { Dataverse: 3000, Graph: null },
  },
  {
    rule: "503 with Retry-After on a GET: Graph waits what it names, Dataverse's 5xx the back-off",
    method: 'GET',
    steps: () => [answer(503, { 'Retry-After': '3' }), answer(204)],
    waits: { Dataverse: [375], Graph: [3000] },
    error: null,
  },
  {
    rule: '5xx on a write: not repeated, retry-later',
    method: 'PATCH',
    steps: () => [answer(503, { 'Retry-After': '3' })],
    waits: { Dataverse: [], Graph: [] },
    error: { Dataverse: CrmUnavailableError, Graph: GraphUnavailableError },
    retryAfterMs: { Dataverse: null, Graph: 3000 },
  },
  {
    rule: 'offline on a write: not repeated, a network error',
    method: 'PATCH',
    steps: () => [offline()],
    waits: { Dataverse: [], Graph: [] },
    error: { Dataverse: CrmNetworkError, Graph: GraphNetworkError },
  },
  {
    rule: '401 twice: one refresh, then the sign-in error',
    method: 'GET',
    steps: () => [answer(401), answer(401)],
    waits: { Dataverse: [], Graph: [] },
    error: { Dataverse: CrmAuthError, Graph: GraphAuthError },
  },
  {
    rule: '400: the request error, not repeated',
    method: 'GET',
    steps: () => [answer(400)],
    waits: { Dataverse: [], Graph: [] },
    error: { Dataverse: CrmRequestError, Graph: GraphRequestError },
  },
];

describe.each(Object.keys(ADAPTERS) as Family[])('%s over the shared loop', (family) => {
  test.each(ADAPTER_CASES)('$rule', async ({ method, steps, waits, error, retryAfterMs }) => {
    const { fetchImpl } = scripted(steps());
    const taken: number[] = [];
    const http = ADAPTERS[family](fetchImpl, taken);
    const outcome = await http
      .send(method, '/x', { idempotent: method === 'GET', ...(method === 'PATCH' ? { body: {} } : {}) })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(taken).toEqual(waits[family]);
    if (!error) expect(outcome).toBeNull();
    else {
      expect(outcome).toBeInstanceOf(error[family]);
      // One family never passes for the other: the queue tells the CRM's failures from the mailbox's.
      expect(outcome).not.toBeInstanceOf(
        family === 'Dataverse' ? GraphUnavailableError : CrmUnavailableError,
      );
      if (retryAfterMs)
        expect((outcome as { retryAfterMs: unknown }).retryAfterMs).toBe(retryAfterMs[family]);
    }
  });
});
