/**
 * What the mail delta (delta.ts) and the contacts/events/To Do delta (itemDelta.ts) share: a round's
 * state carried in its own links' `$skiptoken`/`$deltatoken` (opaque to the client, as Graph's are),
 * and the page size a client asks with `Prefer: odata.maxpagesize`.
 */
import { BadRequest, graphError, type GraphResponse, type RequestContext } from './protocol';

/** The largest page the emulator's deltas give, whatever a client asks. */
export const MAX_DELTA_PAGE = 1000;

export function encodeDeltaToken(state: object): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** The state a token carries, or null when it is not one of ours (`holds` checks its fields). */
export function decodeDeltaToken<State>(
  token: string,
  holds: (state: Record<string, unknown>) => boolean,
): State | null {
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof state !== 'object' || state === null || !holds(state as Record<string, unknown>)) return null;
    return state as State;
  } catch {
    return null;
  }
}

/** A page size: a positive whole number, at most MAX_DELTA_PAGE. */
export function boundedPageSize(wanted: number): number {
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new BadRequest('BadRequest', 'The page size must be a positive whole number.');
  return Math.min(wanted, MAX_DELTA_PAGE);
}

/** The page size of `Prefer: odata.maxpagesize=n`, or null when the request does not say. */
export function preferredPageSize(headers: Readonly<Record<string, string>>): number | null {
  const prefer = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(headers.prefer ?? '');
  return prefer ? boundedPageSize(Number(prefer[1])) : null;
}

/**
 * Where a delta request starts: the state its `$skiptoken`/`$deltatoken` carries, or a new round's when
 * it has none; a token that is not ours (or not this collection's) is Graph's 410 SyncStateNotFound,
 * after which the client starts a new round without a token.
 */
export function resumeRound<State>(
  ctx: RequestContext,
  params: ReadonlyMap<string, string>,
  decode: (token: string) => State | null,
  initial: () => State,
): { readonly state: State } | { readonly expired: GraphResponse } {
  const token = params.get('$skiptoken') ?? params.get('$deltatoken');
  if (token === undefined) return { state: initial() };
  const state = decode(token);
  if (state !== null) return { state };
  return {
    expired: graphError(
      ctx,
      410,
      'SyncStateNotFound',
      'The sync state is not found or has expired. Start a new round without a token.',
    ),
  };
}
