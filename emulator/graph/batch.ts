/**
 * `POST /$batch`, JSON batching (docs/graph-facts.md "JSON batching"): at most 20 requests, unique ids,
 * `dependsOn` run first and a failed dependency answered 424, each request with its own status,
 * headers and body. Every request goes through the same runner as a lone request (faults included).
 */
import { graphError, ok, type GraphRequest, type GraphResponse, type RequestContext } from './protocol';

export const MAX_BATCH = 20;

export type SubRequestRunner = (req: GraphRequest) => GraphResponse;

interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly dependsOn: readonly string[];
}

function readItems(text: string): BatchItem[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'Invalid batch payload format.';
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) return "Invalid batch payload format: 'requests' must be an array.";
  if (requests.length === 0) return 'Invalid batch payload format: a batch needs at least one request.';
  if (requests.length > MAX_BATCH)
    return `Too many requests in the batch: ${requests.length}. The limit is ${MAX_BATCH}.`;
  const items: BatchItem[] = [];
  for (const r of requests as Record<string, unknown>[]) {
    if (typeof r !== 'object' || r === null)
      return 'Invalid batch payload format: each request must be an object.';
    const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : '';
    if (!id) return "Invalid batch payload format: each request needs an 'id'.";
    if (items.some((i) => i.id === id))
      return `Invalid batch payload format: the request id '${id}' is used twice.`;
    if (typeof r.method !== 'string' || typeof r.url !== 'string' || !r.url) {
      return `Invalid batch payload format: request '${id}' needs a method and a url.`;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((r.headers as Record<string, unknown> | undefined) ?? {})) {
      headers[name.toLowerCase()] = String(value);
    }
    if (r.body !== undefined && !headers['content-type']) {
      return `Invalid batch payload format: request '${id}' has a body but no Content-Type header.`;
    }
    const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string' && typeof d !== 'number')) {
      return `Invalid batch payload format: dependsOn of request '${id}' must be an array of ids.`;
    }
    // A relative URL is under the version: "/me/messages" or "me/messages". The JS SDK, given an
    // absolute Request (Node's Request takes no other), keeps the version: "/v1.0/me/messages".
    const url = r.url
      .replace(/^https?:\/\/[^/]+/i, '')
      .replace(/^\/?v1\.0(?=\/)/i, '')
      .replace(/^\/?/, '/');
    items.push({ id, method: r.method.toUpperCase(), url, headers, body, dependsOn: dependsOn.map(String) });
  }
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!items.some((i) => i.id === dep)) {
        return `Invalid batch payload format: request '${item.id}' depends on '${dep}', which is not in the batch.`;
      }
    }
  }
  const cyclic = items.find((item) => reaches(items, item.id, item.id, new Set()));
  if (cyclic) return `Invalid batch payload format: the dependsOn of request '${cyclic.id}' form a cycle.`;
  return items;
}

/** Whether `target` is among the (transitive) dependencies of `from`. Checked before anything runs. */
function reaches(items: readonly BatchItem[], from: string, target: string, seen: Set<string>): boolean {
  const item = items.find((i) => i.id === from);
  for (const dep of item?.dependsOn ?? []) {
    if (dep === target) return true;
    if (!seen.has(dep)) {
      seen.add(dep);
      if (reaches(items, dep, target, seen)) return true;
    }
  }
  return false;
}

function responseItem(id: string, r: GraphResponse): Record<string, unknown> {
  return {
    id,
    status: r.status,
    headers: r.headers,
    ...(r.json === undefined ? {} : { body: r.json }),
  };
}

export function runBatch(text: string, ctx: RequestContext, run: SubRequestRunner): GraphResponse {
  const items = readItems(text);
  if (typeof items === 'string') return graphError(ctx, 400, 'BadRequest', items);
  const byId = new Map(items.map((i) => [i.id, i]));
  const results = new Map<string, GraphResponse>();

  const settle = (item: BatchItem): GraphResponse => {
    const done = results.get(item.id);
    if (done) return done;
    let failedDependency: string | null = null;
    for (const dep of item.dependsOn) {
      const r = settle(byId.get(dep) as BatchItem);
      if (r.status >= 400 && failedDependency === null) failedDependency = dep;
    }
    const response =
      failedDependency !== null
        ? graphError(
            ctx,
            424,
            'FailedDependency',
            `The request depends on request '${failedDependency}', which failed.`,
          )
        : run({ method: item.method, url: item.url, headers: item.headers, body: item.body });
    results.set(item.id, response);
    return response;
  };

  for (const item of items) settle(item);
  return ok({ responses: items.map((i) => responseItem(i.id, results.get(i.id) as GraphResponse)) });
}
