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
import {
  maskAddressesInText,
  pathForLog,
  requestIdOf,
  type RequestEvent,
  type RetryEvent,
} from '../crm/retryPolicy';
import type { DiagnosticsLog } from './ports';

export type { RequestEvent, RetryEvent };
export { maskAddressesInText, pathForLog, requestIdOf };

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

/** A synchronization run or a background check cycle started or ended. */
export interface RunEvent {
  readonly kind: 'run';
  readonly run: 'sync' | 'background';
  readonly phase: 'start' | 'end';
  /** How it ended (`finished`, `failed`, …) when phase is `end`. */
  readonly outcome?: string;
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
 * the log's sink when it keeps events, nothing otherwise, so the ribbon's and the event handlers'
 * console logs cost their requests nothing.
 */
export function requestEventsFor(log: DiagnosticsLog): {
  events?: (event: RequestEvent | RetryEvent) => void;
} {
  const sink = eventSink(log);
  return sink ? { events: sink } : {};
}
