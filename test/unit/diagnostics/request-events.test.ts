/**
 * The diagnostics log's request events (issue 13) from the retry loop both HTTP adapters share: one
 * event per try with status, duration and request id, one per wait, and never a token, a query value
 * or an address's local part.
 */
import { DataverseHttp } from '../../../src/crm/dataverseHttp';
import {
  maskAddressesInText,
  pathForLog,
  requestEventOf,
  requestEventsFor,
  type RequestEvent,
  type RetryEvent,
} from '../../../src/app/diagnosticsEvents';
import { GraphHttp } from '../../../src/graph/graphHttp';
import { consoleDiagnosticsLog } from '../../../src/host/diagnostics';
import { createDiagnosticsRing } from '../../../src/host/diagnosticsRing';

const TOKEN = 'secret-token-value';
const tokens = { getToken: async () => TOKEN, refreshToken: async () => TOKEN };

function scripted(steps: (Response | Error)[]): typeof fetch {
  return (async () => {
    const step = steps.shift();
    if (!step) throw new Error('no more scripted answers');
    if (step instanceof Error) throw step;
    return step;
  }) as unknown as typeof fetch;
}

const json = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(status < 300 ? { value: [] } : { error: { code: 'c', message: 'm' } }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

function dataverse(steps: (Response | Error)[], events: (RequestEvent | RetryEvent)[]) {
  return new DataverseHttp({
    orgUrl: 'https://contoso.crm.dynamics.com',
    tokens,
    fetch: scripted(steps),
    sleep: async () => undefined,
    random: () => 0,
    events: (fact) => events.push(requestEventOf(fact)),
  });
}

test('a CRM request is logged with its method, path without query, status and Dataverse request id', async () => {
  const events: (RequestEvent | RetryEvent)[] = [];
  await dataverse([json(200, { 'x-ms-service-request-id': 'req-1' })], events).send(
    'GET',
    "contacts?$filter=emailaddress1 eq 'ann@fabrikam.com'",
    { idempotent: true },
  );
  expect(events).toEqual([
    expect.objectContaining({
      kind: 'request',
      service: 'crm',
      method: 'GET',
      path: '/api/data/v9.2/contacts',
      status: 200,
      requestId: 'req-1',
      attempt: 1,
    }),
  ]);
});

test('a throttled request logs each try and the wait between them', async () => {
  const events: (RequestEvent | RetryEvent)[] = [];
  await dataverse([json(429, { 'Retry-After': '2' }), json(200)], events).send('GET', 'accounts', {
    idempotent: true,
  });
  expect(events.map((e) => [e.kind, e.status])).toEqual([
    ['request', 429],
    ['retry', 429],
    ['request', 200],
  ]);
  expect(events[1]).toMatchObject({ waitMs: 2000 });
  expect(events[2]).toMatchObject({ attempt: 2 });
});

test('a lost answer is logged with no status', async () => {
  const events: (RequestEvent | RetryEvent)[] = [];
  await dataverse([new TypeError('fetch failed'), json(200)], events).send('GET', 'accounts', {
    idempotent: true,
  });
  expect(events[0]).toMatchObject({ kind: 'request', status: null, requestId: null });
  expect(events[1]).toMatchObject({ kind: 'retry', status: null });
});

test("a Graph request is logged under graph with Graph's request-id header", async () => {
  const events: (RequestEvent | RetryEvent)[] = [];
  const http = new GraphHttp({
    baseUrl: 'https://graph.microsoft.com/v1.0',
    tokens,
    fetch: scripted([
      new Response('{}', {
        status: 200,
        headers: { 'request-id': 'g-7', 'Content-Type': 'application/json' },
      }),
    ]),
    events: (fact) => events.push(requestEventOf(fact)),
  });
  await http.send('GET', '/users/ann@fabrikam.com/messages?$select=subject', { idempotent: true });
  expect(events).toEqual([
    expect.objectContaining({
      service: 'graph',
      requestId: 'g-7',
      path: '/v1.0/users/***@fabrikam.com/messages',
    }),
  ]);
});

test('no event holds the token', async () => {
  const events: (RequestEvent | RetryEvent)[] = [];
  await dataverse([json(503), json(200)], events).send('GET', 'accounts', { idempotent: true });
  expect(JSON.stringify(events)).not.toContain(TOKEN);
});

test('masking keeps the domain and hides the local part, URL-encoded too', () => {
  expect(maskAddressesInText('from ann.lee@fabrikam.com and bob%40contoso.com')).toBe(
    'from ***@fabrikam.com and ***%40contoso.com',
  );
});

test('a path for the log has neither host nor query nor fragment', () => {
  expect(pathForLog('https://x.example/api/data/v9.2/accounts(1)?$select=name#f')).toBe(
    '/api/data/v9.2/accounts(1)',
  );
});

test('a CRM answer whose CORS exposes only REQ_ID still gives its request id', async () => {
  const events: (RequestEvent | RetryEvent)[] = [];
  await dataverse([json(200, { REQ_ID: 'req-2' })], events).send('GET', 'WhoAmI', { idempotent: true });
  expect(events[0]).toMatchObject({ requestId: 'req-2' });
});

test("the pane's ring keeps a request's event sanitised, token, query and local part left out", async () => {
  const ring = createDiagnosticsRing({ console: { log: () => undefined } });
  const http = new DataverseHttp({
    orgUrl: 'https://contoso.crm.dynamics.com',
    tokens,
    fetch: scripted([json(200)]),
    ...requestEventsFor(ring),
  });
  await http.send('GET', "contacts?$filter=emailaddress1 eq 'ann@fabrikam.com'", { idempotent: true });
  const kept = JSON.stringify(ring.events());
  expect(ring.events()).toEqual([
    expect.objectContaining({ kind: 'request', path: '/api/data/v9.2/contacts' }),
  ]);
  expect(kept).not.toContain(TOKEN);
  expect(kept).not.toContain('ann@');
});

test('a console-only log gives the transport no observer, so the ribbon logs no request events', () => {
  expect(requestEventsFor(consoleDiagnosticsLog)).toEqual({});
});
