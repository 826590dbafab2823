import {
  GraphAuthError,
  GraphConflictError,
  GraphForbiddenError,
  GraphNetworkError,
  GraphNotFoundError,
  GraphProtocolError,
  GraphRequestError,
  GraphResyncError,
  GraphThrottledError,
  GraphUnavailableError,
} from '../../../src/graph/errors';
import { GraphHttp, partError, type GraphBatchRequest } from '../../../src/graph/graphHttp';
import { BASE, graphError, json, scriptedGraph } from './scripted';

describe('Graph HTTP: one request', () => {
  test('sends the bearer token and JSON to the v1.0 root', async () => {
    const { http, calls } = scriptedGraph([json(200, { id: 'x' })]);
    await http.send('PATCH', '/me/messages/x', { body: { categories: [] }, idempotent: false });
    expect(calls[0]).toMatchObject({
      url: `${BASE}/me/messages/x`,
      headers: { Authorization: 'Bearer t1', 'Content-Type': 'application/json', Accept: 'application/json' },
      body: { categories: [] },
    });
  });

  test.each([
    [400, 'BadRequest', GraphRequestError],
    [401, 'InvalidAuthenticationToken', GraphAuthError],
    [403, 'ErrorAccessDenied', GraphForbiddenError],
    [404, 'ErrorItemNotFound', GraphNotFoundError],
    [409, 'ErrorDuplicateCategoryName', GraphConflictError],
    [410, 'SyncStateNotFound', GraphResyncError],
    [412, 'ErrorIrresolvableConflict', GraphConflictError],
  ])('HTTP %i %s is a %p, with code and request id', async (status, code, type) => {
    const steps =
      status === 401 ? [graphError(401, code), graphError(401, code)] : [graphError(status, code)];
    const { http } = scriptedGraph(steps);
    const error = await http
      .send('PATCH', '/me/messages/x?$select=id', { idempotent: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({
      detail: { status, code, requestId: 'req-1', request: 'PATCH /me/messages/x' },
    });
  });

  test('401: the token is refreshed once, and the request sent again with it', async () => {
    const { http, calls } = scriptedGraph([graphError(401, 'InvalidAuthenticationToken'), json(200, {})]);
    await http.send('PATCH', '/me/messages/x', { body: {}, idempotent: false });
    expect(calls.map((c) => c.headers.Authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  test('429 with Retry-After: waited that long, even for a write (Graph did nothing)', async () => {
    const { http, calls, waits } = scriptedGraph([
      graphError(429, 'ApplicationThrottled', { 'Retry-After': '7' }),
      json(200, { changeKey: 'k2' }),
    ]);
    await http.send('PATCH', '/me/messages/x', { body: {}, idempotent: false });
    expect(waits).toEqual([7000]);
    expect(calls).toHaveLength(2);
  });

  test('503 with Retry-After on a GET: waited that long, then sent again', async () => {
    const { http, waits } = scriptedGraph([
      graphError(503, 'ServiceUnavailable', { 'Retry-After': '3' }),
      json(200, { value: [] }),
    ]);
    await http.send('GET', '/me/mailFolders/inbox', { idempotent: true });
    expect(waits).toEqual([3000]);
  });

  test('503 on a write is not repeated: it may have happened; the error carries Retry-After', async () => {
    const { http, calls } = scriptedGraph([graphError(503, 'ServiceUnavailable', { 'Retry-After': '3' })]);
    const error = await http
      .send('PATCH', '/me/messages/x', { body: {}, idempotent: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphUnavailableError);
    expect((error as GraphUnavailableError).retryAfterMs).toBe(3000);
    expect(calls).toHaveLength(1);
  });

  test('a lost response: a GET is tried again with back-off, a write is not', async () => {
    const read = scriptedGraph([new TypeError('fetch failed'), json(200, {})]);
    await read.http.send('GET', '/me', { idempotent: true });
    expect(read.waits).toEqual([375]); // half of 500 ms fixed, half jittered at 0.5

    const write = scriptedGraph([new TypeError('fetch failed')]);
    await expect(
      write.http.send('PATCH', '/me/messages/x', { body: {}, idempotent: false }),
    ).rejects.toBeInstanceOf(GraphNetworkError);
    expect(write.calls).toHaveLength(1);
  });

  test('429 that does not end: after the policy tries, a GraphThrottledError with the wait', async () => {
    const throttled = () => graphError(429, 'ApplicationThrottled', { 'Retry-After': '1' });
    const { http, calls } = scriptedGraph([throttled(), throttled(), throttled(), throttled()]);
    const error = await http.send('GET', '/me', { idempotent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphThrottledError);
    expect((error as GraphThrottledError).retryAfterMs).toBe(1000);
    expect(calls).toHaveLength(4);
  });

  test('a Retry-After longer than the policy waits is not waited for: the caller comes back later', async () => {
    const { http, calls, waits } = scriptedGraph([
      graphError(429, 'ApplicationThrottled', { 'Retry-After': '600' }),
    ]);
    const error = await http.send('GET', '/me', { idempotent: true }).catch((e: unknown) => e);
    expect((error as GraphThrottledError).retryAfterMs).toBe(600_000);
    expect([calls.length, waits]).toEqual([1, []]);
  });

  test('a sign-in that fails offline is a network error; one the user must fix is an auth error', async () => {
    const offline = scriptedGraph([], {
      getToken: async () => {
        throw Object.assign(new Error('no network'), { retryable: true });
      },
      refreshToken: async () => null,
    });
    await expect(offline.http.send('GET', '/me', { idempotent: true })).rejects.toBeInstanceOf(
      GraphNetworkError,
    );
    const consent = scriptedGraph([], {
      getToken: async () => {
        throw Object.assign(new Error('consent required'), { retryable: false });
      },
      refreshToken: async () => null,
    });
    await expect(consent.http.send('GET', '/me', { idempotent: true })).rejects.toBeInstanceOf(
      GraphAuthError,
    );
  });

  test('JSON that does not parse is a protocol error', async () => {
    const { http } = scriptedGraph([
      new Response('{oops', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    ]);
    await expect(http.send('GET', '/me', { idempotent: true })).rejects.toBeInstanceOf(GraphProtocolError);
  });
});

describe('Graph HTTP: paging', () => {
  test('a collection is read page after page by @odata.nextLink, followed unchanged', async () => {
    const next = `${BASE}/me/outlook/masterCategories?$skip=2&$top=2`;
    const { http, calls } = scriptedGraph([
      json(200, { value: [1, 2], '@odata.nextLink': next }),
      json(200, { value: [3] }),
    ]);
    expect(await http.all('/me/outlook/masterCategories')).toEqual([1, 2, 3]);
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/me/outlook/masterCategories`, next]);
  });

  test.each([
    ['another host', 'https://evil.example/v1.0/me/mailFolders?$skip=2'],
    ['another version of Graph', 'https://graph.microsoft.com/beta/me/mailFolders?$skip=2'],
    ['a host that only starts like Graph', 'https://graph.microsoft.com.evil.example/v1.0/me?$skip=2'],
    ['user info hiding another host', 'https://graph.microsoft.com/v1.0@evil.example/me?$skip=2'],
  ])('a nextLink to %s is refused with no request and no token sent', async (_name, link) => {
    const { http, calls } = scriptedGraph([json(200, { value: [1], '@odata.nextLink': link })]);
    const error = await http.all('/me/mailFolders').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphProtocolError);
    expect((error as Error).message).toMatch(/a link leads outside https:\/\/graph\.microsoft\.com\/v1\.0\//);
    expect((error as Error).message).not.toContain('$skip');
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/me/mailFolders`]);
    await expect(http.page(link)).rejects.toBeInstanceOf(GraphProtocolError);
    expect(calls).toHaveLength(1);
  });

  test('a link under the base is followed as given', async () => {
    const { http, calls } = scriptedGraph([json(200, { value: [] })]);
    expect(http.isOwnLink(`${BASE}/me/x`)).toBe(true);
    await http.page(`${BASE}/me/mailFolders?$skiptoken=a`);
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/me/mailFolders?$skiptoken=a`]);
  });

  test('a page without a value array is a protocol error', async () => {
    const { http } = scriptedGraph([json(200, { items: [] })]);
    await expect(http.page('/me/mailFolders')).rejects.toBeInstanceOf(GraphProtocolError);
  });
});

describe('Graph HTTP: JSON $batch', () => {
  const get = (id: string): GraphBatchRequest => ({ id, method: 'GET', url: `/me/messages/${id}` });
  const patch = (id: string, dependsOn?: string[]): GraphBatchRequest => ({
    id,
    method: 'PATCH',
    url: `/me/messages/${id}`,
    body: { categories: ['A'] },
    dependsOn,
  });
  const part = (id: string, status: number, headers: Record<string, string> = {}, body: unknown = {}) => ({
    id,
    status,
    headers,
    body,
  });

  test('more than 20 requests go as batches of 20; answers come back in request order', async () => {
    const ids = Array.from({ length: 45 }, (_, i) => String(i + 1));
    const answer = (url: string, init: RequestInit) => {
      const sent = (JSON.parse(init.body as string) as { requests: { id: string }[] }).requests;
      return json(200, { responses: sent.map((r) => part(r.id, 200, {}, { id: r.id })).reverse() });
    };
    const { http, calls } = scriptedGraph([answer, answer, answer]);
    const out = await http.batch(ids.map(get));
    expect(calls.map((c) => (c.body as { requests: unknown[] }).requests.length)).toEqual([20, 20, 5]);
    expect(out.map((r) => r.id)).toEqual(ids);
    expect(calls[0]).toMatchObject({ url: `${BASE}/$batch`, init: { method: 'POST' } });
  });

  test('a part answered 429 is sent again alone after its Retry-After, with the 424 that waited on it', async () => {
    const { http, calls, waits } = scriptedGraph([
      json(200, {
        responses: [part('1', 200), part('2', 429, { 'Retry-After': '4' }), part('3', 424), part('4', 503)],
      }),
      json(200, { responses: [part('2', 200, {}, { changeKey: 'k' }), part('3', 200)] }),
    ]);
    const out = await http.batch([patch('1'), patch('2'), patch('3', ['2']), patch('4')]);
    expect(waits).toEqual([4000]);
    expect((calls[1]?.body as { requests: { id: string; dependsOn?: string[] }[] }).requests).toEqual([
      expect.objectContaining({ id: '2' }),
      expect.objectContaining({ id: '3', dependsOn: ['2'] }),
    ]);
    // The PATCH that got 503 may have been applied: it is reported, not repeated.
    expect(out.map((r) => r.status)).toEqual([200, 200, 200, 503]);
    expect(partError(out[3]!, patch('4'))).toBeInstanceOf(GraphUnavailableError);
  });

  test('a GET part answered 503 is sent again with back-off', async () => {
    const { http, waits } = scriptedGraph([
      json(200, { responses: [part('1', 503), part('2', 200)] }),
      json(200, { responses: [part('1', 200)] }),
    ]);
    const out = await http.batch([get('1'), get('2')]);
    expect(out.map((r) => r.status)).toEqual([200, 200]);
    expect(waits).toEqual([375]);
  });

  test('a throttled part still throttled after the policy tries is returned as its typed error', async () => {
    const throttled = () => json(200, { responses: [part('1', 429, { 'retry-after': '2' })] });
    const { http, calls } = scriptedGraph([throttled(), throttled(), throttled(), throttled()]);
    const [out] = await http.batch([patch('1')]);
    expect(calls).toHaveLength(4);
    const error = partError(out!, patch('1'));
    expect(error).toBeInstanceOf(GraphThrottledError);
    expect((error as GraphThrottledError).retryAfterMs).toBe(2000);
  });

  test('a whole batch of writes answered 503 is not sent again', async () => {
    const { http, calls } = scriptedGraph([graphError(503, 'ServiceUnavailable')]);
    await expect(http.batch([patch('1')])).rejects.toBeInstanceOf(GraphUnavailableError);
    expect(calls).toHaveLength(1);
  });

  test('an answer that lacks a part, or has no responses, is a protocol error', async () => {
    const missing = scriptedGraph([json(200, { responses: [part('1', 200)] })]);
    await expect(missing.http.batch([get('1'), get('2')])).rejects.toBeInstanceOf(GraphProtocolError);
    const none = scriptedGraph([json(200, {})]);
    await expect(none.http.batch([get('1')])).rejects.toBeInstanceOf(GraphProtocolError);
  });

  test('ids must be unique, and dependsOn must stay within its batch of 20', async () => {
    const { http, calls } = scriptedGraph([]);
    await expect(http.batch([get('1'), get('1')])).rejects.toThrow(/unique/);
    const many = Array.from({ length: 21 }, (_, i) => get(String(i + 1)));
    await expect(http.batch([...many.slice(0, 20), patch('21', ['1'])])).rejects.toThrow(/chunk of 20/);
    expect(calls).toHaveLength(0);
  });
});

describe('Graph HTTP: nothing handled without a word', () => {
  test('each wait a 429 or a 5xx makes is logged with the request, its status and the wait', async () => {
    const logged: string[] = [];
    const answers = [
      graphError(429, 'ApplicationThrottled', { 'Retry-After': '2' }),
      graphError(503, 'ServiceUnavailable'),
      json(200, {}),
    ];
    const http = new GraphHttp({
      tokens: { getToken: async () => null, refreshToken: async () => null },
      fetch: (async () => answers.shift()) as unknown as typeof fetch,
      sleep: async () => {},
      random: () => 0.5,
      log: (message) => logged.push(message),
    });
    await http.send('GET', '/me/mailFolders?$top=1', { idempotent: true });
    expect(logged).toEqual([
      'GET /me/mailFolders: HTTP 429, trying again in 2000 ms',
      'GET /me/mailFolders: HTTP 503, trying again in 750 ms',
    ]);
  });
});
