import type { TokenProvider } from '../../../src/crm/auth';
import { DataverseHttp } from '../../../src/crm/dataverseHttp';
import {
  CrmAuthError,
  CrmConflictError,
  CrmForbiddenError,
  CrmNetworkError,
  CrmNotFoundError,
  CrmRequestError,
  CrmUnavailableError,
} from '../../../src/crm/errors';

type Step = Response | Error | ((url: string, init: RequestInit) => Response);

/** A fetch that answers from a script and records what it was asked. */
function scripted(steps: Step[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const step = steps.shift();
    if (!step) throw new Error('no more scripted answers');
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(url, init) : step;
  }) as unknown as typeof fetch;
  return { fetchImpl, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
const dvError = (status: number, code: string, message: string, requestId = 'req-1') =>
  json(status, { error: { code, message } }, { 'x-ms-service-request-id': requestId });

function client(steps: Step[], tokens?: TokenProvider) {
  const { fetchImpl, calls } = scripted(steps);
  const waits: number[] = [];
  const http = new DataverseHttp({
    orgUrl: 'https://org.example/',
    tokens: tokens ?? { getToken: async () => 't1', refreshToken: async () => 't2' },
    fetch: fetchImpl,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    timeoutMs: 1000,
  });
  return { http, calls, waits };
}

describe('Dataverse HTTP: faults', () => {
  test('sends the OData headers and the bearer token to the v9.2 root', async () => {
    const { http, calls } = client([json(200, { UserId: 'u' })]);
    await http.send('GET', 'WhoAmI', { idempotent: true });
    expect(calls[0]?.url).toBe('https://org.example/api/data/v9.2/WhoAmI');
    expect(calls[0]?.init.headers).toMatchObject({
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      Authorization: 'Bearer t1',
    });
  });

  test('429 is honoured with its Retry-After (seconds), for writes too', async () => {
    const { http, waits, calls } = client([
      new Response(null, { status: 429, headers: { 'Retry-After': '7' } }),
      new Response(null, { status: 204 }),
    ]);
    await http.send('PATCH', 'emails(1)', { idempotent: false, body: {} });
    expect(waits).toEqual([7000]);
    expect(calls).toHaveLength(2);
  });

  test('429 with an HTTP-date Retry-After waits until then', async () => {
    const { http, waits } = client([
      new Response(null, { status: 429, headers: { 'Retry-After': 'Thu, 01 Jan 2026 00:00:03 GMT' } }),
      json(200, {}),
    ]);
    await http.send('GET', 'x', { idempotent: true });
    expect(waits).toEqual([3000]);
  });

  test('429 that keeps coming ends in CrmUnavailableError carrying the wait', async () => {
    const busy = () => new Response(null, { status: 429, headers: { 'Retry-After': '2' } });
    const { http } = client([busy(), busy(), busy(), busy()]);
    const error = await http.send('GET', 'x', { idempotent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmUnavailableError);
    expect((error as CrmUnavailableError).retryAfterMs).toBe(2000);
    expect((error as CrmUnavailableError).retryable).toBe(true);
  });

  test('a Retry-After longer than the policy allows is not waited for: the caller queues', async () => {
    const { http, waits } = client([new Response(null, { status: 429, headers: { 'Retry-After': '600' } })]);
    const error = await http.send('GET', 'x', { idempotent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmUnavailableError);
    expect(waits).toEqual([]);
  });

  test('5xx on a GET is retried with capped exponential back-off and jitter', async () => {
    const { http, waits } = client([
      dvError(503, 'x', 'down'),
      dvError(502, 'x', 'down'),
      json(200, { ok: 1 }),
    ]);
    const result = await http.send('GET', 'x', { idempotent: true });
    expect(result.body).toEqual({ ok: 1 });
    expect(waits).toEqual([375, 750]); // half fixed + half × 0.5 of 500 ms, then of 1,000 ms
  });

  test('5xx that persists ends in CrmUnavailableError with the code and request id', async () => {
    const { http } = client([
      dvError(500, '0x1', 'a'),
      dvError(500, '0x1', 'b'),
      dvError(500, '0x1', 'c'),
      dvError(500, '0x80040216', 'last', 'req-9'),
    ]);
    const error = (await http
      .send('GET', 'x', { idempotent: true })
      .catch((e: unknown) => e)) as CrmUnavailableError;
    expect(error).toBeInstanceOf(CrmUnavailableError);
    expect(error.detail).toMatchObject({ status: 500, code: '0x80040216', requestId: 'req-9' });
    expect(error.verboseMessage).toBe('last · HTTP 500 · code 0x80040216 · request req-9');
  });

  test('a write is not repeated after a 5xx or a lost response (it may have happened)', async () => {
    const a = client([dvError(503, 'x', 'down')]);
    await expect(a.http.send('POST', 'emails', { idempotent: false, body: {} })).rejects.toBeInstanceOf(
      CrmUnavailableError,
    );
    expect(a.calls).toHaveLength(1);
    const b = client([new TypeError('fetch failed')]);
    await expect(b.http.send('POST', 'emails', { idempotent: false, body: {} })).rejects.toBeInstanceOf(
      CrmNetworkError,
    );
    expect(b.calls).toHaveLength(1);
  });

  test('offline: a GET is retried, then CrmNetworkError', async () => {
    const { http, calls } = client([
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
    ]);
    const error = await http.send('GET', 'x', { idempotent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmNetworkError);
    expect(calls).toHaveLength(4);
  });

  test('a timeout is a CrmNetworkError that says so', async () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    const { http } = client([timeout]);
    const error = (await http
      .send('POST', 'x', { idempotent: false })
      .catch((e: unknown) => e)) as CrmNetworkError;
    expect(error).toBeInstanceOf(CrmNetworkError);
    expect(error.message).toMatch(/did not answer within 1 s/);
  });

  test('401: one token refresh, then the request again with the new token', async () => {
    const { http, calls } = client([dvError(401, '0x80040220', 'expired'), json(200, {})]);
    await http.send('GET', 'x', { idempotent: true });
    expect((calls[1]?.init.headers as Record<string, string>).Authorization).toBe('Bearer t2');
  });

  test('401 after the refresh: CrmAuthError', async () => {
    const { http } = client([dvError(401, 'a', 'expired'), dvError(401, 'b', 'still')]);
    await expect(http.send('GET', 'x', { idempotent: true })).rejects.toBeInstanceOf(CrmAuthError);
  });

  test.each<[number, unknown]>([
    [403, CrmForbiddenError],
    [404, CrmNotFoundError],
    [412, CrmConflictError],
    [400, CrmRequestError],
  ])(
    "%s is a typed error with Dataverse's code, message and request id, not retried",
    async (status, type) => {
      const { http, calls } = client([dvError(status, '0x80040217', 'Nope', 'req-42')]);
      const error = (await http
        .send('GET', 'x', { idempotent: true })
        .catch((e: unknown) => e)) as CrmForbiddenError;
      expect(error).toBeInstanceOf(type as never);
      expect(error.detail).toEqual({ status, code: '0x80040217', requestId: 'req-42', request: 'GET x' });
      expect(error.message).toBe('Nope');
      expect(calls).toHaveLength(1);
    },
  );

  test('paging follows @odata.nextLink unchanged and asks for a page size', async () => {
    const next = 'https://org.example/api/data/v9.2/contacts?$skiptoken=abc';
    const { http, calls } = client([
      json(200, { value: [{ a: 1 }], '@odata.nextLink': next }),
      json(200, { value: [{ a: 2 }] }),
    ]);
    expect(await http.getAll('contacts', 1)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(calls[1]?.url).toBe(next);
    expect((calls[0]?.init.headers as Record<string, string>).Prefer).toContain('odata.maxpagesize=1');
  });

  test('no token for the emulator: no Authorization header', async () => {
    const { http, calls } = client([json(200, {})], {
      getToken: async () => null,
      refreshToken: async () => null,
    });
    await http.send('GET', 'x', { idempotent: true });
    expect(calls[0]?.init.headers).not.toHaveProperty('Authorization');
  });
});

describe('Dataverse HTTP: a batch stopped at a failed part', () => {
  test("the failed part's own error is thrown, typed (a 503 part is retryable, not a protocol error)", async () => {
    const body = [
      '--b',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 503 Service Unavailable',
      'Content-Type: application/json',
      '',
      '{"error":{"code":"0x80040216","message":"busy"}}',
      '--b--',
      '',
    ].join('\r\n');
    const { http } = client([
      new Response(body, { status: 200, headers: { 'Content-Type': 'multipart/mixed; boundary=b' } }),
    ]);
    const error = await http
      .batch([
        { kind: 'request', request: { method: 'GET', path: 'contacts' } },
        { kind: 'request', request: { method: 'GET', path: 'leads' } },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmUnavailableError);
    expect((error as CrmUnavailableError).detail.code).toBe('0x80040216');
  });
});

describe('Dataverse HTTP: the two shapes of a failed $batch', () => {
  const multipart = (lines: string[]) => lines.join('\r\n');
  const twoGets = [
    { kind: 'request' as const, request: { method: 'GET' as const, path: 'contacts' } },
    { kind: 'request' as const, request: { method: 'GET' as const, path: 'leads' } },
  ];

  test('without continue-on-error: the batch answers 400, a multipart body with the failed part; its code and message are read', async () => {
    const body = multipart([
      '--b',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json',
      '',
      '{"value":[]}',
      '--b',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json',
      '',
      '{"error":{"code":"0x80060888","message":"Invalid JSON in PropertyValues"}}',
      '--b--',
      '',
    ]);
    const { http, calls } = client([
      new Response(body, { status: 400, headers: { 'Content-Type': 'multipart/mixed; boundary=b' } }),
    ]);
    const error = await http.batch(twoGets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmRequestError);
    expect((error as CrmRequestError).detail).toMatchObject({ status: 400, code: '0x80060888' });
    expect((error as CrmRequestError).message).toBe('Invalid JSON in PropertyValues');
    expect(calls).toHaveLength(1); // a 400 is not retried
    expect((calls[0]?.init.headers as Record<string, string>).Prefer).not.toContain('continue-on-error');
  });

  test('without continue-on-error: a 403 with the error JSON as the body is typed too', async () => {
    const { http } = client([dvError(403, '0x80040220', 'no privilege')]);
    const error = await http.batch(twoGets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmForbiddenError);
    expect((error as CrmForbiddenError).detail.code).toBe('0x80040220');
  });

  test('with continue-on-error: 200, each part carries its status; a changeset with a failed part is one error, nothing reported created', async () => {
    const body = multipart([
      '--b',
      'Content-Type: multipart/mixed; boundary=cs1',
      '',
      '--cs1',
      'Content-Type: application/http',
      'Content-ID: 1',
      '',
      'HTTP/1.1 204 No Content',
      'OData-EntityId: https://org.example/api/data/v9.2/emails(11111111-1111-4111-8111-111111111111)',
      '',
      '',
      '--cs1',
      'Content-Type: application/http',
      'Content-ID: 2',
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json',
      '',
      '{"error":{"code":"0x80044331","message":"subject is too long"}}',
      '--cs1--',
      '--b',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json',
      '',
      '{"value":[]}',
      '--b--',
      '',
    ]);
    const { http, calls } = client([
      new Response(body, { status: 200, headers: { 'Content-Type': 'multipart/mixed; boundary=b' } }),
    ]);
    const responses = await http.batch(
      [
        {
          kind: 'changeset',
          requests: [
            { method: 'POST', path: 'emails', body: {} },
            { method: 'PATCH', path: '$1', body: {} },
          ],
        },
        { kind: 'request', request: { method: 'GET', path: 'contacts' } },
      ],
      { continueOnError: true },
    );
    expect((calls[0]?.init.headers as Record<string, string>).Prefer).toContain('odata.continue-on-error');
    expect(Array.isArray(responses[0])).toBe(false);
    expect(responses[0]).toMatchObject({ status: 400, body: { error: { code: '0x80044331' } } });
    expect(responses[1]).toMatchObject({ status: 200 });
  });
});

describe('Dataverse HTTP: nothing dropped without a word', () => {
  test('a failure that is retried (and so not thrown) goes to the log', async () => {
    const { fetchImpl } = scripted([new TypeError('fetch failed'), json(200, { value: [] })]);
    const logged: [string, unknown][] = [];
    const http = new DataverseHttp({
      orgUrl: 'https://org.example/',
      tokens: { getToken: async () => null, refreshToken: async () => null },
      fetch: fetchImpl,
      sleep: async () => {},
      log: (message, error) => logged.push([message, error]),
    });
    await http.send('GET', 'contacts', { idempotent: true });
    expect(logged).toHaveLength(1);
    expect(logged[0]?.[0]).toMatch(/GET contacts: try 1 failed/);
    expect(logged[0]?.[1]).toBeInstanceOf(TypeError);
  });

  test('an error response whose JSON does not parse is logged, and still thrown typed by its status', async () => {
    const logged: string[] = [];
    const { fetchImpl } = scripted([
      new Response('{not json', { status: 400, headers: { 'Content-Type': 'application/json' } }),
    ]);
    const http = new DataverseHttp({
      orgUrl: 'https://org.example/',
      tokens: { getToken: async () => null, refreshToken: async () => null },
      fetch: fetchImpl,
      log: (message) => logged.push(message),
    });
    await expect(http.send('GET', 'contacts', { idempotent: true })).rejects.toBeInstanceOf(CrmRequestError);
    expect(logged.join()).toMatch(/does not parse/);
  });
});

describe('Dataverse HTTP: onThrottled, so the pane can say the CRM asked it to wait', () => {
  function throttledClient(steps: Step[]) {
    const { fetchImpl } = scripted(steps);
    const told: number[] = [];
    const http = new DataverseHttp({
      orgUrl: 'https://org.example/',
      tokens: { getToken: async () => null, refreshToken: async () => null },
      fetch: fetchImpl,
      sleep: async () => {},
      random: () => 0.5,
      now: () => Date.parse('2026-01-01T00:00:00Z'),
      onThrottled: (waitSeconds) => told.push(waitSeconds),
    });
    return { http, told };
  }

  test.each<[string, () => Step[], boolean, number[]]>([
    [
      '429 without Retry-After: the back-off, in seconds',
      () => [dvError(429, 'x', 'busy'), json(200, {})],
      true,
      [0.375],
    ],
    [
      '429 with Retry-After 7 on a write: 7',
      () => [new Response(null, { status: 429, headers: { 'Retry-After': '7' } }), json(200, {})],
      false,
      [7],
    ],
    [
      '503 on a GET: the back-off, in seconds',
      () => [dvError(503, 'x', 'down'), json(200, {})],
      true,
      [0.375],
    ],
    [
      'each wait of a 429 storm, not the last answer given up on',
      () => [dvError(429, 'x', 'a'), dvError(429, 'x', 'b'), dvError(429, 'x', 'c'), dvError(429, 'x', 'd')],
      true,
      [0.375, 0.75, 1.5],
    ],
    [
      '500 on a GET: waited, but the CRM asked nothing',
      () => [dvError(500, 'x', 'bug'), json(200, {})],
      true,
      [],
    ],
    ['503 on a write: not waited for (not repeated)', () => [dvError(503, 'x', 'down')], false, []],
    [
      'a Retry-After past the policy: not waited for, so not told',
      () => [new Response(null, { status: 429, headers: { 'Retry-After': '600' } })],
      true,
      [],
    ],
    [
      'a lost response: no answer, nothing asked',
      () => [new TypeError('fetch failed'), json(200, {})],
      true,
      [],
    ],
  ])('%s', async (_rule, steps, idempotent, expected) => {
    const { http, told } = throttledClient(steps());
    await http.send(idempotent ? 'GET' : 'PATCH', 'x', { idempotent }).catch(() => undefined);
    expect(told).toEqual(expected);
  });
});
