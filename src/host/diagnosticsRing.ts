/**
 * The pane's diagnostics log (issue 13): the last DIAGNOSTICS_CAPACITY events in memory, viewable and
 * exportable from the pane, and every message also on the console as the other runtimes write it.
 * Memory only (chosen): the log may hold masked addresses and request ids, which roaming settings
 * (32 KB, synchronized to every device) are not the place for; a reload starts it empty.
 */
import {
  maskAddressesInText,
  requestEventOf,
  type DiagnosticsEvent,
  type DiagnosticsEventLog,
  type LoggedEvent,
} from '../app/diagnosticsEvents';
import { consoleDiagnosticsLog } from './diagnostics';

/**
 * How many events are kept: the older ones drop out. Five hundred covers a few item opens with their
 * requests and a synchronization run (chosen); it is fixed, so the pane's memory cannot grow with time.
 */
export const DIAGNOSTICS_CAPACITY = 500;

export interface DiagnosticsRing extends DiagnosticsEventLog {
  /** Oldest first. */
  events(): readonly LoggedEvent[];
  clear(): void;
  /** Told after every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  readonly capacity: number;
}

/** An error's name and message, addresses masked; never its stack (paths, and nothing support needs). */
function errorText(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return maskAddressesInText(text);
}

export function createDiagnosticsRing(
  options: {
    capacity?: number;
    now?: () => number;
    console?: { log(message: string, error?: unknown): void };
  } = {},
): DiagnosticsRing {
  const capacity = options.capacity ?? DIAGNOSTICS_CAPACITY;
  const now = options.now ?? Date.now;
  const echo = options.console ?? consoleDiagnosticsLog;
  // A fixed array used as a circle: adding is O(1) and never allocates past the capacity.
  const slots: (LoggedEvent | undefined)[] = new Array<LoggedEvent | undefined>(capacity);
  let next = 0;
  let size = 0;
  let seq = 0;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());

  const event = (e: DiagnosticsEvent): void => {
    seq += 1;
    slots[next] = { ...e, at: now(), seq };
    next = (next + 1) % capacity;
    size = Math.min(capacity, size + 1);
    changed();
  };

  return {
    capacity,
    event,
    httpFact: (fact) => event(requestEventOf(fact)),
    log(message, error) {
      if (error === undefined) echo.log(message);
      else echo.log(message, error);
      event({ kind: 'message', text: maskAddressesInText(message), error: errorText(error) });
    },
    events() {
      const start = (next - size + capacity) % capacity;
      return Array.from({ length: size }, (_, i) => slots[(start + i) % capacity] as LoggedEvent);
    },
    clear() {
      slots.fill(undefined);
      next = 0;
      size = 0;
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
