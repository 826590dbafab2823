/**
 * The diagnostics log's structured events (issue 13): what support needs to see why an email was or
 * was not tracked, and what the add-in asked of the CRM and Graph. An event never holds a token, a
 * body or a subject, and addresses only masked: the log is exported by the user and mailed to
 * support, so what is not in it cannot leak.
 *
 * The port extends DiagnosticsLog (message, error) rather than replacing it: every existing caller
 * keeps writing messages, and a sink that keeps events (the pane's ring buffer) is found by
 * `eventSink`, so the console-only logs of the ribbon and the event handlers need no change.
 */
import { maskAddressesInText, type HttpFact } from '../crm/retryPolicy';
import type { DiagnosticsLog } from './ports';

export { maskAddressesInText };

/** One try of a request, for the diagnostics log. */
export interface RequestEvent {
  readonly kind: 'request';
  readonly service: 'crm' | 'graph';
  readonly method: string;
  /** The path without its query (whose values may hold addresses or names), addresses masked. */
  readonly path: string;
  /** Null: no answer (offline, timeout). */
  readonly status: number | null;
  readonly durationMs: number;
  /** x-ms-service-request-id, request-id or client-request-id, whichever the answer carried. */
  readonly requestId: string | null;
  /** 1 for the first try. */
  readonly attempt: number;
}

/** The retry loop waits before trying a request again. */
export interface RetryEvent {
  readonly kind: 'retry';
  readonly service: 'crm' | 'graph';
  readonly method: string;
  readonly path: string;
  /** The status that made it wait; null after a lost answer. */
  readonly status: number | null;
  readonly waitMs: number;
}

/** A request's URL for the log: the path only, no query or fragment, addresses masked. */
export const pathForLog = (url: string): string =>
  maskAddressesInText((url.split(/[?#]/)[0] ?? '').replace(/^https?:\/\/[^/]+/i, ''));

/**
 * The request id an answer carries: Dataverse's x-ms-service-request-id (or its REQ_ID, the one a
 * browser may read when CORS exposes only that), Graph's request-id, or the client-request-id echoed.
 */
export const requestIdOf = (headers: Headers): string | null =>
  headers.get('x-ms-service-request-id') ??
  headers.get('request-id') ??
  headers.get('client-request-id') ??
  headers.get('req_id');

/**
 * The retry loop's raw fact as the log keeps it: path without query, addresses masked, the request id
 * and nothing else of the headers. Done here, in the pane's sink, not in the loop: the ribbon's and the
 * event handlers' bundles share the loop and log no events.
 */
export function requestEventOf(fact: HttpFact): RequestEvent | RetryEvent {
  const { service, method, status } = fact;
  const path = pathForLog(fact.url);
  if (fact.waitMs !== undefined) return { kind: 'retry', service, method, path, status, waitMs: fact.waitMs };
  return {
    kind: 'request',
    service,
    method,
    path,
    status,
    durationMs: fact.durationMs ?? 0,
    requestId: fact.headers ? requestIdOf(fact.headers) : null,
    attempt: fact.attempt,
  };
}

export type QueueMove = 'queued' | 'retried' | 'given-up' | 'done';

/** A pending track (tracking.md §5) moved in the queue. */
export interface QueueEvent {
  readonly kind: 'queue';
  readonly move: QueueMove;
  /** The queue's key: an Outlook item id or a Message-ID (no address, no subject). */
  readonly key: string;
  readonly attempts: number;
}

/** A decision of the rules on an item: its reason, never its subject. */
export interface DecisionEvent {
  readonly kind: 'decision';
  readonly action: string;
  readonly track: boolean;
  readonly reason: string;
  /** Which email: its sender's address masked (`***@domain`), or empty; never an item id or a subject. */
  readonly item: string;
}

/**
 * How a run ended: `finished` (every step ran; a step's own failures are in its summary),
 * `failed` (it stopped on an error), `skipped` (it did not run: another pane instance held the
 * device's lock, or the rules said not now).
 */
export type RunOutcome = 'finished' | 'failed' | 'skipped';

/** A synchronization run or a background check cycle started or ended. */
export interface RunEvent {
  readonly kind: 'run';
  readonly run: 'sync' | 'background';
  readonly phase: 'start' | 'end';
  /** How it ended, when phase is `end`. */
  readonly outcome?: RunOutcome;
}

/** A message written through DiagnosticsLog.log (an error's name and message, never its stack). */
export interface MessageEvent {
  readonly kind: 'message';
  readonly text: string;
  readonly error: string | null;
}

export type DiagnosticsEvent =
  RequestEvent | RetryEvent | QueueEvent | DecisionEvent | RunEvent | MessageEvent;

export type DiagnosticsEventKind = DiagnosticsEvent['kind'];

export const DIAGNOSTICS_EVENT_KINDS: readonly DiagnosticsEventKind[] = [
  'decision',
  'request',
  'retry',
  'queue',
  'run',
  'message',
];

/** An event as kept: when it happened (epoch ms) and its order (two in one millisecond stay ordered). */
export type LoggedEvent = DiagnosticsEvent & { readonly at: number; readonly seq: number };

/** A DiagnosticsLog that also keeps structured events. */
export interface DiagnosticsEventLog extends DiagnosticsLog {
  event(event: DiagnosticsEvent): void;
  /** The retry loop's raw facts: the log sanitises them (requestEventOf) before keeping them. */
  httpFact?(fact: HttpFact): void;
}

/** The log's event sink when it keeps events (the pane's), else null (the console of other runtimes). */
export function eventSink(log: DiagnosticsLog): ((event: DiagnosticsEvent) => void) | null {
  const candidate = log as Partial<DiagnosticsEventLog>;
  return typeof candidate.event === 'function' ? (event) => candidate.event?.call(log, event) : null;
}

/** The export: one JSON object per line (JSON Lines), in the order given, times as ISO 8601. */
export function eventsAsJsonLines(events: readonly LoggedEvent[]): string {
  return events.map((e) => JSON.stringify({ ...e, at: new Date(e.at).toISOString() })).join('\n') + '\n';
}

/**
 * The HTTP transport's `events` option for a log (spread into DataverseHttp or GraphHttp options):
 * the log's fact sink when it keeps them (the pane's ring), nothing otherwise, so the ribbon's and the
 * event handlers' console logs cost their requests nothing and their bundles no sanitising code.
 */
export function requestEventsFor(log: DiagnosticsLog): { events?: (fact: HttpFact) => void } {
  const candidate = log as Partial<DiagnosticsEventLog>;
  return typeof candidate.httpFact === 'function'
    ? { events: (fact) => candidate.httpFact?.call(log, fact) }
    : {};
}
