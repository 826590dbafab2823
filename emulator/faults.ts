/** Fault injection: the next N requests matching a method and a path fragment fail or wait. */

export interface FaultSpec {
  readonly match?: { readonly method?: string; readonly pathContains?: string };
  /** HTTP status to answer with (429, 503, …); omitted: the request only waits `delayMs`, then runs. */
  readonly status?: number;
  /** Seconds, sent as `Retry-After` (429 and 503). */
  readonly retryAfter?: number;
  readonly delayMs?: number;
  /** The request runs (and commits), then the connection is cut with no response: a lost response. */
  readonly dropResponse?: boolean;
  /** How many matching requests are affected; default 1. */
  readonly count?: number;
}

export interface ActiveFault extends FaultSpec {
  readonly id: number;
  remaining: number;
}

export class Faults {
  private readonly list: ActiveFault[] = [];
  private nextId = 1;
  /** Wakers of the requests held by a delay fault right now. */
  private readonly waiting = new Set<() => void>();

  add(spec: FaultSpec): ActiveFault {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error('fault count must be a positive integer');
    if (
      spec.status !== undefined &&
      (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)
    ) {
      throw new Error('fault status must be an HTTP status code');
    }
    if (spec.status === undefined && spec.delayMs === undefined && spec.dropResponse !== true) {
      throw new Error('a fault needs a status, a delayMs or dropResponse');
    }
    if (spec.status !== undefined && spec.dropResponse === true) {
      throw new Error('a fault has a status or dropResponse, not both');
    }
    const fault: ActiveFault = { ...spec, id: this.nextId++, remaining: count };
    this.list.push(fault);
    return fault;
  }

  /**
   * Removes every fault and ends every delay in progress: a test (or a person at the workbench) that
   * clears the faults wants the CRM back now, not a request still held for seconds that runs into
   * whatever comes next.
   */
  clear(): void {
    this.list.length = 0;
    for (const wake of [...this.waiting]) wake();
  }

  /** How many requests a delay fault holds right now. */
  get held(): number {
    return this.waiting.size;
  }

  /** Holds a request for `ms`, or until clear() ends the delay. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiting.add(wake);
    });
  }

  active(): readonly ActiveFault[] {
    return this.list.filter((f) => f.remaining > 0);
  }

  /** Takes one use of the first fault matching this request, if any. */
  take(method: string, url: string): ActiveFault | undefined {
    let decoded = url;
    try {
      decoded = decodeURIComponent(url);
    } catch {
      // keep the raw URL
    }
    const index = this.list.findIndex(
      (f) =>
        f.remaining > 0 &&
        (f.match?.method === undefined || f.match.method.toUpperCase() === method.toUpperCase()) &&
        (f.match?.pathContains === undefined ||
          url.includes(f.match.pathContains) ||
          decoded.includes(f.match.pathContains)),
    );
    if (index < 0) return undefined;
    const fault = this.list[index] as ActiveFault;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.list.splice(index, 1);
    return fault;
  }
}
