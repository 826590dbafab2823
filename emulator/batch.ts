/**
 * `POST /$batch` (Dataverse: "Execute batch operations using the Web API"). Parts run in order through
 * the same dispatcher as single requests; a changeset runs in one transaction and is rolled back as a
 * whole when one of its requests fails. Without `Prefer: odata.continue-on-error`, processing stops at
 * the first failure and the batch itself answers with that request's status (its body still the
 * multipart response, ending with the failed part); with it, the batch answers 200 and every part
 * carries its own status.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorDb } from './db';
import {
  boundaryOf,
  parseHttpRequest,
  parseMultipart,
  type HttpMessage,
  type HttpResponsePart,
  writeHttpPart,
  writeMultipart,
} from './odata/multipart';
import { parsePrefer } from './odata/query';
import { BAD_QUERY, type DispatchContext, type EmuRequest, type EmuResponse, ODataError } from './protocol';

export const MAX_BATCH_REQUESTS = 1000;

type Dispatch = (req: EmuRequest, ctx: DispatchContext) => EmuResponse;

type Step =
  | { kind: 'single'; message: HttpMessage; contentId: string | undefined }
  | { kind: 'changeset'; requests: { message: HttpMessage; contentId: string | undefined }[] };

class ChangesetFailed extends Error {}

function plan(req: EmuRequest): Step[] {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary)
    throw new ODataError(
      400,
      BAD_QUERY,
      'A $batch request needs Content-Type multipart/mixed with a boundary.',
    );
  const parts = parseMultipart(req.body, boundary);
  if (!parts)
    throw new ODataError(400, BAD_QUERY, `The batch body has no part delimited by '--${boundary}'.`);
  let total = 0;
  const steps = parts.map((part): Step => {
    const inner = boundaryOf(part.headers['content-type']);
    if (inner) {
      const requests = (parseMultipart(part.body, inner) ?? []).map((p) => {
        const message = parseHttpRequest(p.body);
        if (!message) throw new ODataError(400, BAD_QUERY, 'A changeset part is not an HTTP request.');
        if (message.method === 'GET')
          throw new ODataError(400, BAD_QUERY, 'A GET request may not be part of a changeset.');
        return { message, contentId: p.headers['content-id'] ?? message.headers['content-id'] };
      });
      total += requests.length;
      return { kind: 'changeset', requests };
    }
    const message = parseHttpRequest(part.body);
    if (!message) throw new ODataError(400, BAD_QUERY, 'A batch part is not an HTTP request.');
    total += 1;
    return { kind: 'single', message, contentId: part.headers['content-id'] };
  });
  if (total > MAX_BATCH_REQUESTS) {
    throw new ODataError(
      400,
      BAD_QUERY,
      `The number of requests in a batch exceeds the maximum of ${MAX_BATCH_REQUESTS}.`,
    );
  }
  return steps;
}

export function runBatch(
  db: EmulatorDb,
  dispatch: Dispatch,
  req: EmuRequest,
  ctx: DispatchContext,
): EmuResponse {
  const steps = plan(req);
  const continueOnError = parsePrefer(req.headers.prefer).continueOnError;
  // The batch's Prefer (annotations, return=representation) applies to parts that send none.
  const withPrefer = (headers: Record<string, string>): Record<string, string> =>
    headers.prefer === undefined && req.headers.prefer !== undefined
      ? { ...headers, prefer: req.headers.prefer }
      : headers;
  const written: string[] = [];
  let failedStatus: number | null = null;
  for (const step of steps) {
    if (step.kind === 'single') {
      const response = dispatch({ ...step.message, headers: withPrefer(step.message.headers) }, ctx);
      written.push(writeHttpPart({ ...response, contentId: step.contentId }));
      if (response.status >= 400 && !continueOnError) {
        failedStatus = response.status;
        break;
      }
      continue;
    }
    const contentIds = new Map<string, string>();
    const responses: HttpResponsePart[] = [];
    const outcome: { failed: HttpResponsePart | null } = { failed: null };
    try {
      db.transaction(() => {
        for (const { message, contentId } of step.requests) {
          const response = dispatch(
            { ...message, headers: withPrefer(message.headers) },
            { ...ctx, contentIds },
          );
          if (response.status >= 400) {
            outcome.failed = { ...response, contentId };
            throw new ChangesetFailed();
          }
          const entityId = response.headers['OData-EntityId'];
          if (contentId !== undefined && entityId)
            contentIds.set(contentId, entityId.slice(ctx.baseUrl.length));
          responses.push({ ...response, contentId });
        }
      });
    } catch (error) {
      if (!(error instanceof ChangesetFailed)) throw error;
    }
    if (outcome.failed) {
      written.push(writeHttpPart(outcome.failed));
      if (!continueOnError) {
        failedStatus = outcome.failed.status;
        break;
      }
      continue;
    }
    const changesetBoundary = `changesetresponse_${randomUUID()}`;
    written.push(
      `Content-Type: multipart/mixed; boundary=${changesetBoundary}\r\n\r\n${writeMultipart(
        changesetBoundary,
        responses.map((r) => writeHttpPart(r)),
      )}`,
    );
  }
  const responseBoundary = `batchresponse_${randomUUID()}`;
  return {
    status: failedStatus ?? 200,
    headers: { 'Content-Type': `multipart/mixed; boundary=${responseBoundary}`, 'OData-Version': '4.0' },
    body: writeMultipart(responseBoundary, written),
  };
}
