/**
 * The callback side of Office.js: argument parsing exactly as Outlook's `parseCommonArgs`, AsyncResult
 * objects, and delivery of every callback on a later macrotask (never inside the call), as a host
 * round trip does in Outlook.
 */
import {
  argumentError,
  argumentNullError,
  argumentTypeError,
  parameterCountError,
  type OfficeErrorShape,
} from './errors';

export const ASYNC_SUCCEEDED = 'succeeded';
export const ASYNC_FAILED = 'failed';

export type Callback<T> = (result: Office.AsyncResult<T>) => void;

export interface CommonArgs<T> {
  readonly callback?: Callback<T>;
  readonly options?: Record<string, unknown>;
  readonly asyncContext?: unknown;
}

/**
 * Outlook's `parseCommonArgs(args, isCallbackRequired, tryLegacy)`: `(callback)`, `(options)`,
 * `(options, callback)`, and with `tryLegacy` also `(callback, userContext)`. Anything else throws.
 */
export function parseCommonArgs<T>(
  args: readonly unknown[],
  callbackRequired: boolean,
  tryLegacy = false,
): CommonArgs<T> {
  if (tryLegacy && (args.length === 1 || args.length === 2) && typeof args[0] === 'function') {
    return { callback: args[0] as Callback<T>, asyncContext: args[1] };
  }
  let callback: Callback<T> | undefined;
  let options: Record<string, unknown> | undefined;
  if (args.length === 1) {
    if (typeof args[0] === 'function') callback = args[0] as Callback<T>;
    else if (typeof args[0] === 'object')
      options = (args[0] ?? undefined) as Record<string, unknown> | undefined;
    else throw argumentTypeError();
  } else if (args.length === 2) {
    if (typeof args[0] !== 'object') throw argumentError('options');
    if (typeof args[1] !== 'function') throw argumentError('callback');
    options = (args[0] ?? undefined) as Record<string, unknown> | undefined;
    callback = args[1] as Callback<T>;
  } else if (args.length !== 0) {
    throw parameterCountError();
  }
  if (callbackRequired && !callback) throw argumentNullError('callback');
  return { callback, options, asyncContext: options?.asyncContext };
}

export function succeeded<T>(value: T, asyncContext: unknown): Office.AsyncResult<T> {
  return {
    status: ASYNC_SUCCEEDED as unknown as Office.AsyncResultStatus,
    value,
    error: undefined as unknown as Office.Error,
    asyncContext,
    diagnostics: undefined,
  };
}

export function failed<T>(error: OfficeErrorShape, asyncContext: unknown): Office.AsyncResult<T> {
  return {
    status: ASYNC_FAILED as unknown as Office.AsyncResultStatus,
    value: undefined as unknown as T,
    error: { name: error.name, message: error.message, code: error.code } as Office.Error,
    asyncContext,
    diagnostics: undefined,
  };
}

/** What a host operation produces: a value, or an Office error for the callback. */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OfficeErrorShape };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T = never>(error: OfficeErrorShape): Outcome<T> => ({ ok: false, error });

/** Schedules host work and callbacks: later macrotasks, with optional latency, and a way to wait for quiet. */
export class Dispatcher {
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  /** Every callback error (a throwing add-in callback) is kept here and reported, never swallowed silently. */
  readonly callbackErrors: unknown[] = [];

  constructor(public latencyMs = 0) {}

  /** Run `work` on a later macrotask (after `latencyMs`). */
  later(work: () => void, delayMs = this.latencyMs): void {
    this.pending++;
    setTimeout(() => {
      try {
        work();
      } catch (error) {
        this.callbackErrors.push(error);
        // Like a browser: the error surfaces asynchronously but does not stop the host.
        setTimeout(() => {
          throw error;
        }, 0);
      } finally {
        this.pending--;
        if (this.pending === 0) this.flushIdle();
      }
    }, delayMs);
  }

  /**
   * Run a host operation: `operation` runs when the host "receives" the call (later, so state read by
   * it is the state at delivery), then the callback gets the AsyncResult.
   */
  complete<T>(args: CommonArgs<T>, operation: () => Outcome<T>): void {
    this.later(() => {
      const outcome = operation();
      const result = outcome.ok
        ? succeeded(outcome.value, args.asyncContext)
        : failed<T>(outcome.error, args.asyncContext);
      args.callback?.(result);
    });
  }

  /**
   * Resolves once no scheduled work is left: callbacks that schedule more work (directly or from a
   * promise continuation) are waited for too, until a whole macrotask turn passes with nothing pending.
   */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.pending === 0) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private flushIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) setTimeout(resolve, 0);
  }
}
